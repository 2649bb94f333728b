"""What the area maps draw over the areas (issue 16.4): proportional circles for counts and
place names. Both sit at each area's representative point (a point inside it, unlike a
centroid, shapely's ``representative_point``), computed once from the boundary files; their
positions and names stay in the map's first figure, an update only sizes the circles or
shows and hides the names."""

from __future__ import annotations

import functools
import math

import plotly.graph_objects as go
from shapely.geometry import shape

from layers import regions
from layers.boundaries.files import load_geojson_dict

# Names on the Ruhr map: the kreisfreie Städte and the Großstädte among the other towns
# (100,000 inhabitants or more: Moers, Recklinghausen); below that they would overlap in
# the dense core. On the origin map the counties (județe) and oblasts. On both, names that
# would overlap a more populous area's are left out (``labelled``).
LARGE_TOWN = 100_000
# a white halo drawn by plotly ("auto": the paper colour), so that a PNG or SVG download
# keeps it (a CSS halo is not in the image)
LABEL_FONT = {
    "family": "Arial, Helvetica, sans-serif",
    "size": 11,
    "color": "#1a1a1a",
    "shadow": "auto",
}
# where a name may go beside its point: (plotly textposition, shift right in name widths,
# shift down in line heights), tried in this order
POSITIONS = (("middle center", 0, 0), ("bottom center", 0, 0.7), ("top center", 0, -0.7),
             ("middle right", 0.5, 0), ("middle left", -0.5, 0))  # fmt: skip
CIRCLE_LINE = {"width": 0.8, "color": "#ffffff"}


@functools.cache
def representative_points(layer: str, key: str) -> dict[str, tuple[float, float]]:
    """Each feature's point inside it, by its ``key`` property: (lon, lat), 4 decimals."""
    points = {}
    for feature in load_geojson_dict(layer)["features"]:
        point = shape(feature["geometry"]).representative_point()
        points[feature["properties"][key]] = (round(point.x, 4), round(point.y, 4))
    return points


def candidates(side: str) -> list[tuple[str, str, int]]:
    """(code, name, population) of the areas that may be named on a side's map."""
    if side == "origin":
        return [(r.nuts3, r.name, r.population) for r in regions.ORIGIN_REGIONS]
    return [(m.ags, m.name, m.population) for m in regions.MUNICIPALITIES
            if m.kind == regions.KIND_CITY or m.population >= LARGE_TOWN]  # fmt: skip


def _mercator(lon: float, lat: float) -> tuple[float, float]:
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


def labelled(
    side: str, bounds, size=(480, 450), font_size: int = LABEL_FONT["size"]
) -> list[tuple[str, str, str]]:
    """(code, name, plotly text position) of the areas named: the most populous first, each
    at its point or just above or below it, where its name overlaps none placed before, at
    the map's first view (``bounds``) drawn about ``size`` pixels wide and high (each
    name's box estimated from its length at ``font_size``); names that find no place are
    left out."""
    west, south, east, north = bounds
    (x0, y0), (x1, y1) = _mercator(west, south), _mercator(east, north)
    scale = min(size[0] / (x1 - x0), size[1] / (y1 - y0))  # pixels per projected unit
    points, placed, boxes = points_of(side), [], []
    frame = (x0 * scale, -y1 * scale, x1 * scale, -y0 * scale)  # no name past its edge
    height = 1.2 * font_size
    for code, name, _ in sorted(candidates(side), key=lambda c: -c[2]):
        lon, lat = _mercator(*points[code])
        x, y, half = lon * scale, -lat * scale, 0.31 * font_size * len(name) + 2
        for position, right, down in POSITIONS:
            top, left = y + down * (height + 2) - height / 2, x + right * (2 * half + 4) - half
            box = (left, top, left + 2 * half, top + height)
            inside = frame[0] <= box[0] and box[2] <= frame[2] and frame[1] <= box[1] and (
                box[3] <= frame[3])  # fmt: skip
            if inside and all(box[2] < b[0] or b[2] < box[0] or box[3] < b[1] or b[3] < box[1]
                              for b in boxes):  # fmt: skip
                boxes.append(box)
                placed.append((code, name, position))
                break
    return placed


def points_of(side: str) -> dict[str, tuple[float, float]]:
    if side == "origin":
        return representative_points("origin_regions", "nuts3")
    return representative_points("ruhr_municipalities", "ags")


def circles(codes: list[str], side: str) -> go.Scattergeo:
    """One circle per area, sized by the updates (none at first); no hover of its own:
    the area under it says name and count."""
    points = points_of(side)
    return go.Scattergeo(
        lon=[points[c][0] for c in codes],
        lat=[points[c][1] for c in codes],
        mode="markers",
        marker={"size": [0] * len(codes), "sizemode": "diameter", "color": "#0072B2",
                "opacity": 0.7, "line": CIRCLE_LINE},
        hoverinfo="skip",
        visible=False,
        showlegend=False,
        name="circles",
    )  # fmt: skip


def labels(side: str, bounds, lang: str = "de") -> go.Scattergeo:
    """The place names, white-haloed for legibility over any colour (assets/app.css); on
    paper as on screen (the maps print at their screen size, assets/print.js), a name
    that would cover a more populous one's hidden where drawn (assets/fit.js)."""
    points, named = points_of(side), labelled(side, bounds)
    return go.Scattergeo(
        lon=[points[code][0] for code, _, _ in named],
        lat=[points[code][1] for code, _, _ in named],
        text=[regions.area_name(code, name, lang) for code, name, _ in named],
        mode="text",
        textfont=LABEL_FONT,
        textposition=[position for _, _, position in named],
        hoverinfo="skip",
        showlegend=False,
        name="labels",
    )
