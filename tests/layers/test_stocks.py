"""Register stocks (issue 16.6): a hand-made GENESIS 12521-0041 flat file imported, its
stocks per kreisfreie Stadt and Kreis read back, beside hand-made modelled flows."""

from __future__ import annotations

import dataclasses
import math
import shutil
from pathlib import Path

import pytest

from layers import stocks
from layers.dataset import load_dataset
from layers.importers import run_import
from tests.helpers import DORTMUND, GALATI, PLOVDIV, tiny_dataset

FIXTURE = (
    Path(__file__).resolve().parents[1] / "data" / "importers" / "12521-0041_stocks_en_flat.csv"
)
LUENEN, UNNA_TOWN, GLADBECK, ESSEN = "05978024", "05978036", "05562014", "05113000"
KREIS_UNNA, KREIS_RE, HAGEN = "05978", "05562", "05914000"
# Modelled flows written out: 2022 is the year between the fixture's two dates.
FLOWS = [
    (2022, GALATI, DORTMUND, "circular", "arrival", 300),
    (2022, GALATI, DORTMUND, "return", "departure", 100),  # RO net Dortmund 2022: 200
    (2022, PLOVDIV, DORTMUND, "immigrant", "arrival", 80),
    (2022, PLOVDIV, DORTMUND, "immigrant", "departure", 30),  # BG net Dortmund 2022: 50
    (2021, GALATI, DORTMUND, "circular", "arrival", 999),  # before the change: left out
    (2022, GALATI, LUENEN, "circular", "arrival", 40),
    (2022, GALATI, UNNA_TOWN, "return", "departure", 15),  # Kreis Unna, RO: 40 − 15 = 25
    (2022, PLOVDIV, GLADBECK, "immigrant", "arrival", 12),  # Kreis Recklinghausen, BG: 12
]


@pytest.fixture(scope="module")
def imported(demo_dir, tmp_path_factory):
    """The demo dataset with the fixture imported (a private copy)."""
    out = tmp_path_factory.mktemp("stocks") / "dataset"
    shutil.copytree(demo_dir, out)
    run_import("genesis", [FIXTURE], out)
    return load_dataset(out)


@pytest.fixture(scope="module")
def hand_made(imported):
    return dataclasses.replace(tiny_dataset(FLOWS), foreign_nationals=imported.foreign_nationals)


def test_without_an_import_there_are_no_stocks(demo_dataset):
    assert demo_dataset.foreign_nationals is None
    assert not stocks.available(demo_dataset.foreign_nationals)


def test_the_import_is_loaded_with_its_markers(imported):
    table = imported.foreign_nationals
    assert stocks.available(table) and stocks.dates(table) == ["2021-12-31", "2022-12-31"]
    assert len(table) == 20  # 5 Ruhr units × 2 dates × RO, BG; Düsseldorf left out
    unna_bg = table[(table["ags_or_kreis"] == KREIS_UNNA) & (table["citizenship"] == "BG")
                    & (table["date"] == "2022-12-31")]  # fmt: skip
    assert math.isnan(unna_bg["persons"].item()) and unna_bg["marker"].item() == "."
    assert set(table.loc[table["ags_or_kreis"] == KREIS_UNNA, "level"]) == {"kreis"}


def test_ro_bg_stock_its_change_and_the_modelled_net_of_the_years_between(hand_made):
    result = stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_ro_bg")
    assert (result.first, result.last, result.years) == ("2021-12-31", "2022-12-31", (2022, 2022))
    assert result.source("en") == "Destatis, GENESIS 12521-0041, Stand 31.12.2022"
    assert result.metric.title("en", "31 Dec 2022") == "RO+BG nationals (persons, 31 Dec 2022)"
    dortmund = result.table.loc[DORTMUND]
    assert (dortmund["level"], dortmund["value"], dortmund["first"]) == ("gemeinde", 13000, 12000)
    assert (dortmund["change"], dortmund["net"], dortmund["difference"]) == (1000, 250, 750)
    hagen = result.table.loc[HAGEN]
    assert hagen["value"] == 4855 + 2310 and hagen["net"] == 0
    # Kreis Unna's BG value is '.' (withheld): the sum is missing, not 2,964
    unna = result.table.loc[KREIS_UNNA]
    assert unna["level"] == "kreis" and unna["marker"] == "."
    assert math.isnan(unna["value"]) and math.isnan(unna["change"]) and unna["net"] == 25
    essen = result.table.loc[ESSEN]  # not in the file: missing, never 0
    assert math.isnan(essen["value"]) and essen["marker"] == ""
    assert len(result.table) == 15 and not any(c in result.table.index for c in (LUENEN, GLADBECK))


