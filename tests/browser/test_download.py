"""The dashboard's Download control: a zip of exactly the layer on screen, with metadata."""

from __future__ import annotations

import io
import json
import zipfile

import pyogrio
import pytest

from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser


def test_download_matches_the_view(page, tmp_path):
    _load(page, "/?lang=en&year=2020&type=circular&country=BG&metric=need_housing")
    page.select_option("#download-format", "geojson")
    page.wait_for_function(
        "() => document.querySelector('#download-link').href.includes('file=geojson')",
        timeout=WAIT_MS,
    )
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("link", name="Download").click()
    archive = zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes()))
    meta = json.loads(archive.read("datapackage.json"))
    assert meta["filters"]["years"] == "2020" and meta["filters"]["countries"] == ["BG"]
    assert meta["filters"]["migration_types"] == ["circular"] and meta["synthetic"] is True
    (tmp_path / "m.geojson").write_bytes(archive.read("municipalities.geojson"))
    frame = pyogrio.read_dataframe(tmp_path / "m.geojson")
    assert len(frame) == 53 and "need_housing" in frame.columns


def test_download_offers_the_long_table(page):
    _load(page, "/?lang=en&years=2015-2016&type=return&country=RO")
    page.select_option("#download-layer", "origin_regions")
    page.select_option("#download-format", "long")
    page.wait_for_function(
        "() => document.querySelector('#download-link').href.includes('shape=long')",
        timeout=WAIT_MS,
    )
    with page.expect_download(timeout=WAIT_MS) as info:
        page.get_by_role("link", name="Download").click()
    archive = zipfile.ZipFile(io.BytesIO(info.value.path().read_bytes()))
    assert sorted(archive.namelist()) == [
        "datapackage.json", "origin_regions.csv", "origin_regions_long.csv"
    ]  # fmt: skip
    header, *rows = archive.read("origin_regions_long.csv").decode("utf-8").splitlines()
    assert header.startswith("nuts3,name,country,year,migration_type,direction,persons,")
    assert len(rows) == 42 * 2 * 2  # Romanian regions × years × directions (one type)
    meta = json.loads(archive.read("datapackage.json"))
    assert meta["resources"][0]["schema"]["primaryKey"][0] == "nuts3"
