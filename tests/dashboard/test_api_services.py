"""GET /api/v1/layers/services.{geojson,csv,gpkg}: the KOSMATI coverage per municipality, labelled
illustrative (with its source) in the catalogue, the file's metadata and every row."""

from __future__ import annotations

import csv
import io
import json

import pytest

from dashboard.app import create_app


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def test_catalogue_labels_the_services_layer_illustrative(client):
    layers = {layer["id"]: layer for layer in client.get("/api/v1/layers").get_json()["layers"]}
    entry = layers["services"]
    assert entry["illustrative"] is True and entry["label"].startswith("ILLUSTRATIVE")
    assert "kosmati_services_demo.csv" in entry["source"]
    assert entry["formats"] == ["geojson", "csv", "gpkg"]
    assert entry["dimensions"] == ["migration", "arrival", "participation", "integration"]


def test_geojson_carries_coverage_and_the_label(client):
    response = client.get("/api/v1/layers/services.geojson")
    assert response.status_code == 200 and response.mimetype == "application/geo+json"
    assert response.headers["X-Synthetic-Data"] == "services"
    body = response.get_json()
    meta = json.loads(body["description"])
    assert meta["illustrative"] is True and "ZuSudo" in meta["source"]
    props = {f["properties"]["ags"]: f["properties"] for f in body["features"]}
    assert len(props) == 53
    dortmund, oer = props["05913000"], props["05562028"]  # the demo inventory's numbers
    assert (dortmund["services"], dortmund["dimensions_covered"]) == (11, 4)
    assert (dortmund["migration"], dortmund["arrival"], dortmund["participation"],
            dortmund["integration"]) == (2, 3, 4, 2)  # fmt: skip
    assert (oer["services"], oer["dimensions_covered"]) == (2, 2)
    assert all(p["illustrative"] is True for p in props.values())


def test_csv_summed_and_long(client):
    rows = list(csv.DictReader(io.StringIO(client.get("/api/v1/layers/services.csv").text)))
    assert len(rows) == 53 and rows[0]["illustrative"] == "True"
    assert sum(int(r["services"]) for r in rows) == 47
    long = client.get("/api/v1/layers/services.csv?shape=long")
    services = list(csv.DictReader(io.StringIO(long.text)))
    assert len(services) == 47 and {"service", "languages", "source_note"} <= set(services[0])
    hagen = [s for s in services if s["municipality_ags"] == "05914000"]
    assert "Informations-App für Neuzugewanderte" in {s["service"] for s in hagen}


@pytest.mark.parametrize(
    ("url", "status", "parameter"),
    [
        ("/api/v1/layers/services.parquet", 404, None),
        ("/api/v1/layers/services.geojson?year=2020", 400, "year"),
        ("/api/v1/layers/services.csv?shape=wide", 400, "shape"),
        ("/api/v1/layers/services.geojson?shape=long", 400, "format"),
    ],
)
def test_bad_requests_say_what_is_allowed(client, url, status, parameter):
    response = client.get(url)
    body = response.get_json()
    assert response.status_code == status and body["allowed"]
    if parameter:
        assert body["parameter"] == parameter


def test_openapi_documents_the_services_path(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    path = spec["paths"]["/api/v1/layers/services.{format}"]["get"]
    formats = next(p for p in path["parameters"] if p["name"] == "format")["schema"]["enum"]
    for fmt in formats:
        assert client.get(f"/api/v1/layers/services.{fmt}").status_code == 200


# What the GeoPackage says about itself (QGIS shows it), in each language: a word of its
# label that only that language has.
LABEL_WORDS = {"de": "ILLUSTRATIVES", "en": "ILLUSTRATIVE demonstration", "ro": "ILUSTRATIV",
               "bg": "ИЛЮСТРАТИВЕН"}  # fmt: skip


@pytest.mark.parametrize("lang", sorted(LABEL_WORDS))
def test_the_geopackage_and_geojson_describe_themselves_in_the_asked_language(
    client, tmp_path, lang
):
    import sqlite3

    path = tmp_path / "services.gpkg"
    path.write_bytes(client.get(f"/api/v1/layers/services.gpkg?lang={lang}").data)
    with sqlite3.connect(path) as db:
        identifier, description = db.execute(
            "SELECT identifier, description FROM gpkg_contents").fetchone()  # fmt: skip
    assert LABEL_WORDS[lang] in description
    others = [word for other, word in LABEL_WORDS.items() if other not in (lang, "en", "de")]
    assert not any(word in description for word in others)
    if lang != "en":  # no English sentence of the layer's own (the source note is a citation)
        assert "ILLUSTRATIVE demonstration inventory" not in description
        assert "independent, not stages" not in description
        assert "KOSMATI services per" not in identifier
    geojson = client.get(f"/api/v1/layers/services.geojson?lang={lang}").get_json()
    assert json.loads(geojson["description"])["language"] == lang


def test_an_unknown_language_is_a_400_that_names_the_choices(client):
    response = client.get("/api/v1/layers/services.geojson?lang=fr")
    assert response.status_code == 400
    assert "lang" in response.get_data(as_text=True) and "bg" in response.get_data(as_text=True)
