"""Thin callbacks: read component values, call ``dashboard.view``, write the results."""

from __future__ import annotations

import functools

from dash import Dash, Input, Output, State, ctx, html, no_update

from dashboard import (
    address,
    compare,
    events,
    ids,
    ranking,
    scatter,
    scenario,
    state,
    stocks,
    timeplay,
    view,
)
from dashboard.cache import ResultCache
from dashboard.figures import GeoLayer, restyle_message
from dashboard.i18n import LANGUAGES, t
from dashboard.services import outputs as services_outputs
from dashboard.updates import as_patch
from dashboard.wiring import in_browser
from layers import params
from layers.dataset import Dataset
from layers.disclosure import Policy

YEAR_PROPS = {f"{i}.value" for i in (ids.YEAR_MODE, ids.YEAR_SINGLE, ids.YEAR_RANGE)}
# What a filter change updates (update_view's outputs by name).
VIEW_OUTPUTS = {
    "ruhr": (ids.RUHR_MAP, "figure"),
    "origin": (ids.ORIGIN_MAP, "figure"),
    "update": (ids.VIEW_UPDATE, "data"),
    "address": (ids.URL, "search"),
    **{prop: tuple(prop.rsplit(".", 1)) for prop in view.VIEW_PROPS},
}
TRIGGERS = {
    ids.URL_POPPED: "url",
    ids.RUHR_MAP: "click",
    ids.ORIGIN_MAP: "click",
    ids.SELECTION_CLEAR: "clear",
    ids.SHOW_CV: "show_cv",
    ids.SHOW_CHURN: "show_churn",
    ids.AREA_PICKER: "pick",
    ids.COMPARE_PICKER: "compare_pick",
    ids.COMPARE_SIMILAR: "compare_pick",  # the similar municipalities' tokens
    ids.SCATTER_CHART: "click",
}


def cached_maps(cache, dataset, explorer, policy, style=True, selection=True) -> dict:
    """``view.view_outputs`` through the shared cache (also for the page's first view)."""
    return cache.get_or_compute(
        "maps", (explorer.view_key, style, selection),
        lambda: view.view_outputs(dataset, explorer, policy, style, selection),
    )  # fmt: skip


def cached_series(cache, dataset, explorer, years=True, title=True) -> dict:
    """``view.series_outputs`` through the shared cache (also for the page's first view)."""
    return cache.get_or_compute(
        "series", (explorer.filter, explorer.areas, explorer.lang, years, title),
        lambda: view.series_outputs(dataset, explorer, years, title),
    )  # fmt: skip


def _map_outputs(updates: dict[str, dict]) -> tuple:
    """Each map's figure output and the browser's recolouring messages: new values go to
    the browser, which recolours the map in place (assets/gate.js); anything more is a
    Patch of the figure, which plotly draws anew."""
    figures_out, messages = [], {}
    for graph_id, update in updates.items():
        message = restyle_message(update)
        figures_out.append(as_patch(update) if message is None else no_update)
        if message is not None:
            messages[graph_id] = message
    return (*figures_out, messages)


def _address(explorer: state.ExplorerState, search: str | None):
    """The query to push for ``explorer``, or no_update when the address already says it."""
    push = address.push_for(explorer, search)
    return push if push is not None else no_update


def _first_call() -> bool:
    """A call that names no trigger (the page renders its first view itself, so only a
    hand-crafted request does this): send everything, as for a first drawing."""
    changed = set(ctx.triggered_prop_ids)
    return not changed or "." in changed


def register(
    app: Dash, dataset: Dataset, policy: Policy, geo: dict[str, GeoLayer], cache: ResultCache
) -> None:
    _register_browser_only(app)
    _register_address(app)
    _register_links(app)
    _register_view(app, dataset, policy, cache)
    _register_panels(app, dataset, policy, geo)
    _register_flow_map(app, dataset, geo)
    _register_compare(app, dataset, policy)
    _register_stocks(app, dataset)
    _register_services(app, dataset, policy, geo)
    scenario.register(app, dataset, policy, geo)
    ranking.register(app, dataset, policy)
    scatter.register(app, dataset, policy)
    timeplay.register(app)


