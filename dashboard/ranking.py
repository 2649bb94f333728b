"""The ranking tab (issue 15): every area of one side with the indicators the user picks, in
an AG Grid (dash-ag-grid) that sorts, searches and exports exactly what it shows.

The table's data is a plain function (:func:`ranking_rows`); the grid gets each indicator as
a number (sorted numerically, values not shown last: assets/ranking.js) and as text in the
page language (shown and exported). Survey values come from the protected publication
through ``layers.indicators.indicator_table``: what it does not publish shows as "not
published". The side, the columns and the sort are in the explorer's state (and address);
the rank follows the indicator the grid is sorted by."""

from __future__ import annotations

import functools
import json
import math
from pathlib import Path

import dash_ag_grid as dag
import dash_bootstrap_components as dbc
from dash import Dash, Input, Output, dcc, html, no_update

from dashboard import ids, low_base, state
from dashboard.controls import radio_group
from dashboard.i18n import collated, format_number, t
from dashboard.intervals import share_cell
from dashboard.view import selection_name
from dashboard.wiring import in_browser
from layers import indicators, intervals, provenance, regions, small_bases
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import InvalidParameter, parse_indicators

SIDES = state.SIDES
DEFAULT_COLUMNS = state.DEFAULT_RANK_COLUMNS
TEXT = "__text"  # a column's formatted text: field + TEXT
LOW = "__low"  # true where a column's value is below its minimum base: field + LOW
PROVENANCE = ("synthetic_parts", "data_note")  # hidden columns, exported after the shown ones


def chosen_columns(columns, metric: str) -> tuple[str, ...]:
    """The indicator columns: the chosen ones, or (none chosen, or not in the catalogue)
    the defaults with the current metric."""
    try:
        if columns:
            return parse_indicators(list(columns))
    except InvalidParameter:
        pass
    return state.default_rank_columns(metric)


def ranked_by(sort: str, columns: tuple[str, ...]) -> str:
    """The indicator the ranks follow: the one sorted by, else the first column."""
    column = sort.lstrip("-")
    return column if column in columns else columns[0]


def _cell(value, survey: bool, decimals: int, lang: str, bounds=None) -> tuple[float | None, str]:
    """A cell's sort value and text; a share's text with its 95 % interval (``bounds``: low,
    high) in brackets. A survey value the publication withholds is NaN (as on the maps):
    None and "not published"; any other missing value (e.g. a CV without arrivals) None and
    "–"."""
    if value is None or math.isnan(value):
        return None, t("others_suppressed", lang) if survey else "–"
    if bounds is not None:
        return float(value), share_cell(value, *bounds, decimals, lang)
    return float(value), format_number(value, decimals, lang)


def _bounds(table, column: str, position: int) -> tuple[float, float] | None:
    """A share's 95 % interval in the row at ``position``; None for other indicators."""
    if not CATALOGUE[column].has_interval:
        return None
    low, high, _ = intervals.columns_of(column)
    return float(table[low].iloc[position]), float(table[high].iloc[position])


def ranking_rows(
    ds: Dataset, explorer: state.ExplorerState, side: str, columns, policy: Policy
) -> list[dict]:
    """One row per area of ``side`` (origin regions: those of the country filter) in rank
    order: code, name, rank by the sorted indicator or else the first column (highest
    first, ties share a rank, areas without a value have none and come last), whether it is
    the selected area, and per column its number (None where not shown) and its text in the
    page language (a share with its 95 % interval; a value below its minimum base marked
    ``*`` and ``<column>__low`` true)."""
    columns = chosen_columns(columns, explorer.metric)
    table = indicators.indicator_table(
        ds, explorer.filter, side, explorer.selection, columns, policy
    )
    lang, selected = explorer.lang, explorer.selection
    rows = []
    for position, code in enumerate(table.index):
        row = {
            "code": str(code),
            "name": regions.area_name(code, str(table.at[code, "name"]), lang),
        }
        row["selected"] = selected is not None and (selected.side, selected.code) == (side, code)
        for column in columns:
            indicator, value = CATALOGUE[column], float(table[column].iloc[position])
            row[column], text = _cell(value, indicator.from_microdata, indicator.decimals, lang,
                                      _bounds(table, column, position))  # fmt: skip
            flag = small_bases.flag_column(column)
            row[column + LOW] = bool(indicator.flagged and table[flag].iloc[position])
            row[column + TEXT] = low_base.marked(text, row[column + LOW])
        rows.append(row)
    first = ranked_by(explorer.rank_sort, columns)
    ranked = sorted((r for r in rows if r[first] is not None), key=lambda r: -r[first])
    for n, row in enumerate(ranked):
        same = n and ranked[n - 1][first] == row[first]
        row["rank"] = ranked[n - 1]["rank"] if same else n + 1
    unranked = collated((r for r in rows if r[first] is None), lambda r: r["name"], lang)
    for row in unranked:
        row["rank"] = None
    return ranked + unranked


