"""The flows tab's maps and legend (dashboard/flowmap.py) on hand-made numbers."""

import itertools

import numpy as np
import pytest

from dashboard import flowmap
from dashboard.figures import GeoLayer
from layers import indicators, queries
from tests.helpers import DORTMUND, FLOW_ROWS, tiny_dataset

GEO = {name: GeoLayer(f"/geo/{name}.geojson", "properties.code", ())
       for name in ("context_countries", "origin_regions", "ruhr_municipalities",
                    "ruhr_context")}  # fmt: skip


def _inside(width_class, value) -> bool:
    return width_class.low <= value and (width_class.high is None or value <= width_class.high)


def _covers_each_once(classes, persons) -> bool:
    """Every number of persons in exactly one class's range, and the classes in a row."""
    if any(sum(_inside(c, value) for c in classes) != 1 for value in persons):
        return False
    ordered = all(a.high + 1 == b.low for a, b in itertools.pairwise(classes))
    return ordered and classes[-1].high is None


@pytest.mark.parametrize(
    "persons",
    [[250, 300, 480, 900, 1200, 2600], [3], [7, 7, 7], [1, 2, 3, 4, 5, 100_000],
     [1841, 1933, 2027, 2341, 2418, 3000, 3636, 3935, 5073, 6301, 6422]],
)  # fmt: skip
def test_width_classes_cover_every_flow(persons):
    classes = flowmap.width_classes(persons)
    assert 1 <= len(classes) <= 5 and _covers_each_once(classes, persons)
    index = flowmap.class_index(classes, persons)  # the class each line is drawn in
    assert all(_inside(classes[i], v) for i, v in zip(index, persons, strict=True))
    widths = [c.width for c in classes]
    assert widths == sorted(widths) and len(set(widths)) == len(widths)


def test_width_classes_cover_random_flows():
    rng = np.random.default_rng(16)
    for _ in range(200):
        persons = rng.integers(1, 20_000, size=rng.integers(1, 100)).tolist()
        assert _covers_each_once(flowmap.width_classes(persons), persons), persons


def test_width_classes_have_round_bounds_named_in_the_page_language():
    classes = flowmap.width_classes([250, 300, 480, 900, 1200, 2600])
    assert [(c.low, c.high) for c in classes] == [(250, 499), (500, 999), (1000, None)]
    assert [c.label("de") for c in classes] == [
        "250–499 Personen", "500–999 Personen", "≥ 1.000 Personen"]  # fmt: skip
    assert classes[-1].label("en") == "≥ 1,000 persons"
    assert flowmap.WidthClass(5, 5, 1.0).label("de") == "5 Personen"
    assert flowmap.width_classes([]) == ()
    assert [flowmap.nice_floor(v) for v in (0.5, 1, 4, 24, 25, 2499, 7_000)] == [
        1, 1, 2, 10, 25, 1000, 5000]  # fmt: skip


def test_mercator_bearing_is_clockwise_from_up():
    assert flowmap.mercator_bearing(7, 51, 7, 52) == pytest.approx(0)
    assert flowmap.mercator_bearing(7, 51, 8, 51) == pytest.approx(90)
    assert flowmap.mercator_bearing(7, 51, 6, 51) == pytest.approx(-90)
    assert abs(flowmap.mercator_bearing(7, 51, 7, 50)) == pytest.approx(180)
    # at 60° north a degree of latitude is twice as long on the map as one of longitude
    assert flowmap.mercator_bearing(0, 60, 2, 61) == pytest.approx(45, abs=1)


def _flows(direction="arrival"):
    ds = tiny_dataset(FLOW_ROWS)
    return indicators.top_flows(ds, queries.parse_filter(), direction, 25, 0)


