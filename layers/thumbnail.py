"""Small SVG maps for the cards of the curated views: no JavaScript, no WebGL, cacheable."""

from __future__ import annotations

import math
from html import escape

import geopandas as gpd

from layers.palette import YLGNBU  # as in the dashboard's maps

NO_VALUE = "#d9d9d9"


def colour(value: float | None, low: float, high: float) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return NO_VALUE
    position = min(max((value - low) / (high - low), 0.0), 1.0) * (len(YLGNBU) - 1)
    i = min(int(position), len(YLGNBU) - 2)
    frac = position - i
    rgb = [round(a + (b - a) * frac) for a, b in zip(YLGNBU[i], YLGNBU[i + 1], strict=True)]
    return "#{:02x}{:02x}{:02x}".format(*rgb)


def area_svg(
    areas: gpd.GeoDataFrame,
    key: str,
    values: dict[str, float | None],
    scale: tuple[float, float],
    highlight: tuple[str, ...] = (),
    title: str = "",
    width: int = 320,
    height: int = 200,
    legend: tuple[str, str, str] | None = None,
    outline: str = "#000000",
    hatched: tuple[str, ...] = (),
    fills: dict[str, str] | None = None,
    labels: tuple[tuple[str, float, float, str], ...] = (),
) -> str:
    """An SVG choropleth of ``areas`` (EPSG:4326), equirectangular with the x axis shortened
    by cos(latitude) so shapes look right at these latitudes. The ``highlight`` areas are
    outlined in ``outline`` over a white halo (visible on the darkest fill too); the
    ``hatched`` ones (a value below its minimum base) get white hatching over their fill.
    ``fills``: each area's colour (a classed scale's), instead of the continuous ramp
    over ``scale``; ``legend`` then (title, [(colour, class label), ...]) instead of (low,
    high, unit). ``labels``: place names (name, lon, lat, plotly text position), haloed."""
    path = _projector(areas, width, height)
    shapes, outlines = [], []
    for code, geometry in zip(areas[key], areas.geometry, strict=True):
        d = path(geometry)
        shapes.append(
            f'<path d="{d}" fill="{_fill(code, values, scale, fills)}" stroke="#ffffff" '
            'stroke-width="0.5" fill-rule="evenodd"/>'
        )
        if code in hatched:
            shapes.append(f'<path class="low-base" d="{d}" fill="url(#hatch)"/>')
        if code in highlight:
            outlines.append(
                f'<path d="{d}" fill="none" stroke="#ffffff" stroke-width="3.5"/>'
                f'<path class="highlight" data-area="{escape(code)}" d="{d}" fill="none" '
                f'stroke="{escape(outline)}" stroke-width="2"/>'
            )
    label = f"<title>{escape(title)}</title>" if title else ""
    drawn, below = _legend_of(legend, width, height)
    total_height = height + below
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {total_height}" '
        f'width="{width}" height="{total_height}" role="img" aria-label="{escape(title)}">'
        f"{label}{HATCH if hatched else ''}{''.join(shapes)}{''.join(outlines)}"
        f"{_names(labels, path.point)}{drawn}</svg>"
    )


# where a name goes beside its point (plotly's text positions): anchor, dx, dy in font sizes
NAME_PLACES = {"middle center": ("middle", 0, 0.35), "bottom center": ("middle", 0, 1.1),
               "top center": ("middle", 0, -0.45), "middle right": ("start", 0.3, 0.35),
               "middle left": ("end", -0.3, 0.35)}  # fmt: skip
NAME_SIZE = 19  # px: 8 pt on paper at the printed map's size (assets/app.css)


def _names(labels, point) -> str:
    if not labels:
        return ""
    texts = []
    for name, lon, lat, position in labels:
        anchor, dx, dy = NAME_PLACES.get(position, NAME_PLACES["middle center"])
        x, y = point(lon, lat)
        texts.append(
            f'<text x="{x + dx * NAME_SIZE:.1f}" y="{y + dy * NAME_SIZE:.1f}" '
            f'text-anchor="{anchor}">{escape(name)}</text>'
        )
    return (
        f'<g class="place-names" font-family="Arial, Helvetica, sans-serif" '
        f'font-size="{NAME_SIZE}" fill="#1a1a1a" stroke="#ffffff" stroke-width="4" '
        f'paint-order="stroke">{"".join(texts)}</g>'
    )


