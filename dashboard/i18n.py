"""One catalogue of interface messages in German (default) and English."""

from __future__ import annotations

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"

MESSAGES: dict[str, dict[str, str]] = {
    "title": {
        "de": "Zu- und Fortzüge: Ruhrgebiet ⇄ Rumänien und Bulgarien",
        "en": "Arrivals and departures: Ruhr region ⇄ Romania and Bulgaria",
    },
    "synthetic_notice": {
        "de": "Wanderungsströme und Befragungsantworten sind "
        "modelliert, nicht gemessen. Echt sind Grenzen, Einwohnerzahlen und Rücküberweisungen.",
        "en": "Migration flows and survey answers are modelled, "
        "not measured. Boundaries, populations and remittance series are real.",
    },
    "synthetic_badge": {
        "de": "Synthetische Demonstrationsdaten",
        "en": "Synthetic demonstration data",
    },
    "filters": {"de": "Filter", "en": "Filters"},
    "year": {"de": "Jahr", "en": "Year"},
    "year_single": {"de": "Einzeljahr", "en": "Single year"},
    "year_range": {"de": "Zeitraum", "en": "Range"},
    "migration_type": {"de": "Migrationstyp", "en": "Migration type"},
    "origin_country": {"de": "Herkunftsland", "en": "Origin country"},
    "both": {"de": "beide", "en": "both"},
    "RO": {"de": "Rumänien", "en": "Romania"},
    "BG": {"de": "Bulgarien", "en": "Bulgaria"},
    "metric": {"de": "Kennzahl", "en": "Metric"},
    "selection": {"de": "Auswahl", "en": "Selection"},
    "selection_none": {
        "de": "Keine Auswahl – klicken Sie auf eine Kommune oder Herkunftsregion.",
        "en": "Nothing selected – click a municipality or origin region.",
    },
    "selection_clear": {"de": "Auswahl aufheben", "en": "Clear selection"},
    "ruhr_map": {"de": "Ruhr-Kommunen (53)", "en": "Ruhr municipalities (53)"},
    "origin_map": {"de": "Herkunftsregionen (70)", "en": "Origin regions (70)"},
    "linked_from": {"de": "verknüpft mit", "en": "linked to"},
    "series": {"de": "Zeitreihe", "en": "Time series"},
    "whole_ruhr": {"de": "gesamtes Ruhrgebiet", "en": "whole Ruhr region"},
    "arrivals": {"de": "Zuzüge", "en": "Arrivals"},
    "departures": {"de": "Fortzüge", "en": "Departures"},
    "net": {"de": "Saldo", "en": "Net"},
    "persons": {"de": "Personen", "en": "persons"},
    "selected_years": {"de": "gewählte Jahre", "en": "selected years"},
    "not_in_filter": {"de": "nicht im Filter", "en": "not in filter"},
    "no_types": {
        "de": "Bitte mindestens einen Migrationstyp wählen.",
        "en": "Please choose at least one migration type.",
    },
    "invalid_input": {
        "de": "Ungültige Eingabe – Standardwerte werden verwendet",
        "en": "Invalid input – defaults are used",
    },
    "attribution": {
        "de": "Grenzen: © GeoBasis-DE / BKG 2016 (VG250), dl-de/by-2-0; "
        "Natural Earth (gemeinfrei). "
        "Einwohner: Destatis GV100AD (31.12.2022), Eurostat demo_r_pjanaggr3 (1.1.2023). "
        "Rücküberweisungen: Weltbank WDI. Fachlicher Hintergrund: ZuSudo-Bericht, Kapitel 5.",
        "en": "Boundaries: © GeoBasis-DE / BKG 2016 (VG250), dl-de/by-2-0; Natural Earth (public "
        "domain). Population: Destatis GV100AD (31 Dec 2022), Eurostat demo_r_pjanaggr3 "
        "(1 Jan 2023). Remittances: World Bank WDI. Domain: ZuSudo report, chapter 5.",
    },
    "language_switch": {"de": "English", "en": "Deutsch"},
}


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str) -> str:
    return MESSAGES[key][normalise_language(lang)]
