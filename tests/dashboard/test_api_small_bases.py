"""The API's files and catalogue carry the minimum bases (issue 16.1): every indicator with
one is followed by ``<id>_low_base`` in CSV and GeoJSON, and GET /api/v1/layers names the rule."""

import csv
import io

import pytest

from dashboard.app import create_app

BRECKERFELD, DORTMUND = "05954004", "05913000"
URL = "/api/v1/layers/municipalities.{fmt}?indicators=arrivals,arrivals_cv,need_housing"


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def test_csv_and_geojson_carry_the_flags(client):
    # Breckerfeld: 148 arrivals in 11 years, a mean of 13.5 (< 20); Dortmund's ~ 56,000
    rows = {r["ags"]: r for r in csv.DictReader(io.StringIO(client.get(URL.format(fmt="csv"))
                                                          .get_data(as_text=True)))}  # fmt: skip
    assert rows[BRECKERFELD]["arrivals"] == "148"
    assert rows[BRECKERFELD]["arrivals_cv_low_base"] == "True"
    assert rows[BRECKERFELD]["arrivals_cv"] == "0.6423"  # the value stays
    assert rows[DORTMUND]["arrivals_cv_low_base"] == "False"
    assert "arrivals_low_base" not in rows[DORTMUND]  # a count has none
    features = client.get(URL.format(fmt="geojson")).get_json()["features"]
    properties = {f["properties"]["ags"]: f["properties"] for f in features}
    assert properties[BRECKERFELD]["arrivals_cv_low_base"] is True
    assert properties[DORTMUND]["arrivals_cv_low_base"] is False
    assert properties[DORTMUND]["need_housing_n"] == 320
    assert properties[DORTMUND]["need_housing_low_base"] is False  # 320 ≥ 30 respondents
    small = [p for p in properties.values() if p["need_housing_low_base"]]
    assert small and all(p["need_housing_n"] < 30 for p in small)


def test_the_catalogue_names_each_minimum_base(client):
    body = client.get("/api/v1/layers").get_json()
    catalogue = {i["id"]: i for i in body["indicators"]}
    assert catalogue["arrivals_cv"]["min_base"] == {
        "rule": "mean_arrivals", "counts": "arrivals", "minimum": 20, "per_year": True,
        "column": "arrivals_cv_low_base", "base_column": "arrivals",
        "text": {"de": "Mindestbasis: im Mittel 20 Zuzüge je Jahr; darunter wird der Wert "
                       "gezeigt, aber als unsicher markiert (geringe Basis)",
                 "en": "minimum base: a mean of 20 arrivals a year; below it the value is "
                       "shown but flagged as uncertain (small base)",
                 "ro": "bază minimă: în medie 20 sosiri pe an; sub ea valoarea este afișată, "
                       "dar marcată ca nesigură (bază mică)",
                 "bg": "минимална база: средно 20 пристигания годишно; под нея стойността се "
                       "показва, но е отбелязана като несигурна (малка база)"},
    }  # fmt: skip
    assert catalogue["remittance_use_housing"]["min_base"]["counts"] == "remitters"
    assert catalogue["remittance_use_housing"]["min_base"]["base_column"] == (
        "remittance_use_housing_n"
    )
    assert catalogue["churn"]["min_base"]["counts"] == "moves"
    assert catalogue["arrivals"]["min_base"] is None
    typology = catalogue["typology"]["min_base"]
    assert typology["minimum"] is None and "no minimum base" in typology["text"]["en"]
    assert "Mindestbasis: 30 Befragte" in catalogue["need_housing"]["definition"]["de"]
    assert "<id>_low_base" in body["parameters"]["indicators"]
