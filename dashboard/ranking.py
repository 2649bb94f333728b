"""The ranking tab (issue 15): every area of one side with the indicators the user picks, in
an AG Grid (dash-ag-grid) that sorts, searches and exports exactly what it shows.

The table's data is a plain function (:func:`ranking_rows`); the grid gets each indicator as
a number (sorted numerically, values not shown last: assets/ranking.js) and as text in the
page language (shown and exported). Survey values come from the protected publication
through ``layers.indicators.indicator_table``: what it does not publish shows as "not
published". The side and the columns are the tab's own controls, not in the address."""

from __future__ import annotations

import math

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import ClientsideFunction, Dash, Input, Output, State, dcc, html, no_update

from dashboard import ids, state
from dashboard.controls import radio_group
from dashboard.i18n import format_number, t
from dashboard.view import selection_name
from layers import indicators
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import InvalidParameter, parse_indicators

SIDES = ("municipality", "origin")
DEFAULT_COLUMNS = ("arrivals", "arrivals_per_1000", "net", "net_per_1000")
TEXT = "__text"  # a column's formatted text: field + TEXT


def chosen_columns(columns, metric: str) -> tuple[str, ...]:
    """The indicator columns: the chosen ones, or (none chosen, or not in the catalogue)
    the defaults with the current metric."""
    try:
        if columns:
            return parse_indicators(list(columns))
    except InvalidParameter:
        pass
    return tuple(dict.fromkeys((*DEFAULT_COLUMNS, metric)))


def _cell(value, survey: bool, decimals: int, lang: str) -> tuple[float | None, str]:
    """A cell's sort value and text. A survey value the publication withholds is NaN (as on
    the maps): None and "not published"; any other missing value (e.g. a CV without
    arrivals) None and "–"."""
    if value is None or math.isnan(value):
        return None, t("others_suppressed", lang) if survey else "–"
    return float(value), format_number(value, decimals, lang)


def ranking_rows(
    ds: Dataset, explorer: state.ExplorerState, side: str, columns, policy: Policy
) -> list[dict]:
    """One row per area of ``side`` (origin regions: those of the country filter) in rank
    order: code, name, rank by the first column (highest first, ties share a rank, areas
    without a value have none and come last), whether it is the selected area, and per
    column its number (None where not shown) and its text in the page language."""
    columns = chosen_columns(columns, explorer.metric)
    table = indicators.indicator_table(
        ds, explorer.filter, side, explorer.selection, columns, policy
    )
    lang, selected = explorer.lang, explorer.selection
    rows = []
    for position, code in enumerate(table.index):
        row = {"code": str(code), "name": str(table.at[code, "name"])}
        row["selected"] = selected is not None and (selected.side, selected.code) == (side, code)
        for column in columns:
            indicator, value = CATALOGUE[column], float(table[column].iloc[position])
            row[column], row[column + TEXT] = _cell(value, indicator.from_microdata,
                                                    indicator.decimals, lang)  # fmt: skip
        rows.append(row)
    first = columns[0]
    ranked = sorted((r for r in rows if r[first] is not None), key=lambda r: -r[first])
    for n, row in enumerate(ranked):
        same = n and ranked[n - 1][first] == row[first]
        row["rank"] = ranked[n - 1]["rank"] if same else n + 1
    unranked = sorted((r for r in rows if r[first] is None), key=lambda r: r["name"])
    for row in unranked:
        row["rank"] = None
    return ranked + unranked


def column_defs(columns: tuple[str, ...], lang: str) -> list[dict]:
    """The grid's columns: rank (by the first indicator), name, the chosen indicators."""
    number = {
        "type": "rightAligned",
        "comparator": {"function": "rankingCompare"},  # the function itself (assets/)
        "minWidth": 120,
        "flex": 1,
    }
    first = CATALOGUE[columns[0]].text("label", lang)
    defs = [
        {**number, "field": "rank", "headerName": f"{t('rank', lang)} ({first})",
         "sort": "asc", "minWidth": 110, "valueFormatter": {"function": "rankingRank(params)"}},
        {"field": "name", "headerName": t("area", lang), "minWidth": 170, "flex": 2},
    ]  # fmt: skip
    for column in columns:
        indicator = CATALOGUE[column]
        header = f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})"
        defs.append({**number, "field": column, "headerName": header,
                     "valueFormatter": {"function": "rankingText(params)"}})  # fmt: skip
    return defs


def caption(explorer: state.ExplorerState, side: str, count: int) -> str:
    lang = explorer.lang
    text = t("ruhr_map" if side == "municipality" else "origin_map", lang).split(" (")[0]
    text = f"{text}: {count} · {explorer.filter.describe()['years']}"
    if explorer.selection is not None and explorer.selection.side != side:
        text += f" · {t('linked_from', lang)} {selection_name(explorer.selection)}"
    return text


def grid_outputs(ds, explorer: state.ExplorerState, side, columns, policy: Policy) -> dict:
    """Everything the tab shows for a state, its side and its chosen columns."""
    side = side if side in SIDES else "municipality"
    chosen = chosen_columns(columns, explorer.metric)
    rows = ranking_rows(ds, explorer, side, chosen, policy)
    first, last = explorer.filter_years
    export = {"fileName": f"ranking-{side}-{first}-{last}.csv", "onlySelected": False,
              "columnSeparator": ";" if explorer.lang == "de" else ","}  # fmt: skip
    return {
        "rows": rows,
        "columns": column_defs(chosen, explorer.lang),
        "export": export,
        "chosen": list(chosen),
        "caption": caption(explorer, side, len(rows)),
    }


