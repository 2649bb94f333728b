"""HTTP API /api/v1: the catalogue, downloads, errors, and an OpenAPI document that matches."""

import csv
import io
import json
import zipfile

import pytest

from dashboard.app import create_app
from layers import service


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def test_catalogue_lists_layers_formats_and_indicators(client):
    response = client.get("/api/v1/layers")
    assert response.status_code == 200 and response.headers["X-Synthetic-Data"] == "flows, survey"
    body = response.get_json()
    assert body["synthetic"] is True and "synthetic" in body["notice"]
    assert [layer["id"] for layer in body["layers"]] == [
        "municipalities",
        "origin_regions",
        "flows",
        "services",
    ]
    ids = {i["id"] for i in body["indicators"]}
    assert {"arrivals", "need_housing", "language_shannon", "churn"} <= ids


@pytest.mark.parametrize(
    ("url", "media_type"),
    [
        ("/api/v1/layers/municipalities.geojson?year=2020&type=circular", "application/geo+json"),
        ("/api/v1/layers/origin_regions.gpkg?country=BG", "application/geopackage+sqlite3"),
        ("/api/v1/layers/flows.csv?years=2015-2016", "text/csv"),
        ("/api/v1/layers/municipalities.parquet?indicators=all", "application/vnd.apache.parquet"),
        ("/api/v1/layers/municipalities.zip?file=geojson&type=return,circular", "application/zip"),
    ],
)
def test_downloads(client, url, media_type):
    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == media_type
    assert "attachment" in response.headers["Content-Disposition"]
    assert "flows" in response.headers["X-Synthetic-Data"].split(", ")  # the parts modelled
    if media_type == "application/zip":
        names = zipfile.ZipFile(io.BytesIO(response.data)).namelist()
        assert sorted(names) == ["datapackage.json", "municipalities.geojson"]


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/api/v1/layers/municipalities.geojson?year=1999", 400, "year"),
        ("/api/v1/layers/municipalities.geojson?years=2020-2015", 400, "years"),
        ("/api/v1/layers/municipalities.geojson?year=2019&years=2015-2016", 400, "year"),
        ("/api/v1/layers/municipalities.geojson?type=tourist", 400, "type"),
        ("/api/v1/layers/municipalities.geojson?type=", 400, "type"),
        ("/api/v1/layers/municipalities.geojson?country=DE", 400, "country"),
        ("/api/v1/layers/municipalities.geojson?indicators=joy", 400, "indicators"),
        ("/api/v1/layers/municipalities.zip?file=shp", 400, "format"),
        ("/api/v1/layers/municipalities.zip?lang=fr", 400, "lang"),
        ("/api/v1/layers/flows.csv?shape=long&lang=xx", 400, "lang"),
        ("/api/v1/layers/municipalities.gpkg?lang=de&lang=bg", 400, "lang"),
        ("/api/v1/layers/municipalities.geojson?bbox=1,2,3,4", 400, "bbox"),
        ("/api/v1/layers/municipalities.geojson?country=RO&country=BG", 400, "country"),
        ("/api/v1/layers/flows.csv?shape=wide", 400, "shape"),
        ("/api/v1/layers/flows.csv?shape=long&shape=summed", 400, "shape"),
        ("/api/v1/layers/flows.geojson?shape=long", 400, "format"),
        ("/api/v1/layers/flows.zip?shape=long&file=gpkg", 400, "file"),
        ("/api/v1/layers/municipalities.csv?shape=long&indicators=need_housing", 400, "indicators"),
        ("/api/v1/layers/municipalities.csv?shape=long&year=2031", 400, "year"),
        ("/api/v1/layers/roads.geojson", 404, None),
        ("/api/v1/layers/municipalities.shp", 404, None),
        ("/api/v1/layers/etc%2Fpasswd.geojson", 404, None),
    ],
)
def test_errors_name_the_parameter_and_allowed_values(client, url, status, parameter):
    response = client.get(url)
    assert response.status_code == status
    body = response.get_json()
    assert body["error"] and body["message"] and body["allowed"]
    if parameter:
        assert body["parameter"] == parameter
    assert "Traceback" not in response.get_data(as_text=True)


