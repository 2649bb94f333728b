"""Geometry of the boundary build: valid polygons, rings cut at the antimeridian, coverages
simplified so that shared borders stay shared, and compact GeoJSON features."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import shapely


def _polygonal(geom: shapely.Geometry) -> shapely.Geometry:
    """Make valid and keep only polygon parts (make_valid can emit lines/points)."""
    if not geom.is_valid:
        geom = shapely.make_valid(geom, method="structure")
    parts = [
        p for p in shapely.get_parts(geom) if isinstance(p, shapely.Polygon) and not p.is_empty
    ]
    if not parts:
        raise ValueError("geometry has no polygonal part")
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def _split_antimeridian(geom: shapely.Geometry) -> shapely.Geometry:
    """Cut polygons whose rings jump across the antimeridian into parts on either side.

    world-atlas keeps spherical rings, e.g. Fiji and Chukotka (Russia) run ... (180, y),
    (-180, y) ...; read as planar geometry such an edge spans the whole globe. Unwrap the
    longitudes to a continuous ring, then cut it at ±180° and shift the pieces back.
    """
    polygons = []
    for poly in shapely.get_parts(geom):
        rings = [np.asarray(r.coords) for r in (poly.exterior, *poly.interiors)]
        if not any((np.abs(np.diff(r[:, 0])) > 180).any() for r in rings):
            polygons.append(poly)
            continue
        unwrapped = []
        for r in rings:
            x = np.unwrap(r[:, 0], period=360)
            if abs(x[-1] - x[0]) > 1e-9:  # e.g. Antarctica: the ring encircles the pole
                raise ValueError("ring does not close after unwrapping (encircles a pole?)")
            x += 360 * np.round((rings[0][0, 0] - x[0]) / 360)  # holes beside the exterior
            unwrapped.append(np.column_stack([x, r[:, 1]]))
        whole = _polygonal(shapely.Polygon(unwrapped[0], unwrapped[1:]))
        for shift in (-360, 0, 360):
            piece = shapely.intersection(whole, shapely.box(-180 - shift, -90, 180 - shift, 90))
            offset = np.array([shift, 0.0])
            polygons.extend(
                shapely.transform(p, lambda c, o=offset: c + o)
                for p in shapely.get_parts(piece)
                if isinstance(p, shapely.Polygon) and p.area > 0
            )
    return polygons[0] if len(polygons) == 1 else shapely.MultiPolygon(polygons)


def _check_coverage(geoms: np.ndarray, label: str) -> None:
    if not shapely.is_valid(geoms).all():
        raise RuntimeError(f"{label}: invalid geometries after processing")
    if not shapely.coverage_is_valid(geoms):
        raise RuntimeError(f"{label}: shared borders do not match (coverage invalid)")


def simplify_coverage(
    geoms: Iterable[shapely.Geometry], tolerance: float, grid: float, label: str
) -> np.ndarray:
    """Clean, coverage-simplify and grid-snap one set of neighbouring polygons.

    Shared borders are simplified once for both sides (coverage_simplify), and snapping every
    polygon to the same grid maps identical shared vertices to identical results, so borders
    stay shared. The result is verified (valid polygons, valid coverage).
    """
    arr = np.array([_polygonal(g) for g in geoms], dtype=object)
    if not shapely.coverage_is_valid(arr):
        # Quantised TopoJSON sources can contain tiny twisted slivers (e.g. Haskovo/Kardzhali):
        # resolve overlaps and close sub-100 m gaps between neighbours.
        arr = shapely.coverage_clean(arr, gap_width=1e-3)
    arr = shapely.coverage_simplify(arr, tolerance, simplify_boundary=True)
    arr = shapely.set_precision(arr, grid)
    arr = np.array([_polygonal(g) for g in arr], dtype=object)
    arr = shapely.orient_polygons(arr)  # RFC 7946: exterior rings counter-clockwise
    _check_coverage(arr, label)
    return arr


def _digits(grid: float) -> int:
    return max(0, round(-np.log10(grid)))


def _ring(coords: Any, ndigits: int) -> list[list[float]]:
    # round() removes float noise left by the grid snap (7.1234500000000001 -> 7.12345).
    return [[round(x, ndigits), round(y, ndigits)] for x, y in coords]


def _geometry_json(geom: shapely.Geometry, ndigits: int) -> dict[str, Any]:
    def polygon(p: shapely.Polygon) -> list:
        return [_ring(p.exterior.coords, ndigits)] + [_ring(r.coords, ndigits) for r in p.interiors]

    if isinstance(geom, shapely.Polygon):
        return {"type": "Polygon", "coordinates": polygon(geom)}
    if isinstance(geom, shapely.MultiPolygon):
        return {"type": "MultiPolygon", "coordinates": [polygon(p) for p in geom.geoms]}
    raise TypeError(f"unexpected geometry type {geom.geom_type}")


def _feature(fid: str | None, props: dict, geom: shapely.Geometry, ndigits: int) -> dict:
    feature: dict[str, Any] = {"type": "Feature"}
    if fid is not None:
        feature["id"] = fid
    feature["properties"] = props
    feature["geometry"] = _geometry_json(geom, ndigits)
    return feature
