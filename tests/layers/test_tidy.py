"""The long ("tidy") tables: rows, names, order and sums on hand-made flows; their data
package (Table Schema, keys, every source's licence) passes the Frictionless validator, and
a broken copy does not; GeoPackage layers carry an identifier and a description."""

import io
import json
import sqlite3
import zipfile

import frictionless
import pandas as pd
import pyogrio
import pytest

from layers import licences, package, queries, service, tidy
from layers.disclosure import Policy
from tests.helpers import DORTMUND, DUISBURG, GALATI, PLOVDIV, tiny_dataset

EVERY = queries.parse_filter()
NOTE = "flows: synthetic demonstration data (modelled by layers/demo.py, not measured)"


@pytest.fixture(scope="module")
def tiny():
    return tiny_dataset()  # tests/helpers.py: TINY_FLOWS, five cells


def _rows(frame: pd.DataFrame, columns) -> list[tuple]:
    return [tuple(row) for row in frame[list(columns)].itertuples(index=False)]


def test_flow_rows_are_the_cells_with_persons_in_key_order(tiny):
    frame = tidy.long_table(tiny, EVERY, "flows")
    assert list(frame.columns) == [
        "origin_nuts3", "origin_name", "country", "destination_ags", "destination_name",
        "year", "migration_type", "direction", "persons",
        "synthetic", "synthetic_parts", "data_note",
    ]  # fmt: skip
    assert _rows(frame, frame.columns[:9]) == [
        (PLOVDIV, "Plovdiv", "BG", DUISBURG, "Duisburg", 2015, "immigrant", "arrival", 20),
        (PLOVDIV, "Plovdiv", "BG", DUISBURG, "Duisburg", 2016, "return", "departure", 5),
        (GALATI, "Galați", "RO", DORTMUND, "Dortmund", 2014, "circular", "arrival", 10),
        (GALATI, "Galați", "RO", DORTMUND, "Dortmund", 2014, "circular", "departure", 4),
        (GALATI, "Galați", "RO", DORTMUND, "Dortmund", 2015, "immigrant", "arrival", 6),
    ]
    assert frame["synthetic"].all() and set(frame["synthetic_parts"]) == {"flows"}
    assert set(frame["data_note"]) == {NOTE}


def test_the_filters_apply_to_every_row(tiny):
    f = queries.parse_filter(years="2014-2015", types=["circular", "return"], countries="RO")
    flows = tidy.long_table(tiny, f, "flows")
    assert _rows(flows, ["year", "migration_type", "direction", "persons"]) == [
        (2014, "circular", "arrival", 10),
        (2014, "circular", "departure", 4),
    ]
    regions = tidy.long_table(tiny, f, "origin_regions")
    assert len(regions) == 42 * 2 * 2 * 2  # 42 Romanian regions × 2 years × 2 types × 2
    assert set(regions["country"]) == {"RO"} and regions["persons"].sum() == 14
    galati = regions[regions["nuts3"] == GALATI]
    assert _rows(galati, ["year", "migration_type", "direction", "persons"]) == [
        (2014, "circular", "arrival", 10), (2014, "circular", "departure", 4),
        (2014, "return", "arrival", 0), (2014, "return", "departure", 0),
        (2015, "circular", "arrival", 0), (2015, "circular", "departure", 0),
        (2015, "return", "arrival", 0), (2015, "return", "departure", 0),
    ]  # fmt: skip


def test_municipality_rows_split_by_origin_country_with_zeros(tiny):
    f = queries.parse_filter(years="2015-2016", types=["immigrant", "return"])
    frame = tidy.long_table(tiny, f, "municipalities")
    assert len(frame) == 53 * 2 * 2 * 2 * 2  # areas × countries × years × types × directions
    assert frame.columns[:8].tolist() == [
        "ags", "name", "kreis", "country", "year", "migration_type", "direction", "persons"
    ]  # fmt: skip
    moved = frame[frame["persons"] > 0]
    assert _rows(moved, ["ags", "name", "country", "year", "migration_type", "direction",
                         "persons"]) == [
        (DUISBURG, "Duisburg", "BG", 2015, "immigrant", "arrival", 20),
        (DUISBURG, "Duisburg", "BG", 2016, "return", "departure", 5),
        (DORTMUND, "Dortmund", "RO", 2015, "immigrant", "arrival", 6),
    ]  # fmt: skip
    assert frame["ags"].is_monotonic_increasing
    assert not frame.duplicated(list(tidy.KEYS["municipalities"])).any()


