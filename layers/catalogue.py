"""The indicator catalogue: one declaration per indicator that drives the metric pickers,
legends, tooltips, exports and (later) the API. Values are computed in ``layers.indicators``."""

from __future__ import annotations

from dataclasses import dataclass

from layers import vocab

# What an indicator rests on. Flows and survey answers are synthetic until real data is
# imported; populations and the World Bank series are real.
BASIS_FLOWS = "flows"
BASIS_SURVEY = "survey"
BASIS_OFFICIAL = "official"

GROUPS = {
    "flows": {"de": "Zu- und Fortzüge", "en": "Arrivals and departures"},
    "variance": {"de": "Schwankung über die Jahre", "en": "Variance over the years"},
    "typology": {"de": "Typisierung", "en": "Typology"},
    "diversity": {"de": "Vielfalt", "en": "Diversity"},
    "remittances": {"de": "Rücküberweisungen", "en": "Remittances"},
    "needs": {"de": "Unterstützungsbedarf", "en": "Support needs"},
    "survey": {"de": "Befragung", "en": "Survey"},
}

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
    def categorical(self) -> bool:
        """Values are category numbers 1..k (named per value), not quantities."""
        return self.kind == "category"


def _de_en(de: str, en: str) -> dict[str, str]:
    return {"de": de, "en": en}


PERSONS = _de_en("Personen", "persons")
PER_1000 = _de_en("je 1.000 Einw. und Jahr", "per 1,000 inhabitants per year")
PERCENT = _de_en("% der Befragten", "% of respondents")
PERCENT_REMITTERS = _de_en("% der Überweisenden", "% of remitters")
LANGUAGES_UNIT = _de_en("Sprachen", "languages")
COUNTRIES_UNIT = _de_en("Länder", "countries")
NATS = _de_en("nat (Shannon-Index)", "nats (Shannon index)")
RATIO = _de_en("Verhältnis 0–1", "ratio 0–1")
CV_UNIT = _de_en("Variationskoeffizient", "coefficient of variation")

_FLOWS = [
    Indicator("arrivals", "flows", _de_en("Zuzüge", "Arrivals"), PERSONS,
              _de_en("Zuzüge in die Ruhr-Kommune aus Rumänien/Bulgarien, Summe der Jahre",
                     "Moves into the Ruhr municipality from Romania/Bulgaria, summed over years"),
              BASIS_FLOWS),
    Indicator("departures", "flows", _de_en("Fortzüge", "Departures"), PERSONS,
              _de_en("Fortzüge aus der Ruhr-Kommune nach Rumänien/Bulgarien, Summe der Jahre",
                     "Moves out of the Ruhr municipality to Romania/Bulgaria, summed over years"),
              BASIS_FLOWS),
    Indicator("net", "flows", _de_en("Saldo", "Net migration"), PERSONS,
              _de_en("Zuzüge minus Fortzüge", "Arrivals minus departures"), BASIS_FLOWS,
              diverging=True),
    Indicator("turnover", "flows", _de_en("Wanderungsvolumen", "Turnover"), PERSONS,
              _de_en("Zuzüge plus Fortzüge", "Arrivals plus departures"), BASIS_FLOWS),
    Indicator("arrivals_per_1000", "flows", _de_en("Zuzugsrate", "Arrival rate"), PER_1000,
              _de_en("Zuzüge ÷ Jahre ÷ Einwohner des Gebiets × 1.000",
                     "Arrivals ÷ years ÷ inhabitants of the area × 1,000"),
              BASIS_FLOWS, kind="rate"),
    Indicator("departures_per_1000", "flows", _de_en("Fortzugsrate", "Departure rate"), PER_1000,
              _de_en("Fortzüge ÷ Jahre ÷ Einwohner des Gebiets × 1.000",
                     "Departures ÷ years ÷ inhabitants of the area × 1,000"),
              BASIS_FLOWS, kind="rate"),
    Indicator("net_per_1000", "flows", _de_en("Saldorate", "Net migration rate"), PER_1000,
              _de_en("Saldo ÷ Jahre ÷ Einwohner des Gebiets × 1.000",
                     "Net migration ÷ years ÷ inhabitants of the area × 1,000"),
              BASIS_FLOWS, kind="rate", diverging=True),
]  # fmt: skip

