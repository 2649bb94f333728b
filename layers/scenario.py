"""The "3 × 1" remittance scenario (issue 18.2): what a matching-fund scheme like Mexico's
"Tres por Uno" would raise in a year for one origin region.

Every step is kept, so the page can show it with its unit and source:

1. the country's personal remittances received, US$ (World Bank BX.TRF.PWKR.CD.DT: real);
2. the region's share of the country's remitters in the survey (modelled: published,
   protected counts only; a withheld count gives no share, never a guess);
3. the region's remittances = 1 × 2 (modelled: assumes remittances split like remitters);
4. the channelled part = 3 × the chosen percentage (scenario);
5. one match per level (municipal, county, national), each equal to 4 (scenario: 1 : 1);
6. the yearly fund = 4 + the three matches = 4 × step 4 (scenario).

Plain arithmetic on numbers (tests/layers/test_scenario.py) and two functions that read the
numbers from a dataset."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers import publication, queries, regions
from layers.disclosure import Policy
from layers.queries import FlowFilter, InvalidParameter
from layers.survey import CHANNEL_INDEX

INDICATOR = "BX.TRF.PWKR.CD.DT"  # personal remittances received, current US$
LEVELS = ("municipal", "county", "national")  # each matches the channelled amount 1 : 1
SHARE_RANGE = (0, 20)  # per cent of the region's remittances, whole numbers
# 1 %: a cautious start. A scheme only collects what migrants give freely to club projects
# on top of what they send their families, and most remittances go to household needs
# (the study, ch. 5); the slider shows what more would raise.
DEFAULT_SHARE = 1
DEFAULT_REGION = "RO224"  # Galați: the county of Toflea, the study's example (ch. 5)


@dataclass(frozen=True)
class Steps:
    """One region's scenario, step by step (US$ unless named otherwise)."""

    region: str  # NUTS 3
    country: str  # RO | BG
    year: int  # of the World Bank value
    vintage: str  # the World Bank release the value is from
    national: float  # 1: the country's remittances received
    region_remitters: float  # 2: published count (NaN: withheld)
    country_remitters: float  # 2: published count of the country's remitters
    regional_share: float  # 2: a fraction 0–1 (NaN: not published)
    regional: float  # 3 = 1 × 2
    channelled_percent: float  # 4: the scenario's choice
    channelled: float  # 4 = 3 × percent / 100
    match: float  # 5: what each level adds
    fund: float  # 6 = 4 × (1 + len(LEVELS))

    @property
    def published(self) -> bool:
        return not math.isnan(self.regional_share)


def parse_share(value) -> int:
    """A whole percentage 0–20 (a slider's number, or the address's text)."""
    number = int(value) if isinstance(value, str) and value.isdigit() else value
    low, high = SHARE_RANGE
    if isinstance(number, int) and not isinstance(number, bool) and low <= number <= high:
        return number
    raise InvalidParameter("share", value, f"a whole number of per cent {low}–{high}")


def regional_share(region_remitters: float, country_remitters: float) -> float:
    """The region's fraction of its country's remitters; NaN when either count is not
    published or the country has none."""
    if math.isnan(region_remitters) or math.isnan(country_remitters) or country_remitters <= 0:
        return math.nan
    return region_remitters / country_remitters


def fund(national: float, share: float, percent: float) -> dict[str, float]:
    """Steps 3–6 from the national remittances, the regional share (0–1) and the
    channelled percentage: regional, channelled, match (per level) and fund."""
    regional = national * share
    channelled = regional * percent / 100.0
    return {"regional": regional, "channelled": channelled, "match": channelled,
            "fund": channelled * (1 + len(LEVELS))}  # fmt: skip


def national_value(series: pd.DataFrame, country: str, year: int) -> tuple[int, float, str]:
    """(year, US$, vintage) of ``country`` in ``series`` (year, country_iso2, value, vintage)
    for ``year``, or for the latest earlier year with a value (NaN if none)."""
    rows = series[(series["country_iso2"] == country) & (series["year"] <= year)]
    rows = rows.dropna(subset=["value"]).sort_values("year")
    if rows.empty:
        return year, math.nan, ""
    last = rows.iloc[-1]
    return int(last["year"]), float(last["value"]), str(last["vintage"])


def _remitters(ds, f: FlowFilter, policy: Policy) -> tuple[np.ndarray, dict[str, float]]:
    """Published remitters per origin region (code order) and per country, for the filter's
    migration types (both countries: a region's share is of its own country)."""
    pub = publication.for_dataset(ds, policy)
    channel = [CHANNEL_INDEX["remitters"]]
    both = publication.COUNTRIES
    by_region = publication.by_area(pub, channel, "origin", f.types, both, False)[:, 0]
    totals = {c: float(publication.for_area(pub, channel, None, None, f.types, (c,))[0])
              for c in both}  # fmt: skip
    return by_region, totals


def _series(ds) -> pd.DataFrame:
    table = ds.country_indicators
    return table[table["indicator"] == INDICATOR]


def steps_for(ds, f: FlowFilter, region: str, percent: int, policy: Policy) -> Steps:
    """The scenario for origin region ``region`` (NUTS 3): World Bank value of the filter's
    last year (or the latest before it), survey remitters of the filter's types."""
    if region not in queries.ORIGIN_CODES:
        raise InvalidParameter("region", region, "a NUTS 3 code of the 70 origin regions")
    by_region, totals = _remitters(ds, f, policy)
    country = regions.origin_by_nuts3()[region].country
    year, national, vintage = national_value(_series(ds), country, f.year_to)
    count = float(by_region[queries.ORIGIN_CODES.index(region)])
    share = regional_share(count, totals[country])
    return Steps(region, country, year, vintage, national, count, totals[country], share,
                 channelled_percent=percent, **fund(national, share, percent))  # fmt: skip


def all_regions(ds, f: FlowFilter, percent: int, policy: Policy) -> pd.DataFrame:
    """The scenario for all 70 regions (index: NUTS 3 in code order): country, regional
    share (0–1), regional remittances, channelled amount and fund (US$; NaN: withheld)."""
    by_region, totals = _remitters(ds, f, policy)
    rows = []
    for region, count in zip(queries.ORIGIN_CODES, by_region, strict=True):
        country = regions.origin_by_nuts3()[region].country
        national = national_value(_series(ds), country, f.year_to)[1]
        share = regional_share(float(count), totals[country])
        found = fund(national, share, percent)
        rows.append({"nuts3": region, "country": country, "regional_share": share,
                     "regional": found["regional"], "channelled": found["channelled"],
                     "fund": found["fund"]})  # fmt: skip
    return pd.DataFrame(rows).set_index("nuts3")
