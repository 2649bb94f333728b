"""The plain-language version of a curated view (issue 18.4): a few short sentences around
one key number computed from the data the view's map shows, never written into the text.

A view's ``plain`` field names the number (``number``) and holds the sentences per
language, with ``{number}`` (and ``{area}``, the area the number belongs to) where they go:

* ``max``: the highest value on the map (values below their minimum base left out, as
  the maps leave them out of their highest and lowest), and its area;
* ``total``: the sum over the map's areas (counts only);
* ``area:<code>``: the value of one area of the map's side.

``as_percent: true`` says a ratio as per cent (a coefficient of variation of 0.85 as
"85 %"); shares and percentages are said in whole numbers ("42 of 100")."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from layers import indicators, small_bases
from layers.catalogue import CATALOGUE

KINDS = ("max", "total", "area:<code>")
PLACEHOLDERS = re.compile(r"{(\w*)}")
ALLOWED_PLACEHOLDERS = {"number", "area"}


class PlainError(ValueError):
    """A ``plain`` field that does not follow the schema (the message names the part)."""


@dataclass(frozen=True)
class PlainText:
    number: str  # max | total | area
    code: str | None  # the area of ``area:<code>``
    text: dict[str, list[str]]  # language -> sentences with {number} (and {area})
    as_percent: bool = False  # say a ratio as per cent


@dataclass(frozen=True)
class KeyNumber:
    value: float  # NaN: not published (the text then says so)
    code: str | None  # the area it belongs to (max, area), None for a total
    ties: tuple[str, ...] = ()  # other areas with exactly the highest value (max)


def parse_number(spec, metric: str, codes) -> tuple[str, str | None]:
    """``max``, ``total`` or ``area:<code>`` (a code of ``codes``) for ``metric``."""
    if spec in ("max", "total"):
        if spec == "total" and CATALOGUE[metric].kind != "count":
            raise PlainError(f"'total' adds up counts only, and {metric} is not a count")
        return spec, None
    if isinstance(spec, str) and spec.startswith("area:") and spec[5:] in codes:
        return "area", spec[5:]
    raise PlainError(f"number {spec!r} is not one of {', '.join(KINDS)} (a code of the map)")


def check_sentences(text: dict[str, list[str]]) -> None:
    """Each language's sentences carry ``{number}`` once at least, and no other field."""
    for lang, sentences in text.items():
        fields = {f for s in sentences for f in PLACEHOLDERS.findall(s)}
        if "number" not in fields:
            raise PlainError(f"the {lang} sentences do not say {{number}}")
        if fields - ALLOWED_PLACEHOLDERS:
            unknown = sorted(fields - ALLOWED_PLACEHOLDERS)[0]
            raise PlainError(f"{{{unknown}}} in {lang} is not one of {{number}}, {{area}}")


def map_values(ds, view, policy, drop_low_base: bool = True):
    """The view's map values by area code (``drop_low_base``: those below their minimum
    base left out)."""
    table = indicators.indicator_table(ds, view.filter, view.side, view.selection,
                                       (view.metric,), policy)  # fmt: skip
    values = table[view.metric].astype(float)
    flag = small_bases.flag_column(view.metric)
    if drop_low_base and flag in table:
        values = values[~table[flag].astype(bool)]
    return values


def key_number(ds, view, policy) -> KeyNumber:
    """The plain version's number for curated view ``view`` (layers.views.CuratedView)."""
    plain = view.plain
    if plain.number == "area":  # the area's own value, flagged or not (the map shows it)
        value = map_values(ds, view, policy, drop_low_base=False).get(plain.code, math.nan)
        return KeyNumber(float(value), plain.code)
    values = map_values(ds, view, policy).dropna()
    if plain.number == "total":
        return KeyNumber(float(values.sum()), None)
    if values.empty:
        return KeyNumber(math.nan, None)
    top = values.idxmax()
    ties = tuple(str(c) for c in values.index[values == values[top]] if c != top)
    return KeyNumber(float(values[top]), str(top), ties)


def shown_value(number: KeyNumber, metric: str, as_percent: bool) -> tuple[float, int]:
    """The number as the sentences say it, and its decimals: a ratio ``as_percent`` times
    100, shares and counts whole, else the catalogue's decimals."""
    indicator = CATALOGUE[metric]
    if as_percent:
        return number.value * 100, 0
    if indicator.kind in ("share", "count"):
        return number.value, 0
    return number.value, indicator.decimals
