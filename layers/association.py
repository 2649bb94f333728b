"""Tests of association for the survey tables: Pearson's chi-square with Cramér's V, and the
test of a multiple-response question (support needs) by migration type.

A respondent may name several life areas, so the mentions of one person are not independent
and a chi-square test on the table of mentions has no known null distribution. The test
used here counts persons: for each life area a chi-square test of "names it: yes / no" ×
group, with Holm's adjustment across the areas tested (``per_area_tests``)."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from scipy import stats

TESTED, WITHHELD, CONSTANT = "tested", "withheld", "constant"  # AreaTest.status
SMALL_EXPECTED = 5  # Cochran's rule of thumb for the chi-square approximation


@dataclass(frozen=True)
class ChiSquare:
    statistic: float
    dof: int
    p_value: float
    cramers_v: float
    n: int
    min_expected: float = math.nan  # the smallest expected count of the table tested


def chi_square(table: np.ndarray) -> ChiSquare | None:
    """Pearson's chi-square test of independence (no continuity correction) and Cramér's V.
    Rows or columns without observations are dropped; None when fewer than 2×2 remain."""
    table = np.asarray(table)
    table = table[table.sum(axis=1) > 0][:, table.sum(axis=0) > 0]
    if table.shape[0] < 2 or table.shape[1] < 2:
        return None
    # Respondent counts are whole numbers; scipy's association() accepts integers only.
    counts = table.astype(np.int64)
    if not np.array_equal(counts, table):
        raise ValueError("a chi-square test needs whole counts")
    result = stats.chi2_contingency(counts, correction=False)
    cramers_v = stats.contingency.association(counts, method="cramer")
    return ChiSquare(
        float(result.statistic), int(result.dof), float(result.pvalue), cramers_v,
        int(counts.sum()), float(result.expected_freq.min()),
    )  # fmt: skip


def holm(p_values) -> np.ndarray:
    """Holm's step-down adjusted p-values (S. Holm, "A simple sequentially rejective multiple
    test procedure", Scandinavian Journal of Statistics 6 (1979), 65–70), in the given order.

    With the m p-values sorted, p₍₁₎ ≤ … ≤ p₍ₘ₎, the adjusted value of p₍ᵢ₎ is
    max over j ≤ i of min(1, (m − j + 1) · p₍ⱼ₎). Rejecting where it is ≤ α keeps the
    probability of any false rejection ≤ α whatever the dependence between the tests (the
    areas named by one person are correlated)."""
    p = np.asarray(p_values, dtype=float)
    if np.isnan(p).any():
        raise ValueError("Holm's method needs a p-value for every test")
    order = np.argsort(p, kind="stable")
    factors = p.size - np.arange(p.size)  # m, m − 1, …, 1
    adjusted = np.minimum(1.0, np.maximum.accumulate(factors * p[order]))
    out = np.empty_like(p)
    out[order] = adjusted
    return out


@dataclass(frozen=True)
class AreaTest:
    """One life area: ``status`` is TESTED (``test`` and ``p_holm`` set), WITHHELD (a count
    of its table is not published) or CONSTANT (nobody, or everybody, names it)."""

    area: str
    status: str
    test: ChiSquare | None = None
    p_holm: float = math.nan


@dataclass(frozen=True)
class AreaTests:
    """The per-area tests of one selection: ``groups`` compared (migration types, or one
    type and "others" when ``versus_rest`` names the one type ticked)."""

    groups: tuple[str, ...]
    areas: tuple[AreaTest, ...]
    versus_rest: str | None = None

    def with_status(self, status: str) -> list[AreaTest]:
        return [a for a in self.areas if a.status == status]


def per_area_tests(
    areas, named: np.ndarray, respondents: np.ndarray, groups, versus_rest: str | None = None
) -> AreaTests | None:
    """For each area a chi-square test of the 2 × k table of persons (naming it, not naming
    it; ``named`` [area, group], ``respondents`` [group], NaN where not published), Holm's
    adjustment across the areas tested. Groups without respondents are left out; None when
    fewer than two groups remain (nothing to compare)."""
    named, respondents = np.asarray(named, float), np.asarray(respondents, float)
    keep = respondents != 0  # NaN (not published) is kept: its tables are withheld
    if keep.sum() < 2:
        return None
    named, respondents = named[:, keep], respondents[keep]
    results = []
    for area, row in zip(areas, named, strict=True):
        if np.isnan(row).any() or np.isnan(respondents).any():
            results.append(AreaTest(area, WITHHELD))
            continue
        test = chi_square(np.array([row, respondents - row]))
        results.append(AreaTest(area, CONSTANT) if test is None else AreaTest(area, TESTED, test))
    tested = [i for i, r in enumerate(results) if r.status == TESTED]
    adjusted = holm([results[i].test.p_value for i in tested])
    for i, p in zip(tested, adjusted, strict=True):
        results[i] = AreaTest(results[i].area, TESTED, results[i].test, float(p))
    kept = tuple(g for g, k in zip(groups, keep, strict=True) if k)
    return AreaTests(kept, tuple(results), versus_rest)
