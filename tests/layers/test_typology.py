"""Types of municipalities: Ward clustering of standardised profiles, and similar ones."""

import numpy as np
import pytest

from layers import catalogue, indicators, queries, typology
from layers.queries import FlowFilter

FILTERS = [FlowFilter(), FlowFilter(2016, 2016), FlowFilter(types=("circular",)),
           FlowFilter(2018, 2022, ("return", "transnational"), ("BG",))]  # fmt: skip


@pytest.mark.parametrize("f", FILTERS)
def test_types_are_deterministic_numbered_and_all_non_empty(demo_dataset, f):
    first, second = typology.typology(demo_dataset, f), typology.typology(demo_dataset, f)
    assert np.array_equal(first.labels, second.labels) and first.names == second.names
    assert len(first.labels) == len(queries.MUNICIPALITY_CODES) == 53
    assert 4 <= first.k <= typology.K
    assert sorted(set(first.labels.tolist())) == list(range(1, first.k + 1))
    assert sum(first.sizes) == 53 and min(first.sizes) >= 1
    rates = typology.features(demo_dataset, f)["arrivals_per_1000"]
    means = [rates[first.labels == n].mean() for n in range(1, first.k + 1)]
    assert means == sorted(means, reverse=True)  # type 1 has the highest arrival rate


def test_every_type_is_named_and_described_in_both_languages(demo_dataset):
    types = typology.typology(demo_dataset, FlowFilter())
    for number, (name, description) in enumerate(
        zip(types.names, types.descriptions, strict=True), 1
    ):
        assert name["de"].startswith(f"Typ {number}: ") and name["en"].startswith(f"Type {number}:")
        assert len(name["en"]) > len("Type 1: ") and len(name["de"]) > len("Typ 1: ")
        assert description["de"].startswith(f"{types.sizes[number - 1]} Kommunen")
        assert "SD" in description["en"]
    assert len({n["en"] for n in types.names}) == types.k


def test_standardised_indicators_have_mean_0_and_sd_1_and_constant_ones_go(demo_dataset):
    z = typology.typology(demo_dataset, FlowFilter()).z
    assert {"arrivals_per_1000", "net_per_1000", "arrivals_cv", "origin_hhi"} <= set(z)
    for values in z.values():
        assert abs(values.mean()) < 1e-9 and abs(values.std() - 1) < 1e-9
    one_year_one_type = typology.typology(demo_dataset, FlowFilter(2016, 2016, ("circular",))).z
    assert "arrivals_cv" not in one_year_one_type and "share_circular" not in one_year_one_type


def test_herfindahl_on_hand_made_numbers():
    values = typology.herfindahl(np.array([[1, 1, 1, 1], [4, 0, 0, 0], [0, 0, 0, 0]]))
    assert values[:2].tolist() == [0.25, 1.0] and np.isnan(values[2])


def test_similar_municipalities_are_near_symmetric_and_mostly_of_the_same_type(demo_dataset):
    f = FlowFilter()
    types = typology.typology(demo_dataset, f)
    codes = queries.MUNICIPALITY_CODES
    same = 0
    for i, ags in enumerate(codes):
        near = typology.similar(demo_dataset, f, ags)
        assert len(near) == 5 and ags not in [c for c, _ in near]
        assert [d for _, d in near] == sorted(d for _, d in near)
        assert near == typology.similar(demo_dataset, f, ags)  # stable order
        same += types.labels[codes.index(near[0][0])] == types.labels[i]
    assert same / len(codes) >= 0.7
    a, b = codes[0], typology.similar(demo_dataset, f, codes[0], n=1)[0]
    back = dict(typology.similar(demo_dataset, f, b[0], n=52))
    assert back[a] == pytest.approx(b[1])  # d(a, b) = d(b, a)
    with pytest.raises(queries.InvalidParameter):
        typology.similar(demo_dataset, f, "RO111")


def test_indicator_table_carries_type_number_and_name(demo_dataset):
    table = indicators.indicator_table(demo_dataset, FlowFilter(), "municipality",
                                       indicators=("typology", "arrivals"))  # fmt: skip
    assert list(table.columns) == ["name", "population", "typology", "typology_name", "arrivals"]
    types = typology.typology(demo_dataset, FlowFilter())
    assert table["typology"].tolist() == types.labels.tolist()
    assert table["typology_name"].iloc[0] == types.name(int(table["typology"].iloc[0]), "en")
    origins = indicators.indicator_table(demo_dataset, FlowFilter(), "origin",
                                         indicators=("typology",))  # fmt: skip
    assert origins["typology"].isna().all() and origins["typology_name"].isna().all()


def test_catalogue_entry_names_the_method():
    entry = catalogue.CATALOGUE["typology"]
    assert entry.basis == catalogue.BASIS_FLOWS and entry.categorical and entry.decimals == 0
    assert "Ward" in entry.formula["en"] and "standardised" in entry.formula["en"]
    assert "synthetic" in entry.formula["en"] and "synthetisch" in entry.formula["de"]
    assert f"k = {typology.K}" in entry.formula["en"]
