"""Importers: real formats in, the dataset folder updated atomically, malformed files rejected
with file, line and column, and a failed import changes nothing."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from layers import publication, regions, vocab
from layers.__main__ import main
from layers.dataset import DataError, load_dataset, snapshot_dir
from layers.importers import ImportDataError, run_import
from layers.importers import common as importer_common
from layers.importers.worldbank import SOURCE as WB_SOURCE
from layers.survey import CHANNEL_INDEX
from tests.perf.import_memory import measure, write_worldbank_csv, write_zip_bomb

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "importers"
WB_FILE = "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.csv"
POPULATION_DE = "12411-0015_de_flat.csv"
FOREIGNERS_EN = "12521-0041_en_flat.csv"
POPULATION_OLD = "12411-01-01-4_de_flat.csv"
USD, GDP = "BX.TRF.PWKR.CD.DT", "BX.TRF.PWKR.DT.GD.ZS"
DORTMUND, DUISBURG = "05913000", "05112000"


def snapshot(folder: Path) -> dict[str, str]:
    """sha256 of every file below ``folder`` and the names beside it (no leftovers)."""
    files = {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }
    return {**files, "<siblings>": ",".join(sorted(p.name for p in folder.parent.iterdir()))}


def manifest(folder: Path) -> dict:
    return json.loads((snapshot_dir(folder) / "manifest.json").read_text(encoding="utf-8"))


def read(folder: Path, name: str) -> pd.DataFrame:
    return pd.read_csv(snapshot_dir(folder) / name, dtype=str, keep_default_na=False)


@pytest.fixture
def data_dir(demo_dir, tmp_path):
    """A private copy of the session's demo dataset (built by demo.write_dataset)."""
    out = tmp_path / "dataset"
    shutil.copytree(demo_dir, out)
    return out


@pytest.fixture(scope="module")
def shared_dir(demo_dir, tmp_path_factory):
    """One copy of the demo dataset that failing imports must leave byte-identical."""
    out = tmp_path_factory.mktemp("shared") / "dataset"
    shutil.copytree(demo_dir, out)
    return out, snapshot(out)


def variant(
    tmp_path: Path, fixture: str | Path, old: str, new: str, name: str | None = None
) -> Path:
    """A copy of a fixture (same bytes: BOM, line ends) with one substring replaced."""
    text = (FIXTURES / fixture).read_bytes().decode("utf-8")
    assert old in text, old
    path = tmp_path / (name or Path(fixture).name)
    path.write_bytes(text.replace(old, new, 1).encode("utf-8"))
    return path


# ---------------------------------------------------------------- World Bank


def test_worldbank_fixture_is_in_the_real_format():
    data = (FIXTURES / WB_FILE).read_bytes()
    assert data.startswith(b'\xef\xbb\xbf"Data Source","World Development Indicators",\r\n\r\n')
    lines = data.split(b"\r\n")
    assert lines[2] == b'"Last Updated Date","2025-07-01",'
    assert lines[4].startswith(b'"Country Name","Country Code","Indicator Name"')
    assert all(line.endswith(b",") for line in lines if line)


def test_worldbank_import_reproduces_the_reference_series(data_dir):
    before = read(data_dir, "country_indicators.csv")
    report = run_import("worldbank", [FIXTURES / WB_FILE], data_dir)
    after = read(data_dir, "country_indicators.csv")
    assert list(after.columns) == list(before.columns) and len(after) == len(before) == 42
    assert list(after["indicator"]) == list(before["indicator"])  # order kept
    np.testing.assert_allclose(after["value"].astype(float), before["value"].astype(float))
    usd = after[after["indicator"] == USD]
    assert set(usd["vintage"]) == {"2025-07-01"} and set(usd["source"]) == {WB_SOURCE}
    assert set(usd["synthetic"]) == {"False"} and set(usd["unit"]) == {"current US$"}
    # the note of a replaced row (Romania's series break) stays with its year
    assert usd.loc[usd["country_iso3"].eq("ROU") & usd["year"].eq("2013"), "note"].item() == (
        "series break between 2012 and 2013"
    )
    (file_report,) = report.files
    assert file_report.rows_read == 6 and file_report.imported == 26
    assert file_report.skipped["rows of other countries and aggregates"] == 4
    entry = manifest(data_dir)["tables"]["country_indicators"]
    assert entry["imports"][-1]["file"] == WB_FILE and entry["imports"][-1]["rows"] == 26
    assert entry["imports"][-1]["sha256"] == hashlib.sha256((FIXTURES / WB_FILE).read_bytes()
                                                           ).hexdigest()  # fmt: skip
    assert entry["synthetic"] is False
    assert load_dataset(data_dir).country_indicators.shape == (42, 12)


