"""Feature tables for OGC API – Features (served by pygeoapi, see dashboard/ogc.py).

One feature per area (or origin→destination pair) × year × migration type, so that the
standard's property filters (``?year=2020&migration_type=circular&country=RO``) select
exactly what a planner would filter in the dashboard. Flows are not perturbed (they are not
microdata); survey values are not offered here (they need disclosure control per query)."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import box

from layers import boundaries, provenance, queries, regions, services_layer, vocab
from layers.dataset import Dataset
from layers.queries import InvalidParameter

COLLECTIONS = {
    "municipalities": "Ruhr municipalities: arrivals and departures by year and migration type",
    "origin_regions": "Origin regions (RO, BG): arrivals in and departures from the Ruhr by year "
    "and migration type",
    "flows": "Origin→destination flows by year and migration type (lines)",
    "services": "KOSMATI services per Ruhr municipality: services in each of the four "
    "dimensions (migration, arrival, participation, integration) and how many are covered",
}
UNTIMED = ("services",)  # collections without a year: an inventory, not a yearly count
FILTERABLE = {  # property → type, for the OGC queryables and the provider's filters
    "municipalities": {"ags": "string", "name": "string", "kreis": "string", "year": "integer",
                       "migration_type": "string"},
    "origin_regions": {"nuts3": "string", "name": "string", "country": "string",
                       "year": "integer", "migration_type": "string"},
    "flows": {"origin_nuts3": "string", "origin_name": "string", "destination_ags": "string",
              "destination_name": "string", "country": "string", "year": "integer",
              "migration_type": "string"},
    "services": {"ags": "string", "name": "string", "dimensions_covered": "integer"},
}  # fmt: skip
COUNTS = {  # the other integer properties of each collection's features
    "services": ("migration", "arrival", "participation", "integration", "services"),
}
TIME_FIELD = "year"  # the features' time: a calendar year (UTC), for OGC ``datetime``
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"
SUPPORTED_CRS = (CRS84, "http://www.opengis.net/def/crs/OGC/0/CRS84h")  # pygeoapi's defaults
BBOX_ALLOWED = "minx,miny,maxx,maxy (or 6 values with heights): finite numbers, miny ≤ maxy"
YEAR_ALLOWED = f"a single year {vocab.YEARS[0]}–{vocab.YEARS[-1]}; for a span: datetime=2015/2020"
DATETIME_ALLOWED = (
    "an RFC 3339 instant (2016, 2016-05, 2016-05-01, 2016-05-01T00:00:00Z) or an interval "
    f"start/end with '..' for an open end (2015/2020, ../2018, 2018/..), within "
    f"{vocab.YEARS[0]}–{vocab.YEARS[-1]}"
)


def temporal_extent() -> tuple[datetime, datetime]:
    """First and last instant the yearly data cover, as the collections declare them."""
    return (datetime(vocab.YEARS[0], 1, 1, tzinfo=UTC),
            datetime(vocab.YEARS[-1], 12, 31, 23, 59, 59, tzinfo=UTC))  # fmt: skip


def parse_bbox(value: str) -> tuple[float, float, float, float]:
    """OGC ``bbox`` → (minx, miny, maxx, maxy). NaN and infinities are refused (they made
    the geometry test fail); heights of a 6-value box are dropped (the data are flat)."""
    try:
        numbers = [float(part) for part in value.split(",")]
    except ValueError:
        raise InvalidParameter("bbox", value, BBOX_ALLOWED) from None
    if len(numbers) not in (4, 6) or not all(map(math.isfinite, numbers)):
        raise InvalidParameter("bbox", value, BBOX_ALLOWED)
    minx, miny, maxx, maxy = numbers if len(numbers) == 4 else [numbers[i] for i in (0, 1, 3, 4)]
    if miny > maxy:
        raise InvalidParameter("bbox", value, BBOX_ALLOWED)
    return minx, miny, maxx, maxy


def parse_year(value: str) -> int:
    """The ``year`` property filter: one year of the data (a range is ``datetime``'s job)."""
    if not re.fullmatch(r"\d{4}", value.strip()) or int(value) not in vocab.YEARS:
        raise InvalidParameter("year", value, YEAR_ALLOWED)
    return int(value)


# RFC 3339 date-time, or only its year, year and month, or date (as pygeoapi accepts them).
_INSTANT = re.compile(
    r"(?P<y>\d{4})(?:-(?P<m>\d{2})(?:-(?P<d>\d{2})"
    r"(?P<time>[Tt]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:[Zz]|[+-]\d{2}:\d{2}))?)?)?"
)


def _period(text: str) -> tuple[datetime, datetime]:
    """The half-open UTC span an RFC 3339 instant names: a year, month or day when partial,
    one second for a full timestamp. Raises ValueError when it is no such instant."""
    match = _INSTANT.fullmatch(text)
    if not match:
        raise ValueError(text)
    y, m, d = int(match["y"]), int(match["m"] or 1), int(match["d"] or 1)
    if match["time"] is None:
        start = datetime(y, m, d, tzinfo=UTC)
        if match["d"]:
            return start, start + timedelta(days=1)
        end = datetime(y + 1, 1, 1) if not match["m"] else datetime(y + m // 12, m % 12 + 1, 1)
        return start, end.replace(tzinfo=UTC)
    start = datetime.fromisoformat(text.upper()).astimezone(UTC)  # the shape is checked
    return start, start + timedelta(seconds=1)


def parse_datetime(value: str) -> tuple[int, int]:
    """OGC ``datetime`` (an instant or a start/end interval, '..' or nothing for an open end)
    → the first and last year of the data it overlaps: a year counts when any part of it
    lies in the interval. Malformed, reversed or outside the data: InvalidParameter."""
    try:
        if "/" in value:
            start_text, end_text = value.split("/")
            open_ = ("", "..")
            start = _period(start_text)[0] if start_text not in open_ else _year_start(1)
            end = _period(end_text)[1] if end_text not in open_ else _year_start(9999)
        else:
            start, end = _period(value)
    except (ValueError, OverflowError):  # not the form, a 13th month, a 30 February …
        raise InvalidParameter("datetime", value, DATETIME_ALLOWED) from None
    if start >= end:
        raise InvalidParameter("datetime", value, "an interval whose start is before its end")
    years = [y for y in vocab.YEARS if start < _year_start(y + 1) and end > _year_start(y)]
    if not years:
        first, last = (moment.isoformat() for moment in temporal_extent())
        raise InvalidParameter("datetime", value, f"an instant or interval within {first}/{last}")
    return years[0], years[-1]


def _year_start(year: int) -> datetime:
    return datetime(year, 1, 1, tzinfo=UTC)


def check_query(args) -> None:
    """Refuse the query parameters the provider cannot answer correctly, before pygeoapi
    sees them: NaN in ``bbox``, a range in ``year``, a malformed ``datetime``, an unknown
    CRS (pygeoapi would repeat it whole). ``args``: a mapping of names to one value."""
    if "bbox" in args:
        parse_bbox(args["bbox"])
    if "year" in args:
        parse_year(args["year"])
    if "datetime" in args:
        parse_datetime(args["datetime"])
    for name in ("crs", "bbox-crs"):
        if name in args and args[name] not in SUPPORTED_CRS:
            raise InvalidParameter(name, args[name], ", ".join(SUPPORTED_CRS))


@dataclass(frozen=True, eq=False)
class FeatureTable:
    """Rows in id order with precomputed bounds for fast bbox filtering."""

    frame: gpd.GeoDataFrame
    bounds: np.ndarray  # [n, 4] minx, miny, maxx, maxy

    def query(self, bbox=None, filters=None, years=None) -> gpd.GeoDataFrame:
        """Rows whose geometry meets ``bbox``, whose properties equal ``filters`` and whose
        year lies in ``years`` (first, last)."""
        mask = np.ones(len(self.frame), dtype=bool)
        if years:
            mask &= self.frame[TIME_FIELD].between(*years).to_numpy()
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
    if collection == "services":  # labelled illustrative (or imported) in every feature
        frame = services_layer.feature_frame(ds)
        return FeatureTable(frame, frame.geometry.bounds.to_numpy())
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
    modelled = provenance.synthetic_parts(ds.manifest, ("flows", "populations", "boundaries"))
    frame["synthetic"] = bool(modelled)
    frame["synthetic_parts"] = ",".join(modelled)
    frame = gpd.GeoDataFrame(frame.sort_values("id", ignore_index=True), crs="EPSG:4326")
    return FeatureTable(frame, frame.geometry.bounds.to_numpy())


def _flow_rows(ds: Dataset) -> pd.DataFrame:
    idx = np.nonzero(ds.flows.sum(axis=4))  # year, origin, municipality, type with moves
    cells = ds.flows[idx]
    points = ds.area_points
    origins = np.array(queries.ORIGIN_CODES)[idx[1]]
    destinations = np.array(queries.MUNICIPALITY_CODES)[idx[2]]
    origin_names = {r.nuts3: r.name for r in regions.ORIGIN_REGIONS}
    destination_names = {m.ags: m.name for m in regions.MUNICIPALITIES}
    frame = pd.DataFrame(
        {
            "origin_nuts3": origins,
            "origin_name": [origin_names[code] for code in origins],
            "country": [code[:2] for code in origins],
            "destination_ags": destinations,
            "destination_name": [destination_names[code] for code in destinations],
            "year": np.array(vocab.YEARS)[idx[0]],
            "migration_type": np.array(vocab.MIGRATION_TYPES)[idx[3]],
            "arrivals": cells[:, 0],
            "departures": cells[:, 1],
        }
    )
    frame["net"] = frame["arrivals"] - frame["departures"]
    frame.insert(0, "id", frame["origin_nuts3"] + "-" + frame["destination_ags"] + "-"
                 + frame["year"].astype(str) + "-" + frame["migration_type"])  # fmt: skip
    # one line per origin–destination pair, shared by the pair's rows (built in one call:
    # a lookup per pair took seconds of every server's start)
    pair_keys = np.char.add(origins, destinations)
    _, first, row_pair = np.unique(pair_keys, return_index=True, return_inverse=True)
    ends = [points.loc[codes, ["lon", "lat"]].to_numpy() for codes in (origins, destinations)]
    coords = np.stack([ends[0][first], ends[1][first]], axis=1)
    lines = shapely.linestrings(coords)
    frame["geometry"] = lines[row_pair]
    return frame
