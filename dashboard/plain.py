"""A curated view's plain-language version on its page (issue 18.4): the switch between the
standard text and the plain one (``?plain=1``, a pair of links: linkable, no script, read
out as the current choice), and the plain sentences with their key number computed from
the view's data (``layers.plain``). The sentences are in the view's YAML, the switch's
words in messages.json."""

from __future__ import annotations

import math
from urllib.parse import parse_qs

from dash import html

from dashboard.i18n import collated, format_number, join_names, t
from dashboard.view import MUNICIPALITY_NAMES, ORIGIN_NAMES
from layers import plain
from layers.queries import InvalidParameter, echo

PARAM = "plain"  # the address parameter: 1 the plain version, 0 (or none) the standard text
VALUES = {"1": True, "0": False}


def parse(query: str, lang: str) -> tuple[bool, str | None]:
    """Whether ``query`` asks for the plain version, and the notice for a bad value (the
    last value counts, as for ``embed``)."""
    values = parse_qs((query or "").lstrip("?"), keep_blank_values=True).get(PARAM)
    if not values:
        return False, None
    if values[-1] in VALUES:
        return VALUES[values[-1]], None
    bad = InvalidParameter(PARAM, values[-1], ", ".join(VALUES))
    return False, t("invalid_link_value", lang).format(value=echo(bad.value), name=PARAM,
                                                        allowed=", ".join(VALUES))  # fmt: skip


def address(slug: str, lang: str, on: bool, embedded: bool = False) -> str:
    """The view's address in ``lang`` with the plain version on or off."""
    query = [f"lang={lang}", *(["embed=1"] if embedded else []), *(["plain=1"] if on else [])]
    return f"/views/{slug}?" + "&".join(query)


def switch(v, lang: str, on: bool, embedded: bool = False) -> html.Nav:
    """Two links, the current one marked (aria-current) and both reachable with Tab."""
    links = []
    for choice, key in ((False, "plain_standard"), (True, "plain_on")):
        current = {"aria-current": "true"} if choice == on else {}
        style = "btn-primary" if choice == on else "btn-outline-primary"
        links.append(html.A(t(key, lang), href=address(v.slug, lang, choice, embedded),
                            className=f"btn btn-sm {style}", **current))  # fmt: skip
    return html.Nav(html.Div(links, className="btn-group"), className="plain-switch mb-3 no-print",
                    **{"aria-label": t("plain_switch", lang)})  # fmt: skip


def _area_name(side: str, code: str | None, ties: tuple[str, ...] = (), lang: str = "de") -> str:
    """The area's name; with areas tied at the same value all of them ("A und B")."""
    if code is None:
        return ""
    names = ORIGIN_NAMES if side == "origin" else MUNICIPALITY_NAMES
    return join_names(collated(names[c] for c in (code, *ties)), lang)


def number_text(ds, v, lang: str, policy) -> tuple[str, str]:
    """The key number as the sentences say it, and the name of its area ("" for a total)."""
    key = plain.key_number(ds, v, policy)
    if math.isnan(key.value):
        return t("plain_not_published", lang), _area_name(v.side, key.code, key.ties, lang)
    value, decimals = plain.shown_value(key, v.metric, v.plain.as_percent)
    return format_number(value, decimals, lang), _area_name(v.side, key.code, key.ties, lang)


def sentences(ds, v, lang: str, policy) -> list[str]:
    """The plain version's sentences with the number and its area filled in."""
    number, area = number_text(ds, v, lang, policy)
    return [s.format(number=number, area=area) for s in v.plain.text[lang]]


def paragraphs(ds, v, lang: str, policy) -> list:
    """The plain version as paragraphs, the key number in bold."""
    number, area = number_text(ds, v, lang, policy)
    shown = []
    for sentence in v.plain.text[lang]:
        parts = sentence.split("{number}")
        children = [parts[0].format(area=area)]
        for rest in parts[1:]:
            children += [html.Strong(number, className="plain-number"), rest.format(area=area)]
        shown.append(html.P(children, className="fs-5"))
    note = html.P(t("plain_note", lang), className="small text-muted")
    return [html.Div([*shown, note], className="plain-text", lang=lang)]


def text_block(ds, v, lang: str, policy, on: bool, embedded: bool = False) -> list:
    """What stands below a view's subtitle: the switch and the chosen text (a view without
    a plain version: its narrative only)."""
    narrative = [html.P(p, className="fs-5") for p in v.narrative[lang]]
    if v.plain is None:
        return narrative
    chosen = paragraphs(ds, v, lang, policy) if on else narrative
    return [switch(v, lang, on, embedded), *chosen]
