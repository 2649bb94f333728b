"""The data notice shown on every page."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import html

from dashboard import ids
from dashboard.i18n import t
from layers.dataset import DataStatus


def notice(lang: str, status: DataStatus | None = None) -> dbc.Alert:
    """The data notice: the synthetic-data warning while anything is modelled, and which
    parts are imported from where once real data came in."""
    if status is None or (status.flows == "synthetic" and status.survey == "synthetic"):
        return dbc.Alert(
            [html.Strong(t("synthetic_badge", lang) + ": "), t("synthetic_notice", lang)],
            color="warning",
            className="mt-3 mb-3 synthetic-notice",
            id=ids.SYNTHETIC_NOTICE,
        )
    parts = [f"{t('status_flows', lang)}: {t('status_' + status.flows, lang)}",
             f"{t('status_survey', lang)}: {t('status_' + status.survey, lang)}"]  # fmt: skip
    text = " · ".join(parts)
    if status.sources:
        text += f". {t('sources_imported', lang)}: " + ", ".join(status.sources)
    if status.any_synthetic:
        return dbc.Alert([html.Strong(t("synthetic_badge", lang) + ": "), text],
                         color="warning", className="mt-3 mb-3 synthetic-notice")  # fmt: skip
    return dbc.Alert([html.Strong(t("imported_data", lang) + ": "), text], color="info",
                     className="mt-3 mb-3 data-notice")  # fmt: skip