def test_openapi_document_matches_the_behaviour(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    assert spec["openapi"].startswith("3.")
    operation = spec["paths"]["/api/v1/layers/{layer}.{format}"]["get"]
    params = {p["name"]: p for p in operation["parameters"]}
    assert params["layer"]["schema"]["enum"] == ["municipalities", "origin_regions", "flows"]
    assert params["format"]["schema"]["enum"] == list(service.API_FORMATS)
    assert set(params) - {"layer", "format"} == set(service.PARAMETERS)
    # every documented layer × format answers 200 with a documented media type
    media = set(operation["responses"]["200"]["content"])
    for layer in params["layer"]["schema"]["enum"]:
        for fmt in params["format"]["schema"]["enum"]:
            response = client.get(f"/api/v1/layers/{layer}.{fmt}?year=2020")
            assert response.status_code == 200, (layer, fmt)
            assert response.mimetype in media
    # every documented query parameter is accepted with a valid value
    valid = {"year": "2020", "years": "2015-2020", "type": "circular", "country": "RO",
             "indicators": "arrivals", "file": "csv", "shape": "long"}  # fmt: skip
    for name, value in valid.items():
        fmt = "zip" if name in ("file", "shape") else "csv"
        assert client.get(f"/api/v1/layers/municipalities.{fmt}?{name}={value}").status_code == 200
    # documented error shape
    assert {"400", "404"} <= set(operation["responses"])
    error = client.get("/api/v1/layers/municipalities.csv?country=XX").get_json()
    schema = spec["components"]["responses"]["Error"]["content"]["application/json"]["schema"]
    assert set(schema["required"]) <= set(error)


def test_municipality_csv_carries_the_typology(client):
    response = client.get("/api/v1/layers/municipalities.csv?indicators=typology")
    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 53 and {"typology", "typology_name"} <= set(rows[0])
    assert {int(r["typology"]) for r in rows} == set(
        range(1, len({r["typology"] for r in rows}) + 1)
    )
    assert all(r["typology_name"].startswith(f"Type {r['typology']}:") for r in rows)
    origins = client.get("/api/v1/layers/origin_regions.gpkg?indicators=all")
    assert origins.status_code == 200
    meta = client.get("/api/v1/layers/municipalities.zip?file=csv&indicators=typology")
    with zipfile.ZipFile(io.BytesIO(meta.data)) as archive:
        fields = {
            f["name"]: f
            for f in json.loads(archive.read("datapackage.json"))["resources"][0]["schema"][
                "fields"
            ]
        }
    assert fields["typology"]["type"] == "integer" and "Ward" in fields["typology"]["description"]
    assert fields["typology_name"]["type"] == "string"


def test_a_share_comes_with_its_interval_and_base_in_csv_and_geojson(client):
    """Dortmund, all types and both countries: 97 of its 320 respondents name housing."""
    url = "/api/v1/layers/municipalities.{fmt}?indicators=need_housing,remittance_use_housing"
    response = client.get(url.format(fmt="csv"))
    assert response.status_code == 200
    rows = {r["ags"]: r for r in csv.DictReader(io.StringIO(response.get_data(as_text=True)))}
    dortmund = rows["05913000"]
    for share in ("need_housing", "remittance_use_housing"):
        assert {f"{share}_ci_low", f"{share}_ci_high", f"{share}_n"} <= set(dortmund)
    # 97 of 320: p = 0.303125, Wilson 0.255348 … 0.355572 (scipy: binomtest(97, 320))
    assert float(dortmund["need_housing"]) == pytest.approx(30.312, abs=1e-3)
    assert float(dortmund["need_housing_ci_low"]) == pytest.approx(25.535, abs=1e-3)
    assert float(dortmund["need_housing_ci_high"]) == pytest.approx(35.557, abs=1e-3)
    assert float(dortmund["need_housing_n"]) == 320
    geojson = client.get(url.format(fmt="geojson")).get_json()
    properties = next(
        f["properties"] for f in geojson["features"] if f["properties"]["ags"] == "05913000"
    )
    assert properties["need_housing_ci_low"] == pytest.approx(25.535, abs=1e-3)
    assert properties["remittance_use_housing_n"] == 208  # remitters, not respondents
    withheld = [f["properties"] for f in geojson["features"]
                if f["properties"]["need_housing"] is None]  # fmt: skip
    assert withheld and all(p["need_housing_ci_low"] is None for p in withheld)
    catalogue = {i["id"]: i for i in client.get("/api/v1/layers").get_json()["indicators"]}
    interval = catalogue["need_housing"]["interval"]
    assert interval["columns"] == {"low": "need_housing_ci_low", "high": "need_housing_ci_high",
                                   "n": "need_housing_n"}  # fmt: skip
    assert "Wilson" in interval["method"] and interval["base"] == "respondents"
    assert catalogue["remittance_use_housing"]["interval"]["base"] == "remitters"
    assert catalogue["arrivals"]["interval"] is None


def test_the_long_table_as_csv_and_as_a_package(client):
    """One row per pair × year × type × direction, summing to the summed layer."""
    url = "/api/v1/layers/flows.{fmt}?years=2015-2016&type=circular&country=BG"
    long = client.get(url.format(fmt="csv") + "&shape=long")
    assert long.status_code == 200 and long.mimetype == "text/csv"
    assert 'filename="flows_long.csv"' in long.headers["Content-Disposition"]
    assert long.headers["X-Synthetic-Data"] == "flows"
    rows = list(csv.DictReader(io.StringIO(long.get_data(as_text=True))))
    assert {r["year"] for r in rows} == {"2015", "2016"} and {r["country"] for r in rows} == {"BG"}
    assert {r["migration_type"] for r in rows} == {"circular"}
    assert {r["direction"] for r in rows} == {"arrival", "departure"}
    assert all(r["origin_name"] and r["destination_name"] for r in rows)
    summed = list(csv.DictReader(io.StringIO(client.get(url.format(fmt="csv")).get_data(True))))
    assert sum(int(r["persons"]) for r in rows if r["direction"] == "arrival") == sum(
        int(r["arrivals"]) for r in summed
    )
    archive = zipfile.ZipFile(io.BytesIO(client.get(url.format(fmt="zip") + "&shape=long").data))
    assert sorted(archive.namelist()) == ["datapackage.json", "flows.csv", "flows_long.csv"]
    assert archive.read("flows_long.csv") == long.data
    meta = json.loads(archive.read("datapackage.json"))
    assert [r["name"] for r in meta["resources"]] == ["flows-long", "flows"]
    assert meta["profile"] == "tabular-data-package" and meta["filters"]["countries"] == ["BG"]
    catalogue = client.get("/api/v1/layers").get_json()
    assert "long" in catalogue["parameters"]["shape"]
