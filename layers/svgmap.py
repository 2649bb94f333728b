"""A map drawn as SVG text by the server, for the first paint of a page before its scripts
(issue 19.2): the same Mercator view as the live plotly map (its lon/lat ranges fitted into
its box, centred), one ``<path>`` per area with its fill and ``<title>`` name, context lines,
the selection's outline, place names and a count's circles. Pure: no dash or flask.

Coordinates are whole units of a box ``WIDTH`` units wide (about half a pixel on screen)
written as relative moves, so a map of 53 or 70 areas stays a few KB compressed."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from html import escape

import numpy as np
import shapely
import shapely.geometry

WIDTH = 1000  # viewBox units across the box
TOLERANCE = 2.0  # units (1 px at a 500 px wide map): shared borders stay within a pixel
Point = tuple[float, float]


def _mercator(lon: float, lat: float) -> Point:
    lat = min(max(lat, -85.0), 85.0)
    return math.radians(lon), math.log(math.tan(math.pi / 4 + math.radians(lat) / 2))


@dataclass(frozen=True)
class Frame:
    """The box a map is drawn in: ``bounds`` (west, south, east, north) fitted into the
    box's top ``1 - bottom`` (plotly's geo domain) at ``aspect`` (width / height) and
    centred, as plotly fits a geo's ranges; ``aspect`` None: the box is the bounds'."""

    bounds: tuple[float, float, float, float]
    aspect: float | None = None
    bottom: float = 0.0

    @property
    def _fit(self) -> tuple[float, float, float, float]:
        """(scale, x offset, y offset, box height) in viewBox units."""
        west, south, east, north = self.bounds
        (x0, y0), (x1, y1) = _mercator(west, south), _mercator(east, north)
        if self.aspect is None:
            scale = WIDTH / (x1 - x0)
            height = (y1 - y0) * scale / (1 - self.bottom)
            return scale, -x0 * scale, y1 * scale, height
        height = WIDTH / self.aspect
        room = height * (1 - self.bottom)
        scale = min(WIDTH / (x1 - x0), room / (y1 - y0))
        left = (WIDTH - (x1 - x0) * scale) / 2 - x0 * scale
        top = (room - (y1 - y0) * scale) / 2 + y1 * scale
        return scale, left, top, height

    @property
    def height(self) -> int:
        return round(self._fit[3])

    def rectangle(self) -> tuple[int, int, int, int]:
        """The bounds' box in viewBox units: x, y, width, height (the live map's frame)."""
        west, south, east, north = self.bounds
        (x0, y0), (x1, y1) = self.project(west, north), self.project(east, south)
        return round(x0), round(y0), round(x1 - x0), round(y1 - y0)

    def project(self, lon: float, lat: float) -> Point:
        scale, left, top, _ = self._fit
        x, y = _mercator(lon, lat)
        return left + x * scale, top - y * scale

    def project_many(self, lonlat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        """``project`` of an (n, 2) array of lon, lat."""
        scale, left, top, _ = self._fit
        lat = np.radians(np.clip(lonlat[:, 1], -85.0, 85.0))
        x, y = np.radians(lonlat[:, 0]), np.log(np.tan(np.pi / 4 + lat / 2))
        return left + x * scale, top - y * scale


def _ring(coords: Iterable) -> str:
    """One closed ring as "M x y l dx dy …z" in whole units, repeated points left out."""
    points = []
    for x, y, *_ in coords:
        point = (round(x), round(y))
        if not points or point != points[-1]:
            points.append(point)
    if len(points) < 4:  # closed: at least a triangle and its first point again
        return ""
    (x, y), moves = points[0], []
    for px, py in points[1:-1]:
        moves.append(f"{px - x} {py - y}")
        x, y = px, py
    return f"M{points[0][0]} {points[0][1]}l" + " ".join(moves).replace(" -", "-") + "z"


def geometry_path(geometry: Mapping, frame: Frame, tolerance: float = TOLERANCE) -> str:
    """A GeoJSON (Multi)Polygon as one SVG path in ``frame``: projected, cut to a little more
    than the frame (what lies outside is never seen), simplified by ``tolerance`` units
    (less than a pixel) and rounded; holes drawn even-odd."""
    shape = shapely.geometry.shape(geometry)
    projected = shapely.transform(shape, lambda xy: np.array(frame.project_many(xy)).T)
    x, y, w, h = frame.rectangle()
    margin = 20
    cut = shapely.clip_by_rect(projected, x - margin, y - margin, x + w + margin, y + h + margin)
    simple = cut.simplify(tolerance, preserve_topology=True)
    polygons = [g for g in getattr(simple, "geoms", [simple]) if g.geom_type == "Polygon"]
    polygons += [p for g in getattr(simple, "geoms", []) if g.geom_type == "MultiPolygon"
                 for p in g.geoms]  # fmt: skip
    return "".join(_ring(ring.coords) for polygon in polygons
                   for ring in (polygon.exterior, *polygon.interiors))  # fmt: skip


def feature_paths(
    geojson: Mapping, key: str, frame: Frame, tolerance: float = TOLERANCE
) -> dict[str, str]:
    """Each feature's path by its ``key`` property (e.g. "ags"), in ``frame``."""
    return {
        str(feature["properties"][key]): geometry_path(feature["geometry"], frame, tolerance)
        for feature in geojson["features"]
    }


