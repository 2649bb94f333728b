"""Small bases on the page (issue 16.1, rules in ``layers.small_bases``): which areas of a map
are below their indicator's minimum base, the reason in their tooltip, how the summaries and
tables say it, all in the page language."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from dashboard.i18n import format_number, t, tn
from layers import small_bases
from layers.catalogue import CATALOGUE, FLOW_COUNTS

MARK = "*"  # after a value below its minimum base, in the tables; the note explains it


@dataclass(frozen=True)
class MapBases:
    """The areas of a map (in code order) below the metric's minimum base: their codes and,
    per area, the reason for its tooltip ("" where the base is reached)."""

    codes: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()


NONE = MapBases()


def reason(metric: str, base: float, years: int, lang: str) -> str:
    """Why a value is flagged: "geringe Basis: 148 Zuzüge in 11 Jahren (Mindestbasis: Ø 20
    je Jahr)" (``base``: the persons it rests on, for flows summed over ``years``)."""
    rule = CATALOGUE[metric].min_base
    if rule.per_year:
        key = "low_base_mean"
    elif rule.of in FLOW_COUNTS:
        key = "low_base_sum" if years > 1 else "low_base_sum_one"
    else:
        key = "low_base_survey"
    return t(key, lang).format(base=format_number(base, 0, lang), of=rule.noun[lang],
                               years=years, min=rule.minimum)  # fmt: skip


def map_bases(metric: str, codes, values, base, years: int, lang: str) -> MapBases:
    """``MapBases`` of one map from each area's value and base (arrays in the order of
    ``codes``; NaN where missing); none for a metric without a minimum base."""
    indicator = CATALOGUE[metric]
    if not indicator.flagged:
        return NONE
    low = small_bases.low_base(values, base, indicator, years)
    base = np.asarray(base, dtype=float)
    notes = tuple(
        "<br>" + reason(metric, b, years, lang) if flagged else ""
        for flagged, b in zip(low, base, strict=True)
    )
    return MapBases(tuple(c for c, flagged in zip(codes, low, strict=True) if flagged), notes)


def left_out(count: int, lang: str) -> str:
    """The summary's "(5 areas with a small base left out, hatched)", or ""."""
    if not count:
        return ""
    return f" ({tn('summary_low_base', count, lang)})"


def legend(metric: str, lang: str) -> str:
    """After the metric's definition: its minimum base and how the maps mark a value below
    it; for the typology why it has none; nothing for a count."""
    rule = CATALOGUE[metric].min_base
    if rule is None:
        return ""
    if not rule.applies:
        return _capitalised(rule.note[lang]) + "."
    text = _capitalised(rule.text(lang).split(";")[0])
    return t("low_base_legend", lang).format(rule=text)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def marked(text: str, low: bool) -> str:
    """A table cell's text, with the footnote mark where the value has a small base."""
    return f"{text} {MARK}" if low else text