def test_one_citizenship_is_compared_with_the_flows_of_its_country(hand_made):
    ro = stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_ro").table
    assert ro.loc[DORTMUND, ["value", "change", "net"]].tolist() == [9600, 600, 200]
    assert ro.loc[KREIS_UNNA, ["value", "change", "net", "difference"]].tolist() == [
        2964, 164, 25, 139]  # fmt: skip
    bg = stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_bg").table
    assert bg.loc[DORTMUND, ["value", "change", "net"]].tolist() == [3400, 400, 50]
    assert bg.loc[KREIS_RE, ["value", "change", "net"]].tolist() == [1600, 100, 12]


def test_per_1000_divides_by_the_inhabitants_a_kreis_by_its_towns_summed(hand_made):
    table = stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_ro_bg_per_1000").table
    # Dortmund: 13,000 / 593,317 × 1,000 = 21.9107
    assert table.loc[DORTMUND, "population"] == 593317
    assert table.loc[DORTMUND, "value"] == pytest.approx(21.9107, abs=1e-4)
    # Kreis Recklinghausen: 4,900 / 619,732 (its 10 towns) × 1,000 = 7.9066
    assert table.loc[KREIS_RE, "population"] == 619732
    assert table.loc[KREIS_RE, "value"] == pytest.approx(7.9066, abs=1e-4)
    assert table.loc[DORTMUND, "change"] == 1000  # the change stays in persons
    metric = stocks.METRICS["stock_ro_bg_per_1000"]
    english = "RO+BG nationals (per 1,000 inhabitants, 31 Dec 2022)"
    assert metric.title("en", "31 Dec 2022") == english
    assert metric.title("de", "31.12.2022") == "RO+BG-Staatsangehörige (je 1.000 Einw., 31.12.2022)"


def test_one_date_compares_the_stock_with_the_modelled_net_since_2014(hand_made):
    one = hand_made.foreign_nationals.query("date == '2022-12-31'")
    result = stocks.comparison(hand_made, one, "stock_ro")
    assert result.years == (2014, 2022) and not result.changes
    dortmund = result.table.loc[DORTMUND]
    assert math.isnan(dortmund["change"])
    assert dortmund["net"] == 999 + 200 and dortmund["difference"] == 9600 - 1199


@pytest.mark.parametrize(("first", "last", "years"), [
    ("2021-12-31", "2022-12-31", (2022, 2022)),
    ("2015-12-31", "2023-12-31", (2016, 2023)),
    ("2022-12-31", "2022-12-31", (2014, 2022)),
    ("2023-12-31", "2026-12-31", (2024, 2024)),  # clipped to the modelled years
    ("2024-12-31", "2025-12-31", None),  # no modelled year in between
    ("2012-12-31", "2013-12-31", None),
])  # fmt: skip
def test_compared_years(first, last, years):
    assert stocks.compared_years(first, last) == years


def test_an_unknown_metric_is_refused(hand_made):
    with pytest.raises(stocks.InvalidParameter):
        stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_pl")


def test_the_export_labels_each_side_and_keeps_missing_values_empty(hand_made):
    result = stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_ro_bg")
    text = stocks.export_table(result).to_csv(index=False)
    lines = text.splitlines()
    assert lines[0].startswith("code,name,level,measure,unit,value,marker,first_date,last_date,")
    dortmund = next(line for line in lines if line.startswith(DORTMUND))
    assert dortmund == (
        "05913000,Dortmund,gemeinde,stock_ro_bg,persons,13000.0,,2021-12-31,2022-12-31,"
        "12000.0,13000.0,1000.0,250.0,2022,750.0,593317.0,"
        '"Destatis, GENESIS 12521-0041, Stand 31.12.2022",False,'
        '"synthetic demonstration data (modelled by layers/demo.py, not measured)",True'
    )
    unna = next(line for line in lines if line.startswith(KREIS_UNNA + ","))
    assert unna.startswith("05978,Kreis Unna,kreis,stock_ro_bg,persons,,.,2021-12-31,")