def test_worldbank_new_vintage_replaces_the_series_and_keeps_the_other(data_dir, tmp_path):
    newer = variant(tmp_path, WB_FILE, '"2025-07-01"', '"2026-01-15"')
    text = newer.read_bytes().decode("utf-8").replace('"1985500000"', '"1990000000"')
    newer.write_bytes(text.encode("utf-8"))
    gdp_before = read(data_dir, "country_indicators.csv").pipe(lambda t: t[t["indicator"] == GDP])
    report = run_import("worldbank", [newer], data_dir)
    table = load_dataset(data_dir).country_indicators
    usd = table[table["indicator"] == USD]
    assert set(usd["vintage"]) == {"2026-01-15"} and len(usd) == 26
    bg_2020 = usd[(usd["country_iso2"] == "BG") & (usd["year"] == 2020)]["value"]
    assert bg_2020.item() == 1_990_000_000
    gdp_after = read(data_dir, "country_indicators.csv").pipe(lambda t: t[t["indicator"] == GDP])
    assert gdp_after.reset_index(drop=True).equals(gdp_before.reset_index(drop=True))
    assert any("replaced 13 rows of vintage 2025-07-01" in line for line in report.tables)


def test_worldbank_zip_download_is_read(data_dir, tmp_path):
    archive = tmp_path / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("Metadata_Country_API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.csv", '"a","b"\r\n')
        z.write(FIXTURES / WB_FILE, WB_FILE)
    report = run_import("worldbank", [archive], data_dir)
    assert report.files[0].label.endswith(f".zip:{WB_FILE}") and report.files[0].imported == 26


# ---------------------------------------------------------------- GENESIS


def test_genesis_fixtures_are_in_the_real_formats():
    german = (FIXTURES / POPULATION_DE).read_bytes()
    assert german.startswith(b"\xef\xbb\xbfstatistics_code;statistics_label;time_code;")
    assert b"\r\n" not in german and "Bevölkerungsstand".encode() in german
    old = (FIXTURES / POPULATION_OLD).read_bytes()
    assert old.startswith(b"\xef\xbb\xbfStatistik_Code;") and b"1_Auspraegung_Code" in old
    for marker in (b";-;", b";.;", b";...;", b";/;", b";x;"):
        assert marker in german


def test_genesis_import_maps_codes_onto_the_ruhr(data_dir, tmp_path):
    archive = tmp_path / "12521-0041_20250301-101500_en_flat.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(FIXTURES / FOREIGNERS_EN, FOREIGNERS_EN)
    files = [FIXTURES / POPULATION_DE, archive, FIXTURES / POPULATION_OLD]
    report = run_import("genesis", files, data_dir)

    pop = read(data_dir, "official_population.csv").set_index(["ags_or_kreis", "date"])
    assert list(pop.columns) == ["level", "name", "population", "marker", "quality", "table",
                                 "source", "synthetic"]  # fmt: skip
    essen = pop.loc[("05113000", "2024-12-31")]  # 5-digit kreisfreie Stadt -> municipality
    assert (essen["level"], essen["population"], essen["quality"]) == ("gemeinde", "574682", "p")
    assert essen["table"] == "12411-0015" and essen["synthetic"] == "False"
    wesel = pop.loc[("05170", "2024-12-31")]  # a Kreis stays at Kreis level
    assert (wesel["level"], wesel["name"], wesel["population"]) == ("kreis", "Kreis Wesel",
                                                                    "459886")  # fmt: skip
    assert pop.loc[("05562", "2022-12-31"), "level"] == "kreis"
    assert pop.loc[("05562014", "2022-12-31"), "population"] == "75889"  # old German layout
    # markers: '-' is 0, the others are missing values that keep their marker
    assert pop.loc[("05916000", "2024-12-31"), ["population", "marker"]].tolist() == ["0", "-"]
    for ags, marker in (("05913000", "."), ("05513000", "..."), ("05914000", "/"),
                        ("05512000", "x")):  # fmt: skip
        assert pop.loc[(ags, "2024-12-31"), ["population", "marker"]].tolist() == ["", marker]
    codes = set(pop.index.get_level_values(0))
    assert not codes & {"05111", "05111000", "05315", "05", "DG"}  # outside the Ruhr

    de, en, old = report.files
    assert (de.rows_read, de.imported) == (13, 8)
    assert de.skipped == {
        "outside the Ruhr": 2,
        "at another regional level (Germany, Land, Regierungsbezirk)": 2,
        "breakdowns (not totals)": 1,
    }
    assert de.markers == {"-": 1, ".": 1, "...": 1, "/": 1, "x": 1}
    assert en.label.endswith(f".zip:{FOREIGNERS_EN}") and en.imported == 6
    assert en.skipped["other citizenships and totals"] == 2 and en.skipped["outside the Ruhr"] == 1
    assert old.skipped["repeated with the same value (e.g. a kreisfreie Stadt as Kreis and "
                       "Gemeinde)"] == 1  # fmt: skip

    foreign = read(data_dir, "foreign_nationals.csv").set_index(["ags_or_kreis", "citizenship"])
    assert foreign.loc[("05513000", "RO"), "persons"] == "7105"
    assert foreign.loc[("05513000", "BG"), "persons"] == "4170"
    unna_bg = foreign.loc[("05978", "BG"), ["level", "persons", "marker"]].tolist()
    assert unna_bg == ["kreis", "", "."]
    assert len(foreign) == 6 and set(foreign["date"]) == {"2022-12-31"}

    m = manifest(data_dir)
    for table, rows in (("official_population", 12), ("foreign_nationals", 6)):
        entry = m["tables"][table]
        assert entry["synthetic"] is False and entry["rows"] == rows
        assert {i["kind"] for i in entry["imports"]} == {"genesis"}
    assert m["synthetic_tables"] == ["flows", "respondents", "survey_publication"]
    load_dataset(data_dir)  # the app still loads


