"""Minimum bases (issue 16.1): every rate, variance and share below its minimum base keeps its
value and is flagged by ``<id>_low_base``; on hand-made flows and respondents whose bases
can be counted by hand."""

import numpy as np
import pyogrio
import pytest

from layers import catalogue, indicators, package, queries, small_bases
from layers.disclosure import Policy
from tests.helpers import DORTMUND, DUISBURG, GELSENKIRCHEN, edited_catalogue, small_base_dataset

TWO_YEARS = queries.parse_filter(years="2014-2015")


@pytest.fixture(scope="module")
def flows():
    table = indicators.indicator_table(
        small_base_dataset(), TWO_YEARS, "municipality", None,
        ("arrivals_cv", "arrivals_sd", "arrivals_per_1000", "net_per_1000", "churn"),
    )  # fmt: skip
    return table.loc[[DORTMUND, DUISBURG, GELSENKIRCHEN]]


def test_the_rules_are_declared_for_every_indicator_but_a_count():
    rules = {i.id: i.min_base for i in catalogue.CATALOGUE.values()}
    assert all(rules[i] is None for i in ("arrivals", "departures", "net", "turnover"))
    assert rules["respondents"] is None  # a count, exact as published
    mean = rules["arrivals_cv"]
    assert (mean.of, mean.minimum, mean.per_year) == ("arrivals", 20, True)
    assert rules["arrivals_sd"] is mean and rules["departures_cv"].of == "departures"
    assert (rules["net_sd"].of, rules["net_sd"].per_year) == ("moves", True)
    assert (rules["churn"].of, rules["churn"].minimum, rules["churn"].per_year) == (
        "moves",
        20,
        False,
    )
    assert rules["arrivals_per_1000"].of == "arrivals" and rules["net_per_1000"].of == "moves"
    assert (rules["need_housing"].of, rules["need_housing"].minimum) == ("respondents", 30)
    assert rules["remittance_use_housing"].of == "remitters"
    assert rules["language_shannon"].of == "respondents"
    assert not rules["typology"].applies and not catalogue.CATALOGUE["typology"].flagged
    assert "no minimum base" in catalogue.CATALOGUE["typology"].definition("en")


def test_definitions_say_the_minimum_base_in_both_languages():
    cv = catalogue.CATALOGUE["arrivals_cv"]
    assert cv.definition("de").endswith(
        "; Mindestbasis: im Mittel 20 Zuzüge je Jahr; darunter wird der Wert gezeigt, aber "
        "als unsicher markiert (geringe Basis)"
    )
    assert "minimum base: a mean of 20 arrivals a year" in cv.definition("en")
    uses = catalogue.CATALOGUE["remittance_use_housing"].definition("de")
    assert "Mindestbasis: 30 Überweisende" in uses
    assert (
        catalogue.CATALOGUE["arrivals"].definition("en")
        == (catalogue.CATALOGUE["arrivals"].formula["en"])
    )


def test_variance_flags_a_mean_under_20_persons_a_year(flows):
    # Dortmund 140 + 160 = 300 arrivals in 2 years: mean 150, SD 14.142, CV 0.0943
    # Duisburg 2 + 3 = 5: mean 2.5, SD 0.7071, CV 0.2828 – flagged, value kept
    # Gelsenkirchen 19 + 20 = 39: mean 19.5 < 20, CV 0.0363 – flagged
    assert flows["arrivals_cv"].tolist() == pytest.approx([0.094281, 0.282843, 0.036262],
                                                          abs=1e-6)  # fmt: skip
    assert flows["arrivals_cv_low_base"].tolist() == [False, True, True]
    assert flows["arrivals_sd_low_base"].tolist() == [False, True, True]
    assert flows["arrivals_cv_low_base"].dtype == bool


def test_rates_and_churn_flag_fewer_than_20_persons_together(flows):
    # arrival rate: 300, 5 and 39 arrivals; net rate and churn: 310, 5 and 39 moves
    assert flows["arrivals_per_1000_low_base"].tolist() == [False, True, False]
    assert flows["net_per_1000_low_base"].tolist() == [False, True, False]
    assert flows["churn"].tolist() == pytest.approx([10 / 300, 0.0, 0.0])
    assert flows["churn_low_base"].tolist() == [False, True, False]


