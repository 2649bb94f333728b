"""The analysis panels below the maps (series, diversity, remittances, support needs, flows)
and the tab switcher; only the open panel is computed (see callbacks)."""

from __future__ import annotations

import dash_bootstrap_components as dbc
from dash import dcc, html

from dashboard import controls, export, ids, ranking, scatter, scenario, services, stocks, timeplay
from dashboard.i18n import t
from dashboard.state import TABS, ExplorerState
from dashboard.view import FLOW_TOP_N
from layers import params
from layers.catalogue import CATALOGUE

# Every graph: nothing that uploads to a cloud or links outside. The image download is not
# plotly's (it knows no title, filters or sources): each graph has its own "PNG" and "SVG"
# buttons (dashboard/export.py), and assets/export.js keeps the modebar out of the Tab order.
GRAPH_CONFIG = {
    "displaylogo": False,
    "modeBarButtonsToRemove": [
        "sendChartToCloud",
        "sendDataToCloud",
        "select2d",
        "lasso2d",
        "toImage",
    ],
}


def graph_config(lang: str, **extra) -> dict:
    """Plotly's own texts (modebar, dates) in the page's language; assets/ has the German."""
    return {**GRAPH_CONFIG, "locale": lang, **extra}


def graph(graph_id: str, lang: str, **kwargs) -> html.Div:
    """A panel's graph with its image downloads above it (the tab names it, assets/export.js)."""
    kind = "map" if graph_id.endswith("-map") else "chart"
    return html.Div([
        html.Div(export.buttons(graph_id, lang, kind), className="d-flex justify-content-end"),
        dcc.Graph(id=graph_id, config=graph_config(lang), **kwargs),
    ], className="export-frame")  # fmt: skip


def _flow_controls(lang: str) -> dbc.Row:
    label = {"className": "form-label"}
    # Not printed: the summary says what they are set to.
    return dbc.Row([
        dbc.Col(controls.radio_group(t("direction", lang), ids.FLOW_DIRECTION, "arrival", {
            "arrival": t("arrivals", lang), "departure": t("departures", lang)}), md=5),
        dbc.Col([
            html.Label(t("top_n", lang), htmlFor=ids.FLOW_TOP_N, **label),
            dbc.Select(id=ids.FLOW_TOP_N, value="25",
                       options=[{"label": str(n), "value": str(n)} for n in FLOW_TOP_N]),
        ], md=3),
        dbc.Col([
            html.Label(t("min_persons", lang), htmlFor=ids.FLOW_MIN, **label),
            dbc.Input(id=ids.FLOW_MIN, type="number", min=0, max=100000, step=1, value=0,
                      debounce=True),
        ], md=4),
    ], className="mb-2 no-print")  # fmt: skip


def _series_panel(lang: str, series_figure: dict) -> list:
    button = {"size": "sm", "color": "primary", "outline": True}
    return [
        graph(ids.SERIES, lang, figure=series_figure),
        html.Div([
            html.Span(t("variance_hint", lang), className="small me-2"),
            dbc.Button(CATALOGUE["arrivals_cv"].text("label", lang), id=ids.SHOW_CV,
                       className="me-2", **button),
            dbc.Button(CATALOGUE["churn"].text("label", lang), id=ids.SHOW_CHURN, **button),
        ], className="mt-1"),
        timeplay.small_multiples(lang),
    ]  # fmt: skip


