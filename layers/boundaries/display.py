"""Lighter and re-wound copies of the committed GeoJSON for drawing maps in the browser."""

from __future__ import annotations

import itertools
import json
from typing import Any

import geopandas as gpd
import numpy as np
import shapely

from layers.boundaries.geometry import _polygonal


def _signed_area(ring: list[list[float]]) -> float:
    """Shoelace area of a closed ring in lon/lat: positive when it runs anticlockwise."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in itertools.pairwise(ring)) / 2


def clockwise(geojson: dict[str, Any]) -> dict[str, Any]:
    """The same features with outer rings clockwise and holes anticlockwise, the winding that
    d3-geo (plotly.js's SVG maps) reads as "inside". RFC 7946 files like ours wind the other
    way round, which d3 draws as the whole globe with the area cut out."""

    def wound(polygon: list) -> list:
        return [
            ring[::-1] if (_signed_area(ring) > 0) == (index == 0) else ring
            for index, ring in enumerate(polygon)
        ]

    features = []
    for feature in geojson["features"]:
        geometry = feature["geometry"]
        if geometry["type"] == "Polygon":
            geometry = {**geometry, "coordinates": wound(geometry["coordinates"])}
        elif geometry["type"] == "MultiPolygon":
            geometry = {**geometry, "coordinates": [wound(p) for p in geometry["coordinates"]]}
        features.append({**feature, "geometry": geometry})
    return {**geojson, "features": features}


def _features(frame: gpd.GeoDataFrame, digits: int) -> dict[str, Any]:
    geometry = shapely.transform(frame.geometry.values, lambda xy: np.round(xy, digits))
    return json.loads(frame.set_geometry(geometry).to_json(drop_id=True))


def for_display(
    geojson: dict[str, Any],
    tolerance: float,
    clip: tuple[float, float, float, float] | None = None,
    digits: int = 4,
) -> dict[str, Any]:
    """A lighter copy of a coverage for drawing around a map: cut to ``clip`` (west,
    south, east, north) and simplified as a whole, so that neighbours keep one shared
    border. Maps redraw every layer on each filter change; context needs little detail."""
    frame = gpd.GeoDataFrame.from_features(geojson["features"])
    if clip is not None:
        frame = frame.clip(clip)
        # Valid polygons only: a clip may leave stray lines or points on the box.
        frame = frame.set_geometry(frame.geometry.apply(_polygonal))
    frame = frame.set_geometry(shapely.coverage_simplify(frame.geometry.values, tolerance))
    return _features(frame, digits)


def dissolved(geojson: dict[str, Any], by: str | None = None, digits: int = 4) -> dict[str, Any]:
    """The outline of a coverage as one feature, or one per value of the property ``by``,
    named in the property ``name`` ("all" without ``by``)."""
    frame = gpd.GeoDataFrame.from_features(geojson["features"])
    frame["name"] = frame[by] if by else "all"
    outline = frame[["name", "geometry"]].dissolve(by="name", as_index=False)
    return _features(outline, digits)
