"""The page: filters beside two linked maps, a time series below, notices and sources."""

from __future__ import annotations

import copy

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import figures, ids, view
from dashboard.i18n import t
from dashboard.notice import notice as pages_notice
from dashboard.state import ExplorerState
from dashboard.view import DEFAULT_METRIC, DOWNLOAD_FORMATS, FLOW_TOP_N
from layers import params, regions, vocab
from layers.catalogue import CATALOGUE, GROUPS, by_group

# Every graph: PNG download yes; nothing that uploads to a cloud or links outside.
GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud", "select2d", "lasso2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def graph_config(lang: str, **extra) -> dict:
    """Plotly's own texts (modebar, dates) in the page's language; assets/ has the German."""
    return {**GRAPH_CONFIG, "locale": lang, **extra}


def map_specs(geo: dict[str, figures.GeoLayer]) -> dict[str, figures.MapSpec]:
    return {
        "municipality": figures.MapSpec(
            side="municipality",
            areas=geo["ruhr_municipalities"],
            outline=geo["ruhr_outline"],
            context=geo["ruhr_context"],
            bounds=(6.25, 50.96, 8.05, 52.08),
        ),
        "origin": figures.MapSpec(
            side="origin",
            areas=geo["origin_regions"],
            outline=geo["origin_outline"],
            context=geo["origin_context"],
            bounds=(20.0, 41.1, 30.0, 48.4),
        ),
    }


def metric_options(lang: str) -> list[dict]:
    """Every catalogue indicator, grouped under a disabled heading, with its unit."""
    options = []
    for group, members in by_group().items():
        options.append(
            {"label": f"— {GROUPS[group][lang]} —", "value": f"group:{group}", "disabled": True}
        )
        options += [
            {"label": f"{i.text('label', lang)} ({i.text('unit', lang)})", "value": i.id}
            for i in members
        ]
    return options


def area_options(lang: str) -> list[dict]:
    """Every area, so that keyboard and screen-reader users can select without the map."""
    options = [{"label": t("pick_none", lang), "value": ""}]
    options.append({"label": f"— {t('ruhr_group', lang)} —", "value": "group:m", "disabled": True})
    options += [{"label": m.name, "value": f"m:{m.ags}"}
                for m in sorted(regions.MUNICIPALITIES, key=lambda m: m.name)]  # fmt: skip
    options.append(
        {"label": f"— {t('origin_group', lang)} —", "value": "group:o", "disabled": True}
    )
    options += [{"label": f"{r.name} ({r.country})", "value": f"o:{r.nuts3}"}
                for r in sorted(regions.ORIGIN_REGIONS, key=lambda r: r.name)]  # fmt: skip
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
                    dbc.Col([
                        html.Label(t("download_layer", lang), htmlFor=ids.DOWNLOAD_LAYER,
                                   className="form-label small mb-0"),
                        dbc.Select(id=ids.DOWNLOAD_LAYER, size="sm", value="municipalities",
                                   options=[{"label": t(f"layer_{k}", lang), "value": k}
                                            for k in layers]),
                    ]),
                    dbc.Col([
                        html.Label(t("download_format", lang), htmlFor=ids.DOWNLOAD_FORMAT,
                                   className="form-label small mb-0"),
                        dbc.Select(id=ids.DOWNLOAD_FORMAT, size="sm", value="gpkg",
                                   options=[{"label": v, "value": k}
                                            for k, v in DOWNLOAD_FORMATS.items()]),
                    ]),
                ],
                className="g-1",
            ),
            html.A(t("download", lang), id=ids.DOWNLOAD_LINK, download="",
                   className="btn btn-primary btn-sm mt-2 no-print",
                   href=view.download_href(state, "municipalities", "gpkg")),
            html.P(t("download_hint", lang), className="small text-muted mb-0"),
        ]
    )  # fmt: skip


