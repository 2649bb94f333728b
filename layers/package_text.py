"""The human text of the downloads' metadata (datapackage.json, the GeoPackage layer's
description) as {de, en} pairs, translated to Romanian and Bulgarian in the catalogs
(layers/l10n.py). Column names, codes and machine keys stay as they are: they are
identifiers. Placeholders in braces are filled in by layers/package.py."""

from __future__ import annotations

from layers import l10n

LANG_ALLOWED = "one of de, en, ro, bg (the language of the metadata; default en)"

TITLES = l10n.texts("package.title", {
    "municipalities": {"de": "Ruhr-Kommunen (53, RVR-Gebiet)",
                       "en": "Ruhr municipalities (53, RVR area)"},
    "origin_regions": {"de": "Herkunftsregionen in Rumänien und Bulgarien (70, NUTS 3)",
                       "en": "Origin regions in Romania and Bulgaria (70, NUTS 3)"},
    "flows": {"de": "Herkunft-Ziel-Ströme zwischen Herkunftsregionen und Ruhr-Kommunen",
              "en": "Origin–destination flows between origin regions and Ruhr municipalities"},
})  # fmt: skip

FIELDS = l10n.texts("package.field", {  # the non-indicator columns
    "ags": {"de": "Amtlicher Gemeindeschlüssel (8 Ziffern)",
            "en": "Amtlicher Gemeindeschlüssel (8 digits)"},
    "name": {"de": "Amtlicher Name", "en": "Official name"},
    "kreis": {"de": "Kreis oder kreisfreie Stadt", "en": "Kreis or kreisfreie Stadt"},
    "kind": {"de": "kreisfreie Stadt oder kreisangehörige Gemeinde",
             "en": "kreisfreie Stadt or kreisangehörige Gemeinde"},
    "population": {"de": "Bevölkerung (Kommunen 31.12.2022; Regionen 1.1.2023)",
                   "en": "Population (municipalities 31 Dec 2022; regions 1 Jan 2023)"},
    "nuts3": {"de": "NUTS-2021-Code der Ebene 3", "en": "NUTS 2021 level 3 code"},
    "hasc": {"de": "HASC-Code (Natural Earth)", "en": "HASC code (Natural Earth)"},
    "name_latin": {"de": "Name ohne diakritische Zeichen", "en": "Name without diacritics"},
    "country": {"de": "RO oder BG", "en": "RO or BG"},
    "origin_nuts3": {"de": "Herkunftsregion, NUTS-3-Code", "en": "Origin region, NUTS 3 code"},
    "origin_name": {"de": "Name der Herkunftsregion", "en": "Origin region name"},
    "destination_ags": {"de": "Ruhr-Kommune, AGS", "en": "Ruhr municipality, AGS"},
    "destination_name": {"de": "Name der Ruhr-Kommune", "en": "Ruhr municipality name"},
    "years": {"de": "Jahre, die die Werte abdecken", "en": "Years the values cover"},
    "migration_types": {"de": "Einbezogene Migrationstypen", "en": "Migration types included"},
    "synthetic": {"de": "Wahr, wo ein Wert auf synthetischen Demonstrationsdaten beruht",
                  "en": "True where any value rests on synthetic demonstration data"},
    "synthetic_parts": {"de": "Die Teile (flows, survey), die noch modelliert sind",
                        "en": "The parts (flows, survey) that are still modelled"},
    "data_note": {"de": "Die Herkunft jedes Teils, auf dem die Werte beruhen",
                  "en": "The origin of each part the values rest on"},
    "survey_suppressed": {"de": "Befragungswerte dieses Gebiets unterdrückt (< Schwelle)",
                          "en": "Survey values of this area suppressed (< threshold)"},
    "remittance_use_suppressed": {
        "de": "Werte zur Verwendung der Rücküberweisungen unterdrückt (< Schwelle an "
              "Überweisenden)",
        "en": "Remittance-use values suppressed (< threshold remitters)"},
    "typology_name": {
        "de": "Name des Typs der Kommune (siehe das Feld typology; leer bei Herkunftsregionen, "
              "die nicht typisiert werden)",
        "en": "Name of the municipality's type (see the field typology; empty for origin "
              "regions, which are not typed)"},
    "geometry": {"de": "Grenze oder Stromlinie, WGS 84 (EPSG:4326)",
                 "en": "Boundary or flow line, WGS 84 (EPSG:4326)"},
    "geometry_wkb": {
        "de": "Grenze oder Stromlinie, WGS 84 (EPSG:4326), als WKB (GeoParquet 1.1, siehe die "
              "Metadaten 'geo' der Datei)",
        "en": "Boundary or flow line, WGS 84 (EPSG:4326), as WKB (GeoParquet 1.1, see the "
              "file's 'geo' metadata)"},
})  # fmt: skip

