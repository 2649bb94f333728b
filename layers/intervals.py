"""95 % intervals of the survey shares: the Wilson score interval of a published count over
its published base (respondents, or remitters for the remittance uses), in per cent.

Both counts come from the protected publication (``layers.publication``), so an interval is
a function of numbers already published and reveals nothing new; where either is withheld
the interval is NaN too. The interval assumes simple random sampling within the published
cell; the survey was not a random sample, so it is indicative (data/README.md).

Why the closed form and not ``scipy.stats.binomtest(k, n).proportion_ci(method="wilson")``:
that object also runs the exact test, about 0.7 ms per cell, and a table of every share for
the 70 origin regions has 840 cells (the disclosure attack builds thousands of tables). The
formula below is the one scipy implements (Newcombe 1998, method 3), vectorised;
``tests/layers/test_intervals.py`` compares it with scipy cell by cell."""

from __future__ import annotations

import numpy as np
from scipy.special import ndtri

from layers import l10n

CONFIDENCE = 0.95
METHOD = l10n.text("intervals.method", {
    "de": "95-%-Konfidenzintervall nach Wilson (Score-Intervall)",
    "en": "95 % Wilson score confidence interval",
})  # fmt: skip
LOW, HIGH, BASE = "_ci_low", "_ci_high", "_n"  # column suffixes beside a share
SUFFIXES = (LOW, HIGH, BASE)


def wilson(successes, trials, confidence: float = CONFIDENCE) -> tuple[np.ndarray, np.ndarray]:
    """Wilson score interval of the proportion ``successes`` / ``trials`` (arrays that
    broadcast), as fractions 0 … 1::

        p = k / n,  z = Φ⁻¹(1 − α/2)  (1.959964 for 95 %),
        centre = (2 n p + z²) / (2 (n + z²)),
        half   = z √(4 n p (1 − p) + z²) / (2 (n + z²)),
        low = centre − half  (exactly 0 when k = 0),  high = centre + half  (1 when k = n).

    Unlike the Wald interval p ± z √(p(1 − p)/n) it stays inside [0, 1] and is not empty
    for 0 of n or n of n. NaN where k or n is NaN (withheld), n is 0 or k is not in 0 … n."""
    k = np.asarray(successes, dtype=float)
    n = np.asarray(trials, dtype=float)
    z = float(ndtri(0.5 + confidence / 2))
    valid = (n > 0) & (k >= 0) & (k <= n)  # False for NaN
    with np.errstate(invalid="ignore", divide="ignore"):
        p = k / n
        denominator = 2 * (n + z**2)
        centre = (2 * n * p + z**2) / denominator
        half = z / denominator * np.sqrt(4 * n * p * (1 - p) + z**2)
        low = np.where(k == 0, 0.0, np.clip(centre - half, 0.0, 1.0))
        high = np.where(k == n, 1.0, np.clip(centre + half, 0.0, 1.0))
    return np.where(valid, low, np.nan), np.where(valid, high, np.nan)


def columns_of(indicator: str) -> tuple[str, str, str]:
    """The interval's lower and upper bound and the base n beside a share's column."""
    return tuple(indicator + suffix for suffix in SUFFIXES)


def share_columns(indicator: str, count, base) -> dict[str, np.ndarray]:
    """A share in per cent (``count`` / ``base`` × 100), its 95 % interval in per cent and its
    base n (persons), keyed by column name; NaN where a count is withheld."""
    count = np.asarray(count, dtype=float)
    base = np.asarray(base, dtype=float)
    low, high = wilson(count, base)
    low_name, high_name, base_name = columns_of(indicator)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = 100.0 * count / base
    return {indicator: share, low_name: 100.0 * low, high_name: 100.0 * high, base_name: base}


def interval_part(column: str, shares) -> tuple[str, str] | None:
    """(share, suffix) when ``column`` is an interval column of one of ``shares``, else None."""
    for suffix in SUFFIXES:
        stem = column.removesuffix(suffix)
        if stem != column and stem in shares:
            return stem, suffix
    return None
