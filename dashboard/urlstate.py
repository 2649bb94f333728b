"""The explorer's state as a URL query string, and back.

Every explore state (tab, filters, metric, selection, language) lives in the query string,
so a copied link reproduces the view and the browser's back/forward buttons step through
changes. Invalid or outdated parameters fall back to their defaults with a short notice."""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from urllib.parse import parse_qs, urlencode

from dashboard.i18n import LANGUAGES, t
from layers import queries, vocab
from layers.queries import InvalidParameter

TABS = ("series", "diversity", "remittances", "needs", "flows")
SIDE_PREFIX = {"m": "municipality", "o": "origin"}
PARAMS = ("lang", "tab", "year", "years", "type", "country", "metric", "sel")


@dataclass(frozen=True)
class UrlState:
    year_mode: str = "range"
    year: int = vocab.YEARS[-1]
    years: tuple[int, int] = (vocab.YEARS[0], vocab.YEARS[-1])
    types: tuple[str, ...] = vocab.MIGRATION_TYPES
    country: str = "both"
    metric: str = "arrivals"
    selection: dict | None = None
    tab: str = "series"
    lang: str = "de"
    notices: tuple[str, ...] = field(default=(), compare=False)

    def controls(self) -> tuple:
        """Values in the order of the explorer's controls (see callbacks.URL_CONTROLS)."""
        return (self.year_mode, self.year, list(self.years), list(self.types), self.country,
                self.metric, self.selection, self.tab)  # fmt: skip


def to_query(state: UrlState) -> str:
    """A short, readable query string; defaults are left out."""
    default = UrlState(lang=state.lang)
    params: dict[str, str] = {}
    if state.lang != "de":
        params["lang"] = state.lang
    if state.tab != default.tab:
        params["tab"] = state.tab
    if state.year_mode == "single":
        params["year"] = str(state.year)
    elif state.years != default.years:
        params["years"] = f"{state.years[0]}-{state.years[1]}"
    if state.types != default.types:
        params["type"] = ",".join(state.types)
    if state.country != default.country:
        params["country"] = state.country
    if state.metric != default.metric:
        params["metric"] = state.metric
    if state.selection:
        params["sel"] = selection_token(state.selection)
    return "?" + urlencode(params, safe=":,") if params else ""


def from_query(search: str | None, lang_default: str = "de") -> UrlState:
    """Parse ``?year=2019&type=circular,return&sel=m:05913000`` (tolerant of junk)."""
    raw = parse_qs((search or "").lstrip("?"), keep_blank_values=True)
    values = {k: v[-1] for k, v in raw.items()}
    lang = values.get("lang", lang_default)
    lang = lang if lang in LANGUAGES else lang_default
    state, notices = UrlState(lang=lang), []

    def fallback(name: str, value, allowed: str) -> None:
        notices.append(str(InvalidParameter(name, value, allowed)))

    for name in sorted(set(values) - set(PARAMS)):
        fallback(name, values[name], "the parameters " + ", ".join(PARAMS))
    if "tab" in values:
        if values["tab"] in TABS:
            state = replace(state, tab=values["tab"])
        else:
            fallback("tab", values["tab"], ", ".join(TABS))
    try:
        if "year" in values:
            year = queries.parse_years(values["year"])
            state = replace(state, year_mode="single", year=year[0], years=year)
        elif "years" in values:
            state = replace(state, years=queries.parse_years(values["years"]))
    except InvalidParameter as exc:
        notices.append(str(exc))
    if values.get("type") == "":
        state = replace(state, types=())  # every type unticked: a valid (empty) view
    elif "type" in values:
        try:
            types = [v for v in values["type"].split(",") if v]
            state = replace(state, types=queries.parse_types(types))
        except InvalidParameter as exc:
            notices.append(str(exc))
    if "country" in values:
        if values["country"] in ("both", *queries.COUNTRY_CHOICES):
            state = replace(state, country=values["country"])
        else:
            fallback("country", values["country"], "RO, BG, both")
    if "metric" in values:
        try:
            state = replace(state, metric=queries.parse_metric(values["metric"]))
        except InvalidParameter as exc:
            notices.append(str(exc))
    if "sel" in values:
        selection = selection_from_token(values["sel"])
        if selection:
            state = replace(state, selection=selection)
        else:
            fallback("sel", values["sel"], "m:<AGS> or o:<NUTS 3 code>")
    if notices:
        notices.insert(0, t("url_fallback", lang))
    return replace(state, notices=tuple(notices))


def _or_default(parse, value, default):
    try:
        return parse(value)
    except InvalidParameter:
        return default


def from_controls(year_mode, year, years, types, country, metric, selection, tab, lang):
    """The state the controls show now. A hand-crafted callback may send anything: what is
    not a valid value becomes the default, so the address never repeats it."""
    single = _or_default(queries.parse_years, year, None) if isinstance(year, int) else None
    return UrlState(
        year_mode="single" if year_mode == "single" else "range",
        year=single[0] if single else vocab.YEARS[-1],
        years=_or_default(queries.parse_years, years, UrlState.years)
        if isinstance(years, list) and len(years) == 2
        else UrlState.years,
        types=tuple(x for x in vocab.MIGRATION_TYPES if isinstance(types, list) and x in types),
        country=country if country in ("both", *queries.COUNTRY_CHOICES) else "both",
        metric=_or_default(queries.parse_metric, metric, "arrivals"),
        selection=selection if _or_default(queries.parse_selection, selection, None) else None,
        tab=tab if tab in TABS else "series",
        lang=lang if lang in LANGUAGES else "de",
    )


def selection_token(selection: dict | None) -> str:
    """``m:<AGS>`` / ``o:<NUTS 3>`` as in the URL and the area picker; "" for none."""
    if not selection:
        return ""
    return f"{'m' if selection['side'] == 'municipality' else 'o'}:{selection['code']}"


def selection_from_token(token: str | None) -> dict | None:
    prefix, _, code = (token or "").partition(":")
    selection = {"side": SIDE_PREFIX.get(prefix, ""), "code": code}
    try:
        queries.parse_selection(selection)
    except InvalidParameter:
        return None
    return selection


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


def push_for(state: UrlState, search: str | None) -> str | None:
    """The query to push for the controls' ``state``, or None when the address already
    says it (also when it says it in other words, e.g. after back/forward to a link)."""
    if from_query(search, state.lang) == state:
        return None
    return to_query(state)


def next_state(trigger: str | None, search: str | None, current: UrlState, click=None):
    """One step of the explorer's state machine for what is not a control change (those
    only write the address, see ``push_for``).

    ``trigger`` is "url" (back/forward to ``search``), "click" (a map; ``click`` = (side,
    click data)), "pick" (the area picker; ``click`` = its token), "clear", "show_cv" or
    "show_churn". Returns (state, whether the controls must change)."""
    from dashboard.view import next_selection  # the view owns the click rules

    if trigger in (None, "url"):
        state = from_query(search, current.lang)
    elif trigger == "click":
        side, data = click
        state = replace(current, selection=next_selection("map", data, current.selection, side))
    elif trigger == "clear":
        state = replace(current, selection=None)
    elif trigger == "pick":
        state = replace(current, selection=selection_from_token(click))
    elif trigger in ("show_cv", "show_churn"):
        state = replace(current, metric="arrivals_cv" if trigger == "show_cv" else "churn")
    else:
        state = current
    return state, state != current
