"""Sharing a curated view: its link to copy, an <iframe> snippet that embeds it, and the
embeddable page itself (``/views/<slug>?lang=de&embed=1``: the view without navbar and
menu, with its title, sources, attribution and data notice); the locator map of a view
linked to an area of the other side. The links are written in the browser from the
page's own address (assets/share.js, ``share.viewLinks``), so they name the host the
reader reached, not one taken from a request header."""

from __future__ import annotations

from urllib.parse import parse_qs

import dash_bootstrap_components as dbc
import flask
from dash import Dash, Output, dcc, html

from dashboard import ids, mapmarks, view
from dashboard.controls import _share_controls
from dashboard.i18n import normalise_language, t
from dashboard.notice import notice
from dashboard.wiring import in_browser
from layers import boundaries, thumbnail
from layers.queries import InvalidParameter
from layers.views import CuratedView

EMBED = "embed"  # the address parameter: 1 embedded, 0 (or none) the full page
EMBED_VALUES = {"1": True, "0": False}
EMBED_CODE = "embed-code"
EMBED_COPY = "embed-copy"
EMBED_STATUS = "embed-status"  # the confirmation, read out by screen readers (aria-live)
EMBED_MESSAGES = "embed-messages"
VIEW_LINKS = "view-links"  # what share.viewLinks needs: the page's language and title
EMBED_HEIGHT = 900  # px: the iframe's height in the snippet (the view without scrolling)
LOCATOR_FILL = "#225ea8"  # the area's blue (the maps' ramp, layers/palette.py)


def parse_embed(query: str) -> tuple[bool, str | None]:
    """Whether ``query`` asks for the embeddable page, and the notice for a bad value."""
    values = parse_qs((query or "").lstrip("?"), keep_blank_values=True).get(EMBED)
    if not values:
        return False, None
    if values[-1] in EMBED_VALUES:
        return EMBED_VALUES[values[-1]], None
    return False, str(InvalidParameter(EMBED, values[-1], ", ".join(EMBED_VALUES)))


def frame_ancestors(path: str, query: str, configured: str) -> str:
    """The CSP ``frame-ancestors`` for a page: the embeddable view (a read-only page, links
    only) by the configured origins, else by any site; the other /views/ pages by the
    configured origins only; everything else by none. ``query`` is read as the page reads
    it (:func:`parse_embed`): ``?embed=1&embed=0`` is the full page, and is not framed."""
    if not path.startswith("/views/"):
        return "'none'"
    if parse_embed(query)[0]:
        return configured or "*"
    return configured or "'none'"


def share_controls(v: CuratedView, lang: str) -> html.Div:
    """The explorer's link field and copy button (its callback, assets/share.js) and the
    embed snippet with its own copy button and status line; none of it prints."""
    embed = html.Div([
        html.Label(t("embed_code", lang), htmlFor=EMBED_CODE, className="form-label mt-3"),
        dcc.Textarea(id=EMBED_CODE, readOnly=True, rows=3,
                     className="form-control form-control-sm font-monospace small"),
        html.Button(t("copy_embed", lang), id=EMBED_COPY, type="button", n_clicks=0,
                    className="btn btn-outline-secondary btn-sm mt-1"),
        html.P(id=EMBED_STATUS, role="status", className="small text-success mt-1 mb-0",
               **{"aria-live": "polite"}),
        html.P(t("embed_hint", lang), className="small text-muted mb-0"),
        dcc.Store(id=EMBED_MESSAGES, data={"copied": t("embed_copied", lang),
                                           "selected": t("embed_selected", lang),
                                           "field": EMBED_CODE}),
    ], className="embed-area")  # fmt: skip
    links = dcc.Store(id=VIEW_LINKS, data={"lang": lang, "title": v.title[lang],
                                           "height": EMBED_HEIGHT})  # fmt: skip
    return html.Div([_share_controls(lang), embed, links], className="view-share no-print")


def full_view_link(v: CuratedView, lang: str) -> html.A:
    """In the embedded page: the view on its own page, outside the frame."""
    return html.A(t("open_full_view", lang), href=f"/views/{v.slug}?lang={lang}",
                  target="_blank", rel="noopener", className="btn btn-outline-primary btn-sm "
                  "no-print")  # fmt: skip


def locator(v: CuratedView, lang: str) -> list:
    """Where the area the view is linked to lies (Galați among the origin regions), when
    the view's map shows the other side; nothing otherwise."""
    if v.selection is None or v.selection.side == v.side:
        return []
    caption = t("locator_caption", lang).format(name=view.selection_name(v.selection, lang))
    return [html.Figure([
        html.Img(src=f"/views/{v.slug}/locator.svg?lang={lang}", alt=caption,
                 className="locator-map"),
        html.Figcaption(caption, className="small"),
    ], className="view-locator mt-3")]  # fmt: skip


def locator_svg(v: CuratedView, lang: str) -> str:
    """The locator map drawn by the server (small: its name at 8 pt on paper too): every area
    of the selection's side grey, the selected one blue, outlined and named."""
    origin = v.selection.side == "origin"
    areas = boundaries.load_origin_regions() if origin else boundaries.load_municipalities()
    code = v.selection.code
    caption = t("locator_caption", lang).format(name=view.selection_name(v.selection, lang))
    name = (view.selection_name(v.selection, lang), *mapmarks.points_of(v.selection.side)[code],
            "middle right")  # fmt: skip
    return thumbnail.area_svg(areas, "nuts3" if origin else "ags", {}, (0.0, 1.0), (code,),
                              caption, 300, 214, fills={code: LOCATOR_FILL},
                              labels=(name,))  # fmt: skip


def add_routes(server: flask.Flask, views: dict) -> None:
    @server.get("/views/<slug>/locator.svg")
    def view_locator(slug: str):
        found = views.get(slug)
        if found is None or found.selection is None:
            flask.abort(404)
        lang = normalise_language(flask.request.args.get("lang"))
        response = flask.Response(locator_svg(found, lang), mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


def register(app: Dash) -> None:
    """The view page's links (written once it is drawn) and the snippet's copy button."""
    in_browser(app, "share.viewLinks",
               [Output(ids.SHARE_URL, "value", allow_duplicate=True), (EMBED_CODE, "value")],
               [(VIEW_LINKS, "data")], prevent_initial_call="initial_duplicate")  # fmt: skip
    in_browser(app, "share.copy", [(EMBED_STATUS, "children")], [(EMBED_COPY, "n_clicks")],
               [(EMBED_CODE, "value"), (EMBED_MESSAGES, "data")],
               prevent_initial_call=True)  # fmt: skip


def embedded_shell(lang: str, body: list, status) -> html.Div:
    """The page in a frame: the data notice, the view, the attribution; no navbar."""
    return html.Div(
        dbc.Container(
            [notice(lang, status), *body,
             html.P(t("attribution", lang), className="small text-muted my-2 attribution")],
            fluid=True, tag="main",
        ),
        lang=lang, className="embedded",
    )  # fmt: skip
