"""PNG and SVG downloads of every chart, drawn in the browser by assets/export.js from a copy
of the drawn figure, with the chart's title, the filters, the sources and the data notice
added (issue 17). The server renders only static texts and labels (the callbacks' answers
stay as they were); the explorer's state is read from the address in the browser."""

from __future__ import annotations

import json
import re
import unicodedata

from dash import html

from dashboard.i18n import t
from layers import vocab
from layers.params import ALL_YEARS

TEXTS_ID = "export-texts"
FORMATS = ("png", "svg")
# German letters spelled out, the way a German reader expects them in a file name
_SPELLED = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss",
                          "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"})  # fmt: skip


def slug(text: str) -> str:
    """ASCII, lower case, words joined by ``-``: ``"Mülheim an der Ruhr"`` →
    ``"muelheim-an-der-ruhr"``, ``"Galați"`` → ``"galati"`` (the same rule as
    assets/export.js, ``slug``)."""
    ascii_text = unicodedata.normalize("NFKD", text.translate(_SPELLED))
    ascii_text = ascii_text.encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def filename(prefix: str, years: tuple[int, int], types: tuple[str, ...],
             country: str = "both", metric: str = "", area: str = "") -> str:  # fmt: skip
    """What an exported image shows, as its file name without the extension:
    ``ruhr-arrivals-per-1000-2019-2022-circular``. Every type (the default) and both
    countries are left out; no type at all is ``no-types``. assets/export.js names the
    explorer's images by the same rule."""
    year_part = str(years[0]) if years[0] == years[1] else f"{years[0]}-{years[1]}"
    chosen = [x for x in vocab.MIGRATION_TYPES if x in types]
    type_part = "" if len(chosen) == len(vocab.MIGRATION_TYPES) else "-".join(chosen) or "no-types"
    parts = (prefix, metric, area, year_part, type_part, "" if country == "both" else country)
    return slug("-".join(p for p in parts if p))


def texts(lang: str, source: str = "") -> html.Div:
    """The words assets/export.js writes into the images, in the page's language, and what
    it needs to read the address (the default years): one hidden element per page."""
    words = {
        "source": " ".join(s for s in (t("attribution", lang), source) if s),
        "notice": f"{t('synthetic_badge', lang)}: {t('synthetic_notice', lang)}",
        "filters": t("filters_applied", lang),
        "year": t("year", lang),
        "all_types": t("all_types", lang),
        "types": {x: vocab.MIGRATION_TYPE_LABELS[x][lang] for x in vocab.MIGRATION_TYPES},
        "country": t("origin_country", lang),
        "countries": {c: t(c, lang) for c in ("both", "RO", "BG")},
        "selection": t("selection", lang),
        "years": list(ALL_YEARS),
    }
    return html.Div(id=TEXTS_ID, hidden=True,
                    **{"data-export-texts": json.dumps(words, ensure_ascii=False)})  # fmt: skip


def buttons(graph_id: str, lang: str, kind: str = "chart", **data: str) -> html.Div:
    """The "PNG" and "SVG" downloads of the graph ``graph_id``: one stop in the keyboard's
    order (a toolbar; the arrow keys move between the two). ``kind``: "map" or "chart", for
    their labels. ``data`` (each optional) tells assets/export.js what the page does not show
    next to the graph: ``title`` (else the text of the element ``heading``, else the tab's
    name), ``filters`` (else from the address), ``name`` (the file name; else from the
    address and ``prefix``) and ``legend`` (the id of a map's legend)."""
    attributes = {f"data-export-{key}": value for key, value in data.items() if value}
    return html.Div(
        [
            # dark: the grey outline lacks contrast on a card header (axe)
            html.Button(fmt.upper(), type="button", className="btn btn-outline-dark",
                        tabIndex="0" if fmt == "png" else "-1", **{
                            "data-export-format": fmt,
                            "aria-label": t(f"export_{kind}", lang).format(format=fmt.upper()),
                        })
            for fmt in FORMATS
        ],
        className="btn-group btn-group-sm export-buttons no-print",
        role="toolbar",
        **{"aria-label": t(f"export_{kind}_group", lang), "data-export-graph": graph_id,
           **attributes},
    )  # fmt: skip


VIEW_MAP, VIEW_CHART = "view-map-graph", "view-chart-graph"
_VIEW_CHART_NAMES = {"languages": "diversity-languages", "remittances": "remittances-national"}


def view_buttons(v, lang: str, filters: str, legend_id: str) -> tuple[html.Div, html.Div]:
    """A curated view's downloads (``v``: layers.views.CuratedView): its map's and its chart's,
    titled, filtered and named as the view (nothing to read from the address there)."""
    f = v.filter
    common = {"title": v.title[lang], "filters": filters}
    stem = {"years": (f.year_from, f.year_to), "types": f.types, "country": v.country}
    side = "ruhr" if v.side == "municipality" else "origin"
    chart = _VIEW_CHART_NAMES.get(v.chart, v.chart)
    return (
        buttons(VIEW_MAP, lang, "map", legend=legend_id, **common,
                name=filename(side, metric=v.metric, **stem)),
        buttons(VIEW_CHART, lang, "chart", **common, name=filename(chart, **stem)),
    )  # fmt: skip