def grid() -> dag.AgGrid:
    """The grid, empty: update_ranking fills it once it is on the page."""
    return dag.AgGrid(
        id=ids.RANK_GRID,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True,
                       "autoHeaderHeight": True},
        dashGridOptions={"quickFilterText": "", "animateRows": False,
                         "accentedSort": True, "suppressDragLeaveHidesColumns": True},
        getRowId="params.data.code",
        rowClassRules={"ranking-selected": "params.data.selected"},
        csvExportParams={"onlySelected": False},
        style={"height": "520px", "width": "100%"},
    )  # fmt: skip


def panel(lang: str) -> list:
    """The tab's place and, in a store, its content: side, columns, search, CSV button and
    the grid. The renderer needs ``window.dash_ag_grid`` to draw a grid, so the content is
    not in the layout: assets/ranking.js loads the library when the tab first opens, then
    puts the content into its place. Controls and grid enter together, so update_ranking
    never runs with only some of its outputs on the page (README, "Private Dash and
    plotly.js APIs still used")."""
    options = [{"label": i.text("label", lang), "value": key} for key, i in CATALOGUE.items()]
    controls = dbc.Row([
        dbc.Col(radio_group(t("ranking_side", lang), ids.RANK_SIDE, "municipality", {
            "municipality": t("ruhr_map", lang), "origin": t("origin_map", lang)}), lg=4),
        dbc.Col(html.Fieldset([
            # A checklist, not dcc.Dropdown: its hidden focus target fails axe (aria-hidden).
            html.Legend(t("ranking_columns", lang), className="form-label fs-6"),
            html.Div(dbc.Checklist(id=ids.RANK_COLUMNS, options=options, value=[]),
                     className="checklist-scroll"),
        ]), lg=8),
    ], className="mb-2")  # fmt: skip
    search = html.Div([
        html.Label(t("ranking_search", lang), htmlFor=ids.RANK_SEARCH,
                   className="visually-hidden"),
        dbc.Input(id=ids.RANK_SEARCH, type="search", placeholder=t("ranking_search", lang),
                  size="sm", className="me-2", debounce=False),
        dbc.Button("CSV", id=ids.RANK_CSV, size="sm", color="primary", outline=True,
                   title=t("ranking_csv", lang)),
    ], className="d-flex mb-2")  # fmt: skip
    caption_text = html.P(id=ids.RANK_CAPTION, className="small text-muted mb-1")
    content = html.Div([controls, search, caption_text, grid()], id=ids.RANK_CONTENT)
    return [
        html.Div(id=ids.RANK_SLOT, style={"minHeight": "520px"}),
        dcc.Store(id=ids.RANK_SPEC, data=content.to_plotly_json()),
    ]


def register(app: Dash, dataset: Dataset, policy: Policy) -> None:
    """The grid follows the open tab's state (gated: a closed tab gets no request), its side
    and its columns; search and CSV stay in the browser (assets/ranking.js)."""

    @app.callback(
        Output(ids.RANK_GRID, "rowData"),
        Output(ids.RANK_GRID, "columnDefs"),
        Output(ids.RANK_GRID, "csvExportParams"),
        Output(ids.RANK_CAPTION, "children"),
        Output(ids.RANK_COLUMNS, "value"),  # the defaults, once (none chosen)
        Input(ids.gate("ranking"), "data"),
        Input(ids.RANK_SIDE, "value"),
        Input(ids.RANK_COLUMNS, "value"),
        # Called when the tab's content enters the page (assets/ranking.js), as Dash calls
        # a callback whose outputs appear; not on page load, where they are not yet.
        prevent_initial_call=False,
    )
    def update_ranking(state_values, side, columns):
        if state_values is None:  # the tab was never open: nothing to show yet
            return [], [], {"onlySelected": False}, "", no_update
        shown = state.ExplorerState.from_props(state_values)
        out = grid_outputs(dataset, shown, side, columns, policy)
        chosen = out["chosen"] if not columns else no_update
        return out["rows"], out["columns"], out["export"], out["caption"], chosen

    app.clientside_callback(
        ClientsideFunction("ranking", "mount"),
        Output(ids.RANK_SLOT, "children"),
        Input(ids.TABS, "value"),  # also on page load: a link may open the ranking tab
        State(ids.RANK_SPEC, "data"),
        State(ids.RANK_SLOT, "children"),
    )
    app.clientside_callback(
        ClientsideFunction("ranking", "search"),
        Output(ids.RANK_GRID, "dashGridOptions"),
        Input(ids.RANK_SEARCH, "value"),
        State(ids.RANK_GRID, "dashGridOptions"),
        prevent_initial_call=True,
    )
    app.clientside_callback(
        ClientsideFunction("ranking", "csv"),
        Output(ids.RANK_GRID, "exportDataAsCsv"),
        Input(ids.RANK_CSV, "n_clicks"),
        prevent_initial_call=True,
    )
