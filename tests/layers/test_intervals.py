"""The 95 % Wilson intervals of the survey shares: by hand, against scipy, at the bounds, and
NaN wherever a count they rest on is withheld."""

import math

import numpy as np
import pytest
from scipy.stats import binomtest

from layers import catalogue, indicators, intervals, queries, vocab
from layers.disclosure import Policy
from layers.survey import CHANNEL_INDEX, CHANNELS
from tests.helpers import DORTMUND, TINY_RESPONDENTS, edited_catalogue, tiny_dataset

EXACT = Policy(threshold=1)
NAN = float("nan")


def test_wilson_for_12_of_40_by_hand_and_as_scipy_computes_it():
    # p = 12/40 = 0.3, z = 1.959964, z² = 3.841459
    # denominator 2 (n + z²) = 2 · 43.841459 = 87.682918
    # centre (2 n p + z²) / denominator = (24 + 3.841459) / 87.682918 = 0.317524
    # half z / denominator · √(4 n p (1 − p) + z²) = 0.022353 · √(33.6 + 3.841459)
    #      = 0.022353 · 6.118943 = 0.136777
    # low = 0.317524 − 0.136777 = 0.180748, high = 0.317524 + 0.136777 = 0.454300
    low, high = intervals.wilson(12, 40)
    assert float(low) == pytest.approx(0.180748, abs=1e-6)
    assert float(high) == pytest.approx(0.454300, abs=1e-6)
    scipy = binomtest(12, 40).proportion_ci(confidence_level=0.95, method="wilson")
    assert (float(low), float(high)) == pytest.approx((scipy.low, scipy.high), abs=1e-12)


def test_wilson_for_none_and_all_of_25_stays_inside_0_and_1():
    # 0 of 25: centre = z² / (2 (25 + z²)) = 3.841459 / 57.682918 = 0.066597 and half the
    # same (√(0 + z²) = z): the interval is 0 … 0.133193, not the empty Wald interval 0 … 0.
    low, high = intervals.wilson(0, 25)
    assert float(low) == 0.0 and float(high) == pytest.approx(0.133192, abs=1e-6)
    low, high = intervals.wilson(25, 25)  # the mirror image
    assert float(low) == pytest.approx(1 - 0.133192, abs=1e-6) and float(high) == 1.0
    for k in (0, 25):
        scipy = binomtest(k, 25).proportion_ci(method="wilson")
        assert np.allclose(intervals.wilson(k, 25), (scipy.low, scipy.high), atol=1e-12)


