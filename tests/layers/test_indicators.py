"""Each indicator on hand-made numbers, the expected values written out."""

import itertools
import math

import numpy as np
import pytest

from layers import association, catalogue, indicators, queries, vocab
from layers.disclosure import Policy
from layers.queries import Areas, Selection
from tests.helpers import (
    DORTMUND,
    DUISBURG,
    FLOW_ROWS,
    GALATI,
    GELSENKIRCHEN,
    PLOVDIV,
    TINY_RESPONDENTS,
    edited_catalogue,
    tiny_dataset,
)

EXACT = Policy(threshold=1)  # hand-computed plumbing: nothing suppressed


@pytest.fixture(scope="module")
def ds():
    return tiny_dataset(respondents=TINY_RESPONDENTS)


def test_formulas_on_small_numbers():
    yearly = np.array([[10.0, 0.0], [20.0, 0.0], [30.0, 0.0]])
    assert indicators.sample_sd(yearly)[0] == pytest.approx(10.0)  # n−1 in the denominator
    assert indicators.coefficient_of_variation(yearly)[0] == pytest.approx(0.5)
    assert math.isnan(indicators.coefficient_of_variation(yearly)[1])  # mean 0: undefined
    assert math.isnan(indicators.sample_sd(yearly[:1])[0])  # one year: no spread
    assert indicators.churn(np.array([10, 4, 0]), np.array([4, 10, 0]))[:2].tolist() == [0.4, 0.4]
    assert math.isnan(indicators.churn(np.array([0]), np.array([0]))[0])
    assert indicators.richness(np.array([[3, 0, 1]]))[0] == 2
    h = -(0.5 * math.log(0.5) + 2 * 0.25 * math.log(0.25))
    assert indicators.shannon(np.array([[2, 1, 1, 0]]))[0] == pytest.approx(h)
    assert indicators.shannon(np.array([[5, 0]]))[0] == 0.0
    assert math.isnan(indicators.shannon(np.array([[0, 0]]))[0])


def test_variance_indicators_from_yearly_flows(ds):
    f = queries.parse_filter(years="2014-2015")
    table = indicators.indicator_table(ds, f, "municipality", indicators=(
        "arrivals", "arrivals_sd", "arrivals_cv", "departures_cv", "net_sd", "churn", "turnover"
    ))  # fmt: skip
    dortmund = table.loc[DORTMUND]
    # Dortmund arrivals 10 (2014) and 6 (2015); departures 4 and 0; net 6 and 6
    assert dortmund["arrivals_sd"] == pytest.approx(math.sqrt(8))
    assert dortmund["arrivals_cv"] == pytest.approx(math.sqrt(8) / 8)
    assert dortmund["departures_cv"] == pytest.approx(math.sqrt(8) / 2)
    assert dortmund["net_sd"] == 0
    assert dortmund["churn"] == pytest.approx(4 / 16)
    assert dortmund["turnover"] == 20
    single = indicators.indicator_table(ds, queries.parse_filter(years=2014), "municipality",
                                        indicators=("arrivals_sd",))  # fmt: skip
    assert math.isnan(single.loc[DORTMUND, "arrivals_sd"])


def test_survey_indicators_for_dortmund(ds):
    table = indicators.indicator_table(ds, queries.parse_filter(), "municipality", policy=EXACT)
    d = table.loc[DORTMUND]
    assert d["respondents"] == 6
    assert d["language_richness"] == 5  # ro, de, it, rom, en
    p = np.array([6, 2, 1, 1, 1]) / 11  # mentions: ro 6, de 2, it, rom, en 1 each
    assert d["language_shannon"] == pytest.approx(-(p * np.log(p)).sum())
    assert d["language_effective"] == pytest.approx(math.exp(-(p * np.log(p)).sum()))
    assert d["destination_richness"] == 3  # IT 3, ES 2, GB 1
    q = np.array([3, 2, 1]) / 6
    assert d["destination_shannon"] == pytest.approx(-(q * np.log(q)).sum())
    assert d["remitting_share"] == pytest.approx(100 * 4 / 6)
    assert d["need_work"] == pytest.approx(50.0)
    assert d["need_housing"] == pytest.approx(100 * 2 / 6)
    assert d["need_none"] == pytest.approx(100 / 6)
    assert d["need_other"] == 0.0


