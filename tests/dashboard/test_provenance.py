"""Each part labelled by its own origin: once every flow is imported, survey values stay
labelled modelled in every page, table, export, data package and API answer."""

from __future__ import annotations

import io
import json
import shutil
import zipfile

import pandas as pd
import pytest

from dashboard.app import create_app
from layers import provenance, regions, vocab
from layers.dataset import load_dataset
from layers.importers import run_import

SURVEY, FLOWS = "need_housing", "arrivals_per_1000"


@pytest.fixture(scope="module")
def flows_imported(demo_dir, tmp_path_factory):
    """Flows imported for every year and municipality; the survey still modelled."""
    folder = tmp_path_factory.mktemp("flows-real") / "data"
    shutil.copytree(demo_dir, folder)
    lines = ["year,origin_nuts3,destination_ags,migration_type,direction,persons"]
    lines += [f"{y},RO224,{m.ags},circular,arrival,{3 + i % 7}"
              for y in vocab.YEARS for i, m in enumerate(regions.MUNICIPALITIES)]  # fmt: skip
    path = folder.parent / "it-nrw-flows.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_import("flows", [path], folder)
    return load_dataset(folder)


@pytest.fixture(scope="module")
def client(flows_imported):
    return create_app(flows_imported).server.test_client()


def _csv(client, indicators: str) -> tuple[pd.DataFrame, str]:
    response = client.get(f"/api/v1/layers/municipalities.csv?indicators={indicators}")
    assert response.status_code == 200
    return pd.read_csv(io.BytesIO(response.data)), response.headers["X-Synthetic-Data"]


def test_parts_know_their_own_origin(flows_imported):
    parts = provenance.parts(flows_imported.manifest)
    assert parts["flows"].status == "imported" and "it-nrw-flows.csv" in parts["flows"].source
    assert parts["survey"].status == "synthetic" and parts["survey"].synthetic
    assert parts["populations"].status == "official"
    assert provenance.synthetic_parts(flows_imported.manifest) == ("survey",)


def test_survey_columns_stay_labelled_modelled_in_the_csv_and_the_header(client):
    table, header = _csv(client, SURVEY)
    assert header == "survey"
    assert table["synthetic"].all() and set(table["synthetic_parts"]) == {"survey"}
    note = table["data_note"].iloc[0]
    assert note.startswith("survey: synthetic demonstration data")
    assert "flows" not in note.split(";")[0] and "populations: official" in note
    flows_only, header = _csv(client, FLOWS)
    assert header == "none" and not flows_only["synthetic"].any()
    assert "flows: imported from it-nrw-flows.csv" in flows_only["data_note"].iloc[0]


def test_the_data_package_labels_each_field_by_its_part(client):
    response = client.get(f"/api/v1/layers/municipalities.zip?file=csv&indicators={SURVEY},{FLOWS}")
    assert response.headers["X-Synthetic-Data"] == "survey"
    meta = json.loads(zipfile.ZipFile(io.BytesIO(response.data)).read("datapackage.json"))
    assert meta["synthetic"] is True and meta["synthetic_parts"] == ["survey"]
    assert "survey modelled" in meta["description"]
    fields = {f["name"]: f for f in meta["resources"][0]["schema"]["fields"]}
    assert fields[SURVEY]["synthetic"] is True and fields[SURVEY]["parts"] == ["survey"]
    assert fields[FLOWS]["synthetic"] is False and "imported from" in fields[FLOWS]["description"]
    assert meta["data_status"]["flows"]["status"] == "imported"
    assert meta["data_status"]["survey"]["status"] == "synthetic"


def test_the_catalogue_health_check_and_pages_name_the_modelled_part(client):
    catalogue = client.get("/api/v1/layers")
    assert catalogue.headers["X-Synthetic-Data"] == "survey"
    body = catalogue.get_json()
    assert body["synthetic_parts"] == ["survey"] and body["notice"].startswith("survey:")
    indicators = {i["id"]: i for i in body["indicators"]}
    assert indicators[SURVEY]["synthetic"] is True and indicators[FLOWS]["synthetic"] is False
    assert client.get("/healthz").get_json()["synthetic_parts"] == ["survey"]
    page = client.get("/_dash-layout?lang=en").get_data(as_text=True)
    assert "Migration flows: imported" in page and "Survey answers: modelled" in page