def _register_browser_only(app: Dash) -> None:
    # The page is rendered with the right panel and year slider; later switches happen in
    # the browser (assets/gate.js).
    panels = [(ids.panel(tab), "hidden") for tab in state.TABS]
    in_browser(app, "ruhr.panels", panels, [(ids.TABS, "value")], [(ids.TABS, "options")],
               prevent_initial_call=True)  # fmt: skip
    sliders = [(ids.YEAR_SINGLE_WRAPPER, "style"), (ids.YEAR_RANGE_WRAPPER, "style")]
    in_browser(app, "ruhr.yearMode", sliders, [(ids.YEAR_MODE, "value")],
               prevent_initial_call=True)  # fmt: skip
    # The legends are data (dashboard/classes.py): drawn here, on the first view too.
    for legend, data in (
        (ids.RUHR_LEGEND, ids.RUHR_LEGEND_DATA),
        (ids.ORIGIN_LEGEND, ids.ORIGIN_LEGEND_DATA),
    ):
        in_browser(app, "maplegend.draw", [(legend, "children")], [(data, "data")])  # fmt: skip


def _register_address(app: Dash) -> None:
    # The URL is the state. update_view (below) writes it from the controls, in the one
    # request of a filter change. What sets controls (back/forward, clicks, buttons:
    # apply_event) reads them as State: one callback for both ways would sit between every
    # filter and the maps (Dash waits for a callback whose outputs feed others' inputs).
    @app.callback(
        output={**state.outputs(), "notice": Output(ids.URL_NOTICE, "children"),
                "notice_open": Output(ids.URL_NOTICE, "is_open"),
                "picker": Output(ids.AREA_PICKER, "value"),
                "peers": Output(ids.COMPARE_PICKER, "value")},
        inputs={"popped": Input(ids.URL_POPPED, "data"),
                "ruhr_click": Input(ids.RUHR_MAP, "clickData"),
                "origin_click": Input(ids.ORIGIN_MAP, "clickData"),
                "clear": Input(ids.SELECTION_CLEAR, "n_clicks"),
                "cv": Input(ids.SHOW_CV, "n_clicks"),
                "churn": Input(ids.SHOW_CHURN, "n_clicks"),
                "picked": Input(ids.AREA_PICKER, "value"),
                "compared": Input(ids.COMPARE_PICKER, "value"),
                "alike": Input(ids.COMPARE_SIMILAR, "n_clicks"),
                "scatter_click": Input(ids.SCATTER_CHART, "clickData")},
        state={**state.states(), "add": State(ids.CLICK_MODIFIER, "data"),
               "similar": State(ids.SIMILAR_STORE, "data")},
        prevent_initial_call=True,  # the page is rendered in the state of its URL
    )  # fmt: skip
    def apply_event(popped, ruhr_click, origin_click, clear, cv, churn, picked, compared, alike,
                    scatter_click, add, similar, **fields):  # fmt: skip
        """Back/forward (assets/history.js), a map click, a button or the area picker."""
        current = state.from_fields(fields)
        trigger = TRIGGERS.get(ctx.triggered_id, "url")
        payloads = {
            ids.RUHR_MAP: ("municipality", ruhr_click, add),
            ids.ORIGIN_MAP: ("origin", origin_click, add),
            ids.AREA_PICKER: picked,
            ids.COMPARE_PICKER: compared,
            ids.COMPARE_SIMILAR: similar,
            ids.SCATTER_CHART: (current.scatter_side, scatter_click),
        }
        search = popped.get("search") if isinstance(popped, dict) else None
        new, change_controls = events.next_state(trigger, search, current,
                                                payloads.get(ctx.triggered_id))  # fmt: skip
        out = {name: no_update for name in ctx.outputs_grouping}
        if change_controls:
            out |= new.fields()
        if trigger == "url" and change_controls:  # back/forward to another link
            out |= {"notice": [html.Div(n) for n in new.notices], "notice_open": bool(new.notices)}
        picker = params.selection_token(new.selection)
        out["picker"] = picker if picker != picked else no_update
        peers = [params.selection_token(a) for a in new.compare]
        out["peers"] = peers if peers != (compared or []) else no_update
        return out


def _register_links(app: Dash) -> None:
    @app.callback(
        Output(ids.SHARE_URL, "value"),
        *(Output(ids.LANGUAGE_LINKS[code], "href") for code in LANGUAGES),
        Output(ids.DOWNLOAD_LINK, "href"),
        Input(ids.URL, "href"),
        Input(ids.URL, "search"),
        Input(ids.DOWNLOAD_LAYER, "value"),
        Input(ids.DOWNLOAD_FORMAT, "value"),
        State(ids.LANG_STORE, "data"),
    )
    def links(href, search, layer, fmt, lang):
        """The addresses that follow the view: share, other language, download."""
        shown = address.from_query(search)
        languages = [address.language_link(search, code) for code in LANGUAGES]
        share = address.share_url(href, search)
        return share, *languages, view.download_href(shown, layer, fmt)

    # Copying needs the browser's clipboard: no request (assets/share.js).
    in_browser(app, "share.copy", [(ids.COPY_STATUS, "children")], [(ids.COPY_LINK, "n_clicks")],
               [(ids.SHARE_URL, "value"), (ids.COPY_MESSAGES, "data")],
               prevent_initial_call=True)  # fmt: skip


