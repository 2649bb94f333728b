"""The committed boundary files in ``data/boundaries/``: where they are and how they load.

At runtime only these files are read (no network, no npm); ``layers.boundaries.build``
regenerates them.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio

BOUNDARY_DIR = Path(__file__).resolve().parents[2] / "data" / "boundaries"

# Committed files (name -> file name). The name is also the GeoJSON top-level "name".
FILES: dict[str, str] = {
    "ruhr_municipalities": "ruhr_municipalities.geojson",
    "ruhr_context_kreise": "ruhr_context_kreise.geojson",
    "origin_regions": "origin_regions.geojson",
    "context_countries": "context_countries.geojson",
    "world_countries": "world_countries.geojson",
}
MAX_FILE_BYTES = 300_000  # keeps the files cheap to commit and to ship to the browser


def _path(name: str) -> Path:
    if name not in FILES:
        raise KeyError(f"unknown boundary file {name!r}; expected one of {sorted(FILES)}")
    return BOUNDARY_DIR / FILES[name]


def load_geojson_dict(name: str) -> dict[str, Any]:
    """Raw committed GeoJSON ("ruhr_municipalities", "origin_regions", "context_countries",
    "ruhr_context_kreise", "world_countries"), e.g. for Plotly/Leaflet maps."""
    return json.loads(_path(name).read_text(encoding="utf-8"))


def _read(name: str, columns: list[str]) -> gpd.GeoDataFrame:
    gdf = pyogrio.read_dataframe(_path(name))
    # GDAL may expose the string feature id as an extra "id" column; keep the documented ones.
    gdf = gdf[[*columns, "geometry"]]
    if "population" in gdf.columns:
        gdf["population"] = gdf["population"].astype("int64")  # GDAL reads int32
    return gdf.set_crs("EPSG:4326", allow_override=True)


def load_municipalities() -> gpd.GeoDataFrame:
    """The 53 RVR municipalities: ags, name, kreis, kind, population, geometry (EPSG:4326)."""
    return _read("ruhr_municipalities", ["ags", "name", "kreis", "kind", "population"])


def load_origin_regions() -> gpd.GeoDataFrame:
    """The 70 RO/BG NUTS-3 regions: nuts3, hasc, name, name_latin, country, population."""
    return _read("origin_regions", ["nuts3", "hasc", "name", "name_latin", "country", "population"])


def load_world_countries() -> gpd.GeoDataFrame:
    """World countries (no Antarctica) for the destination map: iso_a2, iso_n3, name, geometry.

    ``iso_a2`` is ISO 3166-1 alpha-2 ("XK" for Kosovo; missing for Northern Cyprus and
    Somaliland); ``iso_n3`` the numeric code as a 3-digit string (missing for those and
    Kosovo). Missing values read back as NaN (``null`` in the raw GeoJSON).
    """
    return _read("world_countries", ["iso_a2", "iso_n3", "name"])