def test_genesis_reimport_replaces_values_with_the_same_key(data_dir, tmp_path):
    run_import("genesis", [FIXTURES / POPULATION_DE], data_dir)
    revised = variant(tmp_path, POPULATION_DE, "574682;Anzahl;BEVSTD;Bevölkerungsstand;p",
                      "574700;Anzahl;BEVSTD;Bevölkerungsstand;r")  # fmt: skip
    run_import("genesis", [revised], data_dir)
    pop = read(data_dir, "official_population.csv")
    essen = pop[(pop["ags_or_kreis"] == "05113000") & (pop["date"] == "2024-12-31")]
    assert essen[["population", "quality"]].values.tolist() == [["574700", "r"]]
    assert len(pop) == 8
    assert len(manifest(data_dir)["tables"]["official_population"]["imports"]) == 2


# ---------------------------------------------------------------- flows


def test_flows_import_replaces_the_demo_rows_of_the_covered_pairs(data_dir):
    before = load_dataset(data_dir)
    report = run_import("flows", [FIXTURES / "flows_import.csv"], data_dir)
    after = load_dataset(data_dir)
    munis = [m.ags for m in regions.MUNICIPALITIES]
    origins = [r.nuts3 for r in regions.ORIGIN_REGIONS]
    y19, y20 = vocab.YEARS.index(2019), vocab.YEARS.index(2020)
    dortmund, duisburg = munis.index(DORTMUND), munis.index(DUISBURG)
    covered = np.zeros(before.flows.shape, dtype=bool)
    covered[y19, :, dortmund] = covered[y20, :, duisburg] = True
    assert np.array_equal(after.flows[~covered], before.flows[~covered])  # the rest unchanged
    assert after.flows[y19, :, dortmund].sum() == 412 + 301 + 188 + 230 + 97
    assert after.flows[y20, :, duisburg].sum() == 655 + 120 + 95
    circular, arrival = vocab.MIGRATION_TYPES.index("circular"), 0
    assert after.flows[y19, origins.index("RO224"), dortmund, circular, arrival] == 412

    flows = read(data_dir, "flows.csv")
    assert list(flows.columns) == ["year", "origin_nuts3", "destination_ags", "migration_type",
                                   "direction", "persons", "synthetic", "source"]  # fmt: skip
    imported = flows[flows["synthetic"] == "False"]
    assert len(imported) == 8
    assert set(zip(imported["year"], imported["destination_ags"], strict=True)) == {
        ("2019", DORTMUND), ("2020", DUISBURG)}  # fmt: skip
    pair = flows["year"] + flows["destination_ags"]
    assert not flows[pair.isin({"2019" + DORTMUND, "2020" + DUISBURG})]["synthetic"].eq(
        "True").any()  # fmt: skip
    assert set(imported[imported["year"] == "2019"]["source"]) == {
        "Stadt Dortmund registry extract 2020-03"}  # fmt: skip
    assert set(imported[imported["year"] == "2020"]["source"]) == {"imported from flows_import.csv"}

    entry = manifest(data_dir)["tables"]["flows"]
    assert entry["synthetic"] is True and entry["imported_rows"] == 8
    assert entry["synthetic_rows"] == len(flows) - 8 and entry["rows"] == len(flows)
    assert {(g["year"], tuple(g["destination_ags"])) for g in entry["imported"]} == {
        (2019, (DORTMUND,)), (2020, (DUISBURG,))}  # fmt: skip
    assert entry["imports"][-1]["rows"] == 8 and after.flows_synthetic
    assert report.files[0].skipped == {
        "zero rows (zeros are implied, the pair counts as covered)": 1
    }


