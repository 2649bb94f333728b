"""The explorer's state, declared once.

:class:`ExplorerState` names every field and its default; :data:`CONTROLS` says which
component property shows each field and how a raw value from it is parsed. The rest is
derived from these two: the callbacks' inputs and outputs (:func:`inputs`, :func:`outputs`),
the parsing of raw component values with defaults and notices (:meth:`ExplorerState.from_props`),
the values the controls get (:meth:`ExplorerState.props`), the address (dashboard/address.py:
with the filter parameters of layers/params.py that the curated views,
downloads and the API share), and what the browser forwards to open panels (assets/gate.js
sends the callback's values keyed ``"component.property"``, which :meth:`from_props` reads).
Nothing is matched by position. Adding a field: README, "Architecture"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from dash import Input, Output, State

from dashboard import ids
from dashboard.i18n import normalise_language, t
from layers import classify, params, queries, scenario, vocab
from layers.catalogue import CATALOGUE
from layers.queries import FlowFilter, InvalidParameter, Selection

TABS = ("series", "compare", "ranking", "scatter", "diversity", "remittances", "needs",
        "flows", "stocks", "services", "scenario")  # fmt: skip


@dataclass(frozen=True)
class ExplorerState:
    year_mode: str = "range"  # "single": one year (``year``), "range": ``years``
    year: int = vocab.YEARS[-1]
    years: tuple[int, int] = params.ALL_YEARS
    types: tuple[str, ...] = vocab.MIGRATION_TYPES
    country: str = "both"
    metric: str = "arrivals_per_1000"  # a rate: counts are drawn as circles (issue 16.4)
    selection: Selection | None = None
    compare: tuple[Selection, ...] = ()  # further areas of the selection's side, side by side
    tab: str = "series"
    # The panels' own choices: in the address, not in what the maps depend on.
    compare_measure: str = "arrivals"
    compare_scale: str = "per_1000"
    rank_side: str = "municipality"
    rank_columns: tuple[str, ...] = ()  # (): DEFAULT_RANK_COLUMNS with the metric
    rank_sort: str = ""  # "": by rank; "net" ascending, "-net" descending (as JSON:API)
    scatter_x: str = "arrivals_per_1000"
    scatter_y: str = "arrivals_cv"
    scatter_side: str = "municipality"
    scenario_share: int = scenario.DEFAULT_SHARE  # % of remittances channelled (3 × 1 tab)
    # The maps' own choices: in the address, and the maps depend on them.
    map_scheme: str = classify.DEFAULT_SCHEME
    map_classes: int = classify.DEFAULT_CLASSES
    labels: str = "on"  # place names on both maps: "on" | "off"
    lang: str = "de"
    notices: tuple[str, ...] = field(default=(), compare=False)  # what fell back, and why

    @property
    def filter_years(self) -> tuple[int, int]:
        return (self.year, self.year) if self.year_mode == "single" else self.years

    @property
    def filter(self) -> FlowFilter:
        first, last = self.filter_years
        return FlowFilter(first, last, self.types, queries.parse_countries(self.country))

    @classmethod
    def of_filter(cls, f: FlowFilter, **fields) -> ExplorerState:
        """The state that shows filter ``f`` (a curated view's, for one)."""
        country = f.countries[0] if len(f.countries) == 1 else "both"
        single = "single" if f.year_from == f.year_to else "range"
        return cls(year_mode=single, year=f.year_from, years=(f.year_from, f.year_to),
                   types=f.types, country=country, **fields)  # fmt: skip

    def as_controls_see_it(self) -> ExplorerState:
        """This state as the callbacks parse it from the controls (the page's first view
        must equal the callbacks' answer, and share their cache entries)."""
        return ExplorerState.from_props({**self.props(), LANG.key: self.lang})

    @property
    def areas(self) -> tuple[Selection, ...]:
        """The selected area and those compared with it, in the order chosen."""
        return (self.selection, *self.compare) if self.selection else ()

    @property
    def linked(self) -> Selection | queries.Areas | None:
        """What narrows the other map and the series: one area, or several added up."""
        if not self.compare:
            return self.selection
        return queries.Areas(self.selection.side, tuple(a.code for a in self.areas))

    @property
    def ranked_columns(self) -> tuple[str, ...]:
        """The ranking's indicator columns: the chosen ones, or the defaults."""
        return self.rank_columns or default_rank_columns(self.metric)

    @property
    def view_key(self) -> tuple:
        """What the maps and charts depend on (not the tab): the result cache's key."""
        return (self.filter, self.metric, self.areas, self.lang, self.notices,
                self.map_scheme, self.map_classes, self.labels)  # fmt: skip

    def props(self) -> dict[str, Any]:
        """The controls' values for this state, keyed ``"component.property"``."""
        return {c.key: c.to_prop(getattr(self, c.field)) for c in CONTROLS}

    def fields(self) -> dict[str, Any]:
        """The controls' values keyed by field (the outputs of :func:`outputs`)."""
        return {c.field: c.to_prop(getattr(self, c.field)) for c in CONTROLS}

    @classmethod
    def from_props(cls, values: Mapping[str, Any]) -> ExplorerState:
        """The state raw component values give (e.g. from a hand-crafted request). A bad
        value falls back to its default and leaves a notice; this never raises."""
        # A store without data may be left out by the browser (undefined): such a control
        # is at its default; a mapping that names no control at all is not the state.
        if not isinstance(values, Mapping) or not any(c.key in values for c in CONTROLS):
            allowed = "the values of " + ", ".join(c.key for c in CONTROLS)
            return cls(notices=(str(InvalidParameter("state", "…", allowed)),))
        lang = normalise_language(values.get(LANG.key))
        found, notices = {"lang": lang}, []
        single = values.get(f"{ids.YEAR_MODE}.value") == "single"
        for control in (c for c in CONTROLS if c.key in values):
            try:
                found[control.field] = control.parse(values[control.key])
            except InvalidParameter as exc:
                unused_year = control.field == ("years" if single else "year")
                if control.notice and not unused_year:
                    notices.append(str(exc))
        if found.get("types") == ():  # every box cleared: show nothing and say why
            notices.append(t("no_types", lang))
        found["compare"] = peers_of(found.get("selection"), found.get("compare", ()))
        if found.get("rank_columns") == default_rank_columns(found.get("metric", cls.metric)):
            found["rank_columns"] = ()  # the defaults, as the ranking shows them at first
        return cls(**found, notices=tuple(notices))


@dataclass(frozen=True)
class Control:
    field: str  # the ExplorerState attribute
    component: str
    prop: str
    parse: Callable[[Any], Any]  # raw value -> field value; raises InvalidParameter
    to_prop: Callable[[Any], Any] = lambda value: value
    notice: bool = True  # say so when a bad value falls back
    param: str | None = None  # a panel's choice: its own parameter in the address
    from_text: Callable[[str], Any] = lambda text: text  # the parameter's text -> raw value

    @property
    def key(self) -> str:
        return f"{self.component}.{self.prop}"


def choice(name: str, allowed: tuple[str, ...]):
    def parse(value):
        if value in allowed:
            return value
        raise InvalidParameter(name, value, ", ".join(allowed))

    return parse


def _year(value) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return queries.parse_years(value)[0]
    raise InvalidParameter("year", value, queries.YEARS_ALLOWED)


def _types(value) -> tuple[str, ...]:
    return () if isinstance(value, list) and not value else queries.parse_types(value)


def _selection_prop(selection: Selection | None) -> dict | None:
    return None if selection is None else {"side": selection.side, "code": selection.code}


def _areas_prop(areas: tuple[Selection, ...]) -> list[dict]:
    return [_selection_prop(a) for a in areas]


def _compare(value) -> tuple[Selection, ...]:
    if value in (None, []):
        return ()
    if not isinstance(value, list) or len(value) >= queries.MAX_COMPARED:
        raise InvalidParameter("compare", value, f"a list of up to {queries.MAX_COMPARED - 1}")
    return tuple(queries.parse_selection(v) for v in value)


def peers_of(selection: Selection | None, compare) -> tuple[Selection, ...]:
    """The compared areas that fit the selection: its side, each once, not itself."""
    if selection is None:
        return ()
    peers = [c for c in dict.fromkeys(compare) if c.side == selection.side and c != selection]
    return tuple(peers[: queries.MAX_COMPARED - 1])


DEFAULT_RANK_COLUMNS = ("arrivals", "arrivals_per_1000", "net", "net_per_1000")
SIDES = ("municipality", "origin")


def default_rank_columns(metric: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((*DEFAULT_RANK_COLUMNS, metric)))


def _indicator(name: str):
    def parse(value) -> str:
        if isinstance(value, str) and value in CATALOGUE:
            return value
        raise InvalidParameter(name, value, "an indicator id of /api/v1/catalogue")

    return parse


def _columns(value) -> tuple[str, ...]:
    if value in (None, [], ""):
        return ()
    try:
        return queries.parse_indicators(value)
    except InvalidParameter as exc:
        raise InvalidParameter("cols", exc.value, "indicator ids separated by commas") from None


def _sort(value) -> str:
    """A column to sort the ranking by: ``net`` ascending, ``-net`` descending."""
    column = value[1:] if isinstance(value, str) and value.startswith("-") else value
    if value == "" or column in ("rank", "name") or column in CATALOGUE:
        return value
    raise InvalidParameter("sort", value, "rank, name or an indicator id, '-' first: descending")


def _class_count(value) -> int:
    """A number of classes; a <select> sends it as text."""
    number = int(value) if isinstance(value, str) and value.isdigit() else value
    if number in classify.CLASS_COUNTS and not isinstance(number, bool):
        return number
    raise InvalidParameter("k", value, ", ".join(map(str, classify.CLASS_COUNTS)))


def _labels(value) -> str:
    """The names switch (a checklist: ["on"] or [])."""
    if value in (["on"], []):
        return "on" if value else "off"
    raise InvalidParameter("labels", value, "on, off")


def _panel(field_name, component, param, parse, **options) -> Control:
    return Control(field_name, component, "value", parse, param=param, **options)


CONTROLS = (
    Control("year_mode", ids.YEAR_MODE, "value", choice("year_mode", ("single", "range"))),
    Control("year", ids.YEAR_SINGLE, "value", _year),
    Control("years", ids.YEAR_RANGE, "value", queries.parse_years, list),
    Control("types", ids.TYPES, "value", _types, list),
    Control("country", ids.COUNTRY, "value", params.parse_country),
    Control("metric", ids.METRIC, "value", queries.parse_metric),
    Control("selection", ids.SELECTION_STORE, "data", queries.parse_selection, _selection_prop),
    Control("compare", ids.COMPARE_STORE, "data", _compare, _areas_prop),
    Control("tab", ids.TABS, "value", choice("tab", TABS), notice=False),
    _panel("compare_measure", ids.COMPARE_MEASURE, "measure",
           choice("measure", ("arrivals", "departures", "net"))),
    _panel("compare_scale", ids.COMPARE_SCALE, "scale", choice("scale", ("per_1000", "absolute"))),
    _panel("rank_side", ids.RANK_SIDE, "rank_side", choice("rank_side", SIDES)),
    _panel("rank_columns", ids.RANK_COLUMNS, "cols", _columns, to_prop=list,
           from_text=lambda text: text.split(",")),
    Control("rank_sort", ids.RANK_SORT, "data", _sort, param="sort"),
    _panel("scatter_x", ids.SCATTER_X, "x", _indicator("x")),
    _panel("scatter_y", ids.SCATTER_Y, "y", _indicator("y")),
    _panel("scatter_side", ids.SCATTER_SIDE, "scatter_side", choice("scatter_side", SIDES)),
    _panel("scenario_share", ids.SCENARIO_SHARE, "share", scenario.parse_share),
    _panel("map_scheme", ids.MAP_SCHEME, "classes", choice("classes", classify.SCHEMES)),
    _panel("map_classes", ids.MAP_CLASSES, "k", _class_count, to_prop=str),
    _panel("labels", ids.MAP_LABELS, "labels", _labels,
           to_prop=lambda value: ["on"] if value == "on" else [],
           from_text=lambda text: ["on"] if text == "on" else [] if text == "off" else text),
)  # fmt: skip
PANEL_CONTROLS = tuple(c for c in CONTROLS if c.param)
# The maps' choices: in the address like a panel's, but the maps follow them.
MAP_CONTROLS = frozenset(f"{i}.value" for i in (ids.MAP_SCHEME, ids.MAP_CLASSES, ids.MAP_LABELS))
# What changes only the address and the open panel, not the maps or the series.
ADDRESS_ONLY = frozenset({f"{ids.TABS}.value", *(c.key for c in PANEL_CONTROLS)}) - MAP_CONTROLS
LANG = Control("lang", ids.LANG_STORE, "data", normalise_language)  # set by the page


def inputs() -> dict[str, Input]:
    """The controls as a callback's inputs (keyword arguments named like the fields)."""
    return {c.field: Input(c.component, c.prop) for c in CONTROLS}


def states(*, controls: bool = True) -> dict[str, State]:
    """The language (and the controls) as a callback's state, named like the fields."""
    return {c.field: State(c.component, c.prop) for c in (*CONTROLS, LANG)
            if controls or c is LANG}  # fmt: skip


def outputs() -> dict[str, Output]:
    return {c.field: Output(c.component, c.prop) for c in CONTROLS}


def from_fields(values: Mapping[str, Any]) -> ExplorerState:
    """The state from callback arguments named like the fields (see :func:`inputs`)."""
    by_key = {c.key: values[c.field] for c in (*CONTROLS, LANG) if c.field in values}
    return ExplorerState.from_props(by_key)
