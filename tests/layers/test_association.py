"""The support-needs test on hand-made numbers (expected values written out) and in a
simulation with a known answer: needs independent of type, several correlated areas per
person."""

import math

import numpy as np
import pytest
from scipy import stats
from scipy.special import ndtr

from layers import association, vocab
from layers.association import CONSTANT, TESTED, WITHHELD

AREAS = vocab.SUPPORT_NEEDS  # work, children_education, health, housing, other, none


def test_chi_square_matches_scipy():
    table = np.array([[30, 12, 9, 20], [15, 5, 9, 40], [25, 6, 11, 18]])
    result = association.chi_square(table)
    chi2, p, dof, expected = stats.chi2_contingency(table, correction=False)
    assert result.statistic == pytest.approx(chi2)
    assert result.p_value == pytest.approx(p)
    assert result.dof == dof == 6
    assert result.cramers_v == pytest.approx(math.sqrt(chi2 / (table.sum() * 2)))
    assert result.n == table.sum()
    assert result.min_expected == pytest.approx(expected.min())
    assert association.chi_square(np.array([[1, 2]])) is None  # one row: no test


def test_chi_square_of_a_2_by_3_table_by_hand():
    # Named by 10, 20, 30 of 50 respondents each; not named by 40, 30, 20.
    # Row totals 60 and 90, column totals 50, n = 150: expected 60·50/150 = 20 (named) and
    # 90·50/150 = 30 (not named) in every column.
    # χ² = (10−20)²/20 + 0 + (30−20)²/20 + (40−30)²/30 + 0 + (20−30)²/30
    #    = 5 + 5 + 10/3 + 10/3 = 50/3 ≈ 16.667, df = (2−1)(3−1) = 2;
    # with 2 df the tail is exp(−χ²/2) = exp(−25/3) ≈ 2.40e−4; V = φ = √(χ²/n) = 1/3.
    result = association.chi_square(np.array([[10, 20, 30], [40, 30, 20]]))
    assert result.statistic == pytest.approx(50 / 3)
    assert result.dof == 2
    assert result.p_value == pytest.approx(math.exp(-25 / 3))
    assert result.cramers_v == pytest.approx(1 / 3)
    assert result.n == 150 and result.min_expected == 20


def test_holm_on_known_p_values():
    # Sorted: 0.005, 0.01, 0.03, 0.04 times m − j + 1 = 4, 3, 2, 1 → 0.02, 0.03, 0.06, 0.04;
    # the running maximum keeps the order: 0.02, 0.03, 0.06, 0.06. Back in the given order:
    adjusted = association.holm([0.01, 0.04, 0.03, 0.005])
    assert adjusted == pytest.approx([0.03, 0.06, 0.06, 0.02])
    # capped at 1: 2 · 0.5 = 1.0, then max(1.0, 0.6) = 1.0
    assert association.holm([0.6, 0.5]) == pytest.approx([1.0, 1.0])
    assert association.holm([0.2]) == pytest.approx([0.2])  # one test: unchanged
    assert association.holm([]).size == 0
    with pytest.raises(ValueError):
        association.holm([0.1, float("nan")])


def test_per_area_tests_count_persons_and_adjust_across_the_areas_tested():
    respondents = np.array([50, 50, 50])
    named = np.array([
        [10, 20, 30],  # work: the hand-computed table above
        [25, 25, 25],  # children: no difference, χ² = 0
        [0, 0, 0],  # health: nobody names it, nothing to test
        [5, 5, 10],
        [50, 50, 50],  # other: everybody names it
        [20, 15, 10],
    ])  # fmt: skip
    tests = association.per_area_tests(AREAS, named, respondents, ("a", "b", "c"))
    status = {a.area: a.status for a in tests.areas}
    assert status == {"work": TESTED, "children_education": TESTED, "health": CONSTANT,
                      "housing": TESTED, "other": CONSTANT, "none": TESTED}  # fmt: skip
    tested = tests.with_status(TESTED)
    raw = [a.test.p_value for a in tested]
    assert [a.p_holm for a in tested] == pytest.approx(association.holm(raw))  # m = 4
    work = tested[0]
    assert work.test.statistic == pytest.approx(50 / 3) and work.test.n == 150
    assert work.p_holm == pytest.approx(4 * math.exp(-25 / 3))  # the smallest of 4
    assert tested[1].test.statistic == 0 and tested[1].p_holm == 1.0
    assert tests.groups == ("a", "b", "c") and tests.versus_rest is None


def test_withheld_counts_leave_their_area_untested():
    nan = float("nan")
    named = np.array([[10, 20, 30], [nan, 25, 25], [5, 5, 10], [0, 0, 0], [1, 2, 3],
                      [20, 15, 10]])  # fmt: skip
    tests = association.per_area_tests(AREAS, named, np.array([50, 50, 50]), "abc")
    assert [a.area for a in tests.with_status(WITHHELD)] == ["children_education"]
    assert len(tests.with_status(TESTED)) == 4  # Holm over the four tested, not six
    assert tests.areas[1].test is None and math.isnan(tests.areas[1].p_holm)
    # a group's respondent count withheld: no area's "not named" is known
    hidden = association.per_area_tests(AREAS, named, np.array([50, nan, 50]), "abc")
    assert {a.status for a in hidden.areas} == {WITHHELD}


