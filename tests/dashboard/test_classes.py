"""Legends of the classed maps (issue 16.4): ranges in the page language, areas per class,
"≥" on a fixed scale's open top class, reference circles of a count."""

from __future__ import annotations

from dashboard import classes

RATES = [0.5, 1.0, 1.5, 2.0, 20.0, 21.0, 22.0, 50.0, 100.0, 1234.5]


def test_legend_rows_say_each_range_in_german_with_its_areas():
    scale = classes.map_scale(RATES, "arrivals_per_1000", "natural_breaks", 3)
    legend = classes.legend(scale, "arrivals_per_1000", "de")
    assert [row[1:] for row in legend["rows"]] == [
        ["0,50 bis unter 50,00", 7],
        ["50,00 bis unter 1.234,50", 2],
        ["1.234,50", 1],  # Fisher–Jenks gives the outlier a class of its own
    ]
    assert legend["title"] == "Zuzugsrate (je 1.000 Einw. und Jahr)"


def test_a_fixed_scale_has_an_open_top_class():
    scale = classes.map_scale([0, 100, 700, 2999, 3364], "arrivals_per_1000", "", 5,
                              fixed=(0, 3000))  # fmt: skip
    rows = classes.legend(scale, "arrivals_per_1000", "en")["rows"]
    assert [row[1:] for row in rows] == [
        ["0.00 to under 600.00", 2], ["600.00 to under 1,200.00", 1],
        ["1,200.00 to under 1,800.00", 0], ["1,800.00 to under 2,400.00", 0],
        ["≥ 2,400.00", 2],  # 2,999 and 3,364: past the scale's end, not left out
    ]  # fmt: skip
    assert scale.zmax == 3364


def test_a_count_has_reference_circles_and_notes_say_what_grey_means():
    scale = classes.map_scale([3364, 841, None], "arrivals", "quantiles", 5)
    notes = classes.notes([3364, 841, None], (), (), 5, "de")
    legend = classes.legend(scale, "arrivals", "de", notes)
    # diameters ∝ √count: 36 px for 3,364; 2,000 → 36·√(2000/3364) = 27.8 px
    assert legend["circles"] == [[27.8, "2.000"], [13.9, "500"], [8.8, "200"]]
    assert legend["notes"] == [["not_in_filter", "hellgrau: nicht im Filter"]]
    hidden = classes.notes([1.0, None], ("A",), ("B",), 5, "en")
    assert [key for key, _ in hidden] == ["low_base", "suppressed"]  # the None is suppressed
    assert "fewer than 5 respondents" in hidden[1][1]