def test_flows_import_of_every_pair_makes_the_dataset_real(data_dir, tmp_path):
    lines = ["year,origin_nuts3,destination_ags,migration_type,direction,persons"]
    lines += [f"{y},RO224,{m.ags},circular,arrival,{i % 7}"
              for y in vocab.YEARS for i, m in enumerate(regions.MUNICIPALITIES)]  # fmt: skip
    path = tmp_path / "all_pairs.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run_import("flows", [path], data_dir)
    assert manifest(data_dir)["synthetic_tables"] == ["respondents", "survey_publication"]
    run_import("survey", [FIXTURES / "respondents_import.csv"], data_dir)
    m = manifest(data_dir)
    assert m["synthetic_tables"] == [] and m["tables"]["flows"]["synthetic"] is False
    ds = load_dataset(data_dir)
    assert not ds.flows_synthetic and not ds.synthetic
    assert ds.flows.sum() == sum(i % 7 for i in range(53)) * len(vocab.YEARS)
    # a later import of a pair replaces the rows imported earlier
    again = tmp_path / "again.csv"
    again.write_text(lines[0] + "\n2019,BG421,05113000,return,departure,5\n", encoding="utf-8")
    report = run_import("flows", [again], data_dir)
    assert "(0 synthetic, 1 imported earlier)" in report.tables[0]


# ---------------------------------------------------------------- survey


def test_survey_import_replaces_respondents_and_rebuilds_the_publication(data_dir):
    before = (snapshot_dir(data_dir) / publication.PUBLICATION_FILE).read_bytes()
    run_import("survey", [FIXTURES / "respondents_import.csv"], data_dir)
    ds = load_dataset(data_dir)
    people = ds.respondents
    assert len(people) == 12 and not people["synthetic"].any()
    assert "record_key" not in people.columns
    assert people.set_index("respondent_id")["remits"].to_dict() == {
        **{f"S{i:03d}": True for i in (1, 2, 4, 5, 6, 8, 10, 12)},
        **{f"S{i:03d}": False for i in (3, 7, 9, 11)},
    }
    ruhr = ds.publication.municipal[:, publication.RUHR, publication.ALL_TYPES, publication.BOTH]
    assert ruhr[CHANNEL_INDEX["respondents"]] == 12
    assert np.isnan(ruhr[CHANNEL_INDEX["lang:hu"]])  # 2 respondents: not published
    assert (snapshot_dir(data_dir) / publication.PUBLICATION_FILE).read_bytes() != before
    m = manifest(data_dir)
    assert m["tables"]["respondents"]["synthetic"] is False and m["tables"]["respondents"][
        "rows"] == 12  # fmt: skip
    entry = m["tables"]["survey_publication"]
    respondents = (snapshot_dir(data_dir) / "respondents.csv").read_bytes()
    respondents_sha = hashlib.sha256(respondents).hexdigest()
    assert entry["synthetic"] is False and entry["respondents_sha256"] == respondents_sha
    assert m["synthetic_tables"] == ["flows"] and ds.synthetic  # flows are still modelled


# ---------------------------------------------------------------- malformed files

FLOWS, SURVEY = "flows_import.csv", "respondents_import.csv"
# Each case: which importer, which fixture, the text replaced in it and the message expected
# (kept as data: 49 cases of one shape read better as a table than as code).
CASES = json.loads((Path(__file__).with_name("malformed_files.json")).read_text("utf-8"))


@pytest.mark.parametrize("case", CASES)
def test_malformed_file_is_rejected_and_changes_nothing(case, shared_dir, tmp_path):
    folder, before = shared_dir
    kind, fixture, old, new, expected = (
        CASES[case][k] for k in ("kind", "file", "old", "new", "message")
    )
    if old is None and new == "cp1252":
        path = tmp_path / fixture
        path.write_bytes((FIXTURES / fixture).read_bytes().decode("utf-8-sig").encode("cp1252"))
    elif old is None:
        path = tmp_path / fixture
        path.write_bytes(new.encode())
    else:
        path = variant(tmp_path, fixture, old, new)
        if case == "worldbank: no Romania or Bulgaria":
            path = variant(tmp_path, path, '"Bulgaria","BGR"', '"Greece","GRC"')
        if case == "flows: not UTF-8":  # the same text saved as Latin-1
            path.write_bytes(path.read_bytes().decode("utf-8-sig").encode("latin-1"))
    with pytest.raises(ImportDataError) as info:
        run_import(kind, [path], folder)
    message = str(info.value)
    assert "\n" not in message
    assert expected in message
    assert str(path) in message  # the file is named
    assert snapshot(folder) == before


