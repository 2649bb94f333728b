"""data/sources.md: every public figure it lists is the one the code and data files use,
and licences are stated as they are (Natural Earth: public domain)."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from dashboard.i18n import MESSAGES
from layers import demo, export, licences, regions

DATA = Path(__file__).resolve().parents[2] / "data"
SOURCES = (DATA / "sources.md").read_text(encoding="utf-8")


def _rows(pattern: str) -> dict[str, int]:
    return {code: int(value) for code, value in re.findall(pattern, SOURCES)}


def _section(title: str) -> str:
    return SOURCES.split(title, 1)[1].split("\n### ", 1)[0].split("\n## ", 1)[0]


def test_populations_match_the_code():
    municipalities = _rows(r"\| `(05\d{6})` \| [^|]+ \| (\d+) \|")
    assert municipalities == {m.ags: m.population for m in regions.MUNICIPALITIES}
    origins = _rows(r"\| `((?:RO|BG)\d{3})` \| [^|]+ \| (\d+) \|")
    assert origins == {r.nuts3: r.population for r in regions.ORIGIN_REGIONS}
    for country, total in (("RO", "19,055,228"), ("BG", "6,447,710")):
        assert f"{sum(r.population for r in regions.ORIGIN_REGIONS if r.country == country):,}" == (
            total
        )
        assert total in SOURCES


@pytest.mark.parametrize(
    ("indicator", "vintage", "parse"),
    [("BX.TRF.PWKR.CD.DT", "2025-07-01", int), ("BX.TRF.PWKR.DT.GD.ZS", "2022-02-15", float)],
)
def test_world_bank_series_and_vintages_match_the_reference_file(indicator, vintage, parse):
    reference = pd.read_csv(DATA / "reference" / "world_bank_remittances.csv")
    rows = reference[reference["indicator"] == indicator]
    assert set(rows["vintage"]) == {vintage}
    section = _section(f"### `{indicator}`")
    assert f"(vintage {vintage})" in section.splitlines()[0]
    listed = {
        (int(year), country): parse(value)
        for year, ro, bg in re.findall(r"\| (\d{4}) \| ([\d.]+) \| ([\d.]+) \|", section)
        for country, value in (("RO", ro), ("BG", bg))
    }
    stored = {(int(r.year), r.country_iso2): parse(round(r.value, 2)) for r in rows.itertuples()}
    assert listed == stored and len(listed) >= 16


def test_calibration_anchors_and_modelled_metadata_match_demo():
    for (_ags, _year, _direction), persons in demo.ANCHORS.items():
        assert f"{persons}" in SOURCES
    for (_ags, year), net in demo.NET_ANCHORS.items():
        assert f"net {year} = {net}" in SOURCES
    assert f"| {demo.SURVEY_RESPONDENTS:,} respondents | **no: modelled**" in SOURCES
    start, end = demo.SURVEY_FIELDWORK
    assert f"survey dates {start} … {end}" in SOURCES
    for profile_line in ("level 12 ‰, departure ratio 0.68, Romanian share 0.48",
                         "level 8.5 ‰, Romanian share 0.61"):  # fmt: skip
        assert profile_line in SOURCES
    duisburg, gelsenkirchen = demo.CITY_PROFILES["05112000"], demo.CITY_PROFILES["05513000"]
    assert (duisburg.arrivals_per_1000, duisburg.departure_ratio, duisburg.romanian_share) == (
        12.0, 0.68, 0.48
    )  # fmt: skip
    assert (gelsenkirchen.arrivals_per_1000, gelsenkirchen.romanian_share) == (8.5, 0.61)


def test_files_cited_for_provenance_exist():
    cited = re.findall(r"data/[\w./-]+\.(?:md|csv)", (DATA / "README.md").read_text())
    cited += re.findall(r"data/[\w./-]+\.(?:md|csv)", Path(demo.__file__).read_text())
    assert "data/sources.md" in cited
    root = DATA.parent
    assert [c for c in cited if not (root / c).exists()] == []
    assert "data-facts" not in Path(demo.__file__).read_text()
    assert "data-facts" not in (DATA / "README.md").read_text()


def test_natural_earth_is_public_domain_not_an_odc_licence():
    texts = {
        "sources.md": SOURCES,
        "boundaries/README.md": (DATA / "boundaries" / "README.md").read_text(encoding="utf-8"),
        "attribution de": MESSAGES["attribution"]["de"],
        "attribution en": MESSAGES["attribution"]["en"],
        "data package licences": json.dumps([licences.LICENCES, *map(str, licences.SOURCES)]),
        "export attribution": json.dumps(export.BOUNDARY_ATTRIBUTION),
    }
    for name, text in texts.items():
        assert not re.search(r"PDDL|ODC-|ODbL", text), name
    assert "Natural Earth (gemeinfrei)" in texts["attribution de"]
    assert "Natural Earth (public domain)" in texts["attribution en"]
    assert "public domain (Natural Earth" in SOURCES
    assert "public domain" in texts["boundaries/README.md"]


def test_gelsenkirchen_population_is_documented_as_unverified():
    gelsenkirchen = next(m for m in regions.MUNICIPALITIES if m.ags == "05513000")
    section = SOURCES.split("* **Gelsenkirchen**:", 1)[1].split("\n\n", 1)[0]
    assert f"{gelsenkirchen.population:,}" in section and "unverified" in section
