"""The language switch: all four interface languages, each named in itself (CLDR), the
page's own marked as current."""

from __future__ import annotations

from dash import html

from dashboard import ids
from dashboard.i18n import LANGUAGE_NAMES, LANGUAGES, t


def switch(lang: str, href_of, with_ids: bool = False) -> html.Nav:
    """Links to the page in each language; ``href_of(code)`` gives the address, and
    ``with_ids`` names the links so the explorer's callback keeps them on the current view."""
    links = []
    for code in LANGUAGES:
        extra = {"id": ids.LANGUAGE_LINKS[code]} if with_ids else {}
        current = code == lang
        links.append(html.A(
            LANGUAGE_NAMES[code], href=href_of(code), lang=code, hrefLang=code,
            className=f"btn btn-sm {'btn-light' if current else 'btn-outline-light'} me-1",
            **({"aria-current": "page"} if current else {}), **extra,
        ))  # fmt: skip
    return html.Nav(links, className="d-inline-flex flex-wrap language-switch",
                    **{"aria-label": t("language_choice", lang)})  # fmt: skip