def test_a_mean_of_exactly_20_is_not_flagged_and_no_value_no_flag():
    rule = catalogue.CATALOGUE["arrivals_cv"]
    flags = small_bases.low_base([0.1, 0.1, np.nan, 0.1], [40, 39, 3, np.nan], rule, 2)
    assert flags.tolist() == [False, True, False, False]  # 20 a year; 19.5; no CV; no base
    one = indicators.indicator_table(small_base_dataset(), queries.parse_filter(years="2014"),
                                     "municipality", None, ("arrivals_cv",))  # fmt: skip
    assert not one["arrivals_cv_low_base"].any()  # one year: no CV at all, so no flag


def test_shares_flag_a_base_under_30_respondents_or_remitters():
    wanted = ("need_housing", "remittance_use_housing", "language_richness")
    table = indicators.indicator_table(small_base_dataset(survey=True), queries.parse_filter(),
                                       "municipality", None, wanted,
                                       Policy()).loc[[DORTMUND, DUISBURG]]  # fmt: skip
    assert table["need_housing"].tolist() == [25.0, 50.0]  # 10 of 40, 6 of 12
    assert table["need_housing_n"].tolist() == [40, 12]
    assert table["need_housing_low_base"].tolist() == [False, True]
    # Dortmund's 8 of 25 remitters: the base of a use is its remitters, under 30
    assert table.loc[DORTMUND, "remittance_use_housing"] == 32.0
    assert bool(table.loc[DORTMUND, "remittance_use_housing_low_base"])
    assert not table.loc[DUISBURG, "remittance_use_housing_low_base"]  # no remitters: no share
    assert table["language_richness_low_base"].tolist() == [False, True]  # 40 and 12 asked
    columns = list(table.columns)
    assert columns[columns.index("need_housing_n") + 1] == "need_housing_low_base"


def test_a_rate_without_its_minimum_base_fails_at_import(tmp_path):
    broken = edited_catalogue(tmp_path, 'min_base = "arrivals"\n', "")
    with pytest.raises(ValueError, match="'arrivals_per_1000': every indicator but a count"):
        catalogue._load(broken)


def _read_back(fmt: str, tmp_path, indicators=("arrivals", "arrivals_cv", "need_housing")):
    frame = package.layer_frame(
        small_base_dataset(survey=True), TWO_YEARS, "municipalities", indicators, Policy()
    )
    path = tmp_path / f"layer.{package.FORMATS[fmt][0]}"
    path.write_bytes(package.layer_bytes(frame, fmt, "municipalities"))
    return frame, pyogrio.read_dataframe(path, read_geometry=fmt != "csv").set_index("ags")


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "geojson"])
def test_downloads_carry_the_flags_read_back_with_gdal(fmt, tmp_path):
    _, back = _read_back(fmt, tmp_path)
    flags = back[["arrivals_cv_low_base", "need_housing_low_base"]]
    if fmt == "csv":  # GDAL reads a CSV's columns as text
        flags = flags == "True"
    else:
        assert all(dtype is np.dtype(bool) for dtype in flags.dtypes)
    assert flags.loc[[DORTMUND, DUISBURG, GELSENKIRCHEN], "arrivals_cv_low_base"].tolist() == [
        False, True, True]  # fmt: skip
    assert flags.loc[[DORTMUND, DUISBURG], "need_housing_low_base"].tolist() == [False, True]
    assert float(back.loc[DUISBURG, "arrivals_cv"]) == 0.2828  # the value stays (4 decimals)
    assert "arrivals_low_base" not in back.columns  # a count has no minimum base


def test_the_descriptor_describes_each_flag(tmp_path):
    frame, _ = _read_back("csv", tmp_path)
    meta = package.descriptor(frame, "municipalities", "csv", TWO_YEARS, "both",
                              small_base_dataset(survey=True), Policy())  # fmt: skip
    fields = {f["name"]: f for f in meta["resources"][0]["schema"]["fields"]}
    flag = fields["arrivals_cv_low_base"]
    assert flag["type"] == "boolean"
    assert flag["description"].startswith(
        "True where arrivals_cv is below its minimum base: a mean of 20 arrivals a year."
    )
    assert "30 respondents" in fields["need_housing_low_base"]["description"]
    assert "minimum base: a mean of 20 arrivals a year" in fields["arrivals_cv"]["description"]
    assert "<id>_low_base" in meta["small_bases"]
