"""One catalogue of interface messages in German (default) and English."""

from __future__ import annotations

import datetime as dt
import functools

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.numbers import (
    NumberPattern,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)

LANGUAGES = ("de", "en")
DEFAULT_LANGUAGE = "de"
# The CLDR locale of each interface language: Babel takes decimal mark, grouping and month
# names from it, so a new language (Romanian, Bulgarian) is one more entry here.
LOCALES = {"de": "de_DE", "en": "en_GB"}

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
    "status_flows": {"de": "Wanderungsströme", "en": "Migration flows"},
    "status_survey": {"de": "Befragungsantworten", "en": "Survey answers"},
    "status_synthetic": {"de": "modelliert (synthetisch)", "en": "modelled (synthetic)"},
    "status_partly imported": {
        "de": "teilweise importiert, sonst modelliert",
        "en": "partly imported, otherwise modelled",
    },
    "status_imported": {"de": "importiert", "en": "imported"},
    "imported_data": {"de": "Importierte Daten", "en": "Imported data"},
    "sources_imported": {"de": "Importiert aus", "en": "Imported from"},
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
    "summary": {
        "de": "{metric} ({unit}): am höchsten {top}; am niedrigsten {bottom}. "
        "Werte für {n} von {total} Gebieten.",
        "en": "{metric} ({unit}): highest {top}; lowest {bottom}. Values for {n} of {total} areas.",
    },
    "summary_none": {
        "de": "{metric}: keine Werte für diese Auswahl.",
        "en": "{metric}: no values for this selection.",
    },
    "download": {"de": "Herunterladen", "en": "Download"},
    "download_layer": {"de": "Ebene", "en": "Layer"},
    "download_format": {"de": "Format", "en": "Format"},
    "download_hint": {
        "de": "ZIP mit Daten und datapackage.json (Felder, Einheiten, Quellen, Filter).",
        "en": "ZIP with the data and datapackage.json (fields, units, sources, filters).",
    },
    "layer_municipalities": {"de": "Ruhr-Kommunen", "en": "Ruhr municipalities"},
    "layer_origin_regions": {"de": "Herkunftsregionen", "en": "Origin regions"},
    "layer_flows": {"de": "Ströme", "en": "Flows"},
    "show_table": {"de": "Als Tabelle zeigen", "en": "Show as table"},
    "pick_area": {"de": "Gebiet auswählen", "en": "Select an area"},
    "pick_none": {"de": "– keine Auswahl –", "en": "– nothing selected –"},
    "ruhr_group": {"de": "Ruhr-Kommunen", "en": "Ruhr municipalities"},
    "origin_group": {"de": "Herkunftsregionen", "en": "Origin regions"},
    "area": {"de": "Gebiet", "en": "Area"},
    "value": {"de": "Wert", "en": "Value"},
    "select_area": {"de": "auswählen", "en": "select"},
    "explorer": {"de": "Explorer", "en": "Explorer"},
    "open_in_explorer": {"de": "Im Explorer öffnen", "en": "Open in the explorer"},
    "views_intro": {
        "de": "Ausgewählte Ansichten aus der Studie – zum Weitergeben per Link, mit festen "
        "Farbskalen, damit sich Ansichten vergleichen lassen.",
        "en": "Selected views from the study – to share by link, with fixed colour scales so "
        "that views can be compared.",
    },
    "views_errors": {
        "de": "Diese Ansichtsdateien konnten nicht geladen werden:",
        "en": "These view files could not be loaded:",
    },
    "view_not_found": {
        "de": "Diese Ansicht gibt es nicht (mehr).",
        "en": "This view does not exist (any more).",
    },
    "filters_applied": {"de": "Filter", "en": "Filters"},
    "as_of": {"de": "Stand", "en": "As of"},
    "all_types": {"de": "alle Migrationstypen", "en": "all migration types"},
    "thumbnail_of": {"de": "Vorschaukarte", "en": "Preview map"},
    "url_fallback": {
        "de": "Einige Angaben im Link waren ungültig oder veraltet; dafür gelten Standardwerte:",
        "en": "Some parts of the link were invalid or outdated; defaults are used instead:",
    },
    "views": {"de": "Kuratierte Ansichten", "en": "Curated views"},
    "copy_link": {"de": "Link kopieren", "en": "Copy link"},
    "link_copied": {"de": "Link kopiert", "en": "Link copied"},
    "link_selected": {
        "de": "Kopieren hier nicht möglich: Link markiert – mit Strg+C (⌘C) kopieren",
        "en": "Copying is not available here: link selected – copy it with Ctrl+C (⌘C)",
    },
    "share_link": {"de": "Link zu dieser Ansicht", "en": "Link to this view"},
    "suppressed": {
        "de": "nicht veröffentlicht: weniger als {n} Befragte oder zu deren Schutz gesperrt",
        "en": "not published: fewer than {n} respondents, or withheld to protect such a cell",
    },
    "suppressed_legend": {
        "de": "Grau: nicht veröffentlicht (weniger als {n} Befragte, oder gesperrt, damit "
        "sich eine solche Zelle nicht errechnen lässt) oder nicht im Filter. Befragungswerte "
        "werden nur je Gebiet, Migrationstyp und Land veröffentlicht, nicht für Paare von "
        "Gebieten.",
        "en": "Grey: not published (fewer than {n} respondents, or withheld so that such a "
        "cell cannot be worked out) or not in the filter. Survey values are published per "
        "area, migration type and country, not for pairs of areas.",
    },
    "survey_years_note": {
        "de": "Die Befragung ist eine Welle: der Jahresfilter gilt nicht für Befragungswerte.",
        "en": "The survey is one wave: the year filter does not apply to survey values.",
    },
    "mean_sd_band": {"de": "Mittelwert ± 1 SD (Zuzüge)", "en": "Mean ± 1 SD (arrivals)"},
    "mean": {"de": "Mittelwert", "en": "Mean"},
    "tab_series": {"de": "Zeitreihe und Schwankung", "en": "Time series and variance"},
    "tab_diversity": {"de": "Vielfalt", "en": "Diversity"},
    "tab_remittances": {"de": "Rücküberweisungen", "en": "Remittances"},
    "tab_needs": {"de": "Unterstützungsbedarf", "en": "Support needs"},
    "tab_flows": {"de": "Ströme", "en": "Flows"},
    "languages_chart": {"de": "Gesprochene Sprachen", "en": "Languages spoken"},
    "countries_chart": {"de": "Vorherige Zielländer", "en": "Prior destination countries"},
    "countries_map": {
        "de": "Vorherige Zielländer: Befragte je Land",
        "en": "Prior destination countries: respondents per country",
    },
    "respondents": {"de": "Befragte", "en": "respondents"},
    "others_suppressed": {
        "de": "nicht veröffentlicht",
        "en": "not published",
    },
    "distinct": {
        "de": "je von ≥ {n} Befragten genannt",
        "en": "each named by ≥ {n} respondents",
    },
    "national_usd": {
        "de": "Empfangene Rücküberweisungen (Mio. US$)",
        "en": "Personal remittances received (US$ million)",
    },
    "national_gdp": {"de": "in % des BIP", "en": "as % of GDP"},
    "vintage_mismatch": {
        "de": "Achtung: verschiedene Weltbank-Stände – neuere revidieren frühere Jahre, "
        "die beiden Teile passen nicht Jahr für Jahr zusammen (data/sources.md).",
        "en": "Caution: different World Bank releases – newer ones revise earlier years, so "
        "the two panels do not match year by year (data/sources.md).",
    },
    "uses_chart": {
        "de": "Hauptverwendung der Überweisungen (eine Antwort je Person)",
        "en": "Main use of remittances (one answer per person)",
    },
    "uses_base": {
        "de": "Anteil an den Überweisenden (n = {n})",
        "en": "share of remitters (n = {n})",
    },
    "uses_some_hidden": {
        "de": "grau: nicht veröffentlicht (unter {n} Überweisende oder zu deren Schutz gesperrt)",
        "en": "grey: not published (under {n} remitters, or withheld to protect such a cell)",
    },
    "uses_no_remitters": {
        "de": "keine Überweisenden in dieser Auswahl",
        "en": "no remitters in this selection",
    },
    "needs_chart": {
        "de": "Unterstützungsbedarf nach Lebensbereich und Migrationstyp (Abb. 5.1)",
        "en": "Support needs by life area and migration type (Fig. 5.1)",
    },
    "chi_square": {
        "de": "χ²-Test auf Unabhängigkeit (Nennungen × Typ): χ² = {stat}, df = {dof}, "
        "p = {p}, Cramérs V = {v}; n = {n} Nennungen.",
        "en": "Chi-square test of independence (mentions × type): χ² = {stat}, df = {dof}, "
        "p = {p}, Cramér's V = {v}; n = {n} mentions.",
    },
    "chi_square_na": {
        "de": "χ²-Test nicht möglich: weniger als zwei Migrationstypen mit genug Befragten.",
        "en": "Chi-square test not possible: fewer than two migration types with enough "
        "respondents.",
    },
    "direction": {"de": "Richtung", "en": "Direction"},
    "top_n": {"de": "Größte Ströme", "en": "Largest flows"},
    "min_persons": {"de": "Mindestgröße (Personen)", "en": "Minimum size (persons)"},
    "flows_map": {
        "de": "Ströme zwischen Herkunftsregionen und Ruhr-Kommunen",
        "en": "Flows between origin regions and Ruhr municipalities",
    },
    "flows_summary": {
        "de": "{count} Ströme, zusammen {persons} Personen.",
        "en": "{count} flows, together {persons} persons.",
    },
    "flows_none": {
        "de": "Keine Ströme für diese Auswahl.",
        "en": "No flows for this selection.",
    },
    "variance_hint": {
        "de": "Karte zeigen: ",
        "en": "Show on the map: ",
    },
    # Issue 15: the scatter tab, the play button and the small multiples.
    "tab_scatter": {"de": "Streudiagramm", "en": "Scatter"},
    "scatter_x": {"de": "x-Achse", "en": "x axis"},
    "scatter_y": {"de": "y-Achse", "en": "y axis"},
    "scatter_side": {"de": "Punkte", "en": "Points"},
    "scatter_title": {"de": "{y}<br>gegen {x}", "en": "{y}<br>against {x}"},
    "scatter_hidden": {"de": "{n} Gebiete nicht veröffentlicht", "en": "{n} areas not published"},
    "scatter_hint": {
        "de": "Klick auf einen Punkt wählt das Gebiet auf den Karten.",
        "en": "Click a point to select the area on the maps.",
    },
    "all_areas": {"de": "alle Gebiete", "en": "all areas"},
    "play_years": {"de": "▶ Jahre abspielen", "en": "▶ Play years"},
    "pause_years": {"de": "⏸ Anhalten", "en": "⏸ Pause"},
    "playing_year": {"de": "Jahr {year}", "en": "Year {year}"},
    "small_multiples": {
        "de": "Karte je Jahr (2014–2024), gemeinsame Farbskala",
        "en": "Map per year (2014–2024), one colour scale",
    },
    "small_multiple_alt": {
        "de": "Ruhrgebiet, {metric}, {year}",
        "en": "Ruhr region, {metric}, {year}",
    },
    "small_multiples_legend": {
        "de": "Farbskala für alle Jahre: {metric}",
        "en": "Colour scale for every year: {metric}",
    },
}


