"""The data notice follows what is imported: real data lose the synthetic warning."""

import shutil

from dashboard.app import create_app
from dashboard.notice import notice
from layers.dataset import DataStatus, data_status, load_dataset
from layers.importers import run_import
from tests.layers.test_importers import FIXTURES


def _text(component) -> str:
    return str(component.to_plotly_json())


def test_everything_synthetic_shows_the_warning():
    alert = notice("de", DataStatus("synthetic", "synthetic", ()))
    assert "Synthetische Demonstrationsdaten" in _text(alert) and alert.color == "warning"


def test_fully_imported_data_lose_the_warning_and_name_their_source():
    alert = notice("en", DataStatus("imported", "imported", ("flows: it-nrw.csv",)))
    assert alert.color == "info" and "Synthetic" not in _text(alert)
    assert "Imported from: flows: it-nrw.csv" in _text(alert)


def test_after_real_imports_the_page_says_what_is_imported(demo_dir, tmp_path):
    folder = tmp_path / "data"
    shutil.copytree(demo_dir, folder)
    run_import("flows", [FIXTURES / "flows_import.csv"], folder)
    run_import("survey", [FIXTURES / "respondents_import.csv"], folder)
    ds = load_dataset(folder)
    status = data_status(ds)
    assert (status.flows, status.survey) == ("partly imported", "imported")
    page = create_app(ds).server.test_client().get("/_dash-layout?lang=en").get_data(as_text=True)
    assert "Migration flows: partly imported, otherwise modelled" in page
    assert "Survey answers: imported" in page and "respondents_import.csv" in page