def _register_view(app: Dash, dataset: Dataset, policy: Policy, cache: ResultCache) -> None:
    # One request per filter change for the maps and the series: the browser recolours the
    # maps first and draws the series in the frame after (assets/gate.js, `ruhr.draw`).
    @app.callback(
        output={name: Output(*spec) for name, spec in VIEW_OUTPUTS.items()},
        inputs=state.inputs(),
        state={**state.states(controls=False), "search": State(ids.URL, "search")},
        prevent_initial_call=True,  # the page is rendered with its first view (layout.py)
    )  # fmt: skip
    def update_view(search, **fields):
        explorer = state.from_fields(fields)
        out = {name: no_update for name in ctx.outputs_grouping}
        out["address"] = _address(explorer, search)
        changed, first = set(ctx.triggered_prop_ids), _first_call()
        if changed <= state.ADDRESS_ONLY:  # another panel or its choices: only the address
            return out
        # A metric or a map's own choice changes its whole style (a Patch, drawn anew).
        style = first or bool(({f"{ids.METRIC}.value"} | state.MAP_CONTROLS) & changed)
        selection = first or bool({f"{ids.SELECTION_STORE}.data", f"{ids.COMPARE_STORE}.data"}
                                  & changed)  # fmt: skip
        maps = cached_maps(cache, dataset, explorer, policy, style, selection)
        out["ruhr"], out["origin"], messages = _map_outputs(
            {ids.RUHR_MAP: maps["ruhr_update"], ids.ORIGIN_MAP: maps["origin_update"]}
        )
        series = None
        if first or changed - {f"{ids.METRIC}.value"}:  # the series ignores the metric
            years, title = first or bool(changed & YEAR_PROPS), selection
            series = as_patch(cached_series(cache, dataset, explorer, years, title))
        if messages or series:
            out["update"] = {"maps": messages, "series": series}
        return out | view.view_props(maps, explorer, style, selection)

    in_browser(app, "ruhr.draw", [(ids.SERIES, "figure")], [(ids.VIEW_UPDATE, "data")],
               prevent_initial_call=True)  # fmt: skip


def _register_panels(app: Dash, dataset: Dataset, policy: Policy, geo: dict) -> None:
    # Closed panels and tables get no request on a filter change: assets/gate.js forwards
    # the state only to the open ones, each through its own store.
    tables = [(ids.RUHR_TABLE, "is_open"), (ids.ORIGIN_TABLE, "is_open")]
    in_browser(app, "ruhr.gate", [(ids.gate(consumer), "data") for consumer in ids.GATED],
               [*tables, *state.inputs().values()],  # forwarded by name, not by position
               state.states(controls=False).values())  # fmt: skip

    gated = functools.partial(_gated, app)

    for toggle, collapse, side in (
        (ids.RUHR_TABLE_TOGGLE, ids.RUHR_TABLE, "municipality"),
        (ids.ORIGIN_TABLE_TOGGLE, ids.ORIGIN_TABLE, "origin"),
    ):

        @app.callback(
            Output(collapse, "is_open"),
            Input(toggle, "n_clicks"),
            State(collapse, "is_open"),
            prevent_initial_call=True,
        )
        def toggle_table(_clicks, is_open):
            return not is_open

        @gated(collapse, Output(collapse, "children"))
        def update_table(state_values, side=side):
            shown = state.ExplorerState.from_props(state_values)
            return view.area_table_component(dataset, shown, side, policy)

    @gated("diversity", Output(ids.LANGUAGES_CHART, "figure"),
           Output(ids.COUNTRIES_CHART, "figure"), Output(ids.COUNTRIES_MAP, "figure"))  # fmt: skip
    def update_diversity(state_values):
        shown = state.ExplorerState.from_props(state_values)
        out = view.diversity_outputs(dataset, shown, policy, geo["world_countries"])
        return out["languages"], out["countries"], out["countries_map"]

    @gated("remittances", Output(ids.REMITTANCE_CHART, "figure"), Output(ids.USES_CHART, "figure"))
    def update_remittances(state_values):
        out = view.remittance_outputs(dataset, state.ExplorerState.from_props(state_values), policy)
        return out["national"], out["uses"]

    @gated("needs", Output(ids.NEEDS_CHART, "figure"), Output(ids.NEEDS_TEST, "children"))
    def update_needs(state_values):
        out = view.needs_outputs(dataset, state.ExplorerState.from_props(state_values), policy)
        return out["figure"], out["test"]


