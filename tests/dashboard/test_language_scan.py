"""The browser's language scan (tests/browser/language.py) finds what the issue saw and
passes what a German or English reader writes."""

from __future__ import annotations

from tests.browser.language import leaks


def test_it_finds_the_leaks_the_issue_saw_in_the_german_page():
    found = leaks("Mittelwert ± 1 SD · Mean · 20k · n≈1,047 · Stand: 2026-12-01", "de")
    assert "de: other language's word 'Mean'" in found
    assert "de: SI suffix '20k'" in found
    assert "de: English thousands '1,047'" in found
    assert "de: ISO date '2026-12-01'" in found


def test_it_finds_german_forms_in_the_english_page():
    found = leaks("Arrivals 30,3 % of 1.047 respondents, as of 1. Juli 2025 (Zuzüge)", "en")
    assert found == [
        "en: other language's word 'Zuzüge'",
        "en: German decimal comma '30,3'",
        "en: German thousands '1.047'",
        "en: German date '1. Juli'",
    ]


def test_it_passes_what_each_reader_writes():
    assert leaks("Zuzüge je 1.000 Einwohner: 30,3 (Abb. 5.1, Kap. 4.1), Stand 1. Juli 2025",
                 "de") == []  # fmt: skip
    assert leaks("Arrivals per 1,000 inhabitants: 30.3 (Fig. 5.1), as of 1 July 2025", "en") == []


def test_a_file_path_is_no_word_but_an_english_word_beside_it_is():
    assert leaks("Quelle: Verzeichnis (data/reference/kosmati_services_demo.csv)", "de") == []
    assert leaks("Quelle: reference data (data/sources.md)", "de")


def test_place_names_can_be_allowed():
    assert leaks("Arrivals in Ruhrgebiet", "en")  # a German word to the scan …
    assert leaks("Arrivals in Ruhrgebiet", "en", frozenset({"Ruhrgebiet"})) == []  # … a name