def test_survey_indicators_are_suppressed_below_the_threshold(ds):
    table = indicators.indicator_table(ds, queries.parse_filter(), "municipality")
    d = table.loc[DORTMUND]
    # 4 remitters < 5: the uses are suppressed
    assert d["remittance_use_suppressed"] and math.isnan(d["remittance_use_household"])
    # Duisburg rests on 2 respondents: everything from the survey is suppressed
    assert table.loc[DUISBURG, "survey_suppressed"]
    assert table.loc[DUISBURG, ["respondents", "remitting_share", "need_work"]].isna().all()
    assert table.loc[DUISBURG, "arrivals"] == 20  # flows are never suppressed


def test_remittance_uses_with_a_lower_threshold(ds):
    table = indicators.indicator_table(ds, queries.parse_filter(), "municipality",
                                       policy=Policy(threshold=1))  # fmt: skip
    d = table.loc[DORTMUND]
    assert d[["remittance_use_household", "remittance_use_housing",
              "remittance_use_savings_debt", "remittance_use_education"]].tolist() == [
        50.0, 25.0, 25.0, 0.0
    ]  # fmt: skip


def test_survey_filters_and_linking(ds):
    circular = queries.parse_filter(types=["circular"])
    table = indicators.indicator_table(ds, circular, "municipality", policy=EXACT)
    assert table.loc[DORTMUND, "respondents"] == 3
    assert table.loc[DORTMUND, "remitting_share"] == 100.0
    duisburg = queries.Selection("municipality", DUISBURG)
    by_origin = indicators.indicator_table(ds, queries.parse_filter(), "origin", duisburg,
                                           policy=EXACT)  # fmt: skip
    # Pairs of areas (Duisburg's respondents from Plovdiv) are not in the publication.
    assert by_origin["respondents"].isna().all() and by_origin["survey_suppressed"].all()
    plovdiv = queries.Selection("origin", PLOVDIV)
    panel = indicators.category_counts(ds, queries.parse_filter(), plovdiv, "lang", EXACT)
    assert panel.attrs["respondents"] == 2


def test_support_needs_by_type_and_its_tests_in_persons(ds):
    frame, tests = indicators.support_needs_by_type(ds, queries.parse_filter(), None,
                                                    EXACT)  # fmt: skip
    assert frame.loc["circular", "housing"] == pytest.approx(100 * 2 / 3)
    assert frame.loc["immigrant", "work"] == pytest.approx(100 * 2 / 3)
    assert frame.loc["transnational", "respondents"] == 0  # nobody: a zero, no shares
    assert frame.loc["transnational", ["work", "housing"]].isna().all()
    # Persons, not mentions: immigrant R3, R4, R7 (work: R4, R7), return R5, R8 (none),
    # circular R1, R2, R6 (work: R1, R6); transnational has nobody and is left out.
    assert tests.groups == ("immigrant", "return", "circular") and tests.versus_rest is None
    work = tests.areas[0]
    # [[2, 0, 2], [1, 2, 1]], n = 8: expected 1.5, 1, 1.5 in both rows;
    # χ² = 4 · 0.5²/1.5 + 2 · 1²/1 = 2/3 + 2 = 8/3, df 2
    assert work.test.statistic == pytest.approx(8 / 3) and work.test.dof == 2
    assert work.test.n == 8
    status = {a.area: a.status for a in tests.areas}
    assert status["other"] == association.CONSTANT  # named by nobody
    tested = tests.with_status(association.TESTED)
    assert len(tested) == 5
    assert [a.p_holm for a in tested] == pytest.approx(
        association.holm([a.test.p_value for a in tested])
    )


