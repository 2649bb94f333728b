"""KOSMATI services (issue 18.1): coverage by dimension and needs against offers, on
hand-made inventories and respondents with the expected numbers written out."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers import kosmati, queries, services_layer
from layers.disclosure import Policy
from tests.helpers import DORTMUND, DUISBURG, GALATI, PLOVDIV, respondent, tiny_dataset

HAGEN, BOCHUM, OER = "05914000", "05911000", "05562028"
COLUMNS = list(kosmati.COLUMNS)


def inventory(rows) -> kosmati.Inventory:
    frame = pd.DataFrame(rows, columns=COLUMNS).astype(str)
    return kosmati.from_frame(frame, illustrative=False, source="hand-made")


def service(ags, dimension, name, types="all", areas="", languages="de", since="2018"):
    return (ags, dimension, name, types, areas, languages, since, "test")


HAND = [
    service(DORTMUND, "arrival", "Erstberatung", "immigrant;return", "work;housing"),
    service(DORTMUND, "arrival", "Lotsen", "immigrant", "children_education"),
    service(DORTMUND, "integration", "Netzwerk", "all", "other"),
    service(HAGEN, "migration", "Bericht"),
    *(service(BOCHUM, d, f"B-{d}") for d in kosmati.DIMENSIONS),
]


def test_coverage_counts_services_and_dimensions_per_municipality():
    table = kosmati.coverage(inventory(HAND))
    assert len(table) == 53 and table.index[0] == "05112000"  # all, in regions' order
    dortmund = table.loc[DORTMUND]
    assert (dortmund["migration"], dortmund["arrival"], dortmund["participation"],
            dortmund["integration"]) == (0, 2, 0, 1)  # fmt: skip
    assert dortmund["services"] == 3 and dortmund["dimensions_covered"] == 2
    assert table.loc[HAGEN, "dimensions_covered"] == 1 and table.loc[HAGEN, "services"] == 1
    assert table.loc[BOCHUM, "dimensions_covered"] == 4 and table.loc[BOCHUM, "services"] == 4
    assert table.loc[OER, "services"] == 0 and table.loc[OER, "dimensions_covered"] == 0
    assert table["services"].sum() == 8  # 3 + 1 + 4
    assert table["dimensions_covered"].value_counts().to_dict() == {0: 50, 1: 1, 2: 1, 4: 1}


def test_offers_count_services_per_life_area_and_type():
    table = kosmati.offers(inventory(HAND), DORTMUND).set_index(["life_area", "migration_type"])
    assert len(table) == 5 * 4
    assert table.loc[("work", "immigrant"), "services"] == 1
    assert table.loc[("housing", "return"), "service_names"] == ("Erstberatung",)
    assert table.loc[("children_education", "return"), "services"] == 0
    assert table.loc[("other", "circular"), "services"] == 1  # "all" takes every type
    assert table["services"].sum() == 2 * 2 + 1 + 4  # Erstberatung 4, Lotsen 1, Netzwerk 4


def test_a_town_without_any_service_has_twenty_empty_offers():
    """Oer-Erkenschwick has none in the hand-made inventory: every area × type is offered by
    no service (the load test found this case a 400 before)."""
    table = kosmati.offers(inventory(HAND), OER)
    assert len(table) == 5 * 4 and table["services"].sum() == 0
    assert set(table["service_names"]) == {()}
    gaps = kosmati.needs_against_offers(NEEDS, inventory(HAND), OER)
    assert set(gaps.loc[gaps["share"] > 0, "status"]) == {kosmati.GAP}


NEEDS = pd.DataFrame(
    {"work": [40.0, np.nan], "children_education": [25.0, np.nan], "health": [0.0, np.nan],
     "housing": [np.nan, np.nan], "other": [10.0, np.nan], "none": [30.0, np.nan],
     "respondents": [20.0, np.nan]},
    index=["immigrant", "return"],
)  # fmt: skip


def test_gaps_are_needs_named_without_a_service_and_withheld_stays_withheld():
    table = kosmati.needs_against_offers(NEEDS, inventory(HAND[:2]), DORTMUND)
    status = table.set_index(["life_area", "migration_type"])["status"]
    assert len(table) == 5 * 2  # the needs' two types only
    assert status[("work", "immigrant")] == kosmati.OFFERED  # 40 %, Erstberatung
    assert status[("children_education", "immigrant")] == kosmati.OFFERED  # 25 %, Lotsen
    assert status[("health", "immigrant")] == kosmati.NOT_NAMED  # 0 %
    assert status[("housing", "immigrant")] == kosmati.WITHHELD  # a service, but no share
    assert status[("other", "immigrant")] == kosmati.GAP  # 10 %, no service
    assert (status.xs("return", level=1) == kosmati.WITHHELD).all()  # 5 areas, base withheld
    gaps = kosmati.gaps(table)
    assert list(zip(gaps["life_area"], gaps["migration_type"], gaps["share"], strict=True)) == [
        ("other", "immigrant", 10.0)
    ]
    assert np.isnan(table.set_index(["life_area", "migration_type"]).loc[
        ("housing", "immigrant"), "share"])  # fmt: skip


def test_a_type_without_respondents_is_no_gap():
    needs = NEEDS.copy()
    needs.loc["return"] = [np.nan] * 6 + [0.0]  # 0 respondents: 0/0
    table = kosmati.needs_against_offers(needs, inventory(HAND), DORTMUND)
    returned = table[table["migration_type"] == "return"]
    assert set(returned["status"]) == {kosmati.NO_RESPONDENTS}


def _respondents(extra=()):
    rows = [respondent(f"I{i}", DORTMUND, GALATI, "immigrant", "ro", "",
                       "work" if i < 10 else "housing", False) for i in range(20)]  # fmt: skip
    rows += [respondent(f"R{i}", DORTMUND, GALATI, "return", "ro", "", "housing", False)
             for i in range(20)]  # fmt: skip
    rows += [respondent(f"D{i}", DUISBURG, PLOVDIV, "immigrant", "bg", "", "work", False)
             for i in range(20)]  # fmt: skip
    return pd.DataFrame([*rows, *extra])


def test_needs_come_from_the_protected_publication():
    # Dortmund: 20 immigrants, 10 name work and 10 housing; 20 return-oriented, all housing.
    ds = tiny_dataset(respondents=_respondents())
    ds = type(ds)(**{**ds.__dict__, "services": inventory(HAND[:1])})
    f = queries.parse_filter(types=["immigrant", "return"])
    table = services_layer.needs_offers(ds, f, DORTMUND, Policy())
    rows = table.set_index(["life_area", "migration_type"])
    assert rows.loc[("work", "immigrant"), "share"] == 50.0
    assert rows.loc[("housing", "return"), "share"] == 100.0
    assert rows.loc[("housing", "return"), "respondents"] == 20.0
    # Erstberatung serves immigrant and return in work and housing: nothing named is unmet
    assert kosmati.gaps(table).empty
    assert rows.loc[("work", "return"), "status"] == kosmati.NOT_NAMED


def test_a_small_cell_stays_withheld_in_needs_against_offers():
    three = [respondent(f"C{i}", DORTMUND, GALATI, "circular", "ro", "", "health", False)
             for i in range(3)]  # fmt: skip
    ds = tiny_dataset(respondents=_respondents(three))
    ds = type(ds)(**{**ds.__dict__, "services": inventory(HAND[:1])})
    table = services_layer.needs_offers(ds, queries.parse_filter(), DORTMUND, Policy())
    circular = table[table["migration_type"] == "circular"]
    assert len(circular) == 5 and set(circular["status"]) == {kosmati.WITHHELD}
    assert circular["share"].isna().all() and circular["respondents"].isna().all()
    # three people named health; without a health service it would be a gap: not shown
    gaps = kosmati.gaps(table)
    assert "circular" not in set(gaps["migration_type"])


def test_demo_inventory_is_illustrative_and_plausible():
    demo = kosmati.read_inventory(None)
    assert demo.illustrative and "Illustrative" in demo.source
    table = kosmati.coverage(demo)
    assert table.loc["05913000", "dimensions_covered"] == 4
    assert table.loc["05913000", "services"] == table["services"].max()  # the most
    assert table.loc["05562028", "services"] == 2  # small, few
    assert table.loc["05562028", "name"] == "Oer-Erkenschwick"
    assert (demo.table["source"].str.startswith("illustrative")).all()
