"""Query parameters of a filtered view, declared once: the explorer's address
(dashboard/state.py), the curated views' links into it, the dashboard's download links and
the HTTP API all read and write ``year``/``years``/``type``/``country``/``sel`` here."""

from __future__ import annotations

from collections.abc import Mapping
from urllib.parse import urlencode

from layers import queries, vocab
from layers.queries import InvalidParameter, Selection

ALL_YEARS = (vocab.YEARS[0], vocab.YEARS[-1])
SIDE_PREFIX = {"m": "municipality", "o": "origin"}
SELECTION_ALLOWED = "m:<AGS> or o:<NUTS 3 code>"


def filter_params(years: tuple[int, int], single: bool, types: tuple[str, ...], country: str,
                  complete: bool = False) -> dict[str, str]:  # fmt: skip
    """``year``/``years``, ``type`` and ``country`` for a filter. Defaults are left out,
    unless ``complete`` (download links name every filter; an empty type list is left out
    there, since the API reads no ``type`` as every type)."""
    params: dict[str, str] = {}
    if single:
        params["year"] = str(years[0])
    elif complete or tuple(years) != ALL_YEARS:
        params["years"] = f"{years[0]}-{years[1]}"
    if (complete and types) or (not complete and tuple(types) != vocab.MIGRATION_TYPES):
        params["type"] = ",".join(types)
    if country != "both":
        params["country"] = country
    return params


def parse_country(value: str) -> str:
    if value in ("both", *queries.COUNTRY_CHOICES):
        return value
    raise InvalidParameter("country", value, "RO, BG, both")


def parse_types_param(value: str) -> tuple[str, ...]:
    """``type=circular,return``; ``type=`` (every box unticked) is an empty choice."""
    return () if value == "" else queries.parse_types([v for v in value.split(",") if v])


def parse_filter_params(values: Mapping[str, str]) -> dict:
    """The filter fields named in ``values`` (others absent), parsed one by one: each bad
    value raises :class:`InvalidParameter` naming it."""
    found: dict = {}
    if "year" in values:
        found["years"], found["single"] = queries.parse_years(values["year"]), True
    elif "years" in values:
        found["years"], found["single"] = queries.parse_years(values["years"]), False
    if "type" in values:
        found["types"] = parse_types_param(values["type"])
    if "country" in values:
        found["country"] = parse_country(values["country"])
    return found


def selection_token(selection: Selection | None) -> str:
    """``m:<AGS>`` / ``o:<NUTS 3>`` as in the address and the area picker; "" for none."""
    if selection is None:
        return ""
    return f"{'m' if selection.side == 'municipality' else 'o'}:{selection.code}"


def parse_selection_token(token: str | None) -> Selection | None:
    """The selection a token names, or None when it names none that exists."""
    prefix, _, code = (token or "").partition(":")
    try:
        return queries.parse_selection({"side": SIDE_PREFIX.get(prefix, ""), "code": code})
    except InvalidParameter:
        return None


def query_string(params: Mapping[str, str]) -> str:
    """``?a=1&b=x,y`` (commas and colons kept readable), or "" without parameters."""
    return "?" + urlencode(params, safe=":,") if params else ""
