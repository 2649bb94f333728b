"""The page: filters beside two linked maps, a time series below, notices and sources."""

from __future__ import annotations

import copy

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import charts, controls, export, figures, ids, languages, panels, view
from dashboard.i18n import t
from dashboard.notice import notice as pages_notice
from dashboard.state import PANEL_CONTROLS, ExplorerState
from dashboard.updates import apply_update
from dashboard.view import DEFAULT_METRIC
from layers import regions

MAP_BOUNDS = {  # the first view of each main map: lon/lat of its corners
    "municipality": ("ruhr", (6.25, 50.96, 8.05, 52.08)),
    "origin": ("origin", (20.0, 41.1, 30.0, 48.4)),
}


def map_specs(geo: dict[str, figures.GeoLayer]) -> dict[str, figures.MapSpec]:
    specs = {}
    for side, (prefix, bounds) in MAP_BOUNDS.items():
        areas = geo["ruhr_municipalities" if side == "municipality" else "origin_regions"]
        specs[side] = figures.MapSpec(
            side=side,
            areas=areas,
            outline=geo[f"{prefix}_outline"],
            context=geo[f"{prefix}_context"],
            bounds=bounds,
        )
    return specs


def _map_card(title_id, graph_id, figure, summary_id, toggle_id, table_id, lang) -> dbc.Card:
    """A map with its legend (drawn by assets/legend.js from its data), its text summary
    and an equivalent data table behind a toggle."""
    legend_id = ids.RUHR_LEGEND if graph_id == ids.RUHR_MAP else ids.ORIGIN_LEGEND
    legend_data = ids.RUHR_LEGEND_DATA if graph_id == ids.RUHR_MAP else ids.ORIGIN_LEGEND_DATA
    return dbc.Card(
        [
            dbc.CardHeader([
                html.H2(id=title_id, className="h6 mb-0"),
                export.buttons(graph_id, lang, "map", heading=title_id, legend=legend_id,
                               prefix="ruhr" if graph_id == ids.RUHR_MAP else "origin"),
            ], className="d-flex justify-content-between align-items-center gap-2"),
            dbc.CardBody(
                [
                    dcc.Graph(
                        id=graph_id,
                        figure=figure,
                        config=panels.graph_config(lang, scrollZoom=True),
                        className="map-graph",
                    ),
                    dcc.Store(id=legend_data),
                    html.Div(id=legend_id, className="map-legend px-2"),
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
        [
            f"{regions.area_name(r.nuts3, r.name, lang)} ({r.country})"
            for r in regions.ORIGIN_REGIONS
        ],
        DEFAULT_METRIC,
        lang,
    )
    return {
        ids.RUHR_MAP: ruhr_map.to_plotly_json(),
        ids.ORIGIN_MAP: origin_map.to_plotly_json(),
        ids.SERIES: charts.series_skeleton(lang).to_plotly_json(),
    }


def _stores(lang: str, state: ExplorerState) -> list:
    # No `data` at all without a selection: a store given None sets its data as it mounts,
    # which would send the maps' callback a request the page does not need.
    selection = {"data": state.fields()["selection"]} if state.selection else {}
    return [
        dcc.Location(id=ids.URL, refresh=False),
        dcc.Store(id=ids.URL_POPPED),
        dcc.Store(id=ids.VIEW_UPDATE),
        dcc.Store(id=ids.LANG_STORE, data=lang),
        dcc.Store(id=ids.SELECTION_STORE, **selection),
        dcc.Store(
            id=ids.COMPARE_STORE, **({"data": state.fields()["compare"]} if state.compare else {})
        ),
        dcc.Store(id=ids.CLICK_MODIFIER, data=False),
        *[dcc.Store(id=ids.gate(consumer)) for consumer in ids.GATED],
    ]


def skip_link(lang: str) -> html.A:
    """The first stop of the Tab key, shown when focused: past the navbar to the page's
    content (assets/keyboard.js moves the focus there)."""
    return html.A(t("skip_to_content", lang), id=ids.SKIP_LINK, href=f"#{ids.MAIN}",
                  className="visually-hidden-focusable skip-link")  # fmt: skip


def _navbar(lang: str) -> dbc.Navbar:
    button = "btn btn-outline-light btn-sm"
    links = html.Div([
        html.A(t("views", lang), href=f"/views?lang={lang}", className=f"{button} me-2"),
        languages.switch(lang, lambda code: f"?lang={code}", with_ids=True),
    ])  # fmt: skip
    brand = html.H1(t("title", lang), className="h4 text-white mb-0")
    return dbc.Navbar(dbc.Container([brand, links], fluid=True), color="dark", dark=True,
                      id=ids.NAVBAR)  # fmt: skip


def _notices(lang: str, state: ExplorerState, status) -> list:
    return [
        pages_notice(lang, status),
        dbc.Alert([html.Div(n) for n in state.notices], id=ids.URL_NOTICE, color="info",
                  is_open=bool(state.notices), className="mb-2"),
        dbc.Alert(id=ids.INPUT_NOTICE, color="info", is_open=False, className="mb-2"),
        html.P(id=ids.PRINT_FILTERS, className="print-only mb-2"),
    ]  # fmt: skip


def _maps_and_panels(lang: str, state: ExplorerState, empty: dict) -> dbc.Row:
    ruhr = _map_card(
        ids.RUHR_MAP_TITLE,
        ids.RUHR_MAP,
        empty[ids.RUHR_MAP],
        ids.RUHR_SUMMARY,
        ids.RUHR_TABLE_TOGGLE,
        ids.RUHR_TABLE,
        lang,
    )
    origin = _map_card(
        ids.ORIGIN_MAP_TITLE,
        ids.ORIGIN_MAP,
        empty[ids.ORIGIN_MAP],
        ids.ORIGIN_SUMMARY,
        ids.ORIGIN_TABLE_TOGGLE,
        ids.ORIGIN_TABLE,
        lang,
    )
    tabs = panels.analysis_tabs(lang, state, empty[ids.SERIES])
    return dbc.Row([
        # the filters a third of a small laptop's width, a quarter of a desktop's: their
        # pickers show each name whole (tests/browser/layout_check.js)
        dbc.Col(controls.drawer(lang, state), lg=4, xl=3, className="mb-lg-3 filter-column"),
        dbc.Col(dbc.Row([
            dbc.Col(controls.drawer_toggle(lang), width=12),
            dbc.Col(ruhr, md=6, className="mb-3"),
            dbc.Col(origin, md=6, className="mb-3"),
            dbc.Col(tabs, width=12, className="mb-3"),
        ]), lg=8, xl=9, className="content-column"),
    ])  # fmt: skip


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
    ``state`` ({"maps": view.view_outputs, "series": view.series_outputs, "state": the
    state as the callbacks see it}), filled in here so that the maps are drawn once, with
    values, and the page needs no first call."""
    state = state or ExplorerState(lang=lang)
    # A copy: the first view is written into these figures.
    empty = copy.deepcopy(empty_figures or explorer_figures(geo, lang))
    main = dbc.Container([
        *_notices(lang, state, status),
        _maps_and_panels(lang, state, empty),
        html.Footer(t("attribution", lang), className="small text-muted my-3"),
    ], fluid=True, tag="main", id=ids.MAIN)  # fmt: skip
    page = html.Div([skip_link(lang), *_stores(lang, state), _navbar(lang), main], lang=lang)
    for control in PANEL_CONTROLS:  # the panels' choices, as the address may set them
        value = control.to_prop(getattr(state, control.field))
        setattr(page[control.component], control.prop, value)
    if first_view is not None:
        _fill_first_view(page, first_view)
    return page


def _fill_first_view(page: html.Div, first_view: dict) -> None:
    """The values, titles and texts of the first view, put where the callback puts them."""
    maps = first_view["maps"]
    apply_update(page[ids.RUHR_MAP].figure, maps["ruhr_update"])
    apply_update(page[ids.ORIGIN_MAP].figure, maps["origin_update"])
    apply_update(page[ids.SERIES].figure, first_view["series"])
    for key, value in view.view_props(maps, first_view["state"]).items():
        component, prop = key.rsplit(".", 1)
        setattr(page[component], prop, value)
