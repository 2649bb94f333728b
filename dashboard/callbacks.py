"""Thin callbacks: read component values, call ``dashboard.view``, write the results."""

from __future__ import annotations

from dash import ClientsideFunction, Dash, Input, Output, Patch, State, ctx, html, no_update

from dashboard import ids, urlstate, view
from dashboard.cache import ResultCache
from dashboard.figures import GeoLayer, restyle_message
from layers.dataset import Dataset
from layers.disclosure import Policy

# The explorer's state, in the order view.parse_inputs takes it.
STATE_INPUTS = [
    Input(ids.YEAR_MODE, "value"),
    Input(ids.YEAR_SINGLE, "value"),
    Input(ids.YEAR_RANGE, "value"),
    Input(ids.TYPES, "value"),
    Input(ids.COUNTRY, "value"),
    Input(ids.METRIC, "value"),
    Input(ids.SELECTION_STORE, "data"),
    State(ids.LANG_STORE, "data"),
]


YEAR_PROPS = {f"{i}.value" for i in (ids.YEAR_MODE, ids.YEAR_SINGLE, ids.YEAR_RANGE)}

# Controls whose values the URL carries, in the order of urlstate.UrlState.controls().
URL_CONTROLS = [
    (ids.YEAR_MODE, "value"),
    (ids.YEAR_SINGLE, "value"),
    (ids.YEAR_RANGE, "value"),
    (ids.TYPES, "value"),
    (ids.COUNTRY, "value"),
    (ids.METRIC, "value"),
    (ids.SELECTION_STORE, "data"),
    (ids.TABS, "value"),
]
TRIGGERS = {
    ids.URL_POPPED: "url",
    ids.RUHR_MAP: "click",
    ids.ORIGIN_MAP: "click",
    ids.SELECTION_CLEAR: "clear",
    ids.SHOW_CV: "show_cv",
    ids.SHOW_CHURN: "show_churn",
    ids.AREA_PICKER: "pick",
}


def _patch(updates: dict) -> Patch:
    """A Patch from ``{path: value}``: one merge per object (trace, shape), not one
    operation per property, which keeps the message small."""
    by_parent: dict[tuple, dict] = {}
    for path, value in updates.items():
        by_parent.setdefault(path[:-1], {})[path[-1]] = value
    patch = Patch()
    for parent, values in by_parent.items():
        target = patch
        for key in parent:
            target = target[key]
        target.update(values)
    return patch


def cached_maps(cache, dataset, state, policy, style=True, selection=True) -> dict:
    """``view.view_outputs`` through the shared cache (also for the page's first view)."""
    return cache.get_or_compute(
        "maps", (state, style, selection),
        lambda: view.view_outputs(dataset, state, policy, style, selection),
    )  # fmt: skip


def cached_series(cache, dataset, state, years=True, title=True) -> dict:
    """``view.series_outputs`` through the shared cache (also for the page's first view)."""
    return cache.get_or_compute(
        "series", (state.filter, state.selection, state.lang, years, title),
        lambda: view.series_outputs(dataset, state, years, title),
    )  # fmt: skip


def _map_outputs(updates: dict[str, dict]) -> tuple:
    """Each map's figure output and the browser's recolouring messages: new values go to
    the browser, which recolours the map in place (assets/gate.js); anything more is a
    Patch of the figure, which plotly draws anew."""
    figures_out, messages = [], {}
    for graph_id, update in updates.items():
        message = restyle_message(update)
        figures_out.append(_patch(update) if message is None else no_update)
        if message is not None:
            messages[graph_id] = message
    return (*figures_out, messages)


def _address(state: urlstate.UrlState, search: str | None):
    """The query to push for ``state``, or no_update when the address already says it."""
    push = urlstate.push_for(state, search)
    return push if push is not None else no_update


def _first_call() -> bool:
    """A call that names no trigger (the page renders its first view itself, so only a
    hand-crafted request does this): send everything, as for a first drawing."""
    changed = set(ctx.triggered_prop_ids)
    return not changed or "." in changed