def _filters(lang: str, state: ExplorerState) -> dbc.Card:
    years = vocab.YEARS
    marks = {y: str(y) for y in years if y % 2 == 0}
    return dbc.Card(
        dbc.CardBody(
            [
                html.H2(t("filters", lang), className="h5"),
                html.Label(t("year", lang), htmlFor=ids.YEAR_MODE, className="form-label mt-2"),
                dbc.RadioItems(
                    id=ids.YEAR_MODE,
                    options=[
                        {"label": t("year_single", lang), "value": "single"},
                        {"label": t("year_range", lang), "value": "range"},
                    ],
                    value=state.year_mode,
                    inline=True,
                ),
                html.Div(
                    dcc.Slider(
                        id=ids.YEAR_SINGLE,
                        min=years[0],
                        max=years[-1],
                        step=1,
                        value=state.year,
                        marks=marks,
                        tooltip={"always_visible": False},
                    ),
                    id=ids.YEAR_SINGLE_WRAPPER,
                    style={"display": "block" if state.year_mode == "single" else "none"},
                ),
                html.Div(
                    dcc.RangeSlider(
                        id=ids.YEAR_RANGE,
                        min=years[0],
                        max=years[-1],
                        step=1,
                        value=list(state.years),
                        marks=marks,
                        allowCross=False,
                    ),
                    id=ids.YEAR_RANGE_WRAPPER,
                    style={"display": "none" if state.year_mode == "single" else "block"},
                ),
                html.Label(
                    t("migration_type", lang), htmlFor=ids.TYPES, className="form-label mt-3"
                ),
                dbc.Checklist(
                    id=ids.TYPES,
                    options=[
                        {"label": vocab.MIGRATION_TYPE_LABELS[k][lang], "value": k}
                        for k in vocab.MIGRATION_TYPES
                    ],
                    value=list(state.types),
                ),
                html.Label(
                    t("origin_country", lang), htmlFor=ids.COUNTRY, className="form-label mt-3"
                ),
                dbc.RadioItems(
                    id=ids.COUNTRY,
                    options=[
                        {"label": t("both", lang), "value": "both"},
                        {"label": t("RO", lang), "value": "RO"},
                        {"label": t("BG", lang), "value": "BG"},
                    ],
                    value=state.country,
                    inline=True,
                ),
                html.Label(t("metric", lang), htmlFor=ids.METRIC, className="form-label mt-3"),
                # A native <select>: keyboard and screen readers handle it without surprises.
                dbc.Select(id=ids.METRIC, options=metric_options(lang), value=state.metric),
                html.P(id=ids.METRIC_DEFINITION, className="small text-muted mt-1"),
                _download_controls(lang, state),
                _share_controls(lang),
                html.H3(t("selection", lang), className="h6 mt-3"),
                html.Label(t("pick_area", lang), htmlFor=ids.AREA_PICKER, className="form-label"),
                dbc.Select(
                    id=ids.AREA_PICKER,
                    options=area_options(lang),
                    value=params.selection_token(state.selection),
                    size="sm",
                    className="mb-2",
                ),
                html.P(id=ids.SELECTION_LABEL, className="small", **{"aria-live": "polite"}),
                dbc.Button(
                    t("selection_clear", lang),
                    id=ids.SELECTION_CLEAR,
                    size="sm",
                    color="secondary",
                    outline=True,
                    disabled=True,
                ),
            ]
        ),
        className="filters",
    )


def _map_card(title_id, graph_id, figure, summary_id, toggle_id, table_id, lang) -> dbc.Card:
    """A map with its text summary and an equivalent data table behind a toggle."""
    return dbc.Card(
        [
            dbc.CardHeader(html.H2(id=title_id, className="h6 mb-0")),
            dbc.CardBody(
                [
                    dcc.Graph(
                        id=graph_id,
                        figure=figure,
                        config=graph_config(lang, scrollZoom=True),
                        className="map-graph",
                    ),
                    html.P(id=summary_id, className="small px-2 pt-2 mb-1 map-summary",
                           **{"aria-live": "polite"}),
                    dbc.Button(t("show_table", lang), id=toggle_id, size="sm", color="link",
                               className="px-2 no-print", n_clicks=0),
                    dbc.Collapse(id=table_id, is_open=False, className="px-2 area-table"),
                ],
                className="p-0",
            ),
        ],
        className="h-100",
    )  # fmt: skip


def _graph(graph_id: str, lang: str, **kwargs) -> dcc.Graph:
    return dcc.Graph(id=graph_id, config=graph_config(lang), **kwargs)