def _gated(app: Dash, consumer: str, *outputs, inputs: tuple = ()):
    """A panel's callback: the state its gate forwards (first argument), then ``inputs``."""
    return app.callback(*outputs, Input(ids.gate(consumer), "data"), *inputs,
                        prevent_initial_call=True)  # fmt: skip


def _register_compare(app: Dash, dataset: Dataset, policy: Policy) -> None:
    @_gated(app, "compare", Output(ids.COMPARE_CHART, "figure"),
            Output(ids.COMPARE_TABLE, "children"), Output(ids.SIMILAR_TEXT, "children"),
            Output(ids.SIMILAR_STORE, "data"))  # fmt: skip
    def update_compare(state_values):
        shown = state.ExplorerState.from_props(state_values)
        per_1000 = shown.compare_scale != "absolute"
        figure = compare.compare_figure(dataset, shown, shown.compare_measure, per_1000)
        alike = compare.similar_areas(dataset, shown)
        similar = compare.similar_text(alike, shown), [params.selection_token(a) for a in alike]
        if not shown.areas:
            return figure, html.P(t("compare_none", shown.lang), className="small"), *similar
        table, bounds = compare.compare_tables(dataset, shown, policy)
        shares = compare.shares_table(dataset, shown)
        return figure, [compare.print_heading(shown), compare.shares_component(shares, shown),
                        compare.table_component(table, shown, bounds)], *similar  # fmt: skip

    @app.callback(
        Output(ids.COMPARE_DOWNLOAD, "data"),
        Input(ids.COMPARE_CSV, "n_clicks"),
        State(ids.gate("compare"), "data"),
        prevent_initial_call=True,
    )
    def download_compare(_clicks, state_values):
        shown = state.ExplorerState.from_props(state_values)
        if not shown.areas:
            return no_update
        name = "-".join([*(a.code for a in shown.areas), shown.filter.describe()["years"]])
        return {"content": compare.csv_text(dataset, shown, policy), "type": "text/csv",
                "filename": f"comparison-{name}.csv"}  # fmt: skip


def _register_flow_map(app: Dash, dataset: Dataset, geo: dict) -> None:
    controls = (Input(ids.FLOW_DIRECTION, "value"), Input(ids.FLOW_TOP_N, "value"),
                Input(ids.FLOW_MIN, "value"))  # fmt: skip

    @_gated(app, "flows", Output(ids.FLOW_MAP, "figure"), Output(ids.FLOW_RUHR_MAP, "figure"),
            Output(ids.FLOW_LEGEND, "children"), Output(ids.FLOW_SUMMARY, "children"),
            inputs=controls)  # fmt: skip
    def update_flows(state_values, direction, top_n, min_persons):
        shown = state.ExplorerState.from_props(state_values)
        out = view.flow_outputs(dataset, shown, (direction, top_n, min_persons), geo)
        summary = " ".join([out["summary"], *out["notices"]])
        return out["figure"], out["ruhr"], out["legend"], summary


def _register_stocks(app: Dash, dataset: Dataset) -> None:
    @_gated(
        app,
        "stocks",
        Output(ids.STOCK_LABEL, "children"),
        Output(ids.STOCK_CHART, "figure"),
        Output(ids.STOCK_TABLE, "children"),
        Output(ids.STOCK_NOTE, "children"),
        Output(ids.STOCK_METRIC, "options"),
        inputs=(Input(ids.STOCK_METRIC, "value"),),
    )
    def update_stocks(state_values, metric):
        shown = state.ExplorerState.from_props(state_values)
        out = stocks.outputs(dataset, metric, shown.lang, shown.selection)
        return out["label"], out["figure"], out["table"], out["note"], out["options"]

    @app.callback(Output(ids.STOCK_DOWNLOAD, "data"), Input(ids.STOCK_CSV, "n_clicks"),
                  State(ids.STOCK_METRIC, "value"), prevent_initial_call=True)  # fmt: skip
    def download_stocks(_clicks, metric):
        return stocks.download(dataset, metric) or no_update


def _register_services(app: Dash, dataset: Dataset, policy: Policy, geo: dict) -> None:
    @_gated(app, "services", Output(ids.SERVICES_LABEL, "children"),
            Output(ids.SERVICES_MAP, "figure"), Output(ids.SERVICES_TABLE, "children"),
            Output(ids.SERVICES_NEEDS, "children"))  # fmt: skip
    def update_services(state_values):
        out = services_outputs(dataset, state.ExplorerState.from_props(state_values), policy, geo)
        return out["label"], out["map"], out["table"], out["needs"]