def register(
    app: Dash, dataset: Dataset, policy: Policy, geo: dict[str, GeoLayer], cache: ResultCache
) -> None:
    # The page is rendered with the right panel and year slider; later switches happen in
    # the browser (assets/gate.js).
    app.clientside_callback(
        ClientsideFunction("ruhr", "panels"),
        *[Output(ids.panel(tab), "hidden") for tab in urlstate.TABS],
        Input(ids.TABS, "value"),
        State(ids.TABS, "options"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("ruhr", "yearMode"),
        Output(ids.YEAR_SINGLE_WRAPPER, "style"),
        Output(ids.YEAR_RANGE_WRAPPER, "style"),
        Input(ids.YEAR_MODE, "value"),
        prevent_initial_call=True,
    )

    # The URL is the state. update_view (below) writes it from the controls, in the one
    # request of a filter change. What sets controls (back/forward, clicks, buttons:
    # apply_event) reads them as State: one callback for both ways would sit between every
    # filter and the maps (Dash waits for a callback whose outputs feed others' inputs).
    @app.callback(
        *[Output(i, p) for i, p in URL_CONTROLS],
        Output(ids.URL_NOTICE, "children"),
        Output(ids.URL_NOTICE, "is_open"),
        Output(ids.AREA_PICKER, "value"),
        Input(ids.URL_POPPED, "data"),
        Input(ids.RUHR_MAP, "clickData"),
        Input(ids.ORIGIN_MAP, "clickData"),
        Input(ids.SELECTION_CLEAR, "n_clicks"),
        Input(ids.SHOW_CV, "n_clicks"),
        Input(ids.SHOW_CHURN, "n_clicks"),
        Input(ids.AREA_PICKER, "value"),
        *[State(i, p) for i, p in URL_CONTROLS],
        State(ids.LANG_STORE, "data"),
        prevent_initial_call=True,  # the page is rendered in the state of its URL
    )
    def apply_event(popped, ruhr_click, origin_click, _clear, _cv, _churn, picked, *rest):
        """Back/forward (assets/history.js), a map click, a button or the area picker."""
        *controls, lang = rest
        current = urlstate.from_controls(*controls, lang)
        trigger = TRIGGERS.get(ctx.triggered_id, "url")
        clicks = {
            ids.RUHR_MAP: ("municipality", ruhr_click),
            ids.ORIGIN_MAP: ("origin", origin_click),
            ids.AREA_PICKER: picked,
        }
        search = popped.get("search") if isinstance(popped, dict) else None
        state, change_controls = urlstate.next_state(
            trigger, search, current, clicks.get(ctx.triggered_id)
        )
        controls_out = state.controls() if change_controls else [no_update] * len(URL_CONTROLS)
        notice = [no_update, no_update]
        if trigger == "url" and change_controls:  # back/forward to another link
            notice = [[html.Div(n) for n in state.notices], bool(state.notices)]
        picker = urlstate.selection_token(state.selection)
        return (*controls_out, *notice, picker if picker != picked else no_update)

    @app.callback(
        Output(ids.SHARE_URL, "value"),
        Output(ids.LANGUAGE_LINK, "href"),
        Output(ids.DOWNLOAD_LINK, "href"),
        Input(ids.URL, "href"),
        Input(ids.URL, "search"),
        Input(ids.DOWNLOAD_LAYER, "value"),
        Input(ids.DOWNLOAD_FORMAT, "value"),
        State(ids.LANG_STORE, "data"),
    )
    def links(href, search, layer, fmt, lang):
        """The addresses that follow the view: share, other language, download."""
        state = urlstate.from_query(search)
        other_language = urlstate.language_link(search, "en" if lang == "de" else "de")
        share = urlstate.share_url(href, search)
        return share, other_language, view.download_href(state, layer, fmt)

    # Copying needs the browser's clipboard: no request (assets/share.js).
    app.clientside_callback(
        ClientsideFunction("share", "copy"),
        Output(ids.COPY_STATUS, "children"),
        Input(ids.COPY_LINK, "n_clicks"),
        State(ids.SHARE_URL, "value"),
        State(ids.COPY_MESSAGES, "data"),
        prevent_initial_call=True,
    )

    # One request per filter change for the maps and the series: the browser recolours the
    # maps first and draws the series in the frame after (assets/gate.js, `ruhr.draw`).
    @app.callback(
        Output(ids.RUHR_MAP, "figure"),
        Output(ids.ORIGIN_MAP, "figure"),
        Output(ids.VIEW_UPDATE, "data"),
        Output(ids.RUHR_MAP_TITLE, "children"),
        Output(ids.ORIGIN_MAP_TITLE, "children"),
        Output(ids.SELECTION_LABEL, "children"),
        Output(ids.SELECTION_CLEAR, "disabled"),
        Output(ids.METRIC_DEFINITION, "children"),
        Output(ids.INPUT_NOTICE, "children"),
        Output(ids.INPUT_NOTICE, "is_open"),
        Output(ids.RUHR_SUMMARY, "children"),
        Output(ids.ORIGIN_SUMMARY, "children"),
        Output(ids.URL, "search"),
        *STATE_INPUTS,
        Input(ids.TABS, "value"),
        State(ids.URL, "search"),
        prevent_initial_call=True,  # the page is rendered with its first view (layout.py)
    )
    def update_view(*values):
        *state_values, tab, search = values
        *controls, lang = state_values  # in the order of URL_CONTROLS, without the tab
        address = _address(urlstate.from_controls(*controls, tab, lang), search)
        changed, first = set(ctx.triggered_prop_ids), _first_call()
        if changed == {f"{ids.TABS}.value"}:  # another panel: only the address changes
            return (*[no_update] * (len(ctx.outputs_list) - 1), address)
        state = view.parse_inputs(*state_values)
        style = first or f"{ids.METRIC}.value" in changed
        selection = first or f"{ids.SELECTION_STORE}.data" in changed
        out = cached_maps(cache, dataset, state, policy, style, selection)
        ruhr_figure, origin_figure, messages = _map_outputs(
            {ids.RUHR_MAP: out["ruhr_update"], ids.ORIGIN_MAP: out["origin_update"]}
        )
        series = None
        if first or changed - {f"{ids.METRIC}.value"}:  # the series ignores the metric
            years, title = first or bool(changed & YEAR_PROPS), selection
            series = _patch(cached_series(cache, dataset, state, years, title))
        notices = [html.Div(n) for n in out["notices"]]
        return (
            ruhr_figure,
            origin_figure,
            {"maps": messages, "series": series} if messages or series else no_update,
            out["ruhr_title"],
            out["origin_title"],
            out["selection_label"] if selection else no_update,
            state.selection is None if selection else no_update,
            out["metric_definition"] if style else no_update,
            notices,
            bool(notices),
            out["ruhr_summary"],
            out["origin_summary"],
            address,
        )

    app.clientside_callback(
        ClientsideFunction("ruhr", "draw"),
        Output(ids.SERIES, "figure"),
        Input(ids.VIEW_UPDATE, "data"),
        prevent_initial_call=True,
    )

    # Closed panels and tables get no request on a filter change: assets/gate.js forwards
    # the state only to the open ones, each through its own store.
    app.clientside_callback(
        ClientsideFunction("ruhr", "gate"),
        *[Output(ids.gate(consumer), "data") for consumer in ids.GATED],
        Input(ids.TABS, "value"),
        Input(ids.RUHR_TABLE, "is_open"),
        Input(ids.ORIGIN_TABLE, "is_open"),
        *STATE_INPUTS,
    )

    def gated(consumer: str, *extra):
        return app.callback(*extra, Input(ids.gate(consumer), "data"), prevent_initial_call=True)

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
            state = view.parse_state_list(state_values)
            return view.area_table_component(dataset, state, side, policy)

    @gated("diversity", Output(ids.LANGUAGES_CHART, "figure"),
           Output(ids.COUNTRIES_CHART, "figure"), Output(ids.COUNTRIES_MAP, "figure"))  # fmt: skip
    def update_diversity(state_values):
        state = view.parse_state_list(state_values)
        out = view.diversity_outputs(dataset, state, policy, geo["world_countries"])
        return out["languages"], out["countries"], out["countries_map"]

    @gated("remittances", Output(ids.REMITTANCE_CHART, "figure"), Output(ids.USES_CHART, "figure"))
    def update_remittances(state_values):
        out = view.remittance_outputs(dataset, view.parse_state_list(state_values), policy)
        return out["national"], out["uses"]

    @gated("needs", Output(ids.NEEDS_CHART, "figure"), Output(ids.NEEDS_TEST, "children"))
    def update_needs(state_values):
        out = view.needs_outputs(dataset, view.parse_state_list(state_values), policy)
        return out["figure"], out["test"]

    @app.callback(
        Output(ids.FLOW_MAP, "figure"),
        Output(ids.FLOW_SUMMARY, "children"),
        Input(ids.gate("flows"), "data"),
        Input(ids.FLOW_DIRECTION, "value"),
        Input(ids.FLOW_TOP_N, "value"),
        Input(ids.FLOW_MIN, "value"),
        prevent_initial_call=True,
    )
    def update_flows(state_values, direction, top_n, min_persons):
        state = view.parse_state_list(state_values)
        out = view.flow_outputs(dataset, state, (direction, top_n, min_persons), geo)
        return out["figure"], " ".join([out["summary"], *out["notices"]])
