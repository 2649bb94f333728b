"""The indicator catalogue: one declaration per indicator (in ``catalogue.toml``) that drives
the metric pickers, legends, tooltips, exports and the API. Values are computed in
``layers.indicators``; the sources and the survey's protection line are composed here."""

from __future__ import annotations

import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from layers import l10n

# What an indicator rests on. Flows and survey answers are synthetic until real data is
# imported; populations and the World Bank series are real.
BASIS_FLOWS = "flows"
BASIS_SURVEY = "survey"
BASIS_OFFICIAL = "official"

SOURCES = l10n.texts(
    "catalogue.source",
    {
        "flows": {  # BASIS_FLOWS (literal keys: the extractor reads them)
            "de": "Wanderungsströme (synthetische Demonstrationsdaten, layers/demo.py); "
            "Einwohner: Destatis GV100AD, Eurostat demo_r_pjanaggr3",
            "en": "Migration flows (synthetic demonstration data, layers/demo.py); "
            "population: Destatis GV100AD, Eurostat demo_r_pjanaggr3",
        },
        # The demo survey's size and dates are modelling choices, not the study's metadata
        # (data/sources.md); an imported survey is described by its own file (survey_source).
        "survey": {
            "de": "Befragung (modelliert: 3.000 synthetische Befragte mit modellierten Befragungs"
            "terminen 2021/22 – keine Angaben der Studie); {protection}",
            "en": "Survey (modelled: 3,000 synthetic respondents with modelled survey dates "
            "2021/22 – not the study's metadata); {protection}",
        },
        "official": {
            "de": "Weltbank, World Development Indicators (Stand siehe Datensatz)",
            "en": "World Bank, World Development Indicators (vintage in the data)",
        },
    },
)


PROTECTION = l10n.text(
    "catalogue.protection",
    {
        "de": "Geheimhaltung: Zellen unter 5 Befragten und Schutzsperrungen nicht veröffentlicht",
        "en": "disclosure control: cells under 5 respondents and their protective cells withheld",
    },
)
SOURCES[BASIS_SURVEY] = {
    lang: text.format(protection=PROTECTION[lang]) for lang, text in SOURCES[BASIS_SURVEY].items()
}
IMPORTED_SURVEY = l10n.text(
    "catalogue.imported_survey",
    {
        "de": "Befragung (importiert: {n} Befragte aus {files}); ",
        "en": "Survey (imported: {n} respondents from {files}); ",
    },
)


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
    # 1.234 in German and Romanian, 1 234 in Bulgarian (CLDR), 1,234 in English
    separators = {"de": ".", "en": ",", "ro": ".", "bg": "\u00a0"}
    numbers = {lang: count.replace(",", sep) for lang, sep in separators.items()}
    return {
        lang: IMPORTED_SURVEY[lang].format(n=numbers[lang], files=files or entry.get("file", ""))
        + PROTECTION[lang]
        for lang in l10n.LANGUAGES
    }


# How a minimum base reads in an indicator's definition ({n}: the minimum, {of}: what it
# counts); flows are summed over the selected years or averaged per year, the survey is one wave.
MIN_BASE_TEXT = l10n.texts("catalogue.min_base_text", {
    "per_year": {"de": "Mindestbasis: im Mittel {n} {of} je Jahr",
                 "en": "minimum base: a mean of {n} {of} a year"},
    "flows": {"de": "Mindestbasis: {n} {of} in den gewählten Jahren zusammen",
              "en": "minimum base: {n} {of} in the selected years together"},
    "survey": {"de": "Mindestbasis: {n} {of}", "en": "minimum base: {n} {of}"},
    "flagged": {"de": "; darunter wird der Wert gezeigt, aber als unsicher markiert "
                      "(geringe Basis)",
                "en": "; below it the value is shown but flagged as uncertain (small base)"},
})  # fmt: skip
FLOW_COUNTS = ("arrivals", "departures", "moves")  # what a minimum base counts: flows ...
SURVEY_COUNTS = ("respondents", "remitters")  # ... or persons of the survey


