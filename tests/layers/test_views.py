"""Curated view files: the committed ones are valid; malformed ones are named precisely."""

import shutil

import pytest

from layers import boundaries, views
from layers.thumbnail import area_svg, colour

VALID = (views.VIEWS_DIR / "swings.yaml").read_text(encoding="utf-8")


def test_committed_views_all_load():
    loaded, errors = views.load_views()
    assert errors == []
    assert len(loaded) >= 4
    assert {"galati-circular", "swings", "support-needs", "remittances"} <= set(loaded)
    galati = loaded["galati-circular"]
    assert galati.filter.types == ("circular",) and galati.selection.code == "RO224"
    assert galati.explorer_query("en") == (
        "?lang=en&type=circular&country=RO&metric=arrivals&sel=o:RO224"
    )
    assert loaded["swings"].scale == (0.0, 1.0)


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.replace("metric: arrivals_cv", "metric: happiness"),
         "swings.yaml: field 'map.metric': 'happiness' is not a catalogue indicator"),
        (lambda s: s.replace("scale: [0, 1]", "scale: [1, 0]"), "field 'map.scale'"),
        (lambda s: s.replace("years: 2014-2024", "years: 2010-2024"), "field 'filters.years'"),
        (lambda s: s.replace("slug: swings", "slug: Swings!"), "field 'slug'"),
        (lambda s: s.replace("chart: series", "chart: pie"), "field 'chart'"),
        (lambda s: s.replace("  en: \"Year-to-year", "  fr: \"Où"), "field 'title'"),
        (lambda s: s + "colour: red\n", "field 'colour': unknown field"),
        (lambda s: s.replace("chart: series\n", ""), "field 'chart': is missing"),
        (lambda s: s.replace("slug: swings", "slug: [swings"), "YAML at line 2, column 6"),
    ],
)  # fmt: skip
def test_malformed_view_names_file_and_field_and_others_still_load(tmp_path, change, message):
    shutil.copy(views.VIEWS_DIR / "remittances.yaml", tmp_path / "remittances.yaml")
    (tmp_path / "swings.yaml").write_text(change(VALID), encoding="utf-8")
    loaded, errors = views.load_views(tmp_path)
    assert list(loaded) == ["remittances"]
    assert len(errors) == 1 and message in errors[0]


def test_thumbnail_is_a_small_svg_with_every_area():
    areas = boundaries.load_municipalities()
    values = {code: i for i, code in enumerate(areas["ags"])}
    svg = area_svg(areas, "ags", values, (0, 52), ("05913000",), "Test")
    assert svg.startswith("<svg") and svg.count("<path") == 53 + 2  # + outline and halo
    assert len(svg) < 120_000
    assert colour(None, 0, 1) == "#d9d9d9"
    assert colour(0, 0, 1) == "#ffffd9" and colour(1, 0, 1) == "#081d58"