def _compare_panel(lang: str, state: ExplorerState) -> list:
    options = [o for o in controls.area_options(lang) if o["value"] and not o.get("disabled")]
    radio = {"inline": True, "className": "me-3"}
    return [
        html.P(t("compare_hint", lang), className="small"),
        html.Fieldset([
            # A checklist, not dcc.Dropdown: its hidden focus target fails axe (aria-hidden).
            html.Legend(t("compare_with", lang), className="form-label fs-6"),
            html.Div(dbc.Checklist(id=ids.COMPARE_PICKER, options=options,
                                   value=[params.selection_token(a) for a in state.compare]),
                     className="checklist-scroll"),
        ]),
        html.Div([
            dbc.RadioItems(id=ids.COMPARE_MEASURE, value="arrivals", options=[
                {"label": t(m, lang), "value": m} for m in ("arrivals", "departures", "net")
            ], **radio),
            dbc.RadioItems(id=ids.COMPARE_SCALE, value="per_1000", options=[
                {"label": t("compare_per_1000", lang), "value": "per_1000"},
                {"label": t("compare_absolute", lang), "value": "absolute"},
            ], **radio),
        ], className="d-flex flex-wrap mt-2"),
        html.Div([
            html.Span(id=ids.SIMILAR_TEXT, className="small me-2"),
            html.Button(t("compare_similar", lang), id=ids.COMPARE_SIMILAR, type="button",
                        className="btn btn-outline-secondary btn-sm no-print"),
            dcc.Store(id=ids.SIMILAR_STORE),
        ], className="mt-2"),
        graph(ids.COMPARE_CHART, lang),
        html.Div(id=ids.COMPARE_TABLE, className="table-responsive"),
        html.Button(t("download_csv", lang), id=ids.COMPARE_CSV, type="button",
                    className="btn btn-outline-primary btn-sm no-print"),
        dcc.Download(id=ids.COMPARE_DOWNLOAD),
    ]  # fmt: skip


def _panels(lang: str, series_figure: dict, state: ExplorerState) -> dict[str, list]:
    """Each tab's content, in the order of the tabs (dashboard/state.py, TABS)."""
    return {
        "series": _series_panel(lang, series_figure),
        "compare": _compare_panel(lang, state),
        "diversity": [
            dbc.Row([dbc.Col(graph(ids.LANGUAGES_CHART, lang), md=6),
                     dbc.Col(graph(ids.COUNTRIES_CHART, lang), md=6)]),
            html.H3(t("countries_map", lang), className="h6 mt-2"),
            graph(ids.COUNTRIES_MAP, lang),
        ],
        "remittances": [graph(ids.REMITTANCE_CHART, lang), graph(ids.USES_CHART, lang)],
        "needs": [
            graph(ids.NEEDS_CHART, lang),
            html.Div(id=ids.NEEDS_TEST, className="small", **{"aria-live": "polite"}),
        ],
        "flows": [
            _flow_controls(lang),
            html.P(id=ids.FLOW_SUMMARY, className="fw-semibold mb-2", **{"aria-live": "polite"}),
            dbc.Row([
                dbc.Col([html.H3(t("flows_map", lang), className="h6"),
                         graph(ids.FLOW_MAP, lang, className="flow-graph"),
                         html.Div(id=ids.FLOW_LEGEND, className="flow-legend small mt-1")], xl=7),
                dbc.Col([html.H3(t("flows_ruhr", lang), className="h6"),
                         graph(ids.FLOW_RUHR_MAP, lang, className="flow-graph flow-graph-ruhr"),
                         html.P(t("flows_ruhr_note", lang), className="small mt-1")],
                        xl=5, className="mt-3 mt-xl-0"),
            ], className="flow-maps"),
        ],
        "ranking": ranking.panel(lang),
        "scatter": scatter.panel(lang),
        "stocks": stocks.panel(lang, graph),
        "services": services.panel(lang, graph),
        "scenario": scenario.panel(lang, graph, state.scenario_share),
    }  # fmt: skip


def analysis_tabs(lang: str, state: ExplorerState, series_figure: dict) -> dbc.Card:
    """Charts for the selection. Only the open tab is computed (see callbacks)."""
    tab = state.tab
    made = _panels(lang, series_figure, state)
    panels = {key: made[key] for key in TABS}  # the tabs' order is declared in state.py
    # Tabs as a radio group styled as buttons: reachable with Tab, switched with the arrow
    # keys and announced properly (dbc.Tabs leaves its tabs out of the keyboard order).
    switcher = dbc.RadioItems(
        id=ids.TABS,
        options=[{"label": t(f"tab_{key}", lang), "value": key} for key in panels],
        value=tab,
        className="btn-group flex-wrap mb-2 analysis-tabs",
        inputClassName="btn-check",
        labelClassName="btn btn-outline-primary",
        labelCheckedClassName="active",
    )
    regions = [
        html.Div(children, id=ids.panel(key), hidden=key != tab, role="region",
                 **{"aria-label": t(f"tab_{key}", lang)})
        for key, children in panels.items()
    ]  # fmt: skip
    return dbc.Card(
        dbc.CardBody([switcher, *regions, export.texts(lang)]), className="analysis-card"
    )
