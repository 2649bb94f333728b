"""The explorer's filter panel: year, migration type, origin country, metric, downloads, the
share link and the area picker, each showing the value its field of the state has."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import ids, timeplay, view
from dashboard.i18n import collated, t
from dashboard.state import ExplorerState
from dashboard.view import DOWNLOAD_FORMATS, LONG_FORMAT
from layers import classify, params, regions, vocab
from layers.catalogue import GROUPS, by_group


def metric_options(lang: str) -> list[dict]:
    """Every catalogue indicator, grouped under a disabled heading. Its name alone: with the
    unit the chosen one no longer fits its box (the definition under it gives the unit)."""
    options = []
    for group, members in by_group().items():
        options.append(
            {"label": f"— {GROUPS[group][lang]} —", "value": f"group:{group}", "disabled": True}
        )
        options += [{"label": i.picker_label(lang), "value": i.id} for i in members]
    return options


def area_options(lang: str) -> list[dict]:
    """Every area, so that keyboard and screen-reader users can select without the map."""
    options = [{"label": t("pick_none", lang), "value": ""}]
    options.append({"label": f"— {t('ruhr_group', lang)} —", "value": "group:m", "disabled": True})
    options += [{"label": m.name, "value": f"m:{m.ags}"}
                for m in collated(regions.MUNICIPALITIES, lambda m: m.name)]  # fmt: skip
    options.append(
        {"label": f"— {t('origin_group', lang)} —", "value": "group:o", "disabled": True}
    )
    names = {r.nuts3: regions.area_name(r.nuts3, r.name, lang) for r in regions.ORIGIN_REGIONS}
    options += [{"label": f"{names[code]} ({code[:2]})", "value": f"o:{code}"}
                for code in collated(names, names.get, lang)]  # fmt: skip
    return options


def _share_controls(lang: str) -> html.Div:
    """The link to this view (follows the address bar), a real button to copy it and a
    confirmation that screen readers announce (assets/share.js)."""
    return html.Div([
        html.Label(t("share_link", lang), htmlFor=ids.SHARE_URL, className="form-label mt-3"),
        html.Div(
            [
                dcc.Input(id=ids.SHARE_URL, readOnly=True,
                          className="form-control form-control-sm"),
                html.Button(t("copy_link", lang), id=ids.COPY_LINK, type="button", n_clicks=0,
                            className="btn btn-outline-secondary btn-sm text-nowrap"),
            ],
            className="d-flex gap-1",
        ),
        html.P(id=ids.COPY_STATUS, role="status", className="small text-success mt-1 mb-0",
               **{"aria-live": "polite"}),
        dcc.Store(id=ids.COPY_MESSAGES,
                  data={"copied": t("link_copied", lang), "selected": t("link_selected", lang)}),
    ], className="share-area")  # fmt: skip


def _download_controls(lang: str, state: ExplorerState) -> html.Div:
    """Download what the explorer shows: a zip with the layer and its datapackage.json."""
    layers = ("municipalities", "origin_regions", "flows")
    return html.Div(
        [
            html.H3(t("download", lang), className="h6 mt-3"),
            dbc.Row(
                [
                    dbc.Col([  # one above the other: side by side the names were cut
                        html.Label(t("download_layer", lang), htmlFor=ids.DOWNLOAD_LAYER,
                                   className="form-label small mb-0"),
                        dbc.Select(id=ids.DOWNLOAD_LAYER, size="sm", value="municipalities",
                                   options=[{"label": t(f"layer_{k}", lang), "value": k}
                                            for k in layers]),
                    ], width=12),
                    dbc.Col([
                        html.Label(t("download_format", lang), htmlFor=ids.DOWNLOAD_FORMAT,
                                   className="form-label small mb-0"),
                        dbc.Select(id=ids.DOWNLOAD_FORMAT, size="sm", value="gpkg",
                                   options=[*({"label": v, "value": k}
                                              for k, v in DOWNLOAD_FORMATS.items()),
                                            {"label": t("download_long", lang),
                                             "value": LONG_FORMAT}]),
                    ], width=12),
                ],
                className="g-1",
            ),
            html.A(t("download", lang), id=ids.DOWNLOAD_LINK, download="",
                   className="btn btn-primary btn-sm mt-2 no-print",
                   href=view.download_href(state, "municipalities", "gpkg")),
            html.P(t("download_hint", lang), className="small text-muted mb-0"),
        ]
    )  # fmt: skip


def radio_group(label: str, component_id: str, value: str, options: dict[str, str]) -> list:
    """A label over inline radio buttons (``options``: value -> text)."""
    return [
        html.Label(label, className="form-label"),
        dbc.RadioItems(id=component_id, inline=True, value=value,
                       options=[{"label": text, "value": v} for v, text in options.items()]),
    ]  # fmt: skip


def _year_controls(lang: str, state: ExplorerState) -> list:
    years, single = vocab.YEARS, state.year_mode == "single"
    # the ends and the middle: every other year ran together in the filter column
    marks = {y: str(y) for y in (years[0], years[len(years) // 2], years[-1])}
    return [
        html.Label(t("year", lang), htmlFor=ids.YEAR_MODE, className="form-label mt-2"),
        dbc.RadioItems(id=ids.YEAR_MODE, value=state.year_mode, inline=True, options=[
            {"label": t("year_single", lang), "value": "single"},
            {"label": t("year_range", lang), "value": "range"},
        ]),
        html.Div(
            dcc.Slider(id=ids.YEAR_SINGLE, min=years[0], max=years[-1], step=1,
                       value=state.year, marks=marks, tooltip={"always_visible": False}),
            id=ids.YEAR_SINGLE_WRAPPER, style={"display": "block" if single else "none"},
            # the slider's number box, named by assets/keyboard.js (dcc has no prop for it)
            **{"data-input-labels": t("year_input", lang)},
        ),
        html.Div(
            dcc.RangeSlider(id=ids.YEAR_RANGE, min=years[0], max=years[-1], step=1,
                            value=list(state.years), marks=marks, allowCross=False),
            id=ids.YEAR_RANGE_WRAPPER, style={"display": "none" if single else "block"},
            **{"data-input-labels": f"{t('year_from_input', lang)}|{t('year_to_input', lang)}"},
        ),
        timeplay.play_controls(lang),
    ]  # fmt: skip


def _type_and_country_controls(lang: str, state: ExplorerState) -> list:
    return [
        html.Label(t("migration_type", lang), htmlFor=ids.TYPES, className="form-label mt-3"),
        dbc.Checklist(id=ids.TYPES, value=list(state.types), options=[
            {"label": vocab.MIGRATION_TYPE_LABELS[k][lang], "value": k}
            for k in vocab.MIGRATION_TYPES
        ]),
        html.Label(t("origin_country", lang), htmlFor=ids.COUNTRY, className="form-label mt-3"),
        dbc.RadioItems(id=ids.COUNTRY, value=state.country, inline=True, options=[
            {"label": t("both", lang), "value": "both"},
            {"label": t("RO", lang), "value": "RO"},
            {"label": t("BG", lang), "value": "BG"},
        ]),
    ]  # fmt: skip


def _metric_controls(lang: str, state: ExplorerState) -> list:
    return [
        html.Label(t("metric", lang), htmlFor=ids.METRIC, className="form-label mt-3"),
        # A native <select>: keyboard and screen readers handle it without surprises.
        dbc.Select(id=ids.METRIC, options=metric_options(lang), value=state.metric),
        html.P(id=ids.METRIC_DEFINITION, className="small text-muted mt-1"),
    ]


def _map_controls(lang: str, state: ExplorerState) -> list:
    """How the maps class their colours and whether they name places (both in print)."""
    # short names: the legend under each map says what the scheme does
    schemes = [{"label": t(f"scheme_pick_{s}", lang), "value": s} for s in classify.SCHEMES]
    counts = [{"label": str(k), "value": str(k)} for k in classify.CLASS_COUNTS]
    return [
        html.Label(t("map_classes", lang), htmlFor=ids.MAP_SCHEME, className="form-label mt-2"),
        dbc.Select(id=ids.MAP_SCHEME, options=schemes, value=state.map_scheme, size="sm"),
        html.Div([  # on a line of its own: beside the scheme it cut the scheme's name
            html.Label(t("class_count", lang), htmlFor=ids.MAP_CLASSES,
                       className="small mb-0 text-nowrap"),
            dbc.Select(id=ids.MAP_CLASSES, options=counts, value=str(state.map_classes),
                       size="sm", style={"maxWidth": "4.5rem"}),
        ], className="d-flex gap-2 align-items-center mt-1"),
        dbc.Checklist(id=ids.MAP_LABELS, switch=True, className="mt-2",
                      value=["on"] if state.labels == "on" else [],
                      options=[{"label": t("map_labels", lang), "value": "on"}]),
    ]  # fmt: skip


def _selection_controls(lang: str, state: ExplorerState) -> list:
    return [
        html.H3(t("selection", lang), className="h6 mt-3"),
        html.Label(t("pick_area", lang), htmlFor=ids.AREA_PICKER, className="form-label"),
        # commits on Enter, click or leaving it, not on each arrow key (assets/keyboard.js)
        dbc.Select(id=ids.AREA_PICKER, options=area_options(lang), size="sm",
                   className="mb-2",
                   value=params.selection_token(state.selection)),
        html.P(id=ids.SELECTION_LABEL, className="small", **{"aria-live": "polite"}),
        dbc.Button(t("selection_clear", lang), id=ids.SELECTION_CLEAR, size="sm",
                   color="secondary", outline=True, disabled=True),
    ]  # fmt: skip


def drawer(lang: str, state: ExplorerState) -> html.Div:
    """The filter panel in a drawer below Bootstrap's lg breakpoint (opened and closed by
    assets/drawer.js, the toggle: `drawer_toggle`), a plain column from lg."""
    header = html.Div([
        html.H2(t("filters", lang), id=ids.FILTER_DRAWER_TITLE, className="offcanvas-title h5"),
        html.Button(id=ids.FILTER_CLOSE, type="button", className="btn-close",
                    **{"aria-label": t("filters_close", lang)}),
    ], className="offcanvas-header")  # fmt: skip
    return html.Div(
        [header, html.Div(filters(lang, state), className="offcanvas-body")],
        id=ids.FILTER_DRAWER,
        className="offcanvas-lg offcanvas-start",
        tabIndex="-1",
        **{"aria-labelledby": ids.FILTER_DRAWER_TITLE},
    )


def drawer_toggle(lang: str) -> html.Button:
    return html.Button(
        t("filters", lang),
        id=ids.FILTER_TOGGLE,
        type="button",
        className="btn btn-primary btn-sm d-lg-none mb-2 no-print",
        **{"aria-controls": ids.FILTER_DRAWER, "aria-expanded": "false"},
    )


def filters(lang: str, state: ExplorerState) -> dbc.Card:
    """The filter panel, showing ``state``."""
    return dbc.Card(
        dbc.CardBody([
            # below lg the drawer's header has the heading
            html.H2(t("filters", lang), className="h5 d-none d-lg-block"),
            *_year_controls(lang, state),
            *_type_and_country_controls(lang, state),
            *_metric_controls(lang, state),
            *_map_controls(lang, state),
            _download_controls(lang, state),
            _share_controls(lang),
            *_selection_controls(lang, state),
        ]),
        className="filters w-100",
    )  # fmt: skip
