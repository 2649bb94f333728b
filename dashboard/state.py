"""The explorer's state, declared once.

:class:`ExplorerState` names every field and its default; :data:`CONTROLS` says which
component property shows each field and how a raw value from it is parsed. The rest is
derived from these two: the callbacks' inputs and outputs (:func:`inputs`, :func:`outputs`),
the parsing of raw component values with defaults and notices (:meth:`ExplorerState.from_props`),
the values the controls get (:meth:`ExplorerState.props`), the address (:func:`to_query`,
:func:`from_query`, with the filter parameters of layers/params.py that the curated views,
downloads and the API share), and what the browser forwards to open panels (assets/gate.js
sends the callback's values keyed ``"component.property"``, which :meth:`from_props` reads).
Nothing is matched by position. Adding a field: README, "Architecture"."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import parse_qs

from dash import Input, Output, State

from dashboard import ids
from dashboard.i18n import LANGUAGES, normalise_language, t
from layers import params, queries, vocab
from layers.catalogue import CATALOGUE
from layers.queries import FlowFilter, InvalidParameter, Selection

TABS = ("series", "compare", "ranking", "scatter", "diversity", "remittances", "needs",
        "flows")  # fmt: skip


@dataclass(frozen=True)
class ExplorerState:
    year_mode: str = "range"  # "single": one year (``year``), "range": ``years``
    year: int = vocab.YEARS[-1]
    years: tuple[int, int] = params.ALL_YEARS
    types: tuple[str, ...] = vocab.MIGRATION_TYPES
    country: str = "both"
    metric: str = "arrivals"
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
        return (self.filter, self.metric, self.areas, self.lang, self.notices)

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


def _choice(name: str, allowed: tuple[str, ...]):
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


def _panel(field_name, component, param, parse, **options) -> Control:
    return Control(field_name, component, "value", parse, param=param, **options)


CONTROLS = (
    Control("year_mode", ids.YEAR_MODE, "value", _choice("year_mode", ("single", "range"))),
    Control("year", ids.YEAR_SINGLE, "value", _year),
    Control("years", ids.YEAR_RANGE, "value", queries.parse_years, list),
    Control("types", ids.TYPES, "value", _types, list),
    Control("country", ids.COUNTRY, "value", params.parse_country),
    Control("metric", ids.METRIC, "value", queries.parse_metric),
    Control("selection", ids.SELECTION_STORE, "data", queries.parse_selection, _selection_prop),
    Control("compare", ids.COMPARE_STORE, "data", _compare, _areas_prop),
    Control("tab", ids.TABS, "value", _choice("tab", TABS), notice=False),
    _panel("compare_measure", ids.COMPARE_MEASURE, "measure",
           _choice("measure", ("arrivals", "departures", "net"))),
    _panel("compare_scale", ids.COMPARE_SCALE, "scale", _choice("scale", ("per_1000", "absolute"))),
    _panel("rank_side", ids.RANK_SIDE, "rank_side", _choice("rank_side", SIDES)),
    _panel("rank_columns", ids.RANK_COLUMNS, "cols", _columns, to_prop=list,
           from_text=lambda text: text.split(",")),
    Control("rank_sort", ids.RANK_SORT, "data", _sort, param="sort"),
    _panel("scatter_x", ids.SCATTER_X, "x", _indicator("x")),
    _panel("scatter_y", ids.SCATTER_Y, "y", _indicator("y")),
    _panel("scatter_side", ids.SCATTER_SIDE, "scatter_side", _choice("scatter_side", SIDES)),
)  # fmt: skip
PANEL_CONTROLS = tuple(c for c in CONTROLS if c.param)
# What changes only the address and the open panel, not the maps or the series.
ADDRESS_ONLY = frozenset({f"{ids.TABS}.value", *(c.key for c in PANEL_CONTROLS)})
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


# ---------------------------------------------------------------- the address

URL_PARAMS = ("lang", "tab", "year", "years", "type", "country", "metric", "sel",
              *(c.param for c in PANEL_CONTROLS))  # fmt: skip


def _panel_params(state: ExplorerState) -> dict[str, str]:
    """The panels' choices that are not at their defaults (the ranking's default columns
    follow the metric), as ``param: text``."""
    found = {}
    for control in PANEL_CONTROLS:
        value = getattr(state, control.field)
        if control.field == "rank_columns" and value == default_rank_columns(state.metric):
            continue
        if value != getattr(ExplorerState, control.field):
            found[control.param] = ",".join(value) if isinstance(value, tuple) else str(value)
    return found


def to_query(state: ExplorerState) -> str:
    """A short, readable query string; defaults are left out."""
    default = ExplorerState(lang=state.lang)
    found: dict[str, str] = {}
    if state.lang != "de":
        found["lang"] = state.lang
    if state.tab != default.tab:
        found["tab"] = state.tab
    found |= params.filter_params(state.filter_years, state.year_mode == "single",
                                  state.types, state.country)  # fmt: skip
    if state.metric != default.metric:
        found["metric"] = state.metric
    if state.selection:
        found["sel"] = ",".join(params.selection_token(a) for a in state.areas)
    return params.query_string(found | _panel_params(state))


def _parse_url_values(values: dict[str, str], lang: str) -> tuple[dict, list[str]]:
    found, notices = {}, []
    for name in sorted(set(values) - set(URL_PARAMS)):
        notices.append(str(InvalidParameter(name, values[name], "the parameters "
                                            + ", ".join(URL_PARAMS))))  # fmt: skip
    parsers = {
        "tab": lambda v: {"tab": _choice("tab", TABS)(v)},
        "metric": lambda v: {"metric": queries.parse_metric(v)},
        "sel": _selection_tokens,
    }
    for name in ("tab", "year", "type", "country", "metric", "sel"):
        try:
            if name in parsers and name in values:
                found |= parsers[name](values[name])
            elif name in ("year", "type", "country"):
                found |= _filter_fields(values, name)
        except InvalidParameter as exc:
            notices.append(str(exc))
    for control in (c for c in PANEL_CONTROLS if c.param in values):
        try:
            found[control.field] = control.parse(control.from_text(values[control.param]))
        except InvalidParameter as exc:
            notices.append(str(exc))
    return found, notices


def _selection_tokens(value: str) -> dict:
    """``sel=m:05513000`` or several of one side, ``sel=m:05513000,m:05112000``."""
    tokens = value.split(",")
    areas = [params.parse_selection_token(token) for token in tokens]
    if None in areas or len(areas) > queries.MAX_COMPARED or len({a.side for a in areas}) > 1:
        allowed = f"{params.SELECTION_ALLOWED}, up to {queries.MAX_COMPARED} of one side"
        raise InvalidParameter("sel", value, allowed)
    return {"selection": areas[0], "compare": peers_of(areas[0], areas[1:])}


def _filter_fields(values: dict[str, str], name: str) -> dict:
    """The fields one filter parameter sets (``year`` stands for ``year`` and ``years``)."""
    keys = {"year": ("year", "years"), "type": ("type",), "country": ("country",)}[name]
    parsed = params.parse_filter_params({k: values[k] for k in keys if k in values})
    found = {}
    if "years" in parsed:
        found["years"] = parsed["years"]
        if parsed["single"]:
            found |= {"year_mode": "single", "year": parsed["years"][0]}
    if "types" in parsed:
        found["types"] = parsed["types"]
    if "country" in parsed:
        found["country"] = parsed["country"]
    return found


def from_query(search: str | None, lang_default: str = "de") -> ExplorerState:
    """Parse ``?year=2019&type=circular,return&sel=m:05913000`` (tolerant of junk)."""
    raw = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    values = {k: v[-1] for k, v in raw.items()}
    lang = values.get("lang", lang_default)
    lang = lang if lang in LANGUAGES else lang_default
    found, notices = _parse_url_values(values, lang)
    if notices:
        notices.insert(0, t("url_fallback", lang))
    return ExplorerState(**found, lang=lang, notices=tuple(notices))


def language_link(search: str | None, lang: str) -> str:
    """The same view in another language."""
    return to_query(replace(from_query(search), lang=lang)) or "?lang=de"


def share_url(href: str | None, search: str | None) -> str:
    """The address bar's URL: the page's address with the query the app wrote last. When
    the app writes ``search``, the Location's ``href`` still holds the address of the page
    load (dcc.Location does not update it), so only its part before the query is kept."""
    base = (href or "").split("#", 1)[0].split("?", 1)[0]
    query = search or ""
    return base + (query if not query or query.startswith("?") else "?" + query)


def push_for(state: ExplorerState, search: str | None) -> str | None:
    """The query to push for the controls' ``state``, or None when the address already
    says it (also when it says it in other words, e.g. after back/forward to a link)."""
    query = to_query(state)
    return None if to_query(from_query(search, state.lang)) == query else query
