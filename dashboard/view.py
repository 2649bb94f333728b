"""Plain functions behind the callbacks: parse raw component values, compute what to show.

Nothing here needs a browser or a running app, so it is tested directly."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from dashboard import figures
from dashboard.i18n import normalise_language, t
from layers import queries, regions, vocab
from layers.dataset import Dataset
from layers.metrics import METRICS
from layers.queries import FlowFilter, InvalidParameter, Selection

DEFAULT_METRIC = "arrivals"
MUNICIPALITY_NAMES = {m.ags: m.name for m in regions.MUNICIPALITIES}
ORIGIN_NAMES = {r.nuts3: r.name for r in regions.ORIGIN_REGIONS}


@dataclass(frozen=True)
class ViewState:
    filter: FlowFilter
    metric: str = DEFAULT_METRIC
    selection: Selection | None = None
    lang: str = "de"
    notices: tuple[str, ...] = field(default=())


def parse_inputs(year_mode, year, year_range, types, country, metric, selection, lang) -> ViewState:
    """Turn raw component values into a ViewState. A bad value falls back to its default and
    leaves a notice; it never raises (the values may come from a hand-crafted request)."""
    lang = normalise_language(lang)
    notices: list[str] = []

    def attempt(parse, raw, default):
        try:
            return parse(raw)
        except InvalidParameter as exc:
            notices.append(str(exc))
            return default

    if year_mode not in ("single", "range"):
        notices.append(str(InvalidParameter("year_mode", year_mode, "single, range")))
    years_raw = year if year_mode == "single" else year_range
    year_from, year_to = attempt(queries.parse_years, years_raw, (vocab.YEARS[0], vocab.YEARS[-1]))
    if isinstance(types, list) and not types:
        chosen_types: tuple[str, ...] = ()  # a user cleared every box: show nothing, say why
        notices.append(t("no_types", lang))
    else:
        chosen_types = attempt(queries.parse_types, types, vocab.MIGRATION_TYPES)
    countries = attempt(queries.parse_countries, country, queries.COUNTRY_CHOICES)
    return ViewState(
        filter=FlowFilter(year_from, year_to, chosen_types, countries),
        metric=attempt(queries.parse_metric, metric, DEFAULT_METRIC),
        selection=attempt(queries.parse_selection, selection, None),
        lang=lang,
        notices=tuple(notices),
    )


def _map_values(ds: Dataset, state: ViewState, side: str) -> list[float | None]:
    codes = queries.ORIGIN_CODES if side == "origin" else queries.MUNICIPALITY_CODES
    series = queries.area_table(ds, state.filter, side, state.selection)[state.metric]
    values = series.reindex(list(codes))
    # None (not NaN) so the JSON stays valid; those areas show the grey base layer.
    return [None if math.isnan(v) else float(v) for v in values.astype(float)]


def selection_name(selection: Selection | None) -> str | None:
    if selection is None:
        return None
    names = ORIGIN_NAMES if selection.side == "origin" else MUNICIPALITY_NAMES
    return names[selection.code]


def map_title(side: str, state: ViewState) -> str:
    lang = state.lang
    title = t("origin_map" if side == "origin" else "ruhr_map", lang)
    metric = METRICS[state.metric].text("label", lang)
    years = state.filter.describe()["years"]
    text = f"{title} · {metric} · {years}"
    if state.selection is not None and state.selection.side != side:
        text += f" · {t('linked_from', lang)} {selection_name(state.selection)}"
    return text


def view_outputs(ds: Dataset, state: ViewState) -> dict:
    """Everything the page shows for a state: map updates, chart, labels."""
    highlight = {"municipality": [], "origin": []}
    if state.selection is not None:
        highlight[state.selection.side] = [state.selection.code]
    name = selection_name(state.selection)
    series = queries.yearly_series(ds, state.filter, state.selection)
    series_title = f"{t('series', state.lang)}: {name or t('whole_ruhr', state.lang)}"
    return {
        "ruhr_update": figures.map_update(
            _map_values(ds, state, "municipality"), state.metric, state.lang,
            highlight["municipality"],
        ),
        "origin_update": figures.map_update(
            _map_values(ds, state, "origin"), state.metric, state.lang, highlight["origin"]
        ),
        "series": figures.series_figure(
            series, state.filter.year_from, state.filter.year_to, series_title, state.lang
        ),
        "ruhr_title": map_title("municipality", state),
        "origin_title": map_title("origin", state),
        "selection_label": name or t("selection_none", state.lang),
        "metric_definition": (
            f"{METRICS[state.metric].text('definition', state.lang)} "
            f"({METRICS[state.metric].text('unit', state.lang)})"
        ),
        "notices": list(state.notices),
    }  # fmt: skip


def next_selection(trigger: str | None, click_data, current, side_of_trigger: str | None):
    """The selection after a click: a new area selects it, the selected area again clears it,
    the clear button clears. Malformed click data leaves the selection unchanged."""
    if trigger is None:
        return current
    if side_of_trigger is None:  # the clear button
        return None
    try:
        code = click_data["points"][0]["location"]
    except (KeyError, IndexError, TypeError):
        return current
    candidate = {"side": side_of_trigger, "code": code}
    try:
        queries.parse_selection(candidate)
    except InvalidParameter:
        return current
    return None if candidate == current else candidate