def test_support_needs_with_one_type_compare_it_with_all_other_respondents(ds):
    circular = queries.parse_filter(types=["circular"])
    frame, tests = indicators.support_needs_by_type(ds, circular, None, EXACT)
    assert frame.index.tolist() == ["circular"]  # the chart shows the type ticked
    assert tests.versus_rest == "circular" and tests.groups == ("circular", "others")
    # work: circular 2 of 3 (R1, R6), the others 2 of 5 (R4, R7): χ² = 8/15 by hand
    # (tests/layers/test_association.py)
    assert tests.areas[0].test.statistic == pytest.approx(8 / 15)
    assert tests.areas[0].test.n == 8 and tests.areas[0].test.dof == 1


def test_support_needs_tests_use_only_published_counts(ds):
    """With k = 5 every type's respondent count in the tiny survey (2–3) is withheld: no
    area can be tested, and each is listed as withheld, not as "no difference"."""
    frame, tests = indicators.support_needs_by_type(ds, queries.parse_filter(), None, Policy())
    assert frame["respondents"].isna().sum() == 3
    assert {a.status for a in tests.areas} == {association.WITHHELD}


def test_support_needs_tests_on_the_demo_survey(demo_dataset):
    """The built-in pattern of Abbildung 5.1: housing and children's education differ by
    type (p < 0.001 after Holm) with all 3,000 respondents."""
    _, tests = indicators.support_needs_by_type(demo_dataset, queries.parse_filter(), None,
                                                Policy())  # fmt: skip
    by_area = {a.area: a for a in tests.areas}
    assert {a.status for a in tests.areas} == {association.TESTED}
    for area in ("housing", "children_education"):
        assert by_area[area].p_holm < 0.001 and by_area[area].test.n == 3000
    _, one = indicators.support_needs_by_type(
        demo_dataset, queries.parse_filter(types=["return"]), None, Policy()
    )
    assert one.versus_rest == "return" and one.areas[0].test.n == 3000


def test_category_counts_publish_no_small_category(ds):
    exact = indicators.category_counts(ds, queries.parse_filter(), None, "lang", EXACT)
    counts = exact.set_index("code")["count"]
    assert counts["ro"] == 6 and counts["de"] == 2 and counts["bg"] == 2 and counts["tr"] == 1
    assert exact.attrs["richness"] == 7
    table = indicators.category_counts(ds, queries.parse_filter(), None, "lang", Policy(2))
    row = table.set_index("code").loc["tr"]
    assert row["suppressed"] and math.isnan(row["count"])  # 1 speaker < 2
    shown = table.loc[~table["suppressed"], "count"]
    assert ((shown == 0) | (shown >= 2)).all()
    assert table.attrs["richness"] == int((shown > 0).sum())


def test_demo_sample_has_23_languages_and_33_destinations(demo_dataset):
    f = queries.parse_filter()
    languages = indicators.category_counts(demo_dataset, f, None, "lang", Policy())
    countries = indicators.category_counts(demo_dataset, f, None, "prior", Policy())
    # Every one of the 23 languages and 33 countries is named in the Ruhr: each is either
    # published (≥ 5 respondents) or, where fewer name it, not published; none is zero.
    for table, n in ((languages, 23), (countries, 33)):
        assert len(table) == n and (table["suppressed"] | (table["count"] >= 5)).all()
        assert table.attrs["richness"] == int((~table["suppressed"]).sum()) >= n - 6


def test_national_remittance_series_are_real_with_vintage(demo_dataset):
    usd = indicators.national_series(demo_dataset, "BX.TRF.PWKR.CD.DT")
    ro_2024 = usd[(usd.country_iso2 == "RO") & (usd.year == 2024)].iloc[0]
    assert ro_2024["value"] == pytest.approx(9523.6e6) and ro_2024["vintage"] == "2025-07-01"
    gdp = indicators.national_series(demo_dataset, "BX.TRF.PWKR.DT.GD.ZS")
    bg_2020 = gdp[(gdp.country_iso2 == "BG") & (gdp.year == 2020)].iloc[0]
    assert bg_2020["value"] == pytest.approx(1.37) and bg_2020["vintage"] == "2022-02-15"
    with pytest.raises(queries.InvalidParameter):
        indicators.national_series(demo_dataset, "NY.GDP.MKTP.CD")


