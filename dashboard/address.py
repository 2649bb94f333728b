"""The explorer's address: a short, readable query string for an
:class:`~dashboard.state.ExplorerState` and back (tolerant of junk: what is invalid falls
back to its default with a notice). The filter parameters are those of layers/params.py,
which the curated views, the downloads and the API share; the tabs' own choices are the
controls declared with a ``param`` (``state.PANEL_CONTROLS``)."""

from __future__ import annotations

from dataclasses import replace
from urllib.parse import parse_qs

from dashboard.i18n import LANGUAGES, MESSAGES, t
from dashboard.state import (
    PANEL_CONTROLS,
    TABS,
    ExplorerState,
    choice,
    default_rank_columns,
    peers_of,
)
from layers import params, queries
from layers.queries import InvalidParameter, echo

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
        unknown = InvalidParameter(name, values[name], "")  # its name and value cut and quoted
        notices.append(t("unknown_parameter", lang).format(name=unknown.name,
                                                           value=echo(unknown.value)))  # fmt: skip
    parsers = {
        "tab": lambda v: {"tab": choice("tab", TABS)(v)},
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
            notices.append(_notice(exc, lang))
    for control in (c for c in PANEL_CONTROLS if c.param in values):
        try:
            found[control.field] = control.parse(control.from_text(values[control.param]))
        except InvalidParameter as exc:
            notices.append(_notice(exc, lang))
    return found, notices


def _notice(exc: InvalidParameter, lang: str) -> str:
    """What was wrong with a link's value, in the page language: the parameter, its value
    and what it may be (the parameter's own words, else its control's choices)."""
    key = f"allowed_{exc.name}"
    allowed = t(key if key in MESSAGES else "allowed_choice", lang)
    return t("invalid_link_value", lang).format(value=echo(exc.value), name=exc.name,
                                                allowed=allowed)  # fmt: skip


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
