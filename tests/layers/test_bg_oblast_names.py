"""data/reference/bg_oblast_names.csv against the two official lists it was checked with:
Eurostat's NUTS 2021 labels (GISCO) and the NSI's EKATTE table of oblasts. The extracts
and their provenance are in data/reference/sources/ (README.md there)."""

from __future__ import annotations

import csv
import hashlib
import json
from pathlib import Path

import pytest

from layers import regions

DATA = Path(__file__).resolve().parents[2] / "data"
SOURCES = DATA / "reference" / "sources"
GISCO = SOURCES / "gisco_nuts2021_bg_level3.csv"
EKATTE = SOURCES / "nsi_ekatte_ek_obl.csv"
# The extracts as committed: a name edited in an extract as well as in the table is caught.
EXTRACT_SHA256 = {
    GISCO: "b81b5fcd629b70179c24eca6218835180fa6681b3a3397cb66b5078f20b54fac",
    EKATTE: "3991188cdd526a83ef9bf7b6cc28759c49d5349808476a2fc93217384f11804c",
}


def _read(path: Path, key: str) -> dict[str, dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    table = {row[key]: row for row in rows}
    assert len(table) == len(rows), f"{path.name}: {key} repeats"
    return table


@pytest.fixture(scope="module")
def table():
    return _read(regions.BULGARIAN_NAMES_FILE, "nuts3")


@pytest.fixture(scope="module")
def nuts():
    return _read(GISCO, "NUTS_ID")


@pytest.fixture(scope="module")
def ekatte():
    return _read(EKATTE, "nuts3")


@pytest.mark.parametrize("path", list(EXTRACT_SHA256), ids=lambda p: p.name)
def test_the_extracts_are_the_recorded_copies(path):
    assert hashlib.sha256(path.read_bytes()).hexdigest() == EXTRACT_SHA256[path]
    assert path.name in (SOURCES / "README.md").read_text(encoding="utf-8")


def test_the_28_nuts3_codes_are_those_of_nuts_2021(table, nuts, ekatte):
    assert len(nuts) == 28 and {r["CNTR_CODE"] for r in nuts.values()} == {"BG"}
    assert {r["LEVL_CODE"] for r in nuts.values()} == {"3"}
    assert set(table) == set(nuts) == set(ekatte)


def test_every_name_is_the_nuts_2021_label(table, nuts):
    cyrillic = {code: (row["name_bg"], nuts[code]["NUTS_NAME"]) for code, row in table.items()}
    latin = {code: (row["name_latin"], nuts[code]["NAME_LATN"]) for code, row in table.items()}
    assert {code: pair for code, pair in cyrillic.items() if pair[0] != pair[1]} == {}
    assert {code: pair for code, pair in latin.items() if pair[0] != pair[1]} == {}


def test_every_code_and_name_is_the_ekatte_register(table, ekatte):
    for code, row in table.items():
        official = ekatte[code]
        assert (row["ekatte_oblast"], row["name_bg"], row["name_latin"]) == (
            official["oblast"], official["name"], official["name_en"]
        ), code  # fmt: skip
    assert len({r["oblast"] for r in ekatte.values()}) == 28


def test_the_code_shows_the_checked_names(nuts):
    assert dict(regions.bulgarian_names()) == {c: r["NUTS_NAME"] for c, r in nuts.items()}
    assert regions.area_name("BG412", "Sofia", "bg") == nuts["BG412"]["NUTS_NAME"] == "София"


def test_populations_and_boundaries_name_the_oblasts_alike(nuts):
    """The Latin names of regions.py (populations) and of the committed boundary file
    are the NUTS 2021 ones, so each Cyrillic name goes with the right area."""
    bulgarian = {r.nuts3: r.name for r in regions.ORIGIN_REGIONS if r.country == "BG"}
    assert bulgarian == {c: r["NAME_LATN"] for c, r in nuts.items()}
    geo = json.loads((DATA / "boundaries" / "origin_regions.geojson").read_text("utf-8"))
    drawn = {f["id"]: f["properties"]["name"] for f in geo["features"] if f["id"] in nuts}
    assert drawn == bulgarian