@dataclass(frozen=True)
class MinBase:
    """The smallest base at which a value is not flagged (``catalogue.toml``, [min_bases]):
    ``minimum`` persons of ``of`` (FLOW_COUNTS summed over the selected years or, with
    ``per_year``, their mean per year; SURVEY_COUNTS); without ``of`` none, for the
    reason in ``note``."""

    id: str
    of: str  # "" = no minimum base
    minimum: int
    per_year: bool
    noun: Mapping  # what ``of`` counts, in each language
    note: Mapping  # why there is none

    @property
    def applies(self) -> bool:
        return bool(self.of)

    def text(self, lang: str) -> str:
        """The rule in a definition: "minimum base: a mean of 20 arrivals a year; below it …"."""
        if not self.applies:
            return self.note[lang]
        words = MIN_BASE_TEXT
        form = "per_year" if self.per_year else "flows" if self.of in FLOW_COUNTS else "survey"
        text = words[form][lang].format(n=self.minimum, of=self.noun[lang])
        return text + words["flagged"][lang]


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
    min_base: MinBase | None = None  # below it a value is flagged (none for a count)
    # its name in a picker, where the label is longer than a phone's or a filter column's
    # select shows (the label stays in titles, legends and downloads)
    picker: dict[str, str] | None = None

    def text(self, field: str, lang: str) -> str:
        return getattr(self, field)[lang]

    def picker_label(self, lang: str) -> str:
        return (self.picker or self.label)[lang]

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

    @property
    def flagged(self) -> bool:
        """Has a minimum base: a ``<id>_low_base`` column says where a value is below it."""
        return self.min_base is not None and self.min_base.applies

    def definition(self, lang: str) -> str:
        """The formula and the minimum base (for every indicator but a count)."""
        formula = self.formula[lang]
        return formula if self.min_base is None else f"{formula}; {self.min_base.text(lang)}"


SHARE_BASES = ("respondents", "remitters")  # the persons a share is a part of


def _min_bases(declared: dict) -> dict[str, MinBase]:
    """The [min_bases] rules; each counts one of FLOW_COUNTS or SURVEY_COUNTS, or none."""
    nouns = declared["min_base_counts"]
    rules = {}
    for key, rule in declared["min_bases"].items():
        of = rule.get("of", "")
        if of and of not in (*FLOW_COUNTS, *SURVEY_COUNTS):
            raise ValueError(f"catalogue.toml: minimum base {key!r} counts {of!r}")
        note = rule if not of else {}  # a Text (l10n.localised) when it has none
        noun = nouns.get(of, {})
        rules[key] = MinBase(key, of, int(rule.get("min", 0)), bool(rule.get("per_year")),
                             noun, note)  # fmt: skip
    return rules


def _check(name: str, entry: dict, groups: dict, rules: dict) -> None:
    """A typo fails at import, not in a chart: an indicator's group, basis, share base and
    minimum base (every one but a count names one) must be declared."""
    problem = ""
    if entry["group"] not in groups or entry["basis"] not in SOURCES:
        problem = "has an undeclared group or basis"
    elif (entry.get("kind") == "share") != (entry.get("base") in SHARE_BASES):
        problem = f"a share, and only a share, names its base ({', '.join(SHARE_BASES)})"
    elif (entry.get("kind", "count") == "count") == (entry.get("min_base") in rules):
        problem = f"every indicator but a count names its min_base ({', '.join(rules)})"
    if problem:
        raise ValueError(f"{name}: indicator {entry['id']!r}: {problem}")


def _load(path: Path) -> dict:
    """The declarations in catalogue.toml, validated (``_check``)."""
    # Every {de, en} pair becomes a Text that reads Romanian and Bulgarian from the catalogs.
    declared = l10n.localised(tomllib.loads(path.read_text("utf-8")), "catalogue")
    units, groups = declared["units"], declared["groups"]
    rules = _min_bases(declared)
    indicators = {}
    for entry in declared["indicator"]:
        _check(path.name, entry, groups, rules)
        unit = entry["unit"]
        entry = {**entry, "unit": units[unit] if isinstance(unit, str) else unit,
                 "min_base": rules.get(entry.get("min_base", ""))}  # fmt: skip
        indicators[entry["id"]] = Indicator(**entry)
    return {**declared, "indicator": indicators, "min_bases": rules}


_DECLARED = _load(Path(__file__).with_name("catalogue.toml"))
GROUPS: dict[str, dict[str, str]] = _DECLARED["groups"]
USE_LABELS: dict[str, dict[str, str]] = _DECLARED["remittance_uses"]
NATIONAL_SERIES: dict[str, dict[str, str]] = _DECLARED["national_series"]  # real, with vintage
CATALOGUE: dict[str, Indicator] = _DECLARED["indicator"]
MIN_BASES: dict[str, MinBase] = _DECLARED["min_bases"]
UNITS: dict[str, dict[str, str]] = _DECLARED["units"]
# Real register stocks (layers/stocks.py), offered only when GENESIS 12521 is imported.
STOCK_METRICS: dict[str, dict] = _DECLARED["stock_metrics"]


def by_group() -> dict[str, list[Indicator]]:
    groups: dict[str, list[Indicator]] = {g: [] for g in GROUPS}
    for indicator in CATALOGUE.values():
        groups[indicator.group].append(indicator)
    return groups
