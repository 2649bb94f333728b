"""The World Bank's national remittance series for Romania and Bulgaria (real, with source
and vintage on the chart): received US$ and share of GDP side by side."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.charts import _chart_layout, _vintage, in_lines
from dashboard.figures import COUNTRY_COLOURS
from dashboard.i18n import t
from layers.importers import worldbank


def _remittance_note(usd: pd.DataFrame, gdp: pd.DataFrame, lang: str) -> str:
    """Source and vintages (assets/fit.js wraps them to the chart's width)."""
    dated = [
        f"{code}: {', '.join(_vintage(v, lang) for v in sorted(set(f['vintage'])))}"
        for code, f in (("BX.TRF.PWKR.CD.DT", usd), ("BX.TRF.PWKR.DT.GD.ZS", gdp))
    ]
    source = usd["source"].iloc[0] if len(usd) else ""
    if source == worldbank.SOURCE:  # the publisher in the reader's language
        source = t("worldbank_source", lang)
    parts = [f"{source}.", f"{t('vintage', lang)} {dated[0]};", f"{dated[1]}."]
    if (usd["note"] != "").any():
        parts.append(t("ro_series_break", lang))
    note = " ".join(parts)
    if set(usd["vintage"]) != set(gdp["vintage"]):  # releases revise: the panels disagree
        note += "<br>" + t("vintage_mismatch", lang)
    return note


def remittance_figure(usd: pd.DataFrame, gdp: pd.DataFrame, lang: str) -> go.Figure:
    """The real World Bank series for RO and BG, with source and vintage on the chart."""
    figure = make_subplots(  # side by side (the printed view's short, wide box)
        rows=1,
        cols=2,
        horizontal_spacing=0.12,
        # each over its own panel, in lines that fit half a phone (fit.js wraps to the
        # chart's edges, not a panel's)
        subplot_titles=tuple(in_lines(t(k, lang), 18) for k in ("national_usd", "national_gdp")),
    )
    for col, frame, scale, fmt in ((1, usd, 1e-6, ",.0f"), (2, gdp, 1.0, ",.2f")):
        for iso2, rows in frame.groupby("country_iso2", sort=False):
            figure.add_scatter(
                x=rows["year"],
                y=rows["value"] * scale,
                mode="lines+markers",
                row=1,
                col=col,
                name=t(iso2, lang),
                legendgroup=iso2,
                showlegend=col == 1,
                line={"color": COUNTRY_COLOURS[iso2], "dash": "solid" if iso2 == "RO" else "dash"},
                marker={"symbol": "circle" if iso2 == "RO" else "diamond"},
                hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{t(iso2, lang)}</extra>",
            )
    note = _remittance_note(usd, gdp, lang)
    figure.add_annotation(
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.16,
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 11, "color": "#555555"},
        xanchor="left",
    )
    _chart_layout(figure, "", lang, height=440)
    figure.update_xaxes(dtick=5)  # 2015, 2020: years that fit half a phone
    figure.update_yaxes(nticks=5)  # and a short printed panel
    # the legend in the first panel's empty top left corner: the foot is the note's
    figure.update_layout(margin={"b": 110, "t": 90}, legend={
        "yref": "paper", "y": 1, "yanchor": "top", "x": 0.01, "xanchor": "left",
        "bgcolor": "rgba(255,255,255,0.85)"})  # fmt: skip
    return figure
