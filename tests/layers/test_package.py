"""Every download format round-trips: written, read back (GDAL via pyogrio, or Arrow),
geometries and attributes compared; the zip carries a complete datapackage.json."""

import io
import json
import zipfile

import geopandas as gpd
import numpy as np
import pyogrio
import pytest
import shapely
from scipy.stats import binomtest

from layers import intervals, package, queries
from layers.disclosure import Policy
from tests.helpers import DORTMUND

F = queries.parse_filter(years="2016-2019", types=["circular", "return"])
INDICATORS = ("arrivals", "net_per_1000", "need_housing", "language_richness")


@pytest.fixture(scope="module")
def frame(demo_dataset):
    return package.layer_frame(demo_dataset, F, "municipalities", INDICATORS, Policy())


def _read(data: bytes, fmt: str, tmp_path) -> gpd.GeoDataFrame:
    path = tmp_path / f"layer.{package.FORMATS[fmt][0]}"
    path.write_bytes(data)
    if fmt == "parquet":
        return gpd.read_parquet(path)
    return pyogrio.read_dataframe(path, read_geometry=fmt != "csv")


@pytest.mark.parametrize("fmt", list(package.FORMATS))
def test_area_layer_round_trips(frame, fmt, tmp_path):
    back = _read(package.layer_bytes(frame, fmt, "municipalities"), fmt, tmp_path)
    assert len(back) == 53
    back, original = back.set_index("ags"), frame.set_index("ags")
    for column in ("arrivals", "net_per_1000", "need_housing"):
        got = back[column].replace("", None).astype(float).to_numpy()
        expected = original[column].astype(float).to_numpy()
        assert np.allclose(got, expected, equal_nan=True), column
    assert back["name"].equals(original["name"])
    if fmt != "csv":
        assert back.crs.to_epsg() == 4326
        same = shapely.equals_exact(back.geometry.values, original.geometry.values, 1e-9)
        assert same.all()


def test_flow_layer_round_trips_as_geopackage(demo_dataset, tmp_path):
    flows = package.layer_frame(demo_dataset, F, "flows", None, Policy())
    back = _read(package.layer_bytes(flows, "gpkg", "flows"), "gpkg", tmp_path)
    assert len(back) == len(flows) > 100
    assert set(back.geom_type) == {"LineString"}
    assert back["arrivals"].sum() == flows["arrivals"].sum()


def test_parquet_is_geoparquet(frame, tmp_path):
    import pyarrow.parquet as pq

    path = tmp_path / "layer.parquet"
    path.write_bytes(package.layer_bytes(frame, "parquet", "municipalities"))
    geo = json.loads(pq.read_metadata(path).metadata[b"geo"])
    assert geo["primary_column"] == "geometry" and geo["version"].startswith("1.")


def test_zip_holds_the_file_and_a_complete_descriptor(demo_dataset, frame, tmp_path):
    data = package.zip_bytes(frame, "municipalities", "gpkg", F, "both", demo_dataset, Policy())
    archive = zipfile.ZipFile(io.BytesIO(data))
    assert sorted(archive.namelist()) == ["datapackage.json", "municipalities.gpkg"]
    meta = json.loads(archive.read("datapackage.json"))
    assert meta["synthetic"] is True and "SYNTHETIC" in meta["description"]
    assert meta["filters"] == {"years": "2016-2019", "migration_types": ["return", "circular"],
                               "countries": ["RO", "BG"], "country": "both"}  # fmt: skip
    assert meta["disclosure"]["threshold_respondents"] == 5
    assert {lic["name"] for lic in meta["licenses"]} == {"dl-de/by-2-0", "other-pd", "CC-BY-4.0"}
    assert any("GeoBasis-DE" in s["title"] for s in meta["sources"])
    assert meta["created"].endswith("Z")
    fields = {f["name"]: f for f in meta["resources"][0]["schema"]["fields"]}
    assert set(frame.columns) == set(fields)
    assert fields["need_housing"]["unit"] == "% of respondents"
    assert "÷" in fields["net_per_1000"]["description"]
    assert all(f["description"] for f in fields.values())
    (tmp_path / "m.gpkg").write_bytes(archive.read("municipalities.gpkg"))
    assert pyogrio.read_info(tmp_path / "m.gpkg")["features"] == 53


