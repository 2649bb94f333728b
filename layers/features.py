"""Feature tables for OGC API – Features (served by pygeoapi, see dashboard/ogc.py).

One feature per area (or origin→destination pair) × year × migration type, so that the
standard's property filters (``?year=2020&migration_type=circular&country=RO``) select
exactly what a planner would filter in the dashboard. Flows are not perturbed (they are not
microdata); survey values are not offered here (they need disclosure control per query)."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import LineString, box

from layers import boundaries, queries, vocab
from layers.dataset import Dataset

COLLECTIONS = {
    "municipalities": "Ruhr municipalities: arrivals and departures by year and migration type",
    "origin_regions": "Origin regions (RO, BG): arrivals in and departures from the Ruhr by year "
    "and migration type",
    "flows": "Origin→destination flows by year and migration type (lines)",
}
FILTERABLE = {  # property → type, for the OGC queryables and the provider's filters
    "municipalities": {"ags": "string", "name": "string", "kreis": "string", "year": "integer",
                       "migration_type": "string"},
    "origin_regions": {"nuts3": "string", "name": "string", "country": "string",
                       "year": "integer", "migration_type": "string"},
    "flows": {"origin_nuts3": "string", "destination_ags": "string", "country": "string",
              "year": "integer", "migration_type": "string"},
}  # fmt: skip


@dataclass(frozen=True, eq=False)
class FeatureTable:
    """Rows in id order with precomputed bounds for fast bbox filtering."""

    frame: gpd.GeoDataFrame
    bounds: np.ndarray  # [n, 4] minx, miny, maxx, maxy

    def query(self, bbox=None, filters=None) -> gpd.GeoDataFrame:
        mask = np.ones(len(self.frame), dtype=bool)
        if bbox:
            minx, miny, maxx, maxy = bbox
            b = self.bounds
            mask &= (b[:, 0] <= maxx) & (b[:, 2] >= minx) & (b[:, 1] <= maxy) & (b[:, 3] >= miny)
            # bounds first (cheap), then the exact test the standard means: geometry ∩ bbox
            candidates = np.flatnonzero(mask)
            exact = shapely.intersects(self.frame.geometry.values[candidates], box(*bbox))
            mask[candidates[~exact]] = False
        for name, value in (filters or {}).items():
            column = self.frame[name]
            mask &= (column.astype(str) == str(value)).to_numpy()
        return self.frame[mask]


def _area_rows(ds: Dataset, side: str) -> pd.DataFrame:
    """Persons by area × year × type from the dense flow array."""
    by_dir = ds.flows.sum(axis=1 if side == "municipality" else 2)  # [year, area, type, dir]
    years, areas, types = np.meshgrid(
        np.arange(by_dir.shape[0]),
        np.arange(by_dir.shape[1]),
        np.arange(by_dir.shape[2]),
        indexing="ij",
    )
    codes = queries.MUNICIPALITY_CODES if side == "municipality" else queries.ORIGIN_CODES
    frame = pd.DataFrame(
        {
            "code": np.array(codes)[areas.ravel()],
            "year": np.array(vocab.YEARS)[years.ravel()],
            "migration_type": np.array(vocab.MIGRATION_TYPES)[types.ravel()],
            "arrivals": by_dir[..., 0].ravel(),
            "departures": by_dir[..., 1].ravel(),
        }
    )
    frame["net"] = frame["arrivals"] - frame["departures"]
    return frame


def build(ds: Dataset, collection: str) -> FeatureTable:
    if collection not in COLLECTIONS:
        raise queries.InvalidParameter("collection", collection, ", ".join(COLLECTIONS))
    if collection == "flows":
        frame = _flow_rows(ds)
    else:
        side = "municipality" if collection == "municipalities" else "origin"
        key = "ags" if side == "municipality" else "nuts3"
        shapes = (boundaries.load_municipalities() if side == "municipality"
                  else boundaries.load_origin_regions())  # fmt: skip
        keep = [key, "name", "kreis" if side == "municipality" else "country", "population"]
        rows = _area_rows(ds, side).rename(columns={"code": key})
        frame = shapes[[*keep, "geometry"]].merge(rows, on=key)
        frame["arrivals_per_1000"] = (frame["arrivals"] / frame["population"] * 1000).round(4)
        frame.insert(0, "id", frame[key] + "-" + frame["year"].astype(str) + "-"
                     + frame["migration_type"])  # fmt: skip
    frame["synthetic"] = ds.flows_synthetic
    frame = gpd.GeoDataFrame(frame.sort_values("id", ignore_index=True), crs="EPSG:4326")
    return FeatureTable(frame, frame.geometry.bounds.to_numpy())


def _flow_rows(ds: Dataset) -> pd.DataFrame:
    idx = np.nonzero(ds.flows.sum(axis=4))  # year, origin, municipality, type with moves
    cells = ds.flows[idx]
    points = ds.area_points
    origins = np.array(queries.ORIGIN_CODES)[idx[1]]
    destinations = np.array(queries.MUNICIPALITY_CODES)[idx[2]]
    frame = pd.DataFrame(
        {
            "origin_nuts3": origins,
            "country": [code[:2] for code in origins],
            "destination_ags": destinations,
            "year": np.array(vocab.YEARS)[idx[0]],
            "migration_type": np.array(vocab.MIGRATION_TYPES)[idx[3]],
            "arrivals": cells[:, 0],
            "departures": cells[:, 1],
        }
    )
    frame["net"] = frame["arrivals"] - frame["departures"]
    frame.insert(0, "id", frame["origin_nuts3"] + "-" + frame["destination_ags"] + "-"
                 + frame["year"].astype(str) + "-" + frame["migration_type"])  # fmt: skip
    lines = {
        pair: LineString([points.loc[pair[0], ["lon", "lat"]], points.loc[pair[1], ["lon", "lat"]]])
        for pair in set(zip(origins, destinations, strict=True))
    }
    frame["geometry"] = [lines[p] for p in zip(origins, destinations, strict=True)]
    return frame