_VARIANCE = [
    Indicator("arrivals_sd", "variance", _de_en("Standardabweichung der Zuzüge",
              "Standard deviation of arrivals"), PERSONS,
              _de_en("Stichproben-Standardabweichung (n−1) der jährlichen Zuzüge über die "
                     "gewählten Jahre (mind. 2)",
                     "Sample standard deviation (n−1) of yearly arrivals over the selected "
                     "years (at least 2)"),
              BASIS_FLOWS, kind="persons_sd"),
    Indicator("arrivals_cv", "variance", _de_en("Schwankung der Zuzüge (VK)",
              "Variation of arrivals (CV)"), CV_UNIT,
              _de_en("Standardabweichung ÷ Mittelwert der jährlichen Zuzüge",
                     "Standard deviation ÷ mean of yearly arrivals"),
              BASIS_FLOWS, kind="index"),
    Indicator("departures_cv", "variance", _de_en("Schwankung der Fortzüge (VK)",
              "Variation of departures (CV)"), CV_UNIT,
              _de_en("Standardabweichung ÷ Mittelwert der jährlichen Fortzüge",
                     "Standard deviation ÷ mean of yearly departures"),
              BASIS_FLOWS, kind="index"),
    Indicator("net_sd", "variance", _de_en("Standardabweichung des Saldos",
              "Standard deviation of net migration"), PERSONS,
              _de_en("Stichproben-Standardabweichung (n−1) des jährlichen Saldos",
                     "Sample standard deviation (n−1) of yearly net migration"),
              BASIS_FLOWS, kind="persons_sd"),
    Indicator("churn", "variance", _de_en("Zirkularität (Churn)", "Circularity (churn)"), RATIO,
              _de_en("min(Zuzüge, Fortzüge) ÷ max(Zuzüge, Fortzüge); 1 = gleich viele kommen "
                     "und gehen",
                     "min(arrivals, departures) ÷ max(arrivals, departures); 1 = as many "
                     "leave as come"),
              BASIS_FLOWS, kind="ratio"),
]  # fmt: skip


TYPOLOGY = Indicator(
    "typology", "typology", _de_en("Kommunentyp", "Municipality type"),
    _de_en("Typ 1–k", "type 1–k"),
    _de_en("Ward-Clustering standardisierter Indikatoren (z-Werte: Zuzugsrate, Saldorate, "
           "Schwankung der Zuzüge (VK), Anteile der Migrationstypen, Herfindahl-Index der "
           "Herkunftsregionen) der 53 Kommunen in k = 5 Typen, nummeriert nach mittlerer "
           "Zuzugsrate; nur Kommunen; beruht auf synthetischen Demonstrationsdaten",
           "Ward clustering of standardised indicators (z-scores: arrival rate, net rate, "
           "variation of arrivals (CV), shares of the migration types, Herfindahl index of "
           "origin regions) of the 53 municipalities into k = 5 types, numbered by mean "
           "arrival rate; municipalities only; rests on synthetic demonstration data"),
    BASIS_FLOWS, kind="category",
)  # fmt: skip


