"""The "3 × 1" scenario's arithmetic (layers/scenario.py) on hand-made numbers, and its
steps read from the demo dataset: real World Bank value, protected survey counts."""

import math

import numpy as np
import pandas as pd
import pytest

from layers import publication, queries, scenario
from layers.disclosure import Policy
from layers.queries import FlowFilter, InvalidParameter
from layers.survey import CHANNEL_INDEX


def test_regional_share_is_the_regions_part_of_its_countrys_remitters():
    assert scenario.regional_share(30, 120) == 0.25
    assert scenario.regional_share(94, 1196) == pytest.approx(0.078595, abs=1e-6)
    assert math.isnan(scenario.regional_share(math.nan, 120))  # withheld: no share, no guess
    assert math.isnan(scenario.regional_share(30, math.nan))
    assert math.isnan(scenario.regional_share(0, 0))


def test_fund_is_four_times_the_channelled_amount():
    # US$ 2,000 nationally, a quarter of it to the region, 10 % channelled:
    # 500 regional, 50 channelled, 50 from each of three levels, 200 in the fund.
    assert scenario.fund(2000, 0.25, 10) == {
        "regional": 500.0, "channelled": 50.0, "match": 50.0, "fund": 200.0}  # fmt: skip
    # Romania 2024 (US$ 9,523.6 million), a region with 10 % of the remitters, 1 %:
    # 952.36 million regional, 9.5236 million channelled, 38.0944 million in the fund.
    found = scenario.fund(9_523_600_000, 0.1, 1)
    assert found["regional"] == pytest.approx(952_360_000)
    assert found["channelled"] == pytest.approx(9_523_600)
    assert found["fund"] == pytest.approx(38_094_400)
    assert scenario.fund(1000, 0.5, 0)["fund"] == 0.0
    assert math.isnan(scenario.fund(1000, math.nan, 5)["fund"])
    assert scenario.LEVELS == ("municipal", "county", "national")


def test_national_value_takes_the_year_or_the_latest_before_it():
    series = pd.DataFrame({
        "country_iso2": ["RO", "RO", "RO", "BG"],
        "year": [2022, 2023, 2024, 2023],
        "value": [100.0, np.nan, 300.0, 50.0],
        "vintage": ["2025-07-01"] * 4,
    })  # fmt: skip
    assert scenario.national_value(series, "RO", 2024) == (2024, 300.0, "2025-07-01")
    assert scenario.national_value(series, "RO", 2023) == (2022, 100.0, "2025-07-01")
    assert scenario.national_value(series, "BG", 2030) == (2023, 50.0, "2025-07-01")
    year, value, vintage = scenario.national_value(series, "BG", 2020)
    assert (year, vintage) == (2020, "") and math.isnan(value)


@pytest.mark.parametrize("value", [21, -1, "21", "x", 2.5, True, None, "1.0"])
def test_bad_shares_are_refused_with_the_allowed_range(value):
    with pytest.raises(InvalidParameter, match="0–20"):
        scenario.parse_share(value)


def test_shares_from_the_slider_and_the_address():
    assert scenario.parse_share(0) == 0
    assert scenario.parse_share(20) == 20
    assert scenario.parse_share("5") == 5


def _published_remitters(ds, types, policy):
    pub = publication.for_dataset(ds, policy)
    channel = [CHANNEL_INDEX["remitters"]]
    region = publication.by_area(pub, channel, "origin", types, ("RO", "BG"), False)[:, 0]
    ro = publication.for_area(pub, channel, None, None, types, ("RO",))[0]
    return region, ro


def test_steps_start_from_the_real_series_and_the_published_counts(demo_dataset):
    policy = Policy(5)
    f = queries.parse_filter()  # 2014–2024, all types
    steps = scenario.steps_for(demo_dataset, f, "RO224", 1, policy)
    # The World Bank's value for Romania 2024, vintage 2025-07-01 (data/sources.md).
    assert (steps.country, steps.year, steps.vintage) == ("RO", 2024, "2025-07-01")
    assert steps.national == 9_523_600_000
    region, ro = _published_remitters(demo_dataset, f.types, policy)
    galati = region[queries.ORIGIN_CODES.index("RO224")]
    assert (steps.region_remitters, steps.country_remitters) == (galati, ro)
    assert steps.regional_share == pytest.approx(galati / ro)
    assert steps.fund == pytest.approx(4 * steps.channelled)
    assert steps.channelled == pytest.approx(9_523_600_000 * galati / ro / 100)
    # An earlier last year takes that year's value: Bulgaria 2019, US$ 2,135.7 million.
    early = FlowFilter(2015, 2019, f.types, f.countries)
    assert scenario.steps_for(demo_dataset, early, "BG311", 1, policy).national == 2_135_700_000


def test_a_withheld_region_gets_no_fund_and_the_map_matches_the_steps(demo_dataset):
    policy = Policy(5)
    f = FlowFilter(2014, 2024, ("circular",), ("RO", "BG"))
    region, _ = _published_remitters(demo_dataset, f.types, policy)
    withheld = queries.ORIGIN_CODES[int(np.flatnonzero(np.isnan(region))[0])]
    steps = scenario.steps_for(demo_dataset, f, withheld, 5, policy)
    assert not steps.published and math.isnan(steps.fund)
    table = scenario.all_regions(demo_dataset, f, 5, policy)
    assert len(table) == 70 and table["fund"].isna().sum() == np.isnan(region).sum()
    shown = scenario.steps_for(demo_dataset, f, "RO224", 5, policy)
    assert table.loc["RO224", "fund"] == pytest.approx(shown.fund)
    # Each country's published regional shares add up to at most the whole country.
    assert table.groupby("country")["regional_share"].sum().le(1 + 1e-9).all()


def test_an_unknown_region_is_refused(demo_dataset):
    with pytest.raises(InvalidParameter, match="NUTS 3"):
        scenario.steps_for(demo_dataset, queries.parse_filter(), "XX999", 1, Policy(5))


def test_no_withheld_region_follows_from_its_countrys_total_minus_the_others(demo_dataset):
    """The differencing attack on the scenario's own figures: the tab shows each country's
    published remitters and every published region's; where a country had exactly one
    withheld region, total − the others would give it. Tried for every set of types."""
    import itertools

    from layers import regions

    country = [r.nuts3[:2] for r in regions.ORIGIN_REGIONS]
    policy, tried = Policy(), 0
    for k in range(1, 5):
        for types in itertools.combinations(
            ("immigrant", "return", "circular", "transnational"), k
        ):
            by_region, totals = scenario._remitters(demo_dataset, FlowFilter(types=types), policy)
            for c in ("RO", "BG"):
                own = [i for i, x in enumerate(country) if x == c]
                withheld = [i for i in own if math.isnan(by_region[i])]
                tried += 1
                assert len(withheld) != 1 or math.isnan(totals[c]), (types, c)
    assert tried == 30