def test_groups_without_respondents_are_left_out():
    named = np.array([[2, 0, 3]] * 6)
    tests = association.per_area_tests(AREAS, named, np.array([5, 0, 6]), "abc")
    assert tests.groups == ("a", "c")
    assert tests.areas[0].test.dof == 1 and tests.areas[0].test.n == 11
    assert association.per_area_tests(AREAS, named, np.array([5, 0, 0]), "abc") is None


def test_one_type_against_all_other_respondents():
    # Type A: 2 of 3 name work; the others: 2 of 5. Table [[2, 2], [1, 3]], n = 8; expected
    # named 4·3/8 = 1.5 and 4·5/8 = 2.5, not named the same: χ² = 2·(0.5²/1.5 + 0.5²/2.5)
    # = 1/3 + 1/5 = 8/15, df 1.
    named = np.array([[2, 2], [0, 1], [1, 0], [2, 1], [0, 0], [0, 1]])
    tests = association.per_area_tests(AREAS, named, np.array([3, 5]), ("circular", "others"),
                                       versus_rest="circular")  # fmt: skip
    assert tests.versus_rest == "circular" and tests.groups == ("circular", "others")
    assert tests.areas[0].test.statistic == pytest.approx(8 / 15)
    assert tests.areas[0].test.dof == 1
    assert tests.areas[0].test.min_expected == 1.5  # under 5: the page says so


# --- simulation: needs independent of type, areas of one person correlated ------------------

TYPE_SHARES = (0.35, 0.20, 0.30, 0.15)  # as the demo's arrivals
AREA_LEVEL = np.array([-0.3, -0.9, -1.0, -0.8, -1.8])  # work … other, on the probit scale
NEEDINESS = 1.2  # a person's latent neediness raises every area at once


def _simulated_survey(rng, n):
    """(named [area, type], respondents [type]) of one survey under the null hypothesis."""
    types = rng.choice(len(TYPE_SHARES), size=n, p=TYPE_SHARES)
    z = rng.standard_normal(n)
    areas = rng.random((n, 5)) < ndtr(AREA_LEVEL + NEEDINESS * z[:, None])
    answers = np.column_stack([areas, ~areas.any(axis=1)])  # "none" excludes the rest
    named = np.stack([answers[types == k].sum(axis=0) for k in range(len(TYPE_SHARES))], 1)
    return named, np.bincount(types, minlength=len(TYPE_SHARES))


def test_simulation_per_person_holm_keeps_the_error_rate_the_mention_test_does_not():
    """400 surveys of 500 persons, needs independent of type (every null hypothesis true).

    The mention test (Pearson on types × areas of mentions, df 15) treats the 1.8 mentions
    of one person as independent draws. They are not: here the areas a needy person names
    move together, its statistic is a weighted sum of χ² terms with weights mostly under 1
    (Rao–Scott design effects), its mean about 10 rather than 15, and it rejects at about
    1 % instead of 5 %, so its p-values mean nothing and its power is lost. The per-person
    tests are each valid, and Holm keeps the chance of any false rejection ≤ 5 %; without
    Holm six tests give far more than 5 %."""
    rng = np.random.default_rng(20240516)
    mention_p, mention_stat, holm_min, raw_min = [], [], [], []
    for _ in range(400):
        named, respondents = _simulated_survey(rng, 500)
        mentions = association.chi_square(named.T)  # the old test: mentions × type
        mention_p.append(mentions.p_value)
        mention_stat.append(mentions.statistic)
        tests = association.per_area_tests(AREAS, named, respondents, "abcd")
        holm_min.append(min(a.p_holm for a in tests.areas))
        raw_min.append(min(a.test.p_value for a in tests.areas))
    mention_rate = np.mean(np.array(mention_p) < 0.05)
    family_rate = np.mean(np.array(holm_min) < 0.05)
    unadjusted_rate = np.mean(np.array(raw_min) < 0.05)
    print(
        f"rejection at 5 %: mentions {mention_rate:.3f} (mean χ² {np.mean(mention_stat):.1f},"
        f" df 15), per person with Holm {family_rate:.3f}, without {unadjusted_rate:.3f}"
    )
    assert family_rate <= 0.06  # Holm: family-wise error ≤ α (± simulation error)
    assert unadjusted_rate >= 0.12  # six tests unadjusted: the family-wise error grows
    assert mention_rate <= 0.02  # far from its nominal 5 %
    assert np.mean(mention_stat) < 12  # a χ² with 15 df has mean 15
