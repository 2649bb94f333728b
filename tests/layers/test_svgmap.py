"""The server-drawn SVG map of the first paint (layers/svgmap.py): projection into the box,
compact paths inside the view box, one titled path per area."""

from __future__ import annotations

import re

import pytest

from layers import svgmap
from layers.boundaries.files import load_geojson_dict

RUHR_BOUNDS = (6.25, 50.96, 8.05, 52.08)  # the explorer's first view (dashboard/layout.py)


def _points(path: str) -> list[tuple[int, int]]:
    """The absolute points of a path written as "M x y l dx dy … z" rings."""
    found = []
    for ring in re.findall(r"M(-?\d+) (-?\d+)l([^z]*)z", path):
        x, y = int(ring[0]), int(ring[1])
        found.append((x, y))
        numbers = [int(n) for n in re.findall(r"-?\d+", ring[2])]
        for dx, dy in zip(numbers[::2], numbers[1::2], strict=True):
            x, y = x + dx, y + dy
            found.append((x, y))
    return found


def test_the_bounds_fill_the_box_width_and_are_centred_vertically():
    frame = svgmap.Frame(RUHR_BOUNDS, aspect=0.8)
    x, y, w, h = frame.rectangle()
    assert (x, w) == (0, svgmap.WIDTH)  # wider than the box's shape: fitted to its width
    assert frame.height == round(svgmap.WIDTH / 0.8)
    assert abs(y - (frame.height - (y + h))) <= 1  # the same room above and below


def test_a_frame_without_aspect_is_the_bounds_own_box():
    frame = svgmap.Frame(RUHR_BOUNDS)
    assert frame.rectangle() == (0, 0, svgmap.WIDTH, frame.height)


@pytest.mark.parametrize("aspect", [None, 0.91])
def test_every_ruhr_municipality_has_a_path_inside_the_view_box(aspect):
    frame = svgmap.Frame(RUHR_BOUNDS, aspect)
    paths = svgmap.feature_paths(load_geojson_dict("ruhr_municipalities"), "ags", frame)
    assert len(paths) == 53 and all(paths.values())
    x, y, w, h = frame.rectangle()
    for path in paths.values():
        for px, py in _points(path):
            assert x <= px <= x + w and y <= py <= y + h


def test_what_lies_outside_the_frame_is_cut_off_near_it():
    frame = svgmap.Frame((7.0, 51.3, 7.4, 51.6))  # a part of the Ruhr only
    paths = svgmap.feature_paths(load_geojson_dict("ruhr_municipalities"), "ags", frame)
    points = [p for path in paths.values() for p in _points(path)]
    assert points
    margin = 21  # geometry_path keeps 20 units around the frame, plus rounding
    assert all(-margin <= px <= svgmap.WIDTH + margin for px, _ in points)
    assert all(-margin <= py <= frame.height + margin for _, py in points)


def test_the_svg_has_one_titled_path_per_area_with_its_fill():
    frame = svgmap.Frame((0.0, 0.0, 1.0, 1.0))
    square = {"type": "Polygon", "coordinates": [[[0.1, 0.1], [0.9, 0.1], [0.9, 0.9],
                                                  [0.1, 0.9], [0.1, 0.1]]]}  # fmt: skip
    paths = {"a": svgmap.geometry_path(square, frame), "b": svgmap.geometry_path(square, frame)}
    drawing = svgmap.Drawing(
        frame, paths,
        (svgmap.Area("a", "#123456", "Gelsenkirchen"), svgmap.Area("b", "#bdbdbd", "<b>")),
        label="Karte", description="Synthetische Demonstrationsdaten", key="test",
    )  # fmt: skip
    svg = svgmap.map_svg(drawing)
    assert re.findall(r'fill="(#\w+)"><title>([^<]*)</title>', svg) == [
        ("#123456", "Gelsenkirchen"), ("#bdbdbd", "&lt;b&gt;")]  # fmt: skip
    assert 'role="img" aria-label="Karte"' in svg
    assert "<desc>Synthetische Demonstrationsdaten</desc>" in svg
    assert 'id="test-clip"' in svg and "url(#test-clip)" in svg


def test_a_ring_too_small_to_see_is_left_out():
    frame = svgmap.Frame((0.0, 0.0, 10.0, 10.0))
    speck = {"type": "Polygon", "coordinates": [[[5, 5], [5.0001, 5], [5, 5.0001], [5, 5]]]}
    assert svgmap.geometry_path(speck, frame) == ""
