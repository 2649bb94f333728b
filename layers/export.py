"""Filtered layers as files: GeoJSON (read back with GDAL) and CSV. Written atomically."""

from __future__ import annotations

import json
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio
from shapely.geometry import LineString

from layers import atomic, boundaries, intervals, provenance, queries
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.indicators import indicator_table
from layers.queries import FlowFilter

LAYERS = ("municipalities", "origin_regions", "flows")
FORMATS = ("geojson", "csv")
BOUNDARY_ATTRIBUTION = {
    "municipalities": "© GeoBasis-DE / BKG 2016 (VG250), dl-de/by-2-0",
    "origin_regions": "Natural Earth admin-1, public domain",
    "flows": "© GeoBasis-DE / BKG 2016 (VG250), dl-de/by-2-0; Natural Earth, public domain",
}


def _with_flags(frame: pd.DataFrame, ds: Dataset, f: FlowFilter, used: tuple) -> pd.DataFrame:
    """Filter columns and the origin of each part the values rest on (``used``)."""
    frame = frame.copy()
    described = f.describe()
    frame["years"] = described["years"]
    frame["migration_types"] = ",".join(described["migration_types"])
    modelled = provenance.synthetic_parts(ds.manifest, used)
    frame["synthetic"] = bool(modelled)
    frame["synthetic_parts"] = ",".join(modelled)
    frame["data_note"] = provenance.note(ds.manifest, used)
    return frame


DEFAULT_AREA_INDICATORS = (
    "arrivals", "departures", "net", "arrivals_per_1000", "departures_per_1000", "net_per_1000",
)  # fmt: skip


def area_layer(
    ds: Dataset, f: FlowFilter, layer: str, indicators=None, policy: Policy | None = None
) -> gpd.GeoDataFrame:
    """Area boundaries with the chosen catalogue indicators as attributes, each survey share
    followed by its 95 % interval and base n. Survey indicators pass the disclosure module:
    suppressed cells are empty, with a flag column."""
    side = "origin" if layer == "origin_regions" else "municipality"
    wanted = queries.parse_indicators(indicators) if indicators else DEFAULT_AREA_INDICATORS
    table = indicator_table(ds, f, side, None, wanted, policy).drop(columns=["name"])
    for column in wanted:  # precision the figures carry, not float noise
        digits = CATALOGUE[column].decimals + 2
        table[column] = table[column].round(digits)
        if CATALOGUE[column].has_interval:  # its 95 % interval in the share's unit, and n
            low, high, _ = intervals.columns_of(column)
            table[[low, high]] = table[[low, high]].round(digits)
    key = "nuts3" if side == "origin" else "ags"
    shapes = (
        boundaries.load_origin_regions() if side == "origin" else boundaries.load_municipalities()
    )
    shapes = shapes.drop(columns=[c for c in ("population", "country") if c in shapes.columns])
    merged = shapes.merge(table.reset_index(), on=key, how="inner")
    used = provenance.parts_of(wanted, layer)
    return gpd.GeoDataFrame(_with_flags(merged, ds, f, used), geometry="geometry", crs="EPSG:4326")


def flow_layer(ds: Dataset, f: FlowFilter) -> gpd.GeoDataFrame:
    """One straight line per origin→destination pair, between representative points."""
    table = queries.flow_table(ds, f)
    origin_points = boundaries.load_origin_regions().set_index("nuts3").representative_point()
    muni_points = boundaries.load_municipalities().set_index("ags").representative_point()
    lines = [
        LineString([origin_points[o], muni_points[d]])
        for o, d in zip(table["origin_nuts3"], table["destination_ags"], strict=True)
    ]
    used = provenance.parts_of(layer="flows")
    return gpd.GeoDataFrame(_with_flags(table, ds, f, used), geometry=lines, crs="EPSG:4326")


def build_layer(
    ds: Dataset, f: FlowFilter, layer: str, indicators=None, policy: Policy | None = None
) -> gpd.GeoDataFrame:
    if layer not in LAYERS:
        raise queries.InvalidParameter("layer", layer, ", ".join(LAYERS))
    if layer == "flows":
        return flow_layer(ds, f)
    return area_layer(ds, f, layer, indicators, policy)


def write_layer(frame: gpd.GeoDataFrame, path: Path, fmt: str, layer: str) -> Path:
    if fmt not in FORMATS:
        raise queries.InvalidParameter("format", fmt, ", ".join(FORMATS))
    path = Path(path)
    if fmt == "csv":
        table = pd.DataFrame(frame.drop(columns="geometry"))
        atomic.write_bytes(path, table.to_csv(index=False, lineterminator="\n").encode("utf-8"))
        return path
    description = json.dumps(
        {"synthetic": bool(frame["synthetic"].any()),
         "synthetic_parts": frame["synthetic_parts"].iloc[0] if len(frame) else "",
         "note": frame["data_note"].iloc[0] if len(frame) else "",
         "attribution": BOUNDARY_ATTRIBUTION[layer]},
        ensure_ascii=False,
    )  # fmt: skip

    def write(tmp: Path) -> None:
        pyogrio.write_dataframe(
            frame, tmp, driver="GeoJSON", layer=layer,
            RFC7946="YES", WRITE_NAME="YES", DESCRIPTION=description, COORDINATE_PRECISION=6,
        )  # fmt: skip

    atomic.write_with(path, write)
    return path