def _analysis_tabs(lang: str, tab: str, series_figure: dict) -> dbc.Card:
    """Charts for the selection. Only the open tab is computed (see callbacks)."""
    flow_controls = dbc.Row(
        [
            dbc.Col(
                [
                    html.Label(t("direction", lang), className="form-label"),
                    dbc.RadioItems(
                        id=ids.FLOW_DIRECTION,
                        inline=True,
                        value="arrival",
                        options=[
                            {"label": t("arrivals", lang), "value": "arrival"},
                            {"label": t("departures", lang), "value": "departure"},
                        ],
                    ),
                ],
                md=5,
            ),
            dbc.Col(
                [
                    html.Label(t("top_n", lang), htmlFor=ids.FLOW_TOP_N, className="form-label"),
                    dbc.Select(
                        id=ids.FLOW_TOP_N,
                        value="25",
                        options=[{"label": str(n), "value": str(n)} for n in FLOW_TOP_N],
                    ),
                ],
                md=3,
            ),
            dbc.Col(
                [
                    html.Label(
                        t("min_persons", lang), htmlFor=ids.FLOW_MIN, className="form-label"
                    ),
                    dbc.Input(
                        id=ids.FLOW_MIN,
                        type="number",
                        min=0,
                        max=100000,
                        step=1,
                        value=0,
                        debounce=True,
                    ),
                ],
                md=4,
            ),
        ],
        className="mb-2",
    )
    panels = [
        (
            [
                _graph(ids.SERIES, lang, figure=series_figure),
                html.Div(
                    [
                        html.Span(t("variance_hint", lang), className="small me-2"),
                        dbc.Button(
                            CATALOGUE["arrivals_cv"].text("label", lang),
                            id=ids.SHOW_CV,
                            size="sm",
                            color="primary",
                            outline=True,
                            className="me-2",
                        ),
                        dbc.Button(
                            CATALOGUE["churn"].text("label", lang),
                            id=ids.SHOW_CHURN,
                            size="sm",
                            color="primary",
                            outline=True,
                        ),
                    ],
                    className="mt-1",
                ),
            ],
            "series",
        ),
        (
            [
                dbc.Row(
                    [
                        dbc.Col(_graph(ids.LANGUAGES_CHART, lang), md=6),
                        dbc.Col(_graph(ids.COUNTRIES_CHART, lang), md=6),
                    ]
                ),
                html.H3(t("countries_map", lang), className="h6 mt-2"),
                _graph(ids.COUNTRIES_MAP, lang),
            ],
            "diversity",
        ),
        (
            [
                _graph(ids.REMITTANCE_CHART, lang),
                _graph(ids.USES_CHART, lang),
            ],
            "remittances",
        ),
        (
            [
                _graph(ids.NEEDS_CHART, lang),
                html.P(id=ids.NEEDS_TEST, className="small", **{"aria-live": "polite"}),
            ],
            "needs",
        ),
        (
            [
                flow_controls,
                html.H3(t("flows_map", lang), className="h6"),
                _graph(ids.FLOW_MAP, lang),
                html.P(id=ids.FLOW_SUMMARY, className="small text-muted"),
            ],
            "flows",
        ),
    ]
    # Tabs as a radio group styled as buttons: reachable with Tab, switched with the arrow
    # keys and announced properly (dbc.Tabs leaves its tabs out of the keyboard order).
    switcher = dbc.RadioItems(
        id=ids.TABS,
        options=[{"label": t(f"tab_{key}", lang), "value": key} for _, key in panels],
        value=tab,
        className="btn-group flex-wrap mb-2 analysis-tabs",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-primary",
        labelCheckedClassName="active",
    )
    return dbc.Card(
        dbc.CardBody(
            [
                switcher,
                *[
                    html.Div(
                        children,
                        id=ids.panel(key),
                        hidden=key != tab,
                        role="region",
                        **{"aria-label": t(f"tab_{key}", lang)},
                    )
                    for children, key in panels
                ],
            ]
        )
    )


def explorer_figures(geo: dict[str, figures.GeoLayer], lang: str) -> dict[str, dict]:
    """The explorer's maps and series without values, as plain JSON. The app builds them
    once per language: plotly.py's validation would cost ~35 ms on every page load."""
    specs = map_specs(geo)
    ruhr_map = figures.base_map(
        specs["municipality"],
        [m.ags for m in regions.MUNICIPALITIES],
        [m.name for m in regions.MUNICIPALITIES],
        DEFAULT_METRIC,
        lang,
    )
    origin_map = figures.base_map(
        specs["origin"],
        [r.nuts3 for r in regions.ORIGIN_REGIONS],
        [f"{r.name} ({r.country})" for r in regions.ORIGIN_REGIONS],
        DEFAULT_METRIC,
        lang,
    )
    return {
        ids.RUHR_MAP: ruhr_map.to_plotly_json(),
        ids.ORIGIN_MAP: origin_map.to_plotly_json(),
        ids.SERIES: figures.series_skeleton(lang).to_plotly_json(),
    }