@dataclass(frozen=True)
class Area:
    """An area as the map draws it: its fill, its name (the tooltip) and marks over it."""

    code: str
    fill: str
    name: str
    veil: bool = False  # below its minimum base: a white veil with a dark outline
    outlined: bool = False  # selected: a black outline


@dataclass(frozen=True)
class Drawing:
    """Everything one map shows; ``paths``: each area's path (``feature_paths``)."""

    frame: Frame
    paths: Mapping[str, str]
    areas: tuple[Area, ...]
    label: str  # the map's accessible name
    description: str = ""  # read after it: the notice, the key figures, the source
    base: str = ""  # one path: the areas' union, drawn grey under them
    context: str = ""  # one path: neighbouring areas' borders
    line: str = "#ffffff"  # the areas' borders
    names: tuple[tuple[float, float, str, str], ...] = ()  # lon, lat, text, plotly position
    circles: tuple[tuple[float, float, float, str], ...] = ()  # lon, lat, diameter, colour
    pixels: float = 500.0  # the box's width on screen, for text and circle sizes
    styles: dict = field(default_factory=dict)  # colours of the marks (defaults below)
    key: str = "map"  # unique in the page: names the map's clip path


STYLES = {"base": "#e6e6e6", "context": "#7a7a7a", "frame": "#bdbdbd", "veil":
          "rgba(255,255,255,0.6)", "veil_line": "#595959", "outline": "#000000",
          "name": "#1a1a1a"}  # fmt: skip
# plotly's text positions: text-anchor, dx and dy in font sizes
NAME_PLACES = {"middle center": ("middle", 0, 0.35), "bottom center": ("middle", 0, 1.1),
               "top center": ("middle", 0, -0.45), "middle right": ("start", 0.3, 0.35),
               "middle left": ("end", -0.3, 0.35)}  # fmt: skip


def _marks(drawing: Drawing, unit: float, style: dict) -> list[str]:
    """What goes over the areas: veils, outlines, circles, names."""
    found = []
    for area in drawing.areas:
        d = drawing.paths.get(area.code, "")
        if area.veil and d:
            found.append(f'<path d="{d}" fill="{style["veil"]}" stroke="{style["veil_line"]}" '
                         f'stroke-width="{2.4 * unit:.1f}"/>')  # fmt: skip
    if drawing.context:
        found.append(f'<path d="{drawing.context}" fill="none" stroke="{style["context"]}" '
                     f'stroke-width="{unit * 2:.1f}"/>')  # fmt: skip
    for area in drawing.areas:
        d = drawing.paths.get(area.code, "")
        if area.outlined and d:
            found.append(f'<path class="highlight" d="{d}" fill="none" stroke='
                         f'"{style["outline"]}" stroke-width="{6 * unit:.1f}"/>')  # fmt: skip
    for lon, lat, diameter, colour in drawing.circles:
        if diameter > 0:
            x, y = drawing.frame.project(lon, lat)
            found.append(f'<circle cx="{x:.0f}" cy="{y:.0f}" r="{diameter * unit:.1f}" '
                         f'fill="{colour}" fill-opacity="0.7" stroke="#fff"/>')  # fmt: skip
    if drawing.names:
        size = 11 * 2 * unit
        texts = []
        for lon, lat, text, position in drawing.names:
            anchor, dx, dy = NAME_PLACES.get(position, NAME_PLACES["middle center"])
            x, y = drawing.frame.project(lon, lat)
            texts.append(f'<text x="{x + dx * size:.0f}" y="{y + dy * size:.0f}" '
                         f'text-anchor="{anchor}">{escape(text)}</text>')  # fmt: skip
        found.append(f'<g font-family="Arial, Helvetica, sans-serif" font-size="{size:.0f}" '
                     f'fill="{style["name"]}" stroke="#fff" stroke-width="{6 * unit:.1f}" '
                     f'paint-order="stroke">{"".join(texts)}</g>')  # fmt: skip
    return found


def map_svg(drawing: Drawing) -> str:
    """The map as one ``<svg>`` that fills its box (the live map's), areas clipped to the
    frame as plotly clips them."""
    style = {**STYLES, **drawing.styles}
    frame = drawing.frame
    unit = WIDTH / drawing.pixels / 2  # half a pixel in viewBox units
    x, y, w, h = frame.rectangle()
    areas = "".join(
        f'<path d="{drawing.paths[a.code]}" fill="{a.fill}"><title>{escape(a.name)}</title></path>'
        for a in drawing.areas
        if drawing.paths.get(a.code)
    )
    base = f'<path d="{drawing.base}" fill="{style["base"]}"/>' if drawing.base else ""
    description = f"<desc>{escape(drawing.description)}</desc>" if drawing.description else ""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {frame.height}" '
        f'role="img" aria-label="{escape(drawing.label)}" preserveAspectRatio="xMidYMid meet">'
        f"<title>{escape(drawing.label)}</title>{description}"
        f'<clipPath id="{drawing.key}-clip">'
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}"/></clipPath>'
        f'<g clip-path="url(#{drawing.key}-clip)" stroke-linejoin="round">{base}'
        f'<g stroke="{drawing.line}" stroke-width="{1.2 * unit:.1f}">{areas}</g>'
        f"{''.join(_marks(drawing, unit, style))}</g>"
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" fill="none" stroke="{style["frame"]}" '
        f'stroke-width="{2 * unit:.1f}"/></svg>'
    )
