"""Classed map scales (issue 16.4) on hand-made data, the breaks and counts written out."""

from __future__ import annotations

import math

import pytest

from layers.classify import Classes, classify, diameters, fixed, nice_references

TEN = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]
# Three clusters: natural breaks find them, quantiles and equal intervals do not.
CLUSTERS = [0.5, 1, 1.5, 2, 20, 21, 22, 50, 100, 101]


def test_quantiles_put_as_many_areas_in_each_class():
    found = classify(TEN, "quantiles", 5)
    assert found == Classes(lower=(1, 3, 5, 7, 9), counts=(2, 2, 2, 2, 2), top=10)
    assert not found.open_top and found.upper(0) == 3 and found.upper(4) == 10


def test_natural_breaks_find_the_clusters():
    assert classify(CLUSTERS, "natural_breaks", 3, decimals=1) == Classes(
        lower=(0.5, 20.0, 100.0), counts=(4, 4, 2), top=101.0
    )


def test_quantiles_and_equal_intervals_split_the_clusters_otherwise():
    # terciles at positions 3 and 6 of the ten sorted values: 2 and 22 end the classes,
    # the next values 20 and 50 start the following ones (22 and 50 in one class)
    assert classify(CLUSTERS, "quantiles", 3, decimals=1) == Classes(
        lower=(0.5, 20.0, 50.0), counts=(4, 3, 3), top=101.0
    )
    # width (101 - 0.5) / 3 = 33.5: bins 34.0, 67.5 -> 50, 100
    assert classify(CLUSTERS, "equal_interval", 3, decimals=1) == Classes(
        lower=(0.5, 50.0, 100.0), counts=(7, 1, 2), top=101.0
    )


def test_breaks_are_rounded_down_to_the_legend_and_counted_with_it():
    # the median 2.45 ends the first class, 2.48 starts the second; shown with one decimal
    # it starts at 2.4, and 2.42 is counted in the class it is coloured with
    found = classify([1, 2, 2.42, 2.48, 3, 4], "quantiles", 2, decimals=1)
    assert found.lower == (1.0, 2.4) and found.counts == (2, 4)


def test_few_distinct_values_give_one_class_each_and_no_values_none():
    assert classify([1, 1, 2, 2, 9], "natural_breaks", 5) == Classes((1, 2, 9), (2, 2, 1), 9)
    assert classify([3, 3, 3], "quantiles", 5) == Classes((3,), (3,), 3)
    assert classify([None, math.nan], "quantiles") == Classes()
    assert classify([], "equal_interval").k == 0


def test_missing_values_are_left_out_of_the_counts():
    found = classify([*TEN, None, math.nan, math.inf], "quantiles", 5)
    assert sum(found.counts) == 10


def test_a_diverging_metric_has_no_class_with_both_signs():
    values = [-5, -1, 2, 3, 4, 8, 9, 10]
    # equal intervals of 7.5 would hold -1 and 2 in one class [-5, 3)
    assert classify(values, "equal_interval", 2, split_at_zero=True) == Classes(
        lower=(-5, 0, 3), counts=(2, 1, 5), top=10
    )
    # already split between -1 and 2: nothing added
    assert classify(values, "equal_interval", 3, split_at_zero=True).lower == (-5, 2, 8)


def test_a_fixed_scale_has_an_open_top_class_that_holds_what_passes_its_end():
    found = fixed([0, 100, 700, 2999, 3364, None], 0, 3000, 5)
    assert found == Classes(lower=(0, 600, 1200, 1800, 2400), counts=(2, 1, 0, 0, 2), top=None)
    assert found.open_top and found.index(3364) == 4 and found.index(-3) == 0


@pytest.mark.parametrize(
    ("largest", "expected"),
    [(3364, [2000, 500, 200]), (7, [5, 1]), (100, [100, 20, 5]), (0, []), (0.4, [])],
)
def test_size_legend_references_are_round(largest, expected):
    assert nice_references(largest) == expected


def test_circle_area_grows_with_the_value():
    # a quarter of the largest value: half the diameter, a quarter of the area
    assert diameters([3364, 841, -841, None, 0], 3364, 40) == [40.0, 20.0, 20.0, 0.0, 0.0]
    assert diameters([5], 0, 40) == [0.0]
