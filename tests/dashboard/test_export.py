"""The image downloads' server side: file names, the buttons' labels, the words for the
images (the drawing is assets/export.js, tested in tests/browser/test_export.py)."""

from __future__ import annotations

import json

from dashboard import export, panels
from dashboard.i18n import t
from layers import vocab


def test_slug_spells_out_umlauts_and_drops_other_accents():
    assert export.slug("Mülheim an der Ruhr") == "muelheim-an-der-ruhr"
    assert export.slug("Galați, Ștefan cel Mare") == "galati-stefan-cel-mare"
    assert export.slug("Größe (ÄÖÜ) ") == "groesse-aeoeue"


def test_filename_says_side_metric_years_types_and_country():
    name = export.filename("ruhr", (2019, 2022), ("circular",), metric="arrivals_per_1000")
    assert name == "ruhr-arrivals-per-1000-2019-2022-circular"
    assert export.filename("series", (2020, 2020), vocab.MIGRATION_TYPES, "RO") == "series-2020-ro"
    assert export.filename("origin", (2014, 2024), ("return", "immigrant")) == (
        "origin-2014-2024-immigrant-return"  # the types in their usual order
    )
    assert export.filename("diversity-languages", (2014, 2024), ()) == (
        "diversity-languages-2014-2024-no-types"
    )


def test_buttons_are_one_labelled_toolbar_stop():
    box = export.buttons("ruhr-map", "de", "map", heading="ruhr-map-title", name="")
    png, svg = box.children
    assert box.role == "toolbar" and "no-print" in box.className
    assert getattr(box, "data-export-graph") == "ruhr-map"
    assert getattr(box, "data-export-heading") == "ruhr-map-title"
    assert not hasattr(box, "data-export-name")  # empty values are left out
    assert getattr(png, "aria-label") == "Karte als PNG herunterladen"
    assert getattr(svg, "aria-label") == "Karte als SVG herunterladen"
    assert (png.tabIndex, svg.tabIndex) == ("0", "-1")
    chart = export.buttons("series-chart", "en", "chart")
    assert getattr(chart.children[1], "aria-label") == "Download the chart as SVG"


def test_texts_hold_the_sources_and_notice_in_the_page_language():
    for lang in ("de", "en"):
        words = json.loads(getattr(export.texts(lang, "Extra"), "data-export-texts"))
        assert words["source"] == f"{t('attribution', lang)} Extra"
        assert t("synthetic_notice", lang) in words["notice"]
        assert set(words["types"]) == set(vocab.MIGRATION_TYPES)


def test_plotly_offers_no_download_of_its_own():
    config = panels.graph_config("de", scrollZoom=True)
    assert "toImage" in config["modeBarButtonsToRemove"] and config["scrollZoom"]
