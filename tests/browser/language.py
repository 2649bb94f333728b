"""One language at a time (issue 17.2, 18.3): what in a page's rendered text belongs to
another interface language. Another language's words are those of its interface texts
(messages, the catalogue, the vocabularies) that the page's language never uses (German,
English, Romanian and Bulgarian: the words of the other three); the forms are other
languages' ways of writing numbers and dates, and ISO dates, which no reader writes."""

from __future__ import annotations

import functools
import re

from dashboard.i18n import LANGUAGES, MESSAGES, PLURALS
from layers import vocab
from layers.catalogue import CATALOGUE, GROUPS

WORD = re.compile(r"[^\W\d_]{3,}")
# Names that are the same in both languages, and the language switch (in its own language).
SHARED = {
    "English",
    "Deutsch",
    "Română",
    "Български",
    "GeoBasis",
    "World",
    "Development",
    "Indicators",
    "Natural",
    "Earth",
    "Bank",
    "GeoPackage",
    "GeoJSON",
    "Table",
    "Schema",
    "Eurostat",
    "Destatis",
    "GENESIS",
    "Shannon",
    "Cramér",
    "Holm",
    "Wilson",
    "Jenks",
    "Fisher",
    "Ruhr",
    "ZuSudo",
    "Tres",
    "por",
    "Uno",
    "Romani",
    "Aromanian",
    "Migration",
}  # fmt: skip  (Migration: a German word as well)
FORMS = {
    # a date as stored, not as anyone writes it
    "ISO date": re.compile(r"\b\d{4}-\d{2}-\d{2}\b"),
    # plotly's SI suffixes (20k) in place of the number
    "SI suffix": re.compile(r"\b\d+(?:[.,]\d+)?[kMG]\b"),
}
ENGLISH_NUMBERS = {
    "English thousands": re.compile(r"(?<![\d.,])[1-9]\d{0,2},\d{3}(?![\d,])"),
    "English decimal point": re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])"),
    "English date": re.compile(r"\b(?:January|February|March|May|June|July|October|December)\b"),
}
OTHER_FORMS = {
    # what the other language's reader writes: read as the page's language it misleads
    "de": {
        "English thousands": re.compile(r"(?<![\d.,])[1-9]\d{0,2},\d{3}(?![\d,])"),
        "English decimal point": re.compile(r"(?<![\d.,])\d+\.\d{1,2}(?![\d.])"),
        "English date": re.compile(
            r"\b(?:January|February|March|May|June|July|October|"
            r"December)\b"
        ),
    },
    "en": {
        "German decimal comma": re.compile(r"(?<![\d.,])\d+,\d{1,2}(?![\d,])"),
        "German thousands": re.compile(r"(?<![\d.,])[1-9]\d{0,2}\.\d{3}(?![\d.])"),
        "German date": re.compile(
            r"\b\d{1,2}\.\s?(?:Januar|Februar|März|Mai|Juni|Juli|"
            r"Oktober|Dezember)\b"
        ),
    },
    # Romanian writes numbers as German does (1.234,5), Bulgarian groups with a space
    # (1 234,5): a dot between thousands is German there.
    "ro": ENGLISH_NUMBERS,
    "bg": {
        **ENGLISH_NUMBERS,
        "German thousands": re.compile(r"(?<![\d.,])[1-9]\d{0,2}\.\d{3}(?![\d.])"),
    },
}


def _texts(lang: str) -> list[str]:
    texts = [m[lang] for m in MESSAGES.values()]
    texts += [form for p in PLURALS.values() for form in _forms(p, lang)]
    for indicator in CATALOGUE.values():
        texts += [indicator.text(f, lang) for f in ("label", "unit", "formula")
                  if lang in getattr(indicator, f, {})]  # fmt: skip
    texts += [g[lang] for g in GROUPS.values()]
    for labels in (vocab.MIGRATION_TYPE_LABELS, vocab.SUPPORT_NEED_LABELS):
        texts += [v[lang] for v in labels.values()]
    return texts


def _forms(plural, lang: str) -> list[str]:
    return [plural.form(n, lang) for n in (1, 2, 20)]


@functools.cache
def words_of(lang: str) -> frozenset[str]:
    return frozenset(w for text in _texts(lang) for w in WORD.findall(text))


@functools.cache
def foreign_words(lang: str) -> frozenset[str]:
    """The other interface languages' words that this one's texts never use."""
    others = set().union(*(words_of(other) for other in LANGUAGES if other != lang))
    return frozenset(others - words_of(lang) - SHARED)


# The report's numbering ("Abb. 5.1", "Kapitel 5"): not a decimal.
NUMBERED = re.compile(
    r"(?:\b(?:Abb\.|Abbildung|Tabelle|Kapitel|Kap\.|Fig\.|Figure|Table|Chapter|ch\.|cap\.)"
    r"|(?<!\w)(?:гл\.|фиг\.))\s*"
    r"\d+(?:\.\d+)*"
)

# A file named in a source line ("data/reference/kosmati_services_demo.csv"): the same in
# every language, not words of one.
FILE_PATH = re.compile(r"[\w.-]+(?:/[\w.-]+)+\.(?:csv|yaml|json|md|py|toml|gpkg|zip)\b")


def leaks(text: str, lang: str, allowed: frozenset[str] = frozenset()) -> list[str]:
    """What in ``text`` (a page rendered in ``lang``) is not in ``lang``; ``allowed``: names
    the page shows as they are (places, languages of the survey)."""
    text = FILE_PATH.sub(" ", NUMBERED.sub(" ", text))
    foreign = foreign_words(lang) - allowed
    found = sorted({w for w in WORD.findall(text) if w in foreign})
    problems = [f"{lang}: other language's word {w!r}" for w in found]
    for name, pattern in {**FORMS, **OTHER_FORMS[lang]}.items():
        for match in sorted(set(pattern.findall(text))):
            problems.append(f"{lang}: {name} {match!r}")
    return problems