@pytest.mark.parametrize("layer", list(tidy.KEYS))
@pytest.mark.parametrize("source", ["tiny", "demo"])
def test_the_summed_layer_is_the_long_table_added_up(layer, source, tiny, demo_dataset):
    ds = tiny if source == "tiny" else demo_dataset
    f = queries.parse_filter(years="2014-2016", types=["immigrant", "circular", "return"])
    long = tidy.long_table(ds, f, layer)
    summed = package.layer_frame(ds, f, layer, None, Policy())
    key = list(tidy.SUMMED_KEY[layer])
    added = long.pivot_table(index=key, columns="direction", values="persons", aggfunc="sum")
    added = added.reindex(pd.MultiIndex.from_frame(summed[key]) if len(key) > 1
                          else summed[key[0]]).fillna(0)  # fmt: skip
    assert added["arrival"].tolist() == summed["arrivals"].tolist()
    assert added["departure"].tolist() == summed["departures"].tolist()
    assert long["persons"].sum() == summed["arrivals"].sum() + summed["departures"].sum()


def test_tiny_sums_written_out(tiny):
    long = tidy.long_table(tiny, EVERY, "municipalities")
    by_area = long.groupby(["ags", "direction"])["persons"].sum()
    assert by_area[(DORTMUND, "arrival")] == 16 and by_area[(DORTMUND, "departure")] == 4
    assert by_area[(DUISBURG, "arrival")] == 20 and by_area[(DUISBURG, "departure")] == 5
    assert long["persons"].sum() == 45


def test_the_csv_reads_back_with_the_documented_types(tiny, tmp_path):
    data = tidy.csv_bytes(tidy.long_table(tiny, EVERY, "flows"))
    assert data.startswith(b"origin_nuts3,origin_name,country,destination_ags,")
    assert "Galați".encode() in data and b"\r" not in data  # UTF-8, \n line ends
    back = pd.read_csv(io.BytesIO(data), dtype={"destination_ags": str})
    assert back["destination_ags"].tolist()[-1] == DORTMUND  # the leading zero kept
    assert back["persons"].tolist() == [20, 5, 10, 4, 6]
    assert back["synthetic"].dtype == bool


def _package(ds, layer: str, f, folder) -> dict:
    args = {k: [v] for k, v in {"shape": "long", "years": f"{f.year_from}-{f.year_to}"}.items()}
    download = service.layer_download(ds, Policy(), layer, "zip", args)
    zipfile.ZipFile(io.BytesIO(download.content)).extractall(folder)
    return json.loads((folder / "datapackage.json").read_text("utf-8"))


@pytest.mark.parametrize("layer", list(tidy.KEYS))
def test_the_long_package_is_valid_for_frictionless(layer, tiny, tmp_path):
    meta = _package(tiny, layer, queries.parse_filter(years="2014-2016"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["datapackage.json", f"{layer}.csv", f"{layer}_long.csv"]
    )
    long, summed = meta["resources"]
    assert long["schema"]["primaryKey"] == list(tidy.KEYS[layer])
    assert long["schema"]["foreignKeys"][0]["reference"]["resource"] == summed["name"]
    fields = {f["name"]: f for f in long["schema"]["fields"]}
    assert fields["persons"] == {"name": "persons", "type": "integer",
                                 "description": tidy.FIELDS["persons"][1]["en"],
                                 "constraints": {"required": True, "minimum": 0}}  # fmt: skip
    assert fields["year"]["constraints"] == {"required": True, "minimum": 2014, "maximum": 2016}
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]


def _errors(folder) -> set[str]:
    report = frictionless.validate(folder / "datapackage.json")
    return {error[0] for error in report.flatten(["type"])}


def test_the_validator_finds_a_broken_copy(tiny, tmp_path):
    """The validation is a real check: a negative count, a repeated key and a pair missing
    from the summed table are each reported."""
    _package(tiny, "flows", EVERY, tmp_path)
    long = tmp_path / "flows_long.csv"
    good = long.read_text("utf-8")
    long.write_text(good.replace(",arrival,20,", ",arrival,-20,"), "utf-8")
    assert "constraint-error" in _errors(tmp_path)
    lines = good.splitlines(keepends=True)
    long.write_text("".join([*lines, lines[1]]), "utf-8")
    assert "primary-key" in _errors(tmp_path)
    long.write_text(good, "utf-8")
    assert _errors(tmp_path) == set()
    summed = tmp_path / "flows.csv"
    kept = [line for line in summed.read_text("utf-8").splitlines(True) if PLOVDIV not in line]
    summed.write_text("".join(kept), "utf-8")
    assert "foreign-key" in _errors(tmp_path)


