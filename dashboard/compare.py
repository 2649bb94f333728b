"""Areas side by side: their yearly series in one chart and every catalogue indicator in one
table beside the average and the median of all areas of their side (as Wegweiser Kommune
compares a town with its peers). Values come from the same tables as the maps, so survey
values are only what the protected publication publishes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard import low_base
from dashboard.charts import _chart_layout
from dashboard.figures import NET_COLOUR
from dashboard.i18n import format_number, t
from dashboard.intervals import share_cell_parts
from dashboard.state import ExplorerState
from dashboard.view import selection_name
from layers import (
    indicators,
    intervals,
    provenance,
    queries,
    regions,
    small_bases,
    typology,
    vocab,
)
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import Selection

MEASURES = ("arrivals", "departures", "net")
# Okabe–Ito, one per compared area, and a dash style each so colour is not the only cue.
AREA_STYLES = (("#0072B2", "solid"), ("#D55E00", "dash"), ("#009E73", "dot"),
               ("#CC79A7", "dashdot"), ("#E69F00", "longdash"))  # fmt: skip


def _per_1000(series: pd.DataFrame, measure: str, population: float) -> list[float]:
    return (series[measure] / population * 1000).round(2).tolist()


def _population(ds: Dataset, side: str) -> pd.Series:
    table = ds.origin_regions if side == "origin" else ds.municipalities
    return table["population"].astype(float)


def compare_figure(ds: Dataset, state: ExplorerState, measure: str, per_1000: bool) -> go.Figure:
    """One line per compared area (and the side's total as reference), per year."""
    measure = measure if measure in MEASURES else "arrivals"
    side = state.selection.side if state.selection else "municipality"
    population = _population(ds, side)
    figure = go.Figure()
    for area, (colour, dash) in zip(state.areas, AREA_STYLES, strict=False):
        series = queries.yearly_series(ds, state.filter, area)
        y = _per_1000(series, measure, population[area.code]) if per_1000 else series[measure]
        figure.add_scatter(x=series["year"], y=list(y), name=selection_name(area, state.lang),
                           mode="lines+markers", line={"color": colour, "dash": dash})  # fmt: skip
    if per_1000:  # the whole side as reference: its total per 1,000 of its population
        everyone = queries.yearly_series(ds, state.filter, None)
        figure.add_scatter(x=everyone["year"], y=_per_1000(everyone, measure, population.sum()),
                           name=t("whole_ruhr", state.lang) if side == "municipality"
                           else t("origin_group", state.lang),
                           mode="lines", line={"color": NET_COLOUR, "width": 3})  # fmt: skip
    label = t(measure, state.lang)
    unit = t("compare_per_1000" if per_1000 else "compare_absolute", state.lang)
    _chart_layout(figure, t("compare_chart", state.lang).format(measure=f"{label} ({unit})"),
                  state.lang)  # fmt: skip
    return figure


def compare_tables(
    ds: Dataset, state: ExplorerState, policy: Policy
) -> tuple[pd.DataFrame, dict[str, pd.DataFrame]]:
    """``compare_table``, and for its survey shares each compared area's 95 % interval and
    base n: frames ``low``, ``high`` (per cent) and ``n`` (persons), a row per share and a
    column per area (NaN where withheld); ``low_base``: for each indicator with a minimum
    base whether a compared area's value is below it."""
    side = state.selection.side if state.selection else "municipality"
    ids = tuple(CATALOGUE)
    table = indicators.indicator_table(ds, state.filter, side, None, ids, policy)
    chosen = [a.code for a in state.areas]
    names = [selection_name(a, state.lang) for a in state.areas]
    # an area the country filter leaves out (a Bulgarian oblast with Romania chosen) has
    # no row: an empty column, not an error
    shown = table.reindex(chosen)
    # to float before turning: a nullable column (the typology's Int64 with <NA> where no
    # type applies) would make the turned table object-typed, which astype cannot convert
    out = shown[list(ids)].astype(float).T
    out.columns = names
    values = table[list(ids)].astype(float)
    out["mean"] = values.mean(skipna=True)
    out["median"] = values.median(skipna=True)
    categorical = [i for i in ids if CATALOGUE[i].categorical]  # a type has no average
    out.loc[categorical, ["mean", "median"]] = np.nan
    shares = [i for i in ids if CATALOGUE[i].has_interval]
    bounds = {}
    for key, suffix in zip(("low", "high", "n"), intervals.SUFFIXES, strict=True):
        part = shown[[i + suffix for i in shares]].astype(float).T
        part.index, part.columns = shares, names
        bounds[key] = part
    flagged = [i for i in ids if CATALOGUE[i].flagged]
    flags = shown[[small_bases.flag_column(i) for i in flagged]]
    small = flags.astype("boolean").fillna(False).astype(bool).T
    small.index, small.columns = flagged, names
    bounds["low_base"] = small
    return out, bounds


def _cell(parts: str | list, column: str, small: bool = False) -> html.Td:
    """A value (text, or text and elements) with its column's name, shown only where the
    table is stacked (a phone, assets/app.css): there each value must still say whose it
    is; ``small``: below its minimum base (grey italics and "*")."""
    parts = [parts] if isinstance(parts, str) else parts
    mark = [f" {low_base.MARK}"] if small else []
    return html.Td([html.Span(column, className="cell-label"), html.Span([*parts, *mark])],
                   className="text-end low-base" if small else "text-end")  # fmt: skip


def _any_small(bounds: dict | None) -> bool:
    small = (bounds or {}).get("low_base")
    return small is not None and bool(small.to_numpy().any())


def _small(bounds: dict | None, indicator: str, column: str) -> bool:
    """Whether a compared area's value of ``indicator`` is below its minimum base."""
    small = (bounds or {}).get("low_base")
    if small is None or indicator not in small.index or column not in small.columns:
        return False
    return bool(small.at[indicator, column])


def compare_table(ds: Dataset, state: ExplorerState, policy: Policy) -> pd.DataFrame:
    """Every catalogue indicator (rows) for the compared areas, their side's average and
    median (columns), as numbers; survey values not published stay empty."""
    return compare_tables(ds, state, policy)[0]


def table_component(
    frame: pd.DataFrame, state: ExplorerState, bounds: dict[str, pd.DataFrame] | None = None
) -> html.Table:
    """The comparison table; with ``bounds`` (``compare_tables``) a compared area's share
    shows its 95 % interval in brackets (the average and median have none)."""
    lang = state.lang
    side = state.selection.side if state.selection else "municipality"
    ruhr = side == "municipality"
    names = {"mean": t("ruhr_average" if ruhr else "region_average", lang),
             "median": t("ruhr_median" if ruhr else "region_median", lang)}  # fmt: skip
    header = [t("indicator", lang), *(names.get(c, c) for c in frame.columns)]
    low = bounds["low"] if bounds else pd.DataFrame()

    def cell(indicator: str, column: str, value: float) -> list:
        if np.isnan(value):
            return ["–"]
        decimals = CATALOGUE[indicator].decimals
        if indicator in low.index and column in low.columns:
            high = bounds["high"].at[indicator, column]
            return share_cell_parts(value, low.at[indicator, column], high, decimals, lang)
        return [format_number(value, decimals, lang)]

    rows = [
        html.Tr([html.Th(f"{CATALOGUE[i].text('label', lang)} ({CATALOGUE[i].text('unit', lang)})",
                         scope="row"),
                 *(_cell(cell(i, c, v), name, _small(bounds, i, c))
                   for (c, v), name in zip(frame.loc[i].items(), header[1:], strict=True))])
        for i in frame.index
    ]  # fmt: skip
    # what the printed heading says already: on paper only the notes
    caption = [html.Span(f"{t('compare_table', lang)}: {_filters_text(state)}",
                         className="no-print")]  # fmt: skip
    if bounds:
        caption += [html.Br(), html.Span(t("interval_table_note", lang)),  # ≥ 8 pt in print too
                    html.Span(t("interval_paper_note", lang), className="ci-paper")]  # fmt: skip
    if _any_small(bounds):  # what "*" means
        caption += [html.Br(), html.Span(t("low_base_note", lang))]
    return html.Table(
        [html.Caption(caption),
         html.Thead(html.Tr([html.Th(h, scope="col") for h in header])), html.Tbody(rows)],
        className="table table-sm table-striped small compare-table",
    )  # fmt: skip


def shares_table(ds: Dataset, state: ExplorerState, top: int = 10) -> pd.DataFrame:
    """Where the compared areas' arrivals come from (or, for origin regions, go to)
    together: the ``top`` areas of the other side by their sum, and each compared area's
    share of it in per cent."""
    side = state.selection.side
    other = "origin" if side == "municipality" else "municipality"
    codes = queries.ORIGIN_CODES if other == "origin" else queries.MUNICIPALITY_CODES
    persons = {selection_name(a, state.lang): np.nan_to_num(queries.area_values(
        ds, state.filter, other, "arrivals", a)) for a in state.areas}  # fmt: skip
    total = sum(persons.values())
    order = [i for i in np.argsort(-total, kind="stable")[:top] if total[i] > 0]
    names = ds.origin_regions["name"] if other == "origin" else ds.municipalities["name"]
    frame = pd.DataFrame({"name": [regions.area_name(codes[i], names[codes[i]], state.lang)
                                   for i in order],
                          "persons": [int(total[i]) for i in order]})  # fmt: skip
    for area, values in persons.items():
        frame[area] = [round(100 * values[i] / total[i], 1) for i in order]
    return frame


def shares_component(frame: pd.DataFrame, state: ExplorerState) -> html.Table:
    lang = state.lang
    key = "shares_origin" if state.selection.side == "municipality" else "shares_destination"
    header = [t("area", lang), t("persons", lang), *frame.columns[2:]]
    rows = [html.Tr([html.Th(r["name"], scope="row"),
                     _cell(format_number(r["persons"], 0, lang), header[1]),
                     *(_cell(f"{format_number(r[c], 1, lang)} %", c) for c in frame.columns[2:])])
            for _, r in frame.iterrows()]  # fmt: skip
    return html.Table(
        [html.Caption(t(key, lang)), html.Thead(html.Tr([html.Th(h, scope="col") for h in header])),
         html.Tbody(rows)],
        className="table table-sm table-striped small compare-shares",
    )  # fmt: skip


def similar_areas(ds: Dataset, state: ExplorerState) -> list[Selection]:
    """For one selected municipality, the ones most alike on the typology's indicators."""
    if state.selection is None or state.selection.side != "municipality":
        return []
    nearest = typology.similar(ds, state.filter, state.selection.code, queries.MAX_COMPARED - 1)
    return [Selection("municipality", code) for code, _ in nearest]


def similar_text(areas: list[Selection], state: ExplorerState) -> str:
    if not areas:
        return ""
    names = ", ".join(selection_name(a, state.lang) for a in areas)
    return t("similar_areas", state.lang).format(area=selection_name(state.selection, state.lang),
                                                  names=names)  # fmt: skip


def print_heading(state: ExplorerState) -> html.H2:
    """What a printed comparison is, on paper only (on screen the tab and filters say it)."""
    areas = " + ".join(selection_name(a, state.lang) for a in state.areas)
    text = f"{t('tab_compare', state.lang)}: {areas} · {_filters_text(state)}"
    return html.H2(text, className="print-only compare-print-heading")


def _filters_text(state: ExplorerState) -> str:
    """Years, migration types and country of the comparison, for the caption and paper."""
    lang, f = state.lang, state.filter
    types = ", ".join(vocab.MIGRATION_TYPE_LABELS[x][lang] for x in f.types) or "–"
    country = t("both", lang) if state.country == "both" else t(state.country, lang)
    return f"{f.years_text} · {types} · {country}"


def csv_text(ds: Dataset, state: ExplorerState, policy: Policy) -> str:
    """The comparison table as CSV: indicator id, label, unit, one column per area followed
    by its ``_ci_low``, ``_ci_high`` and ``_n`` (a share's 95 % interval and base n, empty for
    other indicators) and ``_low_base`` (below the minimum base; empty for an indicator
    without one), the average and median, and the origin of each indicator's data."""
    frame, bounds = compare_tables(ds, state, policy)
    lang = state.lang
    out = pd.DataFrame({
        "indicator": frame.index,
        "label": [CATALOGUE[i].text("label", lang) for i in frame.index],
        "unit": [CATALOGUE[i].text("unit", lang) for i in frame.index],
    })  # fmt: skip
    for column in frame.columns:
        out[column] = frame[column].round(4).to_numpy()
        if column in bounds["low"].columns:
            for key, suffix in zip(("low", "high", "n"), intervals.SUFFIXES, strict=True):
                out[column + suffix] = bounds[key][column].reindex(frame.index).round(4).to_numpy()
            small = bounds["low_base"][column].reindex(frame.index)  # empty: no minimum base
            out[column + small_bases.SUFFIX] = small.astype(object).where(small.notna()).to_numpy()
    out["synthetic_parts"] = [
        ",".join(provenance.synthetic_parts(ds.manifest, provenance.parts_of([i])))
        for i in frame.index
    ]
    out["years"] = state.filter.describe()["years"]
    out["migration_types"] = ",".join(state.filter.types)
    return out.to_csv(index=False, lineterminator="\n")
