"""``python -m layers import services FILE``: the inventory replaces the illustrative demo;
bad input is refused with file, line and column, and a failed import changes nothing."""

from __future__ import annotations

import json
import shutil

import pytest

from layers import kosmati
from layers.__main__ import main
from layers.dataset import DataError, load_dataset, snapshot_dir
from layers.importers import ImportDataError, run_import
from layers.importers import common as importer_common
from tests.layers.test_importers import snapshot

HEADER = ",".join(kosmati.COLUMNS)
GOOD = [
    "05913000,arrival,Erstberatung,immigrant;return,work;housing,de;ro;bg,2014,https://example.org/a",
    "05913000,integration,Netzwerk,all,other,de,2016,Stadt Dortmund",
    "05562028,participation,Hausaufgabenhilfe,immigrant,children_education,de;rom,2020,Stadt",
]


def write(tmp_path, lines, name="services.csv"):
    """The input file, in a folder of its own (not beside the dataset folder)."""
    path = tmp_path / "input" / name
    path.parent.mkdir(exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def data_dir(demo_dir, tmp_path):
    out = tmp_path / "data" / "dataset"  # its siblings are checked: the input lies elsewhere
    shutil.copytree(demo_dir, out)
    return out


def test_import_replaces_the_demo_inventory_and_rollback_returns_to_it(data_dir, tmp_path):
    assert load_dataset(data_dir).services.illustrative  # before: the demo
    report = run_import("services", [write(tmp_path, [HEADER, *GOOD])], data_dir)
    assert "replaced entirely (the illustrative demo inventory before, 3 imported now)" in (
        report.format()
    )
    ds = load_dataset(data_dir)
    assert not ds.services.illustrative and "services.csv" in ds.services.source
    table = kosmati.coverage(ds.services)
    assert table.loc["05913000", ["arrival", "integration", "dimensions_covered"]].tolist() == [
        1, 1, 2]  # fmt: skip
    assert table["services"].sum() == 3
    assert ds.services.table.loc[1, "migration_types"] == ("immigrant", "return", "circular",
                                                           "transnational")  # fmt: skip
    entry = json.loads((snapshot_dir(data_dir) / "manifest.json").read_text())["tables"]["services"]
    assert entry["rows"] == 3 and entry["synthetic"] is False and entry["illustrative"] is False
    assert main(["rollback", "--data-dir", str(data_dir)]) == 0
    assert load_dataset(data_dir).services.illustrative


@pytest.fixture(scope="module")
def shared_dir(demo_dir, tmp_path_factory):
    """One copy that every refused import must leave byte-identical."""
    out = tmp_path_factory.mktemp("shared") / "data" / "dataset"
    shutil.copytree(demo_dir, out)
    return out, snapshot(out)


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (
            [HEADER.replace(",languages", ""), GOOD[0].replace(",de;ro;bg", "")],
            r"line 1: missing column\(s\) languages",
        ),
        (
            [HEADER, GOOD[0], GOOD[1].replace("05913000", "05315000")],
            r"line 3, column 'municipality_ags': unknown municipality code '05315000'",
        ),
        (
            [HEADER, GOOD[0].replace("arrival", "arival")],
            r"line 2, column 'dimension': unknown dimension 'arival'; expected one of migration, "
            r"arrival, participation, integration",
        ),
        (
            [HEADER, GOOD[0].replace("immigrant;return", "tourist")],
            r"line 2, column 'migration_types': unknown code 'tourist'",
        ),
        (
            [HEADER, GOOD[0].replace("work;housing", "work;none")],
            r"line 2, column 'life_areas': unknown code 'none'",
        ),
        (
            [HEADER, GOOD[0].replace("de;ro;bg", "de;xx")],
            r"line 2, column 'languages': unknown code 'xx'.*ISO 639",
        ),
        ([HEADER, GOOD[0].replace("2014", "14")], r"line 2, column 'since': expected a year"),
        ([HEADER, GOOD[1], GOOD[1]], r"line 3, column 'service': service 'Netzwerk' is already"),
        ([HEADER], r"no data rows below the header"),
    ],
)
def test_bad_input_is_refused_with_line_and_column_and_changes_nothing(
    shared_dir, tmp_path, lines, expected
):
    folder, before = shared_dir
    with pytest.raises(ImportDataError, match=expected):
        run_import("services", [write(tmp_path, lines)], folder)
    assert snapshot(folder) == before


def test_a_fault_mid_import_loses_nothing(data_dir, tmp_path, monkeypatch):
    run_import("services", [write(tmp_path, [HEADER, *GOOD])], data_dir)
    before = snapshot(data_dir)
    calls = []

    def fail_after_some(*args, **kwargs):  # the disk fills while the snapshot is copied
        calls.append(args)
        if len(calls) > 2:
            raise OSError(28, "No space left on device")
        return original(*args, **kwargs)

    original = importer_common.shutil.copy2
    monkeypatch.setattr(importer_common.shutil, "copy2", fail_after_some)
    with pytest.raises(ImportDataError, match="cannot write the dataset folder, nothing changed"):
        run_import("services", [write(tmp_path, [HEADER, GOOD[2]], "other.csv")], data_dir)
    assert len(calls) == 3  # it failed part-way, after two files were copied
    assert snapshot(data_dir) == before
    assert kosmati.coverage(load_dataset(data_dir).services)["services"].sum() == 3  # kept


def test_a_damaged_services_file_is_a_data_error(data_dir, tmp_path):
    run_import("services", [write(tmp_path, [HEADER, *GOOD])], data_dir)
    path = snapshot_dir(data_dir) / kosmati.SERVICES_FILE
    path.write_text("municipality_ags,service\n05913000,x\n", encoding="utf-8")
    with pytest.raises(DataError, match=r"services\.csv: missing column\(s\) dimension"):
        load_dataset(data_dir)


def test_cli_error_is_one_line_with_status_1(data_dir, tmp_path, capsys):
    path = write(tmp_path, [HEADER, GOOD[0].replace("arrival", "welcome")])
    assert main(["import", "services", str(path), "--data-dir", str(data_dir)]) == 1
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "column 'dimension': unknown dimension 'welcome'" in err
