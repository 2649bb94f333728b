"""The interface messages in German (default), English, Romanian and Bulgarian: German and
English written in dashboard/messages.json, Romanian and Bulgarian from the gettext catalogs
(layers/l10n.py, ``make messages``)."""

from __future__ import annotations

import datetime as dt
import functools
import json
from pathlib import Path

from babel import Locale
from babel.dates import format_date as babel_format_date
from babel.lists import format_list
from babel.numbers import (
    NumberPattern,
    format_decimal,
    get_decimal_symbol,
    get_group_symbol,
    parse_pattern,
)

from layers import l10n, vocab

LANGUAGES = l10n.LANGUAGES
DEFAULT_LANGUAGE = "de"
# The CLDR locale of each interface language: Babel takes decimal mark, grouping and month
# names from it (1.234,5 in German and Romanian, 1 234,5 in Bulgarian).
LOCALES = {"de": "de_DE", "en": "en_GB", "ro": "ro_RO", "bg": "bg_BG"}
# The language switch names each language in itself (CLDR).
LANGUAGE_NAMES = {lang: Locale.parse(lang).languages[lang].capitalize() for lang in LANGUAGES}

# Every UI text, keyed: German and English in dashboard/messages.json (a list: the plural
# forms), Romanian and Bulgarian under the same key in the catalogs.
_PAIRS = json.loads((Path(__file__).with_name("messages.json")).read_text(encoding="utf-8"))
MESSAGES: dict[str, l10n.Text] = {
    key: l10n.Text(key, pair) for key, pair in _PAIRS.items() if isinstance(pair["en"], str)
}
PLURALS: dict[str, l10n.Plural] = {
    key: l10n.Plural(key, pair) for key, pair in _PAIRS.items() if isinstance(pair["en"], list)
}


def format_number(value: float, decimals: int, lang: str) -> str:
    """``decimals`` digits after the decimal mark, grouped: 1,234.5 in English, 1.234,5 in
    German."""
    pattern, locale = _number_format(decimals, normalise_language(lang))
    return format_decimal(value, format=pattern, locale=locale)


def format_interval(low: float, high: float, decimals: int, lang: str) -> str:
    """An interval's bounds joined by an en dash: 38,0–46,3 in German, 38.0–46.3 in English."""
    return f"{format_number(low, decimals, lang)}–{format_number(high, decimals, lang)}"


@functools.cache
def _number_format(decimals: int, lang: str) -> tuple[NumberPattern, Locale]:
    """Parsed once: a map's table formats 123 numbers per answer (20 µs each, not 56)."""
    pattern = "#,##0." + "0" * decimals if decimals else "#,##0"
    return parse_pattern(pattern), Locale.parse(LOCALES[lang])


def join_names(names, lang: str) -> str:
    """Names as a list in the language: "Herne, Bochum und Essen", "Herne, Bochum and Essen"."""
    return format_list(list(names), locale=LOCALES[normalise_language(lang)])


def plotly_separators(lang: str) -> str:
    """Plotly's ``separators`` (decimal, then group) for the language, from its locale."""
    locale = LOCALES[normalise_language(lang)]
    return get_decimal_symbol(locale) + get_group_symbol(locale)


def format_date(day: dt.date, lang: str, length: str = "long") -> str:
    """1 December 2025 in English, 1. Dezember 2025 in German (``length`` "medium":
    1 Dec 2025, 01.12.2025)."""
    return babel_format_date(day, format=length, locale=LOCALES[normalise_language(lang)])


def normalise_language(value: str | None) -> str:
    return value if value in LANGUAGES else DEFAULT_LANGUAGE


def t(key: str, lang: str) -> str:
    return MESSAGES[key][normalise_language(lang)]


def tn(key: str, n: int, lang: str, **fields) -> str:
    """The form of ``key`` for the count ``n`` ({n} filled in, grouped as the language
    writes it): "1 Befragte/r", "3 Befragte"; Romanian has three forms ("1 oraș",
    "3 orașe", "20 de orașe"), Bulgarian two."""
    lang = normalise_language(lang)
    return PLURALS[key].form(n, lang).format(n=format_number(n, 0, lang), **fields)


# Names of languages and countries from CLDR (Babel) in each interface language, so a new
# language needs no list; where the study or everyday German names one otherwise, that wins.
NAME_OVERRIDES = {
    ("rom", "de"): "Romanes", ("rom", "en"): "Romani",
    ("MD", "de"): "Moldau", ("US", "de"): "USA",
}  # fmt: skip


def _names(codes, kind: str) -> dict[str, dict[str, str]]:
    names = {lang: getattr(Locale.parse(LOCALES[lang]), kind) for lang in LANGUAGES}
    return {code: {lang: NAME_OVERRIDES.get((code, lang)) or names[lang][code]
                   for lang in LANGUAGES} for code in codes}  # fmt: skip


LANGUAGE_LABELS = _names(vocab.LANGUAGES, "languages")
COUNTRY_LABELS = _names(vocab.PRIOR_COUNTRIES, "territories")


@functools.cache
def _collator():
    import pyuca  # the Unicode Collation Algorithm (DUCET): "Bönen" before "Bottrop"

    return pyuca.Collator()


def _cyrillic(text: str) -> bool:
    return bool(text) and "\u0400" <= text[0] <= "\u04ff"


def collated(items, name=lambda item: item, lang: str = "de"):
    """``items`` in alphabetical order of their ``name`` as a reader expects (umlauts and
    diacritics beside their base letter, not after "z"; DUCET, which CLDR's Bulgarian
    collation keeps for the letters); on Bulgarian pages Cyrillic names before Latin ones
    (CLDR bg: [reorder Cyrl]); code point order breaks ties."""

    def key(item):
        text = name(item)
        first = lang == "bg" and not _cyrillic(text)  # False sorts first
        return first, _collator().sort_key(text), text

    return sorted(items, key=key)
