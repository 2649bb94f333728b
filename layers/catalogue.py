"""The indicator catalogue: one declaration per indicator (in ``catalogue.toml``) that drives
the metric pickers, legends, tooltips, exports and the API. Values are computed in
``layers.indicators``; the sources and the survey's protection line are composed here."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

# What an indicator rests on. Flows and survey answers are synthetic until real data is
# imported; populations and the World Bank series are real.
BASIS_FLOWS = "flows"
BASIS_SURVEY = "survey"
BASIS_OFFICIAL = "official"

SOURCES = {
    BASIS_FLOWS: {
        "de": "Wanderungsströme (synthetische Demonstrationsdaten, layers/demo.py); "
        "Einwohner: Destatis GV100AD, Eurostat demo_r_pjanaggr3",
        "en": "Migration flows (synthetic demonstration data, layers/demo.py); "
        "population: Destatis GV100AD, Eurostat demo_r_pjanaggr3",
    },
    # The demo survey's size and dates are modelling choices, not the study's metadata
    # (data/sources.md); an imported survey is described by its own file (survey_source).
    BASIS_SURVEY: {
        "de": "Befragung (modelliert: 3.000 synthetische Befragte mit modellierten Befragungs"
        "terminen 2021/22 – keine Angaben der Studie); " + "{protection}",
        "en": "Survey (modelled: 3,000 synthetic respondents with modelled survey dates "
        "2021/22 – not the study's metadata); " + "{protection}",
    },
    BASIS_OFFICIAL: {
        "de": "Weltbank, World Development Indicators (Stand siehe Datensatz)",
        "en": "World Bank, World Development Indicators (vintage in the data)",
    },
}


PROTECTION = {
    "de": "Geheimhaltung: Zellen unter 5 Befragten und Schutzsperrungen nicht veröffentlicht",
    "en": "disclosure control: cells under 5 respondents and their protective cells withheld",
}
SOURCES[BASIS_SURVEY] = {
    lang: text.format(protection=PROTECTION[lang]) for lang, text in SOURCES[BASIS_SURVEY].items()
}
IMPORTED_SURVEY = {
    "de": "Befragung (importiert: {n} Befragte aus {files}); ",
    "en": "Survey (imported: {n} respondents from {files}); ",
}


def survey_source(manifest: dict, protection: bool = True) -> dict[str, str]:
    """The survey's source line for a dataset: the demo's modelled description, or an imported
    survey's own respondent count and file names (from the manifest the import wrote);
    without ``protection`` only what the survey is, up to the semicolon."""
    line = _survey_line(manifest)
    return line if protection else {lang: text.split("; ")[0] for lang, text in line.items()}


def _survey_line(manifest: dict) -> dict[str, str]:
    entry = manifest.get("tables", {}).get("respondents", {})
    if entry.get("synthetic", True):
        return SOURCES[BASIS_SURVEY]
    files = ", ".join(i["file"] for i in entry.get("imports", []) if "file" in i)
    count = f"{int(entry.get('rows', 0)):,}"
    numbers = {"de": count.replace(",", "."), "en": count}
    return {
        lang: IMPORTED_SURVEY[lang].format(n=numbers[lang], files=files or entry.get("file", ""))
        + PROTECTION[lang]
        for lang in ("de", "en")
    }


@dataclass(frozen=True)
class Indicator:
    id: str
    group: str
    label: dict[str, str]
    unit: dict[str, str]
    formula: dict[str, str]
    basis: str
    kind: str = "count"  # count | rate | share | index | persons_sd | ratio | category
    diverging: bool = False  # coloured around zero
    base: str = ""  # a share's denominator (a publication channel): respondents | remitters

    def text(self, field: str, lang: str) -> str:
        return getattr(self, field)[lang]

    @property
    def from_microdata(self) -> bool:
        """Derived from respondent microdata: must pass the disclosure module."""
        return self.basis == BASIS_SURVEY

    @property
    def source(self) -> dict[str, str]:
        return SOURCES[self.basis]

    @property
    def decimals(self) -> int:
        decimals = {"count": 0, "persons_sd": 0, "rate": 2, "share": 1, "index": 2, "ratio": 2}
        return decimals.get(self.kind, 0)  # a category's value is its number

    @property
    def has_interval(self) -> bool:
        """A survey share: published with its 95 % interval and base n (``layers.intervals``)."""
        return self.kind == "share"

    @property
    def categorical(self) -> bool:
        """Values are category numbers 1..k (named per value), not quantities."""
        return self.kind == "category"


SHARE_BASES = ("respondents", "remitters")  # the persons a share is a part of


def _load(path: Path) -> dict:
    """The declarations in catalogue.toml, validated: each indicator's group, unit and basis
    must be declared, so a typo fails at import, not in a chart."""
    declared = tomllib.loads(path.read_text("utf-8"))
    units, groups = declared["units"], declared["groups"]
    indicators = {}
    for entry in declared["indicator"]:
        unit = entry["unit"]
        entry = {**entry, "unit": units[unit] if isinstance(unit, str) else unit}
        if entry["group"] not in groups or entry["basis"] not in SOURCES:
            raise ValueError(
                f"{path.name}: indicator {entry['id']!r} has an undeclared group or basis"
            )
        if (entry.get("kind") == "share") != (entry.get("base") in SHARE_BASES):
            raise ValueError(
                f"{path.name}: indicator {entry['id']!r}: a share, and only a "
                f"share, names its base ({', '.join(SHARE_BASES)})"
            )
        indicators[entry["id"]] = Indicator(**entry)
    return {**declared, "indicator": indicators}


_DECLARED = _load(Path(__file__).with_name("catalogue.toml"))
GROUPS: dict[str, dict[str, str]] = _DECLARED["groups"]
USE_LABELS: dict[str, dict[str, str]] = _DECLARED["remittance_uses"]
NATIONAL_SERIES: dict[str, dict[str, str]] = _DECLARED["national_series"]  # real, with vintage
CATALOGUE: dict[str, Indicator] = _DECLARED["indicator"]


def by_group() -> dict[str, list[Indicator]]:
    groups: dict[str, list[Indicator]] = {g: [] for g in GROUPS}
    for indicator in CATALOGUE.values():
        groups[indicator.group].append(indicator)
    return groups