def column_defs(columns: tuple[str, ...], lang: str, sort: str = "") -> list[dict]:
    """The grid's columns: rank (by the sorted indicator, else the first), name, the chosen
    indicators, sorted as ``sort`` says; then the hidden provenance columns."""
    number = {
        "type": "rightAligned",
        "comparator": {"function": "rankingCompare"},  # the function itself (assets/)
        "minWidth": 120,
        "flex": 1,
    }
    first = CATALOGUE[ranked_by(sort, columns)].text("label", lang)
    defs = [
        {**number, "field": "rank", "headerName": f"{t('rank', lang)} ({first})",
         "minWidth": 110, "valueFormatter": {"function": "rankingRank(params)"}},
        {"field": "name", "headerName": t("area", lang), "minWidth": 170, "flex": 2},
    ]  # fmt: skip
    for column in columns:
        indicator = CATALOGUE[column]
        unit = indicator.text("unit", lang)
        if indicator.has_interval:  # the cell shows it: "42,1 (38,0–46,3)"
            unit += f", {t('interval_header', lang)}"
        header = f"{indicator.text('label', lang)} ({unit})"
        defs.append({**number, "field": column, "headerName": header,
                     "valueFormatter": {"function": "rankingText(params)"},
                     "cellClassRules": {"low-base": f"params.data && params.data['{column}{LOW}']"},
                     })  # fmt: skip
    field, direction = (sort[1:], "desc") if sort.startswith("-") else (sort or "rank", "asc")
    if field not in {d["field"] for d in defs}:  # a column no longer chosen: by rank
        field, direction = "rank", "asc"
    # initialSort, not sort: applied when the grid creates the column (a page from a link),
    # so an answer that arrives after the user clicked again does not undo that click.
    next(c for c in defs if c["field"] == field)["initialSort"] = direction
    return defs + [{"field": name, "headerName": name, "hide": True} for name in PROVENANCE]


def caption(explorer: state.ExplorerState, side: str, count: int) -> str:
    lang = explorer.lang
    text = t("ruhr_map" if side == "municipality" else "origin_map", lang).split(" (")[0]
    text = f"{text}: {count} · {explorer.filter.years_text}"
    if explorer.selection is not None and explorer.selection.side != side:
        text += f" · {t('linked_from', lang)} {selection_name(explorer.selection, lang)}"
    return text


def grid_outputs(ds, explorer: state.ExplorerState, side, columns, policy: Policy) -> dict:
    """Everything the tab shows for a state, its side and its chosen columns."""
    side = side if side in SIDES else "municipality"
    chosen = chosen_columns(columns, explorer.metric)
    rows = ranking_rows(ds, explorer, side, chosen, policy)
    used = provenance.parts_of(chosen)  # each row says what its numbers rest on, as the API
    origin = {"synthetic_parts": ",".join(provenance.synthetic_parts(ds.manifest, used)),
              "data_note": provenance.note(ds.manifest, used)}  # fmt: skip
    first, last = explorer.filter_years
    # allColumns: the shown columns in their order, then the hidden provenance columns.
    export = {"fileName": f"ranking-{side}-{first}-{last}.csv", "onlySelected": False,
              "allColumns": True,
              "columnSeparator": "," if explorer.lang == "en" else ";"}  # fmt: skip
    small = any(row[c + LOW] for row in rows for c in chosen)
    return {
        "rows": [row | origin for row in rows],
        "columns": column_defs(chosen, explorer.lang, explorer.rank_sort),
        "export": export,
        "chosen": list(chosen),
        "caption": caption(explorer, side, len(rows)),
        "note": t("low_base_note", explorer.lang) if small else "",  # what "*" means
    }


GRID_LOCALES = ("de", "ro", "bg")  # vendored (dashboard/vendor/README.md); English built in


@functools.cache
def _vendored_grid_texts(lang: str) -> str:
    return (Path(__file__).parent / "vendor" / f"ag-grid-locale-{lang}.json").read_text("utf-8")


def _grid_texts(lang: str) -> dict:
    """AG Grid's own texts (no rows, sorting, screen-reader hints) in the page language:
    German, Romanian and Bulgarian vendored from its locale package, English built in.
    The file is cached as text and parsed per call: each grid gets its own dict."""
    return json.loads(_vendored_grid_texts(lang)) if lang in GRID_LOCALES else {}