def build_layout(
    lang: str,
    geo: dict[str, figures.GeoLayer],
    state: ExplorerState | None = None,
    status=None,
    empty_figures: dict[str, dict] | None = None,
    first_view: dict | None = None,
) -> html.Div:
    """The explorer, showing ``state`` (parsed from the page's URL) from the first paint.
    ``empty_figures``: ``explorer_figures(geo, lang)``, shared by page loads (not changed
    here). ``first_view``: what the maps' and the series' callbacks would send for
    ``state`` ({"maps": view.view_outputs, "series": view.series_outputs, "selected":
    whether an area is selected}), filled in here so that the maps are drawn once, with
    values, and the page needs no first call."""
    state = state or ExplorerState(lang=lang)
    # A copy: the first view is written into these figures.
    empty = copy.deepcopy(empty_figures or explorer_figures(geo, lang))
    ruhr_map, origin_map = empty[ids.RUHR_MAP], empty[ids.ORIGIN_MAP]
    other = "en" if lang == "de" else "de"
    page = html.Div(
        [
            dcc.Location(id=ids.URL, refresh=False),
            dcc.Store(id=ids.URL_POPPED),
            dcc.Store(id=ids.VIEW_UPDATE),
            dcc.Store(id=ids.LANG_STORE, data=lang),
            # No `data` at all without a selection: a store given None sets its data as it
            # mounts, which would send the maps' callback a request the page does not need.
            dcc.Store(
                id=ids.SELECTION_STORE,
                **({"data": state.fields()["selection"]} if state.selection else {}),
            ),
            *[dcc.Store(id=ids.gate(consumer)) for consumer in ids.GATED],
            dbc.Navbar(
                dbc.Container(
                    [
                        html.H1(t("title", lang), className="h4 text-white mb-0"),
                        html.Div(
                            [
                                html.A(
                                    t("views", lang),
                                    href=f"/views?lang={lang}",
                                    className="btn btn-outline-light btn-sm me-2",
                                ),
                                html.A(
                                    t("language_switch", lang),
                                    id=ids.LANGUAGE_LINK,
                                    href=f"?lang={other}",
                                    className="btn btn-outline-light btn-sm",
                                    lang=other,
                                ),
                            ]
                        ),
                    ],
                    fluid=True,
                ),
                color="dark",
                dark=True,
                id=ids.NAVBAR,
            ),
            dbc.Container(
                [
                    pages_notice(lang, status),
                    dbc.Alert(
                        [html.Div(n) for n in state.notices],
                        id=ids.URL_NOTICE,
                        color="info",
                        is_open=bool(state.notices),
                        className="mb-2",
                    ),
                    dbc.Alert(id=ids.INPUT_NOTICE, color="info", is_open=False, className="mb-2"),
                    dbc.Row(
                        [
                            dbc.Col(_filters(lang, state), lg=3, className="mb-3"),
                            dbc.Col(
                                dbc.Row(
                                    [
                                        dbc.Col(
                                            _map_card(
                                                ids.RUHR_MAP_TITLE,
                                                ids.RUHR_MAP,
                                                ruhr_map,
                                                ids.RUHR_SUMMARY,
                                                ids.RUHR_TABLE_TOGGLE,
                                                ids.RUHR_TABLE,
                                                lang,
                                            ),
                                            md=6,
                                            className="mb-3",
                                        ),
                                        dbc.Col(
                                            _map_card(
                                                ids.ORIGIN_MAP_TITLE,
                                                ids.ORIGIN_MAP,
                                                origin_map,
                                                ids.ORIGIN_SUMMARY,
                                                ids.ORIGIN_TABLE_TOGGLE,
                                                ids.ORIGIN_TABLE,
                                                lang,
                                            ),
                                            md=6,
                                            className="mb-3",
                                        ),
                                        dbc.Col(
                                            _analysis_tabs(lang, state.tab, empty[ids.SERIES]),
                                            width=12,
                                            className="mb-3",
                                        ),
                                    ]
                                ),
                                lg=9,
                            ),
                        ]
                    ),
                    html.Footer(t("attribution", lang), className="small text-muted my-3"),
                ],
                fluid=True,
                tag="main",
            ),
        ],
        lang=lang,
    )
    if first_view is not None:
        _fill_first_view(page, first_view)
    return page


def _fill_first_view(page: html.Div, first_view: dict) -> None:
    """The values, titles and texts of the first view, put where the callback puts them."""
    maps = first_view["maps"]
    figures.apply_update(page[ids.RUHR_MAP].figure, maps["ruhr_update"])
    figures.apply_update(page[ids.ORIGIN_MAP].figure, maps["origin_update"])
    figures.apply_update(page[ids.SERIES].figure, first_view["series"])
    for key, value in view.view_props(maps, first_view["state"]).items():
        component, prop = key.rsplit(".", 1)
        setattr(page[component], prop, value)