def _projector(areas: gpd.GeoDataFrame, width: int, height: int):
    """A geometry's SVG path in a ``width`` × ``height`` box that fits all ``areas``."""
    minx, miny, maxx, maxy = areas.total_bounds
    squeeze = math.cos(math.radians((miny + maxy) / 2))
    span_x, span_y = (maxx - minx) * squeeze, maxy - miny
    unit = min((width - 8) / span_x, (height - 8) / span_y)
    off_x = (width - span_x * unit) / 2
    off_y = (height - span_y * unit) / 2

    def ring(coords) -> str:
        points = [
            f"{off_x + (x - minx) * squeeze * unit:.1f},{off_y + (maxy - y) * unit:.1f}"
            for x, y in coords
        ]
        return "M" + "L".join(points) + "Z"

    def path(geometry) -> str:
        polygons = geometry.geoms if geometry.geom_type == "MultiPolygon" else [geometry]
        return "".join(
            ring(p.exterior.coords) + "".join(ring(i.coords) for i in p.interiors) for p in polygons
        )

    path.point = lambda x, y: (off_x + (x - minx) * squeeze * unit, off_y + (maxy - y) * unit)
    return path


def _fill(code: str, values: dict, scale: tuple[float, float], fills: dict | None) -> str:
    if fills is None:
        return colour(values.get(code), *scale)
    return fills.get(code, NO_VALUE)


def _legend_of(legend, width: int, top: int) -> tuple[str, int]:
    """The legend's SVG and its height: a ramp (low, high, unit) or classes (title, rows)."""
    if not legend:
        return "", 0
    if len(legend) == 2:
        return _class_legend(*legend, width, top)
    return _legend(legend, width, top), 52


def _class_legend(title: str, rows: list, width: int, top: int) -> tuple[str, int]:
    """The classes as swatches with their ranges, three to a line, under the title."""
    # 19 px: 8 pt on paper, where the page prints at a zoom of 0.58 (assets/app.css)
    per_line, line = 3, 28
    column = (width - 8) / per_line
    items = "".join(
        f'<rect x="{4 + (i % per_line) * column:.0f}" y="{top + 32 + (i // per_line) * line}" '
        f'width="26" height="17" fill="{escape(fill)}" stroke="#999"/>'
        f'<text x="{36 + (i % per_line) * column:.0f}" y="{top + 47 + (i // per_line) * line}">'
        f"{escape(text)}</text>"
        for i, (fill, text) in enumerate(rows)
    )
    height = 38 + line * -(-len(rows) // per_line)
    return (
        f'<g font-family="sans-serif" font-size="19" fill="#333">'
        f'<text x="4" y="{top + 22}" font-weight="600">{escape(title)}</text>{items}</g>',
        height,
    )


# white diagonal hatching (as the maps' low-base veil, assets/hatch.js)
HATCH = (
    '<defs><pattern id="hatch" patternUnits="userSpaceOnUse" width="4" height="4" '
    'patternTransform="rotate(45)"><rect width="1.6" height="4" fill="#ffffff"/>'
    "</pattern></defs>"
)


def _legend(legend: tuple[str, str, str], width: int, top: int) -> str:
    """A colour ramp with its low and high end and the unit (for print and thumbnails)."""
    low, high, unit = (escape(x) for x in legend)
    stops = "".join(
        f'<stop offset="{i / (len(YLGNBU) - 1):.3f}" stop-color="#{r:02x}{g:02x}{b:02x}"/>'
        for i, (r, g, b) in enumerate(YLGNBU)
    )
    left, bar = width * 0.2, width * 0.6
    return (
        f'<defs><linearGradient id="ramp">{stops}</linearGradient></defs>'
        f'<rect x="{left:.0f}" y="{top + 4}" width="{bar:.0f}" height="10" fill="url(#ramp)" '
        'stroke="#999"/>'
        # 19 px: 8 pt on paper (as the class legend's)
        f'<g font-family="sans-serif" font-size="19" fill="#333">'
        f'<text x="{left:.0f}" y="{top + 38}" text-anchor="middle">{low}</text>'
        f'<text x="{left + bar:.0f}" y="{top + 38}" text-anchor="middle">{high}</text>'
        f'<text x="{width / 2:.0f}" y="{top + 38}" text-anchor="middle">{unit}</text></g>'
    )
