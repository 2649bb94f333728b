"""Thin callbacks: read component values, call ``dashboard.view``, write the results."""

from __future__ import annotations

from dash import Dash, Input, Output, Patch, State, ctx, html

from dashboard import ids, view
from layers.dataset import Dataset


def _patch(updates: dict) -> Patch:
    patch = Patch()
    for path, value in updates.items():
        target = patch
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return patch


def register(app: Dash, dataset: Dataset) -> None:
    @app.callback(
        Output(ids.YEAR_SINGLE_WRAPPER, "style"),
        Output(ids.YEAR_RANGE_WRAPPER, "style"),
        Input(ids.YEAR_MODE, "value"),
    )
    def toggle_year_mode(mode):
        hidden, shown = {"display": "none"}, {"display": "block"}
        return (shown, hidden) if mode == "single" else (hidden, shown)

    @app.callback(
        Output(ids.SELECTION_STORE, "data"),
        Input(ids.RUHR_MAP, "clickData"),
        Input(ids.ORIGIN_MAP, "clickData"),
        Input(ids.SELECTION_CLEAR, "n_clicks"),
        State(ids.SELECTION_STORE, "data"),
        prevent_initial_call=True,
    )
    def select_area(ruhr_click, origin_click, _clear, current):
        side = {ids.RUHR_MAP: "municipality", ids.ORIGIN_MAP: "origin"}.get(ctx.triggered_id)
        click = ruhr_click if side == "municipality" else origin_click
        return view.next_selection(ctx.triggered_id, click, current, side)

    @app.callback(
        Output(ids.RUHR_MAP, "figure"),
        Output(ids.ORIGIN_MAP, "figure"),
        Output(ids.SERIES, "figure"),
        Output(ids.RUHR_MAP_TITLE, "children"),
        Output(ids.ORIGIN_MAP_TITLE, "children"),
        Output(ids.SELECTION_LABEL, "children"),
        Output(ids.SELECTION_CLEAR, "disabled"),
        Output(ids.METRIC_DEFINITION, "children"),
        Output(ids.INPUT_NOTICE, "children"),
        Output(ids.INPUT_NOTICE, "is_open"),
        Input(ids.YEAR_MODE, "value"),
        Input(ids.YEAR_SINGLE, "value"),
        Input(ids.YEAR_RANGE, "value"),
        Input(ids.TYPES, "value"),
        Input(ids.COUNTRY, "value"),
        Input(ids.METRIC, "value"),
        Input(ids.SELECTION_STORE, "data"),
        State(ids.LANG_STORE, "data"),
    )
    def update_view(mode, year, year_range, types, country, metric, selection, lang):
        state = view.parse_inputs(mode, year, year_range, types, country, metric, selection, lang)
        out = view.view_outputs(dataset, state)
        notices = [html.Div(n) for n in out["notices"]]
        return (
            _patch(out["ruhr_update"]),
            _patch(out["origin_update"]),
            out["series"],
            out["ruhr_title"],
            out["origin_title"],
            out["selection_label"],
            state.selection is None,
            out["metric_definition"],
            notices,
            bool(notices),
        )