def test_top_flows(ds):
    flows = indicators.top_flows(ds, queries.parse_filter(), "arrival", top_n=1, min_persons=0)
    assert flows[["origin_nuts3", "destination_ags", "persons"]].values.tolist() == [
        [PLOVDIV, DUISBURG, 20]
    ]
    assert 6 < flows.loc[0, "destination_lon"] < 7.5 and 24 < flows.loc[0, "origin_lon"] < 25.5
    departures = indicators.top_flows(ds, queries.parse_filter(), "departure", 10, 5)
    assert departures["persons"].tolist() == [5]  # Galați's 4 are below the minimum
    with pytest.raises(queries.InvalidParameter):
        indicators.top_flows(ds, queries.parse_filter(), "sideways", 10, 0)


def _pairs(flows) -> list:
    return flows[["origin_nuts3", "destination_ags", "persons"]].values.tolist()


def test_top_flows_of_a_selection_are_only_its_flows():
    ds = tiny_dataset(FLOW_ROWS)

    def top(selection, direction="arrival", min_persons=0):
        return _pairs(indicators.top_flows(ds, queries.parse_filter(), direction, 25,
                                           min_persons, selection))  # fmt: skip

    assert top(None) == [[PLOVDIV, DUISBURG, 20], [GALATI, DORTMUND, 16],
                         [PLOVDIV, DORTMUND, 7], [GALATI, GELSENKIRCHEN, 3]]  # fmt: skip
    # A Ruhr municipality: the flows into it, 16 + 7 = 23 persons.
    assert top(Selection("municipality", DORTMUND)) == [[GALATI, DORTMUND, 16],
                                                        [PLOVDIV, DORTMUND, 7]]  # fmt: skip
    # An origin region: the flows from it, 16 + 3 = 19 persons.
    assert top(Selection("origin", GALATI)) == [[GALATI, DORTMUND, 16], [GALATI, GELSENKIRCHEN, 3]]
    # Several compared: the flows of either, 20 + 3 = 23 persons.
    assert top(Areas("municipality", (DUISBURG, GELSENKIRCHEN))) == [
        [PLOVDIV, DUISBURG, 20], [GALATI, GELSENKIRCHEN, 3]]  # fmt: skip
    assert top(Selection("municipality", DORTMUND), "departure") == [[GALATI, DORTMUND, 4]]
    assert top(Selection("origin", PLOVDIV), min_persons=10) == [[PLOVDIV, DUISBURG, 20]]
    assert top(Selection("municipality", "05911000")) == []  # Bochum: no flows at all


def test_flow_end_totals_add_up_the_flows_shown_at_each_end():
    ds = tiny_dataset(FLOW_ROWS)
    flows = indicators.top_flows(ds, queries.parse_filter(), "arrival", 25, 0)
    origins = indicators.flow_end_totals(flows, "origin")
    assert origins[["code", "name", "persons", "flows"]].values.tolist() == [
        [PLOVDIV, "Plovdiv", 27, 2], [GALATI, "Galați", 19, 2]]  # 20 + 7, 16 + 3  # fmt: skip
    ruhr = indicators.flow_end_totals(flows, "municipality")
    assert ruhr[["code", "persons", "flows"]].values.tolist() == [
        [DORTMUND, 23, 2], [DUISBURG, 20, 1], [GELSENKIRCHEN, 3, 1]]  # fmt: skip
    assert ruhr.loc[0, ["lon", "lat"]].tolist() == ds.area_points.loc[DORTMUND].tolist()
    assert ruhr["persons"].sum() == origins["persons"].sum() == flows["persons"].sum() == 46
    none = indicators.flow_end_totals(flows.iloc[:0], "origin")
    assert none.empty and list(none.columns) == ["code", "name", "lon", "lat", "persons", "flows"]