TEXT = l10n.texts("package", {
    "gpkg_head": {"de": "{title}: Migrations-Dashboard Ruhr ⇄ Rumänien/Bulgarien, gefilterter "
                        "Export.",
                  "en": "{title}: Ruhr ⇄ Romania/Bulgaria migration dashboard, filtered "
                        "export."},
    "gpkg_filter": {"de": "Jahre {years}; Migrationstypen {types}.",
                    "en": "Years {years}; migration types {types}."},
    "gpkg_empty": {"de": "Keine Objekte im Filter.", "en": "No features in the filter."},
    "synthetic": {"de": "SYNTHETISCHE DEMONSTRATIONSDATEN: {parts} modelliert, nicht gemessen.",
                  "en": "SYNTHETIC DEMONSTRATION DATA: {parts} modelled, not measured."},
    "sources": {"de": "Quellen: {note}.", "en": "Sources: {note}."},
    "boundaries": {"de": "Grenzen: {attribution}.", "en": "Boundaries: {attribution}."},
    "description": {"de": "Gefilterter Export des Migrations-Dashboards Ruhr ⇄ "
                          "Rumänien/Bulgarien.",
                    "en": "Filtered export of the Ruhr ⇄ Romania/Bulgaria migration "
                          "dashboard."},
    "real": {"de": "Grenzen und Bevölkerungszahlen sind echt.",
             "en": "Boundaries and populations are real."},
    "long_form": {"de": "{title} (lange Form)", "en": "{title} (long form)"},
    "long_title": {"de": "{title}: eine Zeile je {keys}", "en": "{title}: one row per {keys}"},
    "with_source": {"de": "{text}. Quelle: {note}.", "en": "{text}. Source: {note}."},
    "interval_note": {
        "de": "{method}, berechnet aus den veröffentlichten Zahlen (Zähler und Basis des "
              "Anteils); setzt eine einfache Zufallsstichprobe innerhalb der veröffentlichten "
              "Zelle voraus und ist daher ein Richtwert. Leer, wo eine der Zahlen "
              "zurückgehalten ist.",
        "en": "{method}, computed from the published counts (the share's numerator and "
              "base); assumes simple random sampling within the published cell, so it is "
              "indicative. Empty where either count is withheld."},
    "base_title": {"de": "{title}: Basis n", "en": "{title}: base n"},
    "base_text": {"de": "Basis n von {share}: die {base}, deren Anteil er ist (exakt, wie "
                        "veröffentlicht).",
                  "en": "Base n of {share}: the {base} it is a share of (exact, as "
                        "published)."},
    "lower_title": {"de": "{title}: 95-%-Intervall, untere Grenze",
                    "en": "{title}: 95 % interval, lower bound"},
    "upper_title": {"de": "{title}: 95-%-Intervall, obere Grenze",
                    "en": "{title}: 95 % interval, upper bound"},
    "lower_text": {"de": "Untere Grenze von {share}: {note}",
                   "en": "Lower bound of {share}'s {note}"},
    "upper_text": {"de": "Obere Grenze von {share}: {note}",
                   "en": "Upper bound of {share}'s {note}"},
    "low_base_note": {
        "de": "Der Wert wird veröffentlicht, beruht aber auf wenigen Personen und ist daher "
              "unsicher (markiert, nicht unterdrückt, wie Eurostats Kennzeichen 'u' und "
              "Destatis' '( )'); falsch, wo die Basis erreicht oder der Wert leer ist. Siehe "
              "data/README.md, 'Minimum bases'.",
        "en": "The value is published as it is but rests on few persons, so it is uncertain "
              "(flagged, not suppressed, as Eurostat's flag 'u' and Destatis' '( )'); false "
              "where the base is reached or the value is empty. See data/README.md, "
              "'Minimum bases'."},
    "flag_title": {"de": "{label}: kleine Basis", "en": "{label}: small base"},
    "flag_text": {"de": "Wahr, wo {indicator} unter seiner {rule} liegt. {note}",
                  "en": "True where {indicator} is below its {rule}. {note}"},
    "disclosure_method": {
        "de": "feste Veröffentlichungstabellen (Gebiet × Migrationstyp × Land), primäre "
              "Unterdrückung unter der Schwelle, sekundäre Unterdrückung mit einer Prüfung der "
              "LP-Intervalle (siehe data/README.md, 'Disclosure control')",
        "en": "fixed publication tables (area × migration type × country), primary "
              "suppression below the threshold, secondary suppression with an LP interval "
              "audit (see data/README.md, 'Disclosure control')"},
    "disclosure_applies": {
        "de": "jeder aus Befragungs-Mikrodaten abgeleitete Wert; Ströme und amtliche "
              "Statistiken werden nicht unterdrückt",
        "en": "every value derived from survey microdata; flows and official statistics are "
              "not suppressed"},
    "disclosure_cells": {
        "de": "leer; survey_suppressed / remittance_use_suppressed kennzeichnen ein Gebiet, "
              "dessen Zahl der Befragten / Überweisenden selbst nicht veröffentlicht wird",
        "en": "empty; survey_suppressed / remittance_use_suppressed flag an area whose "
              "respondent / remitter count itself is not published"},
    "disclosure_intervals": {
        "de": "auf jeden Befragungsanteil folgen <share>_ci_low und <share>_ci_high ({note}) "
              "und <share>_n (seine Basis in Personen); sie werden nur aus veröffentlichten "
              "Zahlen berechnet und verraten nichts Neues",
        "en": "each survey share is followed by <share>_ci_low and <share>_ci_high ({note}) "
              "and <share>_n (its base in persons); they are computed from published counts "
              "only and reveal nothing new"},
    "small_bases": {
        "de": "auf jede Rate, Varianz, jeden Index und Anteil folgt <id>_low_base, wahr, wo "
              "der Wert auf weniger Personen beruht als seine Mindestbasis (in der "
              "Beschreibung jedes Feldes und in GET /api/v1/layers); solche Werte werden "
              "veröffentlicht, sind aber unsicher",
        "en": "every rate, variance, index and share is followed by <id>_low_base, true "
              "where its value rests on fewer persons than its minimum base (in each field's "
              "description and in GET /api/v1/layers); such values are published but "
              "uncertain"},
})  # fmt: skip

BASES = l10n.texts("package.base", {  # what a share's base n counts
    "respondents": {"de": "Befragten", "en": "respondents"},
    "remitters": {"de": "Überweisenden", "en": "remitters"},
})  # fmt: skip
PERSONS = l10n.text("package.persons", {"de": "Personen", "en": "persons"})


def say(key: str, lang: str, **values) -> str:
    """A sentence of :data:`TEXT` in ``lang`` with its placeholders filled in."""
    return TEXT[key][lang].format(**values)
