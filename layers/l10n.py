"""The interface languages: German and English written in the sources, Romanian and
Bulgarian translated in gettext catalogs (Babel).

German and English are the languages the project is written in: every text is a pair
{de, en} beside its code (dashboard/messages.json, layers/catalogue.toml, layers/vocab.py,
data/views/*.yaml), so whoever adds a key writes both, as before. Romanian and Bulgarian
live in ``layers/locale/<lang>/LC_MESSAGES/messages.po``, one entry per text whose msgid is
the text's key and whose comment gives the German and English. ``make messages`` extracts
every pair (babel.cfg, layers/l10n_extract.py) and updates the catalogs; the tests fail and
name each key a catalog lacks. The catalogs live in layers/ because the downloads' metadata
(layers/package.py) is translated too, and layers/ never imports the dashboard.
"""

from __future__ import annotations

import functools
import gettext
import io
from collections.abc import Mapping
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

SOURCE_LANGUAGES = ("de", "en")
TRANSLATED = ("ro", "bg")
LANGUAGES = SOURCE_LANGUAGES + TRANSLATED
LOCALE_DIR = Path(__file__).with_name("locale")
DOMAIN = "messages"


def catalog_path(lang: str, suffix: str = ".po") -> Path:
    return LOCALE_DIR / lang / "LC_MESSAGES" / f"{DOMAIN}{suffix}"


@functools.cache
def translations(lang: str) -> gettext.NullTranslations:
    """The compiled catalog of ``lang``: its .mo when ``pybabel compile`` made one at least as
    new as the .po, else the .po compiled in memory (no binary in the repository, and no
    step to forget after editing a .po)."""
    po, mo = catalog_path(lang), catalog_path(lang, ".mo")
    if mo.exists() and mo.stat().st_mtime >= po.stat().st_mtime:
        with mo.open("rb") as handle:
            return Translations(handle, domain=DOMAIN)
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def translate(msgid: str, lang: str, fallback: str) -> str:
    """``msgid`` in ``lang``; ``fallback`` (the English) where the catalog lacks it, which
    the completeness test reports."""
    found = translations(lang).gettext(msgid)
    return fallback if found == msgid else found


def translate_plural(msgid: str, n: int, lang: str, fallback: str) -> str:
    found = translations(lang).ngettext(msgid, msgid, n)
    return fallback if found == msgid else found


class Text(dict):
    """A text in every interface language, read like the {de, en} dict it is written as:
    a dict whose Romanian and Bulgarian are looked up in the catalogs when it is made (so it
    serialises to JSON, and ``text["ro"]`` costs a dict lookup)."""

    __slots__ = ("msgid", "source")

    def __init__(self, msgid: str, source: Mapping):
        self.msgid, self.source = msgid, dict(source)
        super().__init__(self.source)
        english = self.source["en"]
        for lang in TRANSLATED:
            if isinstance(english, list):  # paragraphs, each its own message
                self[lang] = [translate(f"{msgid}.{i}", lang, e) for i, e in enumerate(english, 1)]
            else:
                self[lang] = translate(msgid, lang, english)

    def __repr__(self) -> str:
        return f"Text({self.msgid!r}, {self.source!r})"


def text(msgid: str, source: Mapping[str, str]) -> Text:
    """One {de, en} pair made translatable (layers/l10n_extract.py finds these calls)."""
    return Text(msgid, source)


def texts(prefix: str, table: Mapping[str, Mapping[str, str]]) -> dict[str, Text]:
    """A table of {de, en} pairs, each made translatable as ``prefix.key``."""
    return {key: Text(f"{prefix}.{key}", pair) for key, pair in table.items()}


def is_pair(value) -> bool:
    return isinstance(value, Mapping) and set(value) == set(SOURCE_LANGUAGES)


def _name(item, index: int) -> str:
    return (
        str(item.get("id") or item.get("slug") or index)
        if isinstance(item, Mapping)
        else str(index)
    )


def pairs(doc, prefix: str):
    """Every {de, en} pair in a parsed TOML/YAML document, with its msgid: the path of keys
    (an entry of a list by its ``id`` or ``slug``), e.g. ``catalogue.indicator.arrivals.label``."""
    if is_pair(doc):
        yield prefix, doc
        return
    if isinstance(doc, Mapping) and {"de", "en"} <= set(doc):  # a rule with its note
        yield prefix, {lang: doc[lang] for lang in SOURCE_LANGUAGES}
        doc = {k: v for k, v in doc.items() if k not in SOURCE_LANGUAGES}
    if isinstance(doc, Mapping):
        for key, value in doc.items():
            yield from pairs(value, f"{prefix}.{key}")
    elif isinstance(doc, list):
        for index, item in enumerate(doc, 1):
            yield from pairs(item, f"{prefix}.{_name(item, index)}")


def localised(doc, prefix: str):
    """``doc`` with each {de, en} pair made a ``Text`` named as ``pairs`` names it."""
    if is_pair(doc):
        return Text(prefix, doc)
    if isinstance(doc, Mapping):
        return {key: localised(value, f"{prefix}.{key}") for key, value in doc.items()}
    if isinstance(doc, list):
        return [localised(item, f"{prefix}.{_name(item, i)}") for i, item in enumerate(doc, 1)]
    return doc


class Plural:
    """A text with plural forms, written as {de: [one, other], en: [one, other]}."""

    __slots__ = ("msgid", "source")

    def __init__(self, msgid: str, source: Mapping[str, list[str]]):
        self.msgid, self.source = msgid, dict(source)

    def form(self, n: int, lang: str) -> str:
        if lang in self.source:
            return self.source[lang][plural_index(lang, n)]
        return translate_plural(self.msgid, n, lang, self.source["en"][plural_index("en", n)])


def plural(msgid: str, source: Mapping[str, list[str]]) -> Plural:
    """A plural text made translatable (layers/l10n_extract.py finds these calls)."""
    return Plural(msgid, source)


def plural_index(lang: str, n: int) -> int:
    """The gettext plural form of ``n`` in a source language (German and English: 1 → 0,
    else 1), as the catalogs' Plural-Forms header gives it for the others."""
    return 0 if n == 1 else 1
