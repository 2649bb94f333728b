"""The register stocks tab (issue 16.6): labelled real with table code and date beside the
modelled net migration, labelled synthetic; without an import only the way to import."""

from __future__ import annotations

import dataclasses
import shutil

import pytest

from dashboard import stocks as tab
from layers import stocks
from layers.dataset import load_dataset
from layers.importers import run_import
from layers.queries import Selection
from tests.helpers import DORTMUND, tiny_dataset
from tests.layers.test_stocks import FIXTURE, FLOWS, KREIS_UNNA, LUENEN


def _text(component) -> str:
    """All text below a Dash component."""
    if isinstance(component, (str, int, float)):
        return str(component)
    if isinstance(component, (list, tuple)):
        return " ".join(_text(c) for c in component)
    children = getattr(component, "children", None)
    return "" if children is None else _text(children)


def _row(table, code):
    body = table.children[2]
    return next(r for r in body.children if getattr(r, "data-code", None) == code)


@pytest.fixture(scope="module")
def hand_made(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("stocks-tab") / "dataset"
    shutil.copytree(demo_dir, out)
    run_import("genesis", [FIXTURE], out)
    imported = load_dataset(out)
    return dataclasses.replace(tiny_dataset(FLOWS), foreign_nationals=imported.foreign_nationals)


def test_without_an_import_the_tab_says_how_and_offers_nothing(demo_dataset):
    out = tab.outputs(demo_dataset, "stock_ro", "en")
    assert _text(out["label"]).startswith("not imported Stocks of Romanian and Bulgarian")
    assert "python -m layers import genesis FILE" in _text(out["label"])
    assert all(o["disabled"] for o in out["options"]) and len(out["options"]) == 4
    assert out["table"] == [] and out["figure"].data == ()


def test_the_label_says_real_with_table_code_and_date(hand_made):
    out = tab.outputs(hand_made, "stock_ro_bg", "en")
    assert _text(out["label"]) == ("real RO+BG nationals (persons, 31 Dec 2022) · "
                                   "Destatis, GENESIS 12521-0041, Stand 31.12.2022")  # fmt: skip
    german = tab.outputs(hand_made, "stock_ro", "de")
    assert _text(german["label"]) == (
        "echt Rumänische Staatsangehörige (Personen, 31.12.2022) "
        "· Destatis, GENESIS 12521-0041, Stand 31.12.2022"
    )
    assert not any(o.get("disabled") for o in out["options"])


def test_the_table_sets_the_register_change_beside_the_modelled_net(hand_made):
    out = tab.outputs(hand_made, "stock_ro_bg", "en")
    table = out["table"]
    headers = [_text(th) for th in table.children[1].children.children]
    assert headers == ["Area", "RO+BG nationals (persons, 31 Dec 2022)",
                       "Change in the register 31 Dec 2021–31 Dec 2022 (persons)",
                       "Modelled net migration 2022 (persons)",
                       "Register minus model (persons)"]  # fmt: skip
    assert _text(_row(table, DORTMUND)) == "Dortmund (kreisfreie Stadt) 13,000 1,000 250 750"
    unna = _text(_row(table, KREIS_UNNA))
    assert (
        unna
        == "Kreis Unna (whole Kreis) missing (marker .) missing (marker .) 25 missing (marker .)"
    )
    assert "Destatis, GENESIS 12521-0041" in _text(table.children[0])
    essen = _text(_row(table, "05113000"))  # no row in the file: not 0, not "withheld"
    absent = "not in the imported table"
    assert essen == f"Essen (kreisfreie Stadt) {absent} {absent} 0 {absent}"  # no flows: net 0
    assert "(2022, synthetic demonstration data)" in out["note"] and "not 0" in out["note"]


def test_per_1000_in_the_table_and_the_chart_in_persons(hand_made):
    out = tab.outputs(hand_made, "stock_ro_bg_per_1000", "de")
    assert _text(_row(out["table"], DORTMUND)).split(" ")[3] == "21,91"  # 13.000/593.317×1.000
    names = [trace.name.replace("<br>", " ") for trace in out["figure"].data]  # on lines
    assert names == ["Veränderung im Register 31.12.2021–31.12.2022 (Personen) – echt",
                     "Modellierter Saldo 2022 (Personen) – synthetisch"]  # fmt: skip
    dortmund = "Dortmund"
    change, net = (dict(zip(t.y, t.x, strict=True))[dortmund] for t in out["figure"].data)
    assert (change, net) == (1000, 250)


def test_the_download_is_the_comparison_with_its_origins(hand_made, demo_dataset):
    assert tab.download(demo_dataset, "stock_ro") is None  # nothing to download, nothing made up
    out = tab.download(hand_made, "stock_ro")
    assert out["filename"] == "register-stocks-stock_ro-2022-12-31.csv"
    dortmund = next(line for line in out["content"].splitlines() if line.startswith(DORTMUND))
    assert dortmund.startswith("05913000,Dortmund,gemeinde,stock_ro,persons,9600.0,,")


def test_the_selected_town_marks_its_unit_a_kreis_town_its_kreis(hand_made):
    city = tab.outputs(hand_made, "stock_ro", "en", Selection("municipality", DORTMUND))
    marked = [r for r in city["table"].children[2].children if getattr(r, "aria-current", None)]
    assert [getattr(r, "data-code") for r in marked] == [DORTMUND]
    town = tab.outputs(hand_made, "stock_ro", "en", Selection("municipality", LUENEN))
    marked = [r for r in town["table"].children[2].children if getattr(r, "aria-current", None)]
    assert [getattr(r, "data-code") for r in marked] == [KREIS_UNNA]
    assert town["note"].startswith("Lünen is in Kreis Unna: the table has only the Kreis as a "
                                   "whole (marked), no value for Lünen.")  # fmt: skip
    origin = tab.outputs(hand_made, "stock_ro", "en", Selection("origin", "RO224"))
    assert not [r for r in origin["table"].children[2].children
                if getattr(r, "aria-current", None)]  # fmt: skip


def test_the_reference_dates_are_written_as_the_page_language_writes_them(hand_made):
    # (CLDR puts a narrow no-break space before the Bulgarian "г.")
    assert [tab.stock_date("2022-12-31", lang) for lang in ("de", "en", "ro", "bg")] == [
        "31.12.2022", "31 Dec 2022", "31 dec. 2022", "31.12.2022\u202fг."]  # fmt: skip
    assert tab.stock_date("2022", "bg") == "2022"  # a year alone stays a year
    result = stocks.comparison(hand_made, hand_made.foreign_nationals, "stock_ro_bg")
    titles = tab.column_titles(result, "ro")
    assert titles["value"].endswith(", 31 dec. 2022)")
    assert "31 dec. 2021" in titles["change"] and "31 dec. 2022" in titles["change"]
    # the title in the page's form; the citation keeps GENESIS's form of its date
    assert _text(tab.outputs(hand_made, "stock_ro", "bg")["label"]) == (
        "реални Румънски граждани (души, 31.12.2022\u202fг.) · "
        "Destatis, GENESIS 12521-0041, към 31.12.2022")  # fmt: skip