def test_committed_bad_flows_file_gives_the_documented_message(shared_dir):
    folder, before = shared_dir
    with pytest.raises(ImportDataError, match=r"flows_bad\.csv, line 7, column 'persons': "
                       r"expected a whole number >= 0, got '-3'"):  # fmt: skip
        run_import("flows", [FIXTURES / "flows_bad.csv"], folder)
    assert snapshot(folder) == before


def test_one_bad_file_among_good_ones_imports_nothing(shared_dir):
    folder, before = shared_dir
    files = [FIXTURES / "flows_import.csv", FIXTURES / "flows_bad.csv"]
    with pytest.raises(ImportDataError, match=r"flows_bad\.csv, line 7"):
        run_import("flows", files, folder)
    assert snapshot(folder) == before


def test_zip_with_two_flat_files_is_rejected(shared_dir, tmp_path):
    folder, before = shared_dir
    archive = tmp_path / "two.zip"
    with zipfile.ZipFile(archive, "w") as z:
        z.write(FIXTURES / POPULATION_DE, POPULATION_DE)
        z.write(FIXTURES / POPULATION_OLD, POPULATION_OLD)
    with pytest.raises(ImportDataError, match=r"two\.zip: expected exactly one \*_flat\.csv"):
        run_import("genesis", [archive], folder)
    assert snapshot(folder) == before


