"""The downloads' metadata in each interface language (``lang``): datapackage.json's titles
and descriptions and the GeoPackage's gpkg_contents description come from the catalogs;
column names and codes stay the same in every language."""

import io
import json
import sqlite3
import zipfile

import pytest

from layers import service
from layers.disclosure import Policy
from layers.queries import InvalidParameter

ARGS = {"years": ["2016-2019"], "indicators": ["arrivals,need_housing,language_richness"],
        "file": ["gpkg"]}  # fmt: skip
PHRASES = {  # a sentence of the package's description and of the GeoPackage's, per language
    "en": ("Filtered export of the Ruhr", "SYNTHETIC DEMONSTRATION DATA", "Boundaries:"),
    "de": ("Gefilterter Export des Migrations-Dashboards", "SYNTHETISCHE DEMONSTRATIONSDATEN",
           "Grenzen:"),
    "ro": ("Export filtrat din tabloul de bord", "DATE SINTETICE DE DEMONSTRAȚIE", "Limite:"),
    "bg": ("Филтриран експорт от таблото", "СИНТЕТИЧНИ ДЕМОНСТРАЦИОННИ ДАННИ", "Граници:"),
}  # fmt: skip
ENGLISH = ("Filtered export", "SYNTHETIC DEMONSTRATION DATA", "synthetic demonstration data",
           "Boundaries", "Source:", "Sources:", "official:", "not measured", "Official name",
           "migration dashboard", "lower bound", "small base", "Base n of")  # fmt: skip
# Matched with case: the parts' keys (flows, survey, boundaries) name them in every language.


def _package(ds, layer: str, lang: str, tmp_path, args=ARGS):
    download = service.layer_download(ds, Policy(), layer, "zip", {**args, "lang": [lang]})
    with zipfile.ZipFile(io.BytesIO(download.content)) as archive:
        meta = json.loads(archive.read("datapackage.json"))
        gpkg = tmp_path / f"{layer}-{lang}.gpkg"
        if f"{layer}.gpkg" in archive.namelist():
            gpkg.write_bytes(archive.read(f"{layer}.gpkg"))
    return meta, gpkg


def _texts(meta: dict) -> list[str]:
    """Every human text of a descriptor: its title, description, disclosure and small-base
    notes, and each field's title and description."""
    found = [meta["title"], meta["description"], meta["small_bases"],
             *(v for v in meta["disclosure"].values() if isinstance(v, str))]  # fmt: skip
    for resource in meta["resources"]:
        found += [resource.get("title", ""), resource.get("description", "")]
        for field in resource["schema"]["fields"]:
            found += [field.get("title", ""), field.get("description", "")]
    return [text for text in found if text]


def _gpkg_contents(path) -> tuple[str, str]:
    with sqlite3.connect(path) as db:
        return db.execute("SELECT identifier, description FROM gpkg_contents").fetchone()


@pytest.fixture(scope="module")
def english(demo_dataset, tmp_path_factory):
    return _package(demo_dataset, "municipalities", "en", tmp_path_factory.mktemp("en"))


@pytest.mark.parametrize("lang", ["en", "de", "ro", "bg"])
def test_datapackage_and_geopackage_speak_the_requested_language(demo_dataset, english, lang,
                                                                 tmp_path):  # fmt: skip
    meta, gpkg = _package(demo_dataset, "municipalities", lang, tmp_path)
    package_phrase, synthetic, boundaries = PHRASES[lang]
    assert meta["language"] == lang
    assert meta["description"].startswith(package_phrase) and synthetic in meta["description"]
    identifier, description = _gpkg_contents(gpkg)
    assert identifier == meta["title"]
    assert synthetic in description and boundaries in description
    en_meta, _ = english
    names = [f["name"] for f in meta["resources"][0]["schema"]["fields"]]
    assert names == [f["name"] for f in en_meta["resources"][0]["schema"]["fields"]]
    if lang == "en":
        return
    texts = [*_texts(meta), identifier, description]
    leaked = [(p, t) for t in texts for p in ENGLISH if p in t]
    assert not leaked, leaked[:3]
    # every field text differs from its English (none left untranslated)
    english_fields = {f["name"]: f for f in en_meta["resources"][0]["schema"]["fields"]}
    for field in meta["resources"][0]["schema"]["fields"]:
        for key in ("title", "description"):
            if field.get(key):
                assert field[key] != english_fields[field["name"]][key], (field["name"], key)


@pytest.mark.parametrize("lang", ["de", "ro", "bg"])
def test_the_long_package_is_translated_too(demo_dataset, lang, tmp_path):
    args = {"shape": ["long"], "file": ["csv"], "years": ["2020"]}
    meta, _ = _package(demo_dataset, "flows", lang, tmp_path, args)
    long, summed = meta["resources"]
    assert summed["name"] == "flows"  # the summed layer beside it, as CSV
    assert long["name"] == "flows-long" and {"persons", "direction"} <= {
        f["name"] for f in long["schema"]["fields"]}  # fmt: skip
    texts = _texts(meta)
    assert not [(p, t) for t in texts for p in ENGLISH if p in t]
    assert PHRASES[lang][1] in meta["description"]


def test_an_unknown_language_is_refused_naming_the_allowed(demo_dataset):
    with pytest.raises(InvalidParameter) as error:
        service.layer_download(demo_dataset, Policy(), "municipalities", "zip", {"lang": ["fr"]})
    assert error.value.name == "lang" and "de, en, ro, bg" in str(error.value)


def test_the_command_line_writes_a_geopackage_described_in_the_language(demo_dir, tmp_path):
    from layers.__main__ import main

    out = tmp_path / "flows.gpkg"
    args = ["export", "--layer", "flows", "--format", "gpkg", "--year", "2020", "--lang", "ro",
            "--out", str(out), "--data-dir", str(demo_dir)]  # fmt: skip
    assert main(args) == 0
    identifier, description = _gpkg_contents(out)
    assert identifier.startswith("Fluxuri origine–destinație")
    assert PHRASES["ro"][1] in description and "Surse:" in description
    assert not [p for p in ENGLISH if p in description]
