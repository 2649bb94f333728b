"""Small bases (issue 16, point 1): a value below its indicator's minimum base
(``catalogue.toml``, [min_bases]) is published as it is, but flagged, as statistical offices
do (Eurostat's flag "u", low reliability; Destatis' "( )", limited informative value): a
``<id>_low_base`` column beside it in every table and download, a lighter area on the maps,
and left out of the maps' highest and lowest. The rules and their reasons: data/README.md,
"Minimum bases".

A base is a number of persons the value rests on, taken from the same filtered table as the
value: arrivals, departures or moves (arrivals + departures) summed over the selected years,
or a survey share's base n (respondents, for a remittance use its remitters), or the
respondents of an area (diversity indices)."""

from __future__ import annotations

from types import MappingProxyType

import numpy as np

from layers import intervals
from layers.catalogue import CATALOGUE, Indicator

SUFFIX = "_low_base"
# The column of ``indicator_table`` (and the catalogue indicator) that holds a base.
BASE_COLUMNS = MappingProxyType(
    {"arrivals": "arrivals", "departures": "departures", "moves": "turnover",
     "respondents": "respondents"}
)  # fmt: skip


def flag_column(indicator: str) -> str:
    return indicator + SUFFIX


def flag_part(column: str) -> str | None:
    """The indicator whose flag ``column`` is, or None."""
    stem = column.removesuffix(SUFFIX)
    return stem if stem != column and stem in CATALOGUE and CATALOGUE[stem].flagged else None


def base_column(indicator: str) -> str:
    """Where the base of ``indicator`` is in ``indicator_table``: a share's base n, else
    the count its rule names (e.g. ``turnover`` for moves)."""
    entry = CATALOGUE[indicator]
    if entry.has_interval:
        return intervals.columns_of(indicator)[2]
    return BASE_COLUMNS[entry.min_base.of]


def base_indicators(indicator: str) -> tuple[str, ...]:
    """The indicators to ask ``indicator_table`` for besides ``indicator`` so that its base
    column is in the answer (none for a share: its base n comes with it)."""
    entry = CATALOGUE[indicator]
    if not entry.flagged or entry.has_interval:
        return ()
    return (base_column(indicator),)


def low_base(values, base, indicator: Indicator, years: int) -> np.ndarray:
    """True where a value is shown (not NaN) and its ``base`` (persons; for a rule per year
    the sum over ``years``) is below the indicator's minimum base; False where the value is
    missing or the base is not published."""
    rule = indicator.min_base
    values = np.asarray(values, dtype=float)
    if rule is None or not rule.applies:
        return np.zeros(values.shape, dtype=bool)
    base = np.asarray(base, dtype=float)
    if rule.per_year:
        base = base / max(years, 1)
    with np.errstate(invalid="ignore"):
        return ~np.isnan(values) & (base < rule.minimum)


def flag_columns(table, wanted, years: int) -> dict[str, np.ndarray]:
    """``<id>_low_base`` for every flagged indicator of ``wanted`` in ``table`` (the
    indicator table before its columns are chosen: every base column is in it)."""
    return {
        flag_column(i): low_base(table[i].to_numpy(dtype=float), table[base_column(i)].to_numpy(
            dtype=float), CATALOGUE[i], years)
        for i in wanted
        if CATALOGUE[i].flagged
    }  # fmt: skip