def format_number(value: float, decimals: int, lang: str) -> str:
    """``decimals`` digits after the decimal mark, grouped: 1,234.5 in English, 1.234,5 in
    German."""
    pattern, locale = _number_format(decimals, normalise_language(lang))
    return format_decimal(value, format=pattern, locale=locale)


@functools.cache
def _number_format(decimals: int, lang: str) -> tuple[NumberPattern, Locale]:
    """Parsed once: a map's table formats 123 numbers per answer (20 µs each, not 56)."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return parse_pattern(pattern), Locale.parse(LOCALES[lang])


def plotly_separators(lang: str) -> str:
    """Plotly's ``separators`` (decimal, then group) for the language, from its locale."""
    locale = LOCALES[normalise_language(lang)]
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def format_date(day: dt.date, lang: str) -> str:
    """1 December 2025 in English, 1. Dezember 2025 in German."""
    return babel_format_date(day, format="long", locale=LOCALES[normalise_language(lang)])


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str) -> str:
    return MESSAGES[key][normalise_language(lang)]


LANGUAGE_LABELS: dict[str, dict[str, str]] = {
    code: {"de": de, "en": en}
    for code, de, en in [
        ("ro", "Rumänisch", "Romanian"),
        ("bg", "Bulgarisch", "Bulgarian"),
        ("rom", "Romanes", "Romani"),
        ("tr", "Türkisch", "Turkish"),
        ("hu", "Ungarisch", "Hungarian"),
        ("de", "Deutsch", "German"),
        ("en", "Englisch", "English"),
        ("it", "Italienisch", "Italian"),
        ("es", "Spanisch", "Spanish"),
        ("fr", "Französisch", "French"),
        ("el", "Griechisch", "Greek"),
        ("ru", "Russisch", "Russian"),
        ("nl", "Niederländisch", "Dutch"),
        ("pt", "Portugiesisch", "Portuguese"),
        ("sr", "Serbisch", "Serbian"),
        ("mk", "Mazedonisch", "Macedonian"),
        ("uk", "Ukrainisch", "Ukrainian"),
        ("ar", "Arabisch", "Arabic"),
        ("pl", "Polnisch", "Polish"),
        ("cs", "Tschechisch", "Czech"),
        ("sk", "Slowakisch", "Slovak"),
        ("rup", "Aromunisch", "Aromanian"),
        ("sv", "Schwedisch", "Swedish"),
    ]
}