def test_catalogue_declares_every_indicator_completely():
    required = [
        "arrivals", "departures", "net", "turnover", "arrivals_per_1000",
        "departures_per_1000", "net_per_1000", "arrivals_sd", "arrivals_cv", "departures_cv",
        "net_sd", "churn", "language_richness", "language_shannon", "language_effective",
        "destination_richness", "destination_shannon", "destination_effective",
        "remitting_share", *(f"remittance_use_{u}" for u in vocab.REMITTANCE_USES),
        *(f"need_{n}" for n in vocab.SUPPORT_NEEDS),
    ]  # fmt: skip
    assert set(required) <= set(catalogue.CATALOGUE)
    for indicator in catalogue.CATALOGUE.values():
        for field in ("label", "unit", "formula", "source"):
            value = getattr(indicator, field)
            assert value["de"] and value["en"], (indicator.id, field)
        assert indicator.basis in (catalogue.BASIS_FLOWS, catalogue.BASIS_SURVEY)
    assert catalogue.CATALOGUE["need_housing"].from_microdata
    assert not catalogue.CATALOGUE["churn"].from_microdata
    assert set(catalogue.NATIONAL_SERIES) == {"BX.TRF.PWKR.CD.DT", "BX.TRF.PWKR.DT.GD.ZS"}


def test_use_shares_with_suppressed_cells_name_the_remainder():
    nan = float("nan")
    shares = indicators.use_shares(np.array([3, nan, 2, nan, 0, 1]), 10.0)
    assert shares.index.tolist() == [*vocab.REMITTANCE_USES, "not_stated"]
    assert shares.dropna().tolist() == [30.0, 20.0, 0.0, 10.0]
    assert shares.attrs == {"remitters": 10.0, "not_published": 40.0}
    assert math.isnan(indicators.use_shares(np.zeros(6), 0.0).attrs["not_published"])
    assert math.isnan(indicators.use_shares(np.full(6, nan), nan).attrs["not_published"])


def _type_filters():
    for size in range(1, len(vocab.MIGRATION_TYPES) + 1):
        yield from itertools.combinations(vocab.MIGRATION_TYPES, size)


def test_remittance_uses_add_up_to_100_percent_of_remitters_everywhere(demo_dataset):
    """Single choice: for every municipality and the Ruhr × every type and country filter the
    published shares never exceed 100 %, and with the not-published remainder make 100 %."""
    selections = [None] + [queries.Selection("municipality", c) for c in queries.MUNICIPALITY_CODES]
    complete = partial = hidden = 0
    for types in _type_filters():
        for countries in (("RO", "BG"), ("RO",), ("BG",)):
            f = queries.FlowFilter(types=types, countries=countries)
            for selection in selections:
                shares = indicators.remittance_uses(demo_dataset, f, selection, Policy())
                remitters = shares.attrs["remitters"]
                if math.isnan(remitters) or remitters == 0:
                    assert shares.isna().all()
                    hidden += 1
                    continue
                assert shares.sum() <= 100.0 + 1e-9
                total = shares.sum() + shares.attrs["not_published"]
                assert total == pytest.approx(100.0)
                if shares.notna().all():
                    assert shares.sum() == pytest.approx(100.0)
                    assert shares.attrs["not_published"] == pytest.approx(0.0)
                    complete += 1
                else:
                    assert shares.attrs["not_published"] > 0  # a suppressed cell is never 0
                    partial += 1
    assert min(complete, partial, hidden) > 0  # every case met


def test_catalogue_file_names_every_survey_answer_once_in_both_languages():
    """catalogue.toml writes the per-answer indicators out; they must follow the vocabularies."""
    for area, label in vocab.SUPPORT_NEED_LABELS.items():
        need = catalogue.CATALOGUE[f"need_{area}"]
        assert all(label[lang] in need.label[lang] for lang in ("de", "en")), area
    uses = {i for i in catalogue.CATALOGUE if i.startswith("remittance_use_")}
    assert uses == {f"remittance_use_{u}" for u in catalogue.USE_LABELS}
    needs = {i for i in catalogue.CATALOGUE if i.startswith("need_")}
    assert needs == {f"need_{a}" for a in vocab.SUPPORT_NEEDS}


def test_a_typo_in_the_catalogue_file_fails_at_import(tmp_path):
    broken = edited_catalogue(tmp_path, 'group = "needs"', 'group = "neds"')
    with pytest.raises(ValueError, match="undeclared group"):
        catalogue._load(broken)