def test_each_flow_has_one_arrowhead_at_its_destination_end_in_its_colour():
    flows = _flows()  # 20, 16, 7 and 3 persons: classes 2–9 and ≥ 10
    figure = flowmap.flow_map(flows, "arrival", "de", GEO)
    heads = figure.data[0]
    assert heads.name == "arrowheads" and len(heads.lon) == len(flows) == 4
    assert heads.marker.symbol == "triangle-up" and heads.marker.color == flowmap.ARRIVAL_COLOUR
    lines = [t for t in figure.data if t.type == "scattergeo" and t.mode == "lines"][1:]
    assert [t.name for t in lines] == ["2–9 Personen", "≥ 10 Personen"]  # after the frame
    # in the order of the lines: each head where its line ends, pointing along its last piece
    ends = []
    for line in lines:  # each line's points, then None before the next line
        points = list(zip(line.lon, line.lat, strict=True))
        ends += [(points[i - 1], points[i - 2]) for i, p in enumerate(points) if p[0] is None]
    angles = list(heads.marker.angle)
    for ((lon, lat), before), head, angle in zip(ends, zip(heads.lon, heads.lat, strict=True),
                                                 angles, strict=True):  # fmt: skip
        assert head == (lon, lat)
        assert angle == pytest.approx(flowmap.mercator_bearing(*before, lon, lat), abs=0.1)
        assert -90 < angle < 0  # from Romania and Bulgaria to the Ruhr: up and left
    # each head stops short of the Ruhr end point (6 px across) by half its own length
    assert list(heads.marker.standoff) == [3 + s / 2 for s in heads.marker.size]


def test_departures_end_at_the_origin_regions_circles():
    flows = _flows("departure")  # Duisburg→Plovdiv 5, Dortmund→Galați 4
    figure = flowmap.flow_map(flows, "departure", "de", GEO)
    heads = figure.data[0]
    assert heads.marker.color == flowmap.DEPARTURE_COLOUR
    assert all(90 < angle < 180 for angle in heads.marker.angle)  # down and right
    circles = next(t for t in figure.data if t.name == "origin ends")
    radius = dict(zip(circles.customdata, np.divide(circles.marker.size, 2), strict=True))
    plovdiv = next(r for hover, r in radius.items() if "Plovdiv" in hover)
    assert heads.marker.standoff[0] == pytest.approx(plovdiv + heads.marker.size[0] / 2)


def test_ruhr_map_has_a_circle_per_municipality_sized_by_persons_the_largest_named():
    figure = flowmap.ruhr_flow_map(_flows(), "arrival", "en", GEO, ("municipality", [DORTMUND]))
    circles = next(t for t in figure.data if t.name == "Ruhr ends")
    assert list(circles.text) == ["Dortmund<br>23", "Duisburg<br>20", "Gelsenkirchen<br>3"]
    sizes = list(circles.marker.size)  # areas in proportion: 44 px for 23 persons
    assert sizes[0] == 44 and sizes[1] == pytest.approx(44 * (20 / 23) ** 0.5, abs=0.1)
    assert sizes[2] == pytest.approx(44 * (3 / 23) ** 0.5, abs=0.1)
    assert "Arrivals: 23 persons<br>Flows shown: 2" in circles.customdata[0]
    selection = next(t for t in figure.data if t.name == "selection")
    assert list(selection.locations) == [DORTMUND]


def _texts(component) -> list[str]:
    if isinstance(component, str):
        return [component]
    if isinstance(component, list | tuple):
        return [text for child in component for text in _texts(child)]
    return _texts(getattr(component, "children", None) or [])


def test_legend_names_each_width_class_and_the_symbols():
    legend = " ".join(_texts(flowmap.flow_legend(_flows(), "arrival", "de")))
    expected = [
        "Linienbreite, Personen je Strom:",
        "2–9 Personen",
        "≥ 10 Personen",
        "Pfeilspitze: Ziel des Stroms",
        "Kreisfläche",
        "Ausschnitt der Ruhrgebietskarte",
    ]
    assert all(text in legend for text in expected), legend
    assert flowmap.flow_legend(_flows().iloc[:0], "arrival", "de") == []


def _hover_texts(figure) -> list[str]:
    """Every hover text of the flow map: the lines' and the end points'."""
    texts = []
    for trace in figure.data:
        if trace.type == "scattergeo" and trace.mode == "lines" and trace.text:
            texts += [t for t in trace.text if t]
        if trace.type == "scattergeo" and trace.name in ("origin ends", "Ruhr ends"):
            texts += list(trace.customdata)
    return texts


@pytest.mark.parametrize("direction", ["arrival", "departure"])
def test_bulgarian_pages_name_the_oblasts_in_cyrillic_on_hover(direction):
    flows = _flows(direction)  # Plovdiv (BG421) is an end of some flows
    bulgarian = _hover_texts(flowmap.flow_map(flows, direction, "bg", GEO))
    german = _hover_texts(flowmap.flow_map(flows, direction, "de", GEO))
    assert any("Пловдив" in text for text in bulgarian)
    assert not any("Plovdiv" in text for text in bulgarian)
    assert any("Plovdiv" in text for text in german)
    assert not any("Пловдив" in text for text in german)