def test_wilson_equals_scipy_cell_by_cell():
    pairs = [(k, n) for n in (1, 2, 3, 5, 7, 13, 40, 99, 250, 1976) for k in
             sorted({0, 1, n // 3, n // 2, n - 1, n})]  # fmt: skip
    k, n = np.array(pairs).T
    low, high = intervals.wilson(k, n)
    for i, (ki, ni) in enumerate(pairs):
        scipy = binomtest(int(ki), int(ni)).proportion_ci(method="wilson")
        assert (low[i], high[i]) == pytest.approx((scipy.low, scipy.high), abs=1e-12), (ki, ni)
        assert 0.0 <= low[i] <= ki / ni <= high[i] <= 1.0


def test_a_withheld_count_or_base_gives_no_interval():
    low, high = intervals.wilson([NAN, 3, 0, 3], [10, NAN, 0, 2])  # k > n cannot be a share
    assert np.isnan(low).all() and np.isnan(high).all()
    columns = intervals.share_columns("need_housing", [NAN, 2.0], [6.0, 6.0])
    assert math.isnan(columns["need_housing_ci_low"][0])
    assert math.isnan(columns["need_housing_ci_high"][0])
    assert columns["need_housing_n"].tolist() == [6.0, 6.0]  # the base is published
    assert columns["need_housing"][1] == pytest.approx(100 * 2 / 6)


def test_survey_columns_propagate_withheld_cells_to_the_interval():
    """Two areas: the first with every count published, the second with its housing count
    withheld (NaN) and its remitters withheld (so every use is without base)."""
    values = np.zeros((2, len(CHANNELS)))
    values[:, CHANNEL_INDEX["respondents"]] = 40
    values[:, CHANNEL_INDEX["remitters"]] = [25, NAN]
    values[:, CHANNEL_INDEX["need:housing"]] = [12, NAN]
    values[:, CHANNEL_INDEX["use:household"]] = [25, 7]
    columns = indicators._survey_columns(values)
    assert columns["need_housing"][0] == 30.0
    assert columns["need_housing_ci_low"][0] == pytest.approx(18.0748, abs=1e-4)
    assert columns["need_housing_ci_high"][0] == pytest.approx(45.4300, abs=1e-4)
    assert columns["need_housing_n"].tolist() == [40.0, 40.0]
    assert np.isnan([columns[f"need_housing{s}"][1] for s in ("", "_ci_low", "_ci_high")]).all()
    assert columns["remittance_use_household_ci_high"][0] == 100.0  # 25 of 25
    assert columns["remittance_use_household_ci_low"][0] == pytest.approx(86.6808, abs=1e-4)
    assert math.isnan(columns["remittance_use_household_n"][1])
    assert math.isnan(columns["remittance_use_household_ci_low"][1])
    assert columns["remitting_share_n"][0] == 40.0  # remitting: a share of the respondents


def test_indicator_table_puts_interval_and_base_beside_every_share():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    wanted = ("arrivals", "need_housing", "remittance_use_household", "respondents")
    table = indicators.indicator_table(ds, queries.parse_filter(), "municipality", None,
                                       wanted, EXACT)  # fmt: skip
    assert list(table.columns) == [
        "name", "population", "arrivals",
        "need_housing", "need_housing_ci_low", "need_housing_ci_high", "need_housing_n",
        "need_housing_low_base",  # its minimum base (tests/layers/test_small_bases.py)
        "remittance_use_household", "remittance_use_household_ci_low",
        "remittance_use_household_ci_high", "remittance_use_household_n",
        "remittance_use_household_low_base",
        "respondents", "survey_suppressed", "remittance_use_suppressed",
    ]  # fmt: skip
    dortmund = table.loc[DORTMUND]
    # housing: 2 of Dortmund's 6 respondents; household: 2 of its 4 remitters
    low, high = binomtest(2, 6).proportion_ci(method="wilson")
    assert dortmund["need_housing_ci_low"] == pytest.approx(100 * low)
    assert dortmund["need_housing_ci_high"] == pytest.approx(100 * high)
    assert dortmund["need_housing_n"] == 6
    low, high = binomtest(2, 4).proportion_ci(method="wilson")
    assert dortmund["remittance_use_household_ci_low"] == pytest.approx(100 * low)
    assert dortmund["remittance_use_household_n"] == 4
    hidden = indicators.indicator_table(
        ds, queries.parse_filter(), "municipality", None, ("need_housing",), Policy()
    )  # k = 5: all withheld
    assert hidden.loc[DORTMUND, ["need_housing_ci_low", "need_housing_n"]].isna().all()


def test_needs_by_type_and_uses_carry_the_interval():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    frame, _ = indicators.support_needs_by_type(ds, queries.parse_filter(), None, EXACT)
    low, high = binomtest(2, 3).proportion_ci(method="wilson")  # circular: R1, R2 of 3
    assert frame.loc["circular", "housing_ci_low"] == pytest.approx(100 * low)
    assert frame.loc["circular", "housing_ci_high"] == pytest.approx(100 * high)
    assert frame.loc["return", "work_ci_low"] == 0.0  # 0 of 2
    assert frame.loc["transnational", ["work_ci_low", "work_ci_high"]].isna().all()  # nobody
    uses = indicators.remittance_uses(ds, queries.parse_filter(), None, EXACT)
    assert uses.attrs["remitters"] == 5  # R1, R2, R4, R6, R7
    low, high = binomtest(3, 5).proportion_ci(method="wilson")  # household: R1, R4, R7
    assert uses.attrs["ci_low"][0] == pytest.approx(100 * low)
    assert uses.attrs["ci_high"][0] == pytest.approx(100 * high)
    withheld = indicators.use_shares([3, NAN, 0, 0, 0, 1], 5.0, with_intervals=True)
    assert math.isnan(withheld.attrs["ci_low"][1]) and withheld.attrs["ci_low"][2] == 0.0


def test_every_share_names_its_base_and_the_interval_method():
    shares = [i for i in catalogue.CATALOGUE.values() if i.has_interval]
    assert {i.id for i in shares} == set(indicators.SHARE_CHANNELS)
    assert len(shares) == 1 + len(vocab.REMITTANCE_USES) + len(vocab.SUPPORT_NEEDS)
    for indicator in shares:
        assert "Wilson" in indicator.formula["de"] and "Wilson" in indicator.formula["en"]
        expected = "remitters" if indicator.id.startswith("remittance_use_") else "respondents"
        assert indicator.base == expected, indicator.id
    assert not catalogue.CATALOGUE["respondents"].has_interval


def test_a_share_without_its_base_fails_at_import(tmp_path):
    broken = edited_catalogue(tmp_path, 'base = "remitters"', 'base = "remiters"')
    with pytest.raises(ValueError, match="names its base"):
        catalogue._load(broken)


def test_intervals_follow_from_the_published_share_and_base_alone(demo_dataset):
    """Nothing new for an attacker: on both maps and for several filters every interval is
    the Wilson interval of (share × n / 100, n), both already published, and it is empty
    exactly where the share is."""
    filters = [queries.parse_filter(), queries.parse_filter(types=["return"], countries="BG"),
               queries.parse_filter(types=["circular", "transnational"])]  # fmt: skip
    shares = tuple(indicators.SHARE_CHANNELS)
    checked = 0
    for f in filters:
        for side in ("municipality", "origin"):
            table = indicators.indicator_table(demo_dataset, f, side, None, shares, Policy())
            for share in shares:
                low_name, high_name, base_name = intervals.columns_of(share)
                n = table[base_name].to_numpy()
                k = np.round(table[share].to_numpy() * n / 100)
                low, high = intervals.wilson(k, n)
                assert np.allclose(table[low_name], 100 * low, equal_nan=True), share
                assert np.allclose(table[high_name], 100 * high, equal_nan=True), share
                assert (table[low_name].isna() == table[share].isna()).all(), share
                checked += int(table[share].notna().sum())
    assert checked > 1000