@pytest.mark.parametrize("fmt", list(package.FORMATS))
def test_the_summed_package_is_valid_for_frictionless(fmt, tiny, tmp_path):
    args = {"file": [fmt], "indicators": ["all"]}
    download = service.layer_download(tiny, Policy(), "municipalities", "zip", args)
    zipfile.ZipFile(io.BytesIO(download.content)).extractall(tmp_path)
    report = frictionless.validate(tmp_path / "datapackage.json")
    assert report.valid, report.flatten(["type", "note"])[:5]


def test_every_source_is_listed_with_its_licence(tiny, tmp_path):
    meta = _package(tiny, "flows", EVERY, tmp_path)
    names = {lic["name"]: lic for lic in meta["licenses"]}
    assert set(names) == {"dl-de/by-2-0", "other-pd", "CC-BY-4.0"}
    assert names["dl-de/by-2-0"]["title"].endswith("(BKG VG250, Destatis GV100AD)")
    assert names["other-pd"]["title"].endswith("(Natural Earth)")
    assert names["CC-BY-4.0"]["title"].endswith("(Eurostat, World Bank WDI)")
    by_title = {s["title"].split(" ")[0]: s.get("license") for s in meta["sources"]}
    assert by_title == {"BKG": "dl-de/by-2-0", "Natural": "other-pd", "Destatis": "dl-de/by-2-0",
                        "Eurostat": "CC-BY-4.0", "World": "CC-BY-4.0", "Flows": None}  # fmt: skip
    long, summed = meta["resources"]  # each resource: the sources of the parts it rests on
    assert {s["license"] for s in long["sources"] if "license" in s} == {
        "dl-de/by-2-0", "CC-BY-4.0"}  # codes: Destatis, Eurostat  # fmt: skip
    assert [s["title"].split(" ")[0] for s in summed["sources"]] == [
        "BKG", "Natural", "Destatis", "Eurostat", "Flows"]  # fmt: skip


@pytest.mark.parametrize(
    ("layer", "expected"),
    [("municipalities", ["BKG", "Destatis", "Flows"]),
     ("origin_regions", ["Natural", "Eurostat", "Flows"])],
)  # fmt: skip
def test_an_area_layer_names_its_own_sources(layer, expected, tiny):
    frame = package.layer_frame(tiny, EVERY, layer, None, Policy())
    resource = package.summed_resource(frame, layer, "csv", tiny)
    assert [s["title"].split(" ")[0] for s in resource["sources"]] == expected
    assert [s["title"] for s in resource["sources"]] == [
        s.title for s in licences.SOURCES if s.title.split(" ")[0] in expected
    ]


def test_geopackage_layers_carry_an_identifier_and_a_description(tiny, tmp_path):
    f = queries.parse_filter(years="2015-2016", types=["immigrant"])
    frame = package.layer_frame(tiny, f, "flows", None, Policy())
    path = tmp_path / "flows.gpkg"
    path.write_bytes(package.layer_bytes(frame, "gpkg", "flows"))
    metadata = pyogrio.read_info(path)["layer_metadata"]
    assert metadata["IDENTIFIER"] == package.LAYER_TITLES["flows"]
    description = metadata["DESCRIPTION"]
    assert "Years 2015-2016; migration types immigrant." in description
    assert "SYNTHETIC DEMONSTRATION DATA: flows modelled, not measured." in description
    assert "© GeoBasis-DE / BKG 2016 (VG250), dl-de/by-2-0" in description
    with sqlite3.connect(path) as db:
        row = db.execute("SELECT identifier, description FROM gpkg_contents "
                         "WHERE table_name = 'flows'").fetchone()  # fmt: skip
    assert row == (metadata["IDENTIFIER"], description)


@pytest.mark.parametrize("layer", list(tidy.KEYS))
def test_an_empty_filter_still_gives_a_valid_labelled_package(layer, tiny, tmp_path):
    """No transnational moves from Bulgaria in the tiny data: flows have no row left, the
    areas only zeros; the package still says the flows are synthetic and validates."""
    args = {"shape": ["long"], "type": ["transnational"], "country": ["BG"]}
    download = service.layer_download(tiny, Policy(), layer, "zip", args)
    assert download.synthetic_parts == "flows"
    zipfile.ZipFile(io.BytesIO(download.content)).extractall(tmp_path)
    meta = json.loads((tmp_path / "datapackage.json").read_text("utf-8"))
    assert meta["synthetic_parts"] == ["flows"] and meta["synthetic"] is True
    rows = pd.read_csv(tmp_path / f"{layer}_long.csv")
    assert len(rows) == {"municipalities": 53 * 11 * 2, "origin_regions": 28 * 11 * 2,
                         "flows": 0}[layer]  # fmt: skip
    assert rows["persons"].sum() == 0
    assert frictionless.validate(tmp_path / "datapackage.json").valid