def grid(lang: str) -> dag.AgGrid:
    """The grid, empty: update_grid fills it once it is on the page."""
    return dag.AgGrid(
        id=ids.RANK_GRID,
        rowData=[],
        columnDefs=[],
        defaultColDef={"sortable": True, "resizable": True, "wrapHeaderText": True,
                       "autoHeaderHeight": True},
        dashGridOptions={"quickFilterText": "", "animateRows": False,
                         "accentedSort": True,  # "Bönen" before "Bottrop" (localeCompare)
                         "suppressDragLeaveHidesColumns": True, "localeText": _grid_texts(lang)},
        getRowId="params.data.code",
        rowClassRules={"ranking-selected": "params.data.selected"},
        csvExportParams={"onlySelected": False},
        style={"height": "520px", "width": "100%"},
    )  # fmt: skip


def panel(lang: str) -> list:
    """The tab's content: side, columns, search, CSV button and the grid's slot."""
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
    note = html.P(id=ids.RANK_NOTE, className="small text-muted mt-1 mb-0")
    sort = dcc.Store(id=ids.RANK_SORT, data="")  # the grid's sort, as the address says it
    # The renderer needs window.dash_ag_grid to draw a grid: the grid is not in the layout
    # but in a store, and assets/ranking.js puts it in its slot once the library is loaded
    # (README, "Private Dash and plotly.js APIs still used"). The controls are state, in
    # the page from the start.
    slot = html.Div(id=ids.RANK_SLOT, style={"minHeight": "520px"})
    spec = dcc.Store(id=ids.RANK_SPEC, data=grid(lang).to_plotly_json())
    return [controls, search, caption_text, slot, note, spec, sort]


def register(app: Dash, dataset: Dataset, policy: Policy) -> None:
    """The grid follows the open tab's state (gated: a closed tab gets no request), with the
    tab's side, columns and sort in it; search and CSV stay in the browser
    (assets/ranking.js), and so does reading the grid's sort into the state's store."""

    def outputs(state_values) -> dict | None:
        if state_values is None:  # the tab was never open: nothing to show yet
            return None
        shown = state.ExplorerState.from_props(state_values)
        return grid_outputs(dataset, shown, shown.rank_side, shown.ranked_columns, policy)

    @app.callback(
        Output(ids.RANK_GRID, "rowData"),
        Output(ids.RANK_GRID, "columnDefs"),
        Output(ids.RANK_GRID, "csvExportParams"),
        Input(ids.gate("ranking"), "data"),
        # Also called when the grid enters the page (assets/ranking.js), as Dash calls a
        # callback whose outputs appear; not on page load, where the grid is not yet.
        prevent_initial_call=False,
    )
    def update_grid(state_values):
        out = outputs(state_values)
        return ([], [], {"onlySelected": False}) if out is None else (
            out["rows"], out["columns"], out["export"])  # fmt: skip

    @app.callback(
        Output(ids.RANK_CAPTION, "children"),
        Output(ids.RANK_NOTE, "children"),
        Output(ids.RANK_COLUMNS, "value"),  # the defaults, when none are ticked
        Input(ids.gate("ranking"), "data"),
        prevent_initial_call=True,
    )
    def update_caption(state_values):
        out = outputs(state_values)
        if out is None:
            return "", "", no_update
        ticked = state_values.get(f"{ids.RANK_COLUMNS}.value")
        return out["caption"], out["note"], out["chosen"] if not ticked else no_update

    in_browser(app, "ranking.mount", [(ids.RANK_SLOT, "children")],
               [(ids.TABS, "value")],  # also on page load: a link may open the ranking tab
               [(ids.RANK_SPEC, "data"), (ids.RANK_SLOT, "children")])  # fmt: skip
    grid = ids.RANK_GRID
    in_browser(app, "ranking.sort", [(ids.RANK_SORT, "data")], [(grid, "columnState")],
               [(ids.RANK_SORT, "data")], prevent_initial_call=True)  # fmt: skip
    in_browser(app, "ranking.search", [(grid, "dashGridOptions")], [(ids.RANK_SEARCH, "value")],
               [(grid, "dashGridOptions")], prevent_initial_call=True)  # fmt: skip
    in_browser(app, "ranking.csv", [(grid, "exportDataAsCsv")], [(ids.RANK_CSV, "n_clicks")],
               prevent_initial_call=True)  # fmt: skip
