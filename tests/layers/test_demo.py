"""The synthetic demonstration data: deterministic, honest flags, the study's structure."""

import hashlib
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from scipy import stats

from layers import demo, queries, vocab
from layers.dataset import snapshot_dir
from tests.helpers import DORTMUND, GALATI, GELSENKIRCHEN

SOURCES = (Path(__file__).resolve().parents[2] / "data" / "sources.md").read_text("utf-8")


def _digests(root):
    folder = snapshot_dir(root)
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def test_same_seed_gives_the_same_bytes(demo_dir, tmp_path):
    demo.write_dataset(tmp_path / "again")
    assert _digests(tmp_path / "again") == _digests(demo_dir)


def test_another_seed_gives_other_flows(tmp_path):
    a, b = demo.generate_flow_cube(1), demo.generate_flow_cube(2)
    assert not np.array_equal(a, b)


def test_tables_carry_their_synthetic_flag(demo_dataset, demo_dir):
    manifest = demo_dataset.manifest
    assert manifest["synthetic_tables"] == ["flows", "respondents", "survey_publication"]
    for name in ("municipalities", "origin_regions", "country_indicators"):
        assert manifest["tables"][name]["synthetic"] is False
    flows = pd.read_csv(snapshot_dir(demo_dir) / "flows.csv", dtype=str)
    assert set(flows["synthetic"]) == {"True"}
    assert demo_dataset.respondents["synthetic"].all()
    assert demo_dataset.synthetic


def test_municipal_totals_equal_the_sum_of_flows(demo_dataset, demo_dir):
    flows = pd.read_csv(snapshot_dir(demo_dir) / "flows.csv", dtype={"destination_ags": str})
    expected = flows.pivot_table(
        index="destination_ags", columns="direction", values="persons", aggfunc="sum", fill_value=0
    )
    table = queries.area_table(demo_dataset, queries.parse_filter(), "municipality")
    assert (table["arrivals"] == expected["arrival"].reindex(table.index, fill_value=0)).all()
    assert (table["departures"] == expected["departure"].reindex(table.index, fill_value=0)).all()
    assert table["arrivals"].sum() == flows.loc[flows.direction == "arrival", "persons"].sum()
    assert (flows["persons"] > 0).all()  # zeros are implied, never stored


def _published(pattern: str) -> list[int]:
    """Figures from the 'figure' column of data/sources.md (the press and the city, not the
    generator's constants)."""
    found = re.search(pattern, SOURCES)
    assert found, f"data/sources.md no longer states {pattern!r}"
    return [int(g.replace(",", "")) for g in found.groups()]


def test_calibration_reproduces_the_published_figures(demo_dataset):
    def total(ags, year):
        f = queries.parse_filter(years=year)
        return queries.area_table(demo_dataset, f, "municipality").loc[ags]

    moves, net = _published(
        r"Dortmund \| 2014: about ([\d,]+) moves in and out, net about \+([\d,]+)"
    )
    dortmund_2014 = total(DORTMUND, 2014)
    assert dortmund_2014["arrivals"] + dortmund_2014["departures"] == pytest.approx(moves, rel=0.05)
    assert dortmund_2014["net"] == pytest.approx(net, rel=0.05)
    net_2015, net_2018 = _published(r"Dortmund \| stock \+([\d,]+) in 2015; \+([\d,]+) in 2018")
    assert (total(DORTMUND, 2015)["net"], total(DORTMUND, 2018)["net"]) == (net_2015, net_2018)
    (arrivals,) = _published(r"Gelsenkirchen \| ([\d,]+) arrivals of RO/BG citizens in 2024")
    assert total(GELSENKIRCHEN, 2024)["arrivals"] == arrivals


def test_arrivals_swing_strongly_from_year_to_year(demo_dataset):
    yearly = demo_dataset.flows[:, :, :, :, 0].sum(axis=(1, 3))  # year x municipality
    cv = yearly.std(axis=0) / yearly.mean(axis=0)
    assert (cv > 0.3).sum() >= 10  # many municipalities swing by a third or more
    assert yearly.sum() > 100_000


def test_galati_is_a_source_of_circular_migration(demo_dataset):
    arrivals = demo_dataset.flows[:, :, :, :, 0].sum(axis=(0, 2))  # origin x type
    galati = queries.ORIGIN_CODES.index(GALATI)
    circular = vocab.MIGRATION_TYPES.index("circular")
    share_galati = arrivals[galati, circular] / arrivals[galati].sum()
    share_all = arrivals[:, circular].sum() / arrivals.sum()
    assert share_galati > share_all + 0.15
    assert galati in np.argsort(arrivals.sum(axis=1))[-3:]  # among the three largest origins


def _exploded(respondents, column):
    return respondents[column].str.split(";").explode().replace("", np.nan).dropna()


def test_survey_has_23_languages_and_33_prior_countries(demo_dataset):
    respondents = demo_dataset.respondents
    assert 2900 <= len(respondents) <= 3100
    assert set(_exploded(respondents, "languages")) == set(vocab.LANGUAGES)
    assert _exploded(respondents, "languages").nunique() == 23
    assert set(_exploded(respondents, "prior_countries")) == set(vocab.PRIOR_COUNTRIES)
    assert _exploded(respondents, "prior_countries").nunique() == 33


def test_education_ranges_from_none_to_university(demo_dataset):
    counts = demo_dataset.respondents["education"].value_counts()
    assert set(counts.index) == set(vocab.EDUCATION_LEVELS)
    assert counts.min() >= 100


def test_support_needs_follow_abbildung_5_1(demo_dataset):
    r = demo_dataset.respondents
    needs = r["support_needs"].str.split(";")
    share = {
        need: needs.map(lambda v, need=need: need in v).groupby(r["migration_type"]).mean()
        for need in vocab.SUPPORT_NEEDS
    }
    housing, children = share["housing"], share["children_education"]
    assert housing["return"] > max(housing["immigrant"], housing["transnational"]) + 0.1
    for family_type in ("immigrant", "transnational"):
        assert children[family_type] > max(children["return"], children["circular"]) + 0.1
    # "in keinen" excludes every other answer
    assert not needs.map(lambda v: "none" in v and len(v) > 1).any()
    for need in ("housing", "children_education"):
        table = pd.crosstab(r["migration_type"], needs.map(lambda v, need=need: need in v))
        assert stats.chi2_contingency(table).pvalue < 0.001


@pytest.mark.parametrize("column", ["municipality_ags", "origin_nuts3", "migration_type"])
def test_respondent_codes_are_known(demo_dataset, column):
    known = {
        "municipality_ags": set(queries.MUNICIPALITY_CODES),
        "origin_nuts3": set(queries.ORIGIN_CODES),
        "migration_type": set(vocab.MIGRATION_TYPES),
    }[column]
    assert set(demo_dataset.respondents[column]) <= known


def test_remittance_answers_are_consistent(demo_dataset):
    r = demo_dataset.respondents
    assert (r.loc[~r["remits"], "remittance_use"] == "").all()
    assert set(r.loc[r["remits"], "remittance_use"]) == set(vocab.REMITTANCE_USES)
    uses = r.loc[r["remits"], "remittance_use"].value_counts(normalize=True)
    assert uses.idxmax() == "household"  # mostly household consumption (SUMMARY.md)