def test_suppressed_survey_cells_are_empty_in_every_format(demo_dataset, tmp_path):
    transnational = queries.parse_filter(types=["transnational"])
    frame = package.layer_frame(demo_dataset, transnational, "municipalities",
                                ("need_housing",), Policy())  # fmt: skip
    hidden = frame.set_index("ags")["survey_suppressed"]
    assert hidden.any()
    for fmt in package.FORMATS:
        back = _read(package.layer_bytes(frame, fmt, "municipalities"), fmt, tmp_path).set_index(
            "ags"
        )
        values = back["need_housing"].replace("", None)
        assert values[hidden[hidden].index].isna().all(), fmt


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_gdal_reads_the_files_without_warnings(frame, fmt, tmp_path, caplog, recwarn):
    path = tmp_path / f"layer.{package.FORMATS[fmt][0]}"
    path.write_bytes(package.layer_bytes(frame, fmt, "municipalities"))
    with caplog.at_level("DEBUG"):
        info = pyogrio.read_info(path)
        pyogrio.read_dataframe(path)
    gdal_messages = [r for r in caplog.records if r.levelname in ("WARNING", "ERROR")]
    assert gdal_messages == [] and len(recwarn) == 0
    assert info["features"] == 53


SHARES = ("need_housing", "remittance_use_housing")


@pytest.mark.parametrize("fmt", ["csv", "gpkg", "geojson"])
def test_every_share_is_read_back_with_its_interval_and_base(demo_dataset, fmt, tmp_path):
    frame = package.layer_frame(demo_dataset, queries.parse_filter(), "municipalities",
                                ("arrivals", *SHARES), Policy())  # fmt: skip
    back = _read(package.layer_bytes(frame, fmt, "municipalities"), fmt, tmp_path)
    back = back.set_index("ags")
    for share in SHARES:
        low, high, base = intervals.columns_of(share)
        assert {share, low, high, base} <= set(back.columns), share
        values = back[[share, low, high, base]].replace("", None).astype(float)
        shown = values.dropna()
        assert len(shown) > 10
        assert ((shown[low] <= shown[share]) & (shown[share] <= shown[high])).all()
        assert ((shown[low] >= 0) & (shown[high] <= 100)).all()
    # Dortmund: 97 of its 320 respondents name housing; scipy's Wilson interval, in per cent
    dortmund = back.loc[DORTMUND]
    ci = binomtest(97, 320).proportion_ci(method="wilson")
    assert float(dortmund["need_housing"]) == pytest.approx(100 * 97 / 320, abs=5e-4)  # 3 decimals
    assert float(dortmund["need_housing_ci_low"]) == pytest.approx(100 * ci.low, abs=5e-4)
    assert float(dortmund["need_housing_ci_high"]) == pytest.approx(100 * ci.high, abs=5e-4)
    assert round(100 * ci.low, 2) == 25.53 and round(100 * ci.high, 2) == 35.56
    assert float(dortmund["need_housing_n"]) == 320
    assert float(dortmund["remittance_use_housing_n"]) == 208  # a share of the remitters


def test_the_descriptor_describes_the_interval_columns(demo_dataset, frame):
    meta = package.descriptor(frame, "municipalities", "csv", F, "both", demo_dataset, Policy())
    fields = {f["name"]: f for f in meta["resources"][0]["schema"]["fields"]}
    assert fields["need_housing_ci_low"]["unit"] == "% of respondents"
    assert "Wilson" in fields["need_housing_ci_high"]["description"]
    assert "indicative" in fields["need_housing_ci_low"]["description"]
    assert fields["need_housing_n"]["unit"] == "persons"
    assert "respondents" in fields["need_housing_n"]["description"]
    assert "reveal nothing new" in meta["disclosure"]["intervals"]
