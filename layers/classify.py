"""Classed map scales (issue 16.4): class breaks by quantiles, natural breaks (Fisher–Jenks)
or equal intervals (mapclassify), or a fixed scale, and the number of areas in each class.

A class is "from ``lower`` to under the next class's lower bound" (the Destatis convention
"von … bis unter …"); the top class is closed at the data's maximum or, for a fixed scale
whose end the data may pass, open ("≥ lower"). Breaks are rounded to the precision the
legend shows, and the classes are counted with the rounded breaks, so that the legend says
exactly what the map colours. Pure: no dash or flask."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import mapclassify
import numpy as np

SCHEMES = ("quantiles", "natural_breaks", "equal_interval")
DEFAULT_SCHEME = "quantiles"
CLASS_COUNTS = (3, 4, 5, 6, 7)
DEFAULT_CLASSES = 5
_CLASSIFIERS = {
    "quantiles": mapclassify.Quantiles,
    "natural_breaks": mapclassify.FisherJenks,  # exact (dynamic programming): deterministic
    "equal_interval": mapclassify.EqualInterval,
}


@dataclass(frozen=True)
class Classes:
    """``lower[i]``: the inclusive lower bound of class i; class i ends under ``lower[i+1]``;
    the last ends at ``top`` (the data's maximum) or is open (``top`` None). ``counts[i]``:
    the areas in class i. No classes without data."""

    lower: tuple[float, ...] = ()
    counts: tuple[int, ...] = ()
    top: float | None = None

    @property
    def k(self) -> int:
        return len(self.lower)

    @property
    def open_top(self) -> bool:
        return self.k > 0 and self.top is None

    def index(self, value: float) -> int:
        """The class of ``value`` (values under the first bound go to the first class)."""
        return max(int(np.searchsorted(self.lower, value, side="right")) - 1, 0)

    def upper(self, i: int) -> float | None:
        """Where class i ends: the next lower bound (exclusive), or the top (inclusive)."""
        return self.lower[i + 1] if i + 1 < self.k else self.top


def _finite(values: Sequence[float | None]) -> np.ndarray:
    array = np.array([np.nan if v is None else v for v in values], dtype=float)
    return array[np.isfinite(array)]


def _floor(value: float, decimals: int) -> float:
    step = 10.0**-decimals
    return round(math.floor(round(value / step, 9)) * step, decimals)


def _count(lower: list[float], data: np.ndarray, top: float | None) -> Classes:
    lower = sorted(set(lower))
    counts = np.bincount(
        np.maximum(np.searchsorted(lower, data, side="right") - 1, 0), minlength=len(lower)
    )
    return Classes(tuple(lower), tuple(int(c) for c in counts), top)


def classify(
    values: Sequence[float | None],
    scheme: str = DEFAULT_SCHEME,
    k: int = DEFAULT_CLASSES,
    decimals: int = 0,
    split_at_zero: bool = False,
) -> Classes:
    """The classes of ``values`` (None and NaN left out) by ``scheme`` with up to ``k``
    classes. Fewer distinct values than ``k``: one class per value. ``split_at_zero``
    (a diverging metric): no class holds both negative and positive values."""
    data = _finite(values)
    if data.size == 0:
        return Classes()
    distinct = np.unique(data)
    if distinct.size <= k:
        lower = [float(v) for v in distinct]
    else:
        with warnings.catch_warnings():  # ties: mapclassify warns and forms fewer classes
            warnings.simplefilter("ignore", UserWarning)
            bins = _CLASSIFIERS[scheme](data, k=k).bins
        # mapclassify's classes end at their bin (inclusive): the next starts at the first
        # value above it, rounded down to the legend's precision.
        lower = [float(distinct[0])]
        lower += [float(distinct[distinct > b][0]) for b in bins[:-1] if (distinct > b).any()]
    lower = [_floor(v, decimals) for v in lower]
    if split_at_zero and lower[0] < 0 <= data.max():
        below, above = data[data < 0].max(), data[data >= 0].min()
        if not any(below < b <= above for b in lower):  # a class holds both signs
            lower.append(0.0)
    return _count(lower, data, float(data.max()))


def fixed(values: Sequence[float | None], start: float, end: float, k: int) -> Classes:
    """``k`` equal classes from ``start``; the top one open: a fixed scale (a curated
    view's) holds whatever the data brings, beyond its end too."""
    width = (end - start) / k
    lower = [start + i * width for i in range(k)]
    return _count(lower, _finite(values), None)


def nice_references(largest: float, count: int = 3) -> list[float]:
    """Round reference values for a size legend: the largest 1, 2 or 5 × 10ⁿ not above
    ``largest``, then a quarter and a sixteenth of it rounded the same way (distinct)."""
    if not largest or largest <= 0 or not math.isfinite(largest):
        return []
    found: list[float] = []
    for share in (1, 1 / 4, 1 / 16)[:count]:
        target = largest * share
        power = 10 ** math.floor(math.log10(target))
        nice = max(m * power for m in (1, 2, 5) if m * power <= target)
        if nice not in found and nice >= 1:
            found.append(float(nice))
    return found


def diameters(values: Sequence[float | None], largest: float, biggest_px: float) -> list[float]:
    """Circle diameters with area ∝ |value| (diameter ∝ √|value|): ``largest`` gets
    ``biggest_px``; None and 0 get no circle (0)."""
    if not largest:
        return [0.0 for _ in values]
    return [
        0.0 if v is None or not math.isfinite(v) else
        round(biggest_px * math.sqrt(abs(v) / largest), 1)
        for v in values
    ]  # fmt: skip