COUNTRY_LABELS: dict[str, dict[str, str]] = {
    code: {"de": de, "en": en}
    for code, de, en in [
        ("IT", "Italien", "Italy"),
        ("ES", "Spanien", "Spain"),
        ("FR", "Frankreich", "France"),
        ("GB", "Vereinigtes Königreich", "United Kingdom"),
        ("AT", "Österreich", "Austria"),
        ("BE", "Belgien", "Belgium"),
        ("NL", "Niederlande", "Netherlands"),
        ("GR", "Griechenland", "Greece"),
        ("TR", "Türkei", "Türkiye"),
        ("HU", "Ungarn", "Hungary"),
        ("IE", "Irland", "Ireland"),
        ("PT", "Portugal", "Portugal"),
        ("DK", "Dänemark", "Denmark"),
        ("SE", "Schweden", "Sweden"),
        ("NO", "Norwegen", "Norway"),
        ("FI", "Finnland", "Finland"),
        ("CH", "Schweiz", "Switzerland"),
        ("CZ", "Tschechien", "Czechia"),
        ("PL", "Polen", "Poland"),
        ("CY", "Zypern", "Cyprus"),
        ("MT", "Malta", "Malta"),
        ("LU", "Luxemburg", "Luxembourg"),
        ("SK", "Slowakei", "Slovakia"),
        ("SI", "Slowenien", "Slovenia"),
        ("HR", "Kroatien", "Croatia"),
        ("RS", "Serbien", "Serbia"),
        ("MD", "Moldau", "Moldova"),
        ("UA", "Ukraine", "Ukraine"),
        ("RU", "Russland", "Russia"),
        ("IL", "Israel", "Israel"),
        ("US", "USA", "United States"),
        ("CA", "Kanada", "Canada"),
        ("AE", "Vereinigte Arabische Emirate", "United Arab Emirates"),
    ]
}