def test_failure_while_writing_changes_nothing(data_dir, monkeypatch):
    before = snapshot(data_dir)

    def refuse(path, policy):
        raise DataError("simulated check failure")

    monkeypatch.setattr(importer_common, "load_dataset", refuse)
    with pytest.raises(ImportDataError, match="would not load, nothing changed"):
        run_import("survey", [FIXTURES / "respondents_import.csv"], data_dir)
    assert snapshot(data_dir) == before
    monkeypatch.undo()

    def broken_copy(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(importer_common.shutil, "copy2", broken_copy)
    with pytest.raises(ImportDataError, match="cannot write the dataset folder, nothing changed"):
        run_import("flows", [FIXTURES / "flows_import.csv"], data_dir)
    assert snapshot(data_dir) == before


def test_import_needs_an_existing_dataset(tmp_path):
    with pytest.raises(ImportDataError, match=r"nothing: no dataset here"):
        run_import("flows", [FIXTURES / "flows_import.csv"], tmp_path / "nothing")
    assert not (tmp_path / "nothing").exists()


# ---------------------------------------------------------------- command line


def test_cli_import_prints_the_report(data_dir, capsys):
    args = ["import", "genesis", str(FIXTURES / POPULATION_DE), "--data-dir", str(data_dir)]
    assert main(args) == 0
    out = capsys.readouterr().out
    assert "imported genesis" in out and "13 rows read, 8 imported" in out
    assert "2 outside the Ruhr" in out and "'...' not yet available (→ missing) 1" in out


def test_cli_data_error_is_one_line_with_status_1(shared_dir, capsys):
    folder, before = shared_dir
    args = ["import", "flows", str(FIXTURES / "flows_bad.csv"), "--data-dir", str(folder)]
    assert main(args) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("python -m layers import: error: ")
    assert "flows_bad.csv, line 7, column 'persons'" in err
    assert snapshot(folder) == before


@pytest.mark.parametrize(
    "args, fragment",
    [
        (["import", "census", str(FIXTURES / "flows_import.csv")], "invalid choice: 'census'"),
        (["import", "flows", "no/such/file.csv"], "no such file: 'no/such/file.csv'"),
        (["import", "flows"], "the following arguments are required: FILE"),
    ],
)
def test_cli_bad_arguments_exit_2(args, fragment, capsys):
    with pytest.raises(SystemExit) as info:
        main(args)
    err = capsys.readouterr().err
    assert info.value.code == 2 and err.count("\n") == 1 and fragment in err


def test_cli_subprocess_exit_status_and_env_data_dir(shared_dir):
    folder, before = shared_dir
    result = subprocess.run(
        [sys.executable, "-m", "layers", "import", "survey", str(FIXTURES / "flows_import.csv")],
        capture_output=True,
        text=True,
        env={"RUHR_DATA_DIR": str(folder), "PATH": ""},
        cwd=Path(__file__).resolve().parents[2],
    )
    assert result.returncode == 1 and result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "flows_import.csv, line 1: unknown column 'destination_ags'" in result.stderr
    assert snapshot(folder) == before


def test_an_imported_survey_replaces_the_modelled_survey_description(data_dir):
    """Before: '3,000 modelled respondents … 2021/22'; after: the imported file's own count."""
    from layers import service
    from layers.catalogue import survey_source

    def survey_lines(ds) -> list[str]:
        sources = [i["source"] for i in service.catalogue_document(ds)["indicators"]
                   if i["disclosure_control"]]  # fmt: skip
        return [text for source in [survey_source(ds.manifest), *sources]
                for text in source.values()]  # fmt: skip

    modelled = ("modell", "modela", "модел")  # de and en, ro, bg
    thousands = ("3,000", "3.000", "3000")
    before = survey_lines(load_dataset(data_dir))
    assert len(before) >= 4  # each text in the four languages
    for line in before:
        assert any(m in line for m in modelled) and any(n in line for n in thousands), line
    run_import("survey", [FIXTURES / "respondents_import.csv"], data_dir)
    imported = len(read(data_dir, "respondents.csv"))
    after = survey_lines(load_dataset(data_dir))
    assert imported != 3000
    for line in after:
        assert not any(m in line for m in modelled) and "2021/22" not in line, line
        assert not any(n in line for n in thousands), line
        assert f"{imported} " in line and "respondents_import.csv" in line, line


# ---------------------------------------------------------------- hostile files
# Files made to break the importers: damaged or hostile ZIP archives, links, devices,
# binary data, files of another format. Each must give one line on stderr that names the
# file and says what to do, exit status 1, no traceback and none of the file's content.

SECRET = "s3cr3t-token:x:0:0:root:/root:/bin/bash"  # a first line that must not be quoted


def cli_error(capsys, kind: str, path: Path, folder: Path) -> str:
    """The CLI's message for a refused file (and that it is refused properly)."""
    assert main(["import", kind, str(path), "--data-dir", str(folder)]) == 1
    captured = capsys.readouterr()
    assert captured.out == "" and captured.err.count("\n") == 1
    assert captured.err.startswith("python -m layers import: error: ")
    assert str(path) in captured.err
    return captured.err


def patch_headers(path: Path, flags: int = 0, method: int | None = None) -> Path:
    """Set flag bits or the compression method of a one-member ZIP in its local header and
    its central directory entry, as another tool would have written them."""
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    for fields in (6, central + 8):  # flags, then method, at these offsets in each header
        (old,) = struct.unpack_from("<H", data, fields)
        struct.pack_into("<H", data, fields, old | flags)
        if method is not None:
            struct.pack_into("<H", data, fields + 2, method)
    path.write_bytes(bytes(data))
    return path


def wb_zip(tmp_path: Path, repeat: int = 1) -> Path:
    path = tmp_path / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(WB_FILE, (FIXTURES / WB_FILE).read_bytes() * repeat)
    return path


def compressed_start(data: bytes) -> int:
    """Offset of the first member's compressed data (after its local header)."""
    name_length, extra_length = struct.unpack_from("<HH", data, 26)
    return 30 + name_length + extra_length


def encrypted(tmp_path):
    return patch_headers(wb_zip(tmp_path), flags=0x1)


def deflate64(tmp_path):
    return patch_headers(wb_zip(tmp_path), method=9)


def corrupt_deflate(tmp_path):
    path = wb_zip(tmp_path)
    data = bytearray(path.read_bytes())
    data[compressed_start(data)] = 0xFF  # block type 3: reserved, invalid
    path.write_bytes(bytes(data))
    return path


def cut_in_the_middle(tmp_path):
    """Part of the member's data missing, the central directory kept."""
    path = wb_zip(tmp_path, repeat=20)
    data = path.read_bytes()
    central = data.rindex(b"PK\x01\x02")
    path.write_bytes(data[: central // 2] + data[central:])
    return path


def cut_short(tmp_path):
    """A download that stopped half-way."""
    path = wb_zip(tmp_path, repeat=20)
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    return path


def wrong_crc(tmp_path):
    path = wb_zip(tmp_path)
    data = bytearray(path.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    for crc in (14, central + 16):
        struct.pack_into("<L", data, crc, struct.unpack_from("<L", data, crc)[0] ^ 1)
    path.write_bytes(bytes(data))
    return path


HOSTILE_ZIPS = {
    "encrypted member": (encrypted, "the ZIP member is encrypted; unpack it with its password"),
    "Deflate64 (method 9)": (deflate64, "compressed with Deflate64, which cannot be read"),
    "corrupt deflate stream": (corrupt_deflate, "the ZIP archive is damaged or incomplete"),
    "data missing in the middle": (cut_in_the_middle, "damaged or incomplete"),
    "cut short": (cut_short, "not a readable ZIP archive"),
    "wrong checksum": (wrong_crc, "the ZIP archive is damaged or incomplete (Bad CRC-32"),
}


@pytest.mark.parametrize("case", HOSTILE_ZIPS)
def test_hostile_zip_is_refused_in_one_line(case, shared_dir, tmp_path, capsys):
    folder, before = shared_dir
    make, expected = HOSTILE_ZIPS[case]
    path = make(tmp_path)
    err = cli_error(capsys, "worldbank", path, folder)
    assert expected in err and "Traceback" not in err
    assert snapshot(folder) == before


def test_zip_bomb_is_refused_before_decompressing(shared_dir, tmp_path):
    """1 MB expanding to 1 GiB: refused from the central directory, in a process whose
    peak memory stays near that of starting Python with pandas (~220 MiB here)."""
    folder, before = shared_dir
    bomb = tmp_path / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.zip"
    write_zip_bomb(bomb, WB_FILE, 2**30)
    assert bomb.stat().st_size < 1.1e6
    status, err, peak_kib, _ = measure(["import", "worldbank", str(bomb), "--data-dir",
                                        str(folder)])  # fmt: skip
    assert status == 1 and err.count("\n") == 1, err
    assert f"{bomb}:{WB_FILE}: the ZIP member holds 1,024.0 MiB, more than the 512 MiB" in err
    assert peak_kib < 300 * 1024
    assert snapshot(folder) == before


def test_zip_member_expanding_too_much_is_refused_by_its_ratio(shared_dir, tmp_path):
    folder, before = shared_dir
    bomb = tmp_path / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.zip"
    write_zip_bomb(bomb, WB_FILE, 64 * 2**20)  # under the size limit
    with pytest.raises(ImportDataError, match=r"would expand 1,0\d\d times \(more than 100 times "
                       r"is refused as a likely ZIP bomb\)"):  # fmt: skip
        run_import("worldbank", [bomb], folder)
    assert snapshot(folder) == before


def test_zip_member_is_never_read_past_its_declared_size(shared_dir, tmp_path):
    """The central directory says 3 MiB at a harmless ratio; the data holds 64 MiB."""
    folder, before = shared_dir
    bomb = tmp_path / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.zip"
    write_zip_bomb(bomb, WB_FILE, 64 * 2**20)
    data = bytearray(bomb.read_bytes())
    central = data.rindex(b"PK\x01\x02")
    for size in (22, central + 24):  # uncompressed size in both headers
        struct.pack_into("<L", data, size, 3 * 2**20)
    bomb.write_bytes(bytes(data))
    with pytest.raises(ImportDataError) as info:
        run_import("worldbank", [bomb], folder)
    # zeros without a line break: the line limit stops it before the declared size is read
    assert "line 1: longer than 1 MiB without a line break; not a CSV table" in str(info.value)
    assert snapshot(folder) == before


def test_large_files_are_refused_before_reading(shared_dir, tmp_path, monkeypatch):
    folder, before = shared_dir
    monkeypatch.setattr(importer_common, "MAX_TEXT_BYTES", 2**20)
    big = tmp_path / "flows.csv"
    big.write_bytes((FIXTURES / FLOWS).read_bytes() * 2000)
    with pytest.raises(ImportDataError, match=r"flows\.csv: the file holds 1\.\d MiB, more "
                       r"than the 1 MiB an import reads; split it"):  # fmt: skip
        run_import("flows", [big], folder)
    stored = tmp_path / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.zip"
    with zipfile.ZipFile(stored, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr(WB_FILE, (FIXTURES / WB_FILE).read_bytes() * 1000)
    with pytest.raises(ImportDataError, match=rf"zip:{WB_FILE}: the ZIP member holds"):
        run_import("worldbank", [stored], folder)
    assert snapshot(folder) == before


def test_a_file_that_grows_while_it_is_read_is_refused(tmp_path):
    path = tmp_path / FLOWS
    path.write_bytes((FIXTURES / FLOWS).read_bytes())
    size = path.stat().st_size
    lines = importer_common.text_lines(importer_common.plain(importer_common.read_source(path)))
    assert next(lines).startswith("destination_ags,")
    with path.open("ab") as out:
        out.write(b"05913000,2019,RO224,circular,arrival,1,\r\n" * 1000)
    with pytest.raises(ImportDataError, match=f"holds more than the {size:,} bytes it declared"):
        list(lines)


def test_large_worldbank_csv_is_read_in_bounded_memory(data_dir, tmp_path):
    """30 MB: the import used to hold the file as bytes, text and rows (~560 MiB peak)."""
    path = tmp_path / "API_GEN_DS2_en_csv_v2_1.csv"
    indicators = write_worldbank_csv(path, 30 * 10**6)
    status, err, peak_kib, _ = measure(["import", "worldbank", str(path), "--data-dir",
                                        str(data_dir)])  # fmt: skip
    assert status == 0, err
    assert peak_kib < 400 * 1024
    table = read(data_dir, "country_indicators.csv")
    generated = table[table["indicator"].str.startswith("GEN.")]
    assert generated["indicator"].nunique() == indicators
    assert set(generated["country_iso3"]) == {"ROU", "BGR"}


def test_symlink_is_refused_without_quoting_its_target(shared_dir, tmp_path, capsys):
    folder, before = shared_dir
    secret = tmp_path / "secret.txt"
    secret.write_text(SECRET + "\n", encoding="utf-8")
    passwd = Path("/etc/passwd").read_text(encoding="utf-8").splitlines()[0]
    for target in (secret, Path("/etc/passwd"), FIXTURES / FLOWS):
        link = tmp_path / "flows.csv"
        link.unlink(missing_ok=True)
        link.symlink_to(target)
        err = cli_error(capsys, "flows", link, folder)
        assert "is a symbolic link; give the path of the file itself" in err
        assert "s3cr3t" not in err and passwd not in err and str(target) not in err
    assert snapshot(folder) == before


def test_files_that_are_not_regular_are_refused(shared_dir, tmp_path, capsys):
    folder, before = shared_dir
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    directory = tmp_path / "folder.csv"
    directory.mkdir()
    for path, kind in ((fifo, "a named pipe"), (directory, "a directory"),
                       (Path("/dev/zero"), "a character device")):  # fmt: skip
        err = cli_error(capsys, "survey", path, folder)
        assert f"{path}: is {kind}, not a regular file; give a CSV file or the ZIP" in err
    assert snapshot(folder) == before


@pytest.mark.parametrize("kind", ["flows", "survey", "worldbank", "genesis"])
def test_a_file_of_another_format_is_not_quoted(kind, shared_dir, tmp_path, capsys):
    folder, before = shared_dir
    path = tmp_path / "passwd.csv"
    path.write_text(f"{SECRET}\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n")
    err = cli_error(capsys, kind, path, folder)
    assert "line 1: " in err and "s3cr3t" not in err and "daemon" not in err
    assert "not a GENESIS flat file" in err if kind == "genesis" else True
    assert snapshot(folder) == before


BINARY = {
    "PNG image": (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
                  "a binary file, not CSV text (a NUL byte in line 3)"),
    "NUL bytes after the start": (
        (FIXTURES / FLOWS).read_bytes() + b"\x00" * 9000, "a NUL byte in line 11"),
    "UTF-16 export": ("year,persons\n2019,4\n".encode("utf-16"), "is UTF-16 text; save it as CSV "
                      "in UTF-8"),
    "a ZIP for a tidy table": (None, "is a ZIP archive (an Excel .xlsx file is one too); save "
                               "the table as CSV (UTF-8) or unpack the archive"),
}  # fmt: skip


@pytest.mark.parametrize("case", BINARY)
def test_binary_files_are_refused_in_one_line(case, shared_dir, tmp_path, capsys):
    folder, before = shared_dir
    data, expected = BINARY[case]
    path = wb_zip(tmp_path) if data is None else tmp_path / "flows.csv"
    if data is not None:
        path.write_bytes(data)
    err = cli_error(capsys, "flows", path, folder)
    assert expected in err
    assert snapshot(folder) == before


def test_member_names_of_a_zip_are_listed_briefly(shared_dir, tmp_path):
    folder, before = shared_dir
    archive = tmp_path / "many.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for i in range(40):
            z.writestr(f"table_{i}\n{'x' * 200}.csv", "a;b\n")
    with pytest.raises(ImportDataError) as info:
        run_import("genesis", [archive], folder)
    message = str(info.value)
    assert "\n" not in message and "and 35 more" in message and len(message) < 600
    assert snapshot(folder) == before