def _diversity(prefix: str, what_de: str, what_en: str, unit) -> list[Indicator]:
    return [
        Indicator(f"{prefix}_richness", "diversity", _de_en(f"{what_de}: Anzahl",
                  f"{what_en}: richness"), unit,
                  _de_en(f"Anzahl verschiedener {what_de}, die veröffentlicht sind (von "
                         "mindestens 5 Befragten genannt)",
                         f"Number of distinct {what_en.lower()} published (named by at least "
                         "5 respondents)"),
                  BASIS_SURVEY, kind="index"),
        Indicator(f"{prefix}_shannon", "diversity", _de_en(f"{what_de}: Shannon-Index",
                  f"{what_en}: Shannon entropy"), NATS,
                  _de_en("H = −Σ pᵢ ln pᵢ, pᵢ = Nennungen der Kategorie i ÷ alle Nennungen "
                         "der veröffentlichten Kategorien",
                         "H = −Σ pᵢ ln pᵢ, pᵢ = mentions of category i ÷ all mentions of "
                         "the published categories"),
                  BASIS_SURVEY, kind="index"),
        Indicator(f"{prefix}_effective", "diversity", _de_en(f"{what_de}: effektive Anzahl",
                  f"{what_en}: effective number"), unit,
                  _de_en("exp(H), Hill-Zahl der Ordnung 1", "exp(H), Hill number of order 1"),
                  BASIS_SURVEY, kind="index"),
    ]  # fmt: skip


USE_LABELS = {
    "household": _de_en("Haushalt/Konsum", "household consumption"),
    "housing": _de_en("Wohnen/Hausbau", "housing"),
    "education": _de_en("Bildung", "education"),
    "business": _de_en("Investition in Betrieb", "business investment"),
    "savings_debt": _de_en("Sparen/Schulden", "savings/debt"),
}

_REMITTANCES = [
    Indicator("remitting_share", "remittances", _de_en("Anteil Überweisende",
              "Share sending money home"), PERCENT,
              _de_en("Befragte, die Geld ins Herkunftsland schicken ÷ Befragte",
                     "Respondents who send money home ÷ respondents"),
              BASIS_SURVEY, kind="share"),
] + [
    Indicator(f"remittance_use_{use}", "remittances", _de_en(f"Verwendung: {label['de']}",
              f"Use: {label['en']}"), PERCENT_REMITTERS,
              _de_en(f"Überweisende mit Hauptverwendung {label['de']} ÷ Überweisende",
                     f"Remitters whose main use is {label['en']} ÷ remitters"),
              BASIS_SURVEY, kind="share")
    for use, label in USE_LABELS.items()
]  # fmt: skip

_NEEDS = [
    Indicator(f"need_{area}", "needs", _de_en(f"Bedarf: {label['de']}", f"Need: {label['en']}"),
              PERCENT,
              _de_en(f"Befragte, die „{label['de']}“ nennen ÷ Befragte (Abb. 5.1)",
                     f"Respondents naming “{label['en']}” ÷ respondents (Fig. 5.1)"),
              BASIS_SURVEY, kind="share")
    for area, label in vocab.SUPPORT_NEED_LABELS.items()
]  # fmt: skip

RESPONDENTS = Indicator(
    "respondents", "survey", _de_en("Befragte", "Respondents"), PERSONS,
    _de_en("Zahl der Befragten (genaue Zahl; unter 5 nicht veröffentlicht)",
           "Number of respondents (exact count; not published under 5)"),
    BASIS_SURVEY,
)  # fmt: skip

CATALOGUE: dict[str, Indicator] = {
    i.id: i
    for i in [
        *_FLOWS,
        *_VARIANCE,
        TYPOLOGY,
        *_diversity("language", "Sprachen", "Languages", LANGUAGES_UNIT),
        *_diversity("destination", "Vorherige Zielländer", "Prior destinations", COUNTRIES_UNIT),
        *_REMITTANCES,
        *_NEEDS,
        RESPONDENTS,
    ]
}

# National series (country level, real, with vintage).
NATIONAL_SERIES = {
    "BX.TRF.PWKR.CD.DT": _de_en(
        "Rücküberweisungen, empfangen (US$, laufende Preise)",
        "Personal remittances, received (current US$)",
    ),
    "BX.TRF.PWKR.DT.GD.ZS": _de_en(
        "Rücküberweisungen, empfangen (% des BIP)", "Personal remittances, received (% of GDP)"
    ),
}


def by_group() -> dict[str, list[Indicator]]:
    groups: dict[str, list[Indicator]] = {g: [] for g in GROUPS}
    for indicator in CATALOGUE.values():
        groups[indicator.group].append(indicator)
    return groups
