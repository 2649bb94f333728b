"""Application factory: load the data once, build the Dash app, add the plain HTTP routes."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from pathlib import Path
from urllib.parse import urlparse

import dash
import flask
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dashboard import (
    address,
    api,
    callbacks,
    embed,
    figures,
    layout,
    ogc,
    pages,
    plain,
    state,
    timeplay,
)
from dashboard.cache import ResultCache
from dashboard.dashapp import RuhrDash
from dashboard.deployment import Deployment
from dashboard.i18n import LANGUAGES
from layers import boundaries, provenance
from layers.dataset import Dataset, data_status, fingerprint, load_dataset
from layers.disclosure import Policy
from layers.settings import Settings
from layers.views import load_views

PROJECT_ROOT = Path(__file__).resolve().parent.parent
ASSETS_DIR = PROJECT_ROOT / "assets"
log = logging.getLogger(__name__)
# Where the two main maps show context. They redraw every layer on each filter change, so
# their context is cut to a little more than the first view and simplified (below).
RUHR_CONTEXT_BOX = (5.8, 50.8, 8.5, 52.25)
ORIGIN_CONTEXT_BOX = (14.0, 37.5, 36.0, 51.5)
# Largest request body accepted (Flask's MAX_CONTENT_LENGTH; more: 413). The largest body the
# pages send, a map click with every control's state, is ~2.3 kB; no route takes uploads.
MAX_REQUEST_BYTES = 1_000_000


def geo_layers() -> tuple[dict[str, figures.GeoLayer], dict[str, bytes]]:
    """The GeoJSON layers the maps fetch, each with the property naming its features: the
    committed boundaries, and lighter outlines and context derived from them. Wound for
    d3-geo, compact, with URLs versioned by content (cached long, still updated)."""
    raw = {name: boundaries.load_geojson_dict(name) for name in boundaries.FILES}
    drawn = {
        # Generalised for the screen (< 1 px at the first view); downloads keep the detail.
        "ruhr_municipalities": (boundaries.for_display(raw["ruhr_municipalities"], 0.002), "ags"),
        "origin_regions": (boundaries.for_display(raw["origin_regions"], 0.01), "nuts3"),
        "context_countries": (raw["context_countries"], "name"),
        "world_countries": (raw["world_countries"], "name"),
        "ruhr_outline": (boundaries.dissolved(raw["ruhr_municipalities"]), "name"),
        "origin_outline": (boundaries.dissolved(raw["origin_regions"], "country"), "name"),
        "ruhr_context": (
            boundaries.for_display(raw["ruhr_context_kreise"], 0.002, RUHR_CONTEXT_BOX),
            "ags",
        ),
        "origin_context": (
            boundaries.for_display(raw["context_countries"], 0.03, ORIGIN_CONTEXT_BOX),
            "name",
        ),
    }
    layers, bodies = {}, {}
    for name, (geojson, key) in drawn.items():
        wound = boundaries.clockwise(geojson)
        body = json.dumps(wound, ensure_ascii=False, separators=(",", ":")).encode()
        codes = tuple(feature["properties"][key] for feature in wound["features"])
        url = f"/geo/{name}.geojson?v={hashlib.sha256(body).hexdigest()[:12]}"
        layers[name], bodies[name] = figures.GeoLayer(url, f"properties.{key}", codes), body
    return layers, bodies


def _page_address() -> tuple[str, str]:
    """Path and query string of the page being rendered. The renderer fetches the layout
    from ``/_dash-layout`` without them, so read the page address from the Referer header
    (sent in full for same-origin requests); ``?lang=`` on the request itself wins."""
    if not flask.has_request_context():
        return "/", ""
    page = urlparse(flask.request.referrer or "")
    query = flask.request.query_string.decode("utf-8", "replace") or page.query
    return page.path or "/", query


def _add_routes(server: flask.Flask, dataset: Dataset, geo_bodies: dict[str, bytes]) -> None:
    @server.get("/healthz")
    def healthz():
        modelled = provenance.synthetic_parts(dataset.manifest)
        return {"status": "ok", "synthetic": bool(modelled), "synthetic_parts": list(modelled)}

    @server.get("/geo/<name>.geojson")
    def geo(name: str):
        if name not in geo_bodies:
            flask.abort(404)
        # A plain response (not send_file's stream) so that it is compressed: ~5x smaller.
        response = flask.Response(geo_bodies[name], mimetype="application/geo+json")
        response.cache_control.public = True
        response.cache_control.max_age = 86400
        response.add_etag()
        return response.make_conditional(flask.request)

    @server.errorhandler(Exception)
    def no_tracebacks(error):
        # Clear JSON for the caller, the details only in the server log.
        if isinstance(error, RequestEntityTooLarge):
            message = f"The request body is larger than {MAX_REQUEST_BYTES:,} bytes."
            return {"error": error.name, "message": message}, error.code
        if isinstance(error, HTTPException):
            return {"error": error.name, "message": error.description}, error.code
        log.exception("Unhandled error on %s", flask.request.path)
        if flask.request.path.startswith("/_dash-update-component"):
            return {"error": "Bad Request", "message": "The callback request is malformed."}, 400
        return {"error": "Internal Server Error", "message": "Unexpected error."}, 500


def _add_view_routes(
    server: flask.Flask, dataset: Dataset, views: dict, policy: Policy, page_shell
) -> None:
    @server.get("/views/<path:slug>")
    def view_page(slug: str):
        # Dash answers every address with the same page shell and draws the page from the
        # layout (serve_layout: the not-found page here); the status tells link checkers.
        status = 200 if slug.strip("/") in views else 404
        query = flask.request.query_string.decode()
        if status == 200 and (embed.parse_embed(query)[1] or plain.parse(query, "en")[1]):
            status = 400  # a bad ?embed= or ?plain=: the page says which value is allowed
        return flask.make_response(page_shell(), status)

    @server.get("/views/<slug>/thumbnail.svg")
    def view_thumbnail(slug: str):
        view = views.get(slug)
        if view is None:
            flask.abort(404)
        lang = address.from_query(f"lang={flask.request.args.get('lang', 'de')}").lang
        large = flask.request.args.get("size") == "large"
        svg = pages.view_svg(dataset, view, lang, policy, large)
        response = flask.Response(svg, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


def _security_headers(server: flask.Flask, script_hashes: list[str], views_ancestors: str) -> None:
    """CSP without inline script except Dash's own (by hash), no sniffing, no referrer to
    other sites, no framing, except /views/... for ``views_ancestors`` (origins, or "") and
    the embeddable view (embed.frame_ancestors)."""
    policy = "; ".join([
        "default-src 'self'",
        "script-src 'self' " + " ".join(script_hashes),
        "style-src 'self' 'unsafe-inline'",  # Plotly and Dash set inline styles
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "font-src 'self' data:",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
    ])  # fmt: skip

    @server.after_request
    def add_headers(response: flask.Response) -> flask.Response:
        ancestors = embed.frame_ancestors(flask.request.path,
                                          flask.request.query_string.decode(),
                                          views_ancestors)  # fmt: skip
        response.headers["Content-Security-Policy"] = f"{policy}; frame-ancestors {ancestors}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Same-origin requests keep the full address (the layout reads ?lang from it).
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if ancestors == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        return response


def _server() -> flask.Flask:
    server = flask.Flask(__name__)
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    # flask-compress reads this once, when Dash sets it up: add GeoJSON (our largest
    # responses) and SVG to its defaults.
    server.config["COMPRESS_MIMETYPES"] = [
        "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
        "application/json", "application/geo+json", "image/svg+xml", "text/csv",
    ]  # fmt: skip
    return server


def _dash(server: flask.Flask) -> RuhrDash:
    return RuhrDash(
        __name__,
        server=server,
        assets_folder=str(ASSETS_DIR),
        title="Ruhr ⇄ RO/BG",
        update_title=None,
        serve_locally=True,
        compress=True,  # gzip/brotli for the JS bundles, layouts and callback responses
        # Pages differ (explorer, views); callbacks of components not on a page never fire.
        suppress_callback_exceptions=True,
    )


def _page_function(dataset, policy, cache, geo, views, view_errors, status):
    """The layout function: the explorer (with its first view) or a curated-view page."""
    # Read-only after this point, shared by every page load (building them costs ~35 ms).
    empty_figures = {lang: layout.explorer_figures(geo, lang) for lang in LANGUAGES}

    def first_view(address: state.ExplorerState) -> dict:
        """What the maps' and series' callbacks would answer first, from the same cache."""
        explorer = address.as_controls_see_it()
        return {
            "maps": callbacks.cached_maps(cache, dataset, explorer, policy),
            "series": callbacks.cached_series(cache, dataset, explorer),
            "state": explorer,
        }

    def page_for(path: str, query: str):
        shown = address.from_query(query)
        lang = shown.lang
        if path.rstrip("/") == "/views":
            return pages.views_index(lang, views, view_errors, status)
        if path.startswith("/views/"):
            slug = path.removeprefix("/views/").strip("/")
            if slug not in views:
                return pages.not_found(lang)
            embedded, problem = embed.parse_embed(query)
            on, plain_problem = plain.parse(query, lang)
            return pages.view_page(dataset, views[slug], lang, policy, geo, embedded,
                                   problem or plain_problem, plain=on)  # fmt: skip
        return layout.build_layout(lang, geo, shown, status, empty_figures[lang], first_view(shown))

    return page_for


def _first_paint(page_for, cache, geometry, views, status):
    """The first paint of a page (dashboard/firstpaint.py) by its path and query, computed
    once per state (its key: what the page shows) and kept in the result cache."""
    from dashboard import firstpaint
    from dashboard.i18n import t
    from dashboard.notice import notice

    def paint(path: str, query: str) -> str:
        shown = address.from_query(query)
        if path.startswith("/views/"):
            slug = path.removeprefix("/views/").strip("/")
            if slug not in views:
                return ""
            key = (
                "view",
                slug,
                shown.lang,
                embed.parse_embed(query),
                plain.parse(query, shown.lang),
            )
        elif path == "/":
            key = ("explorer", repr(shown.as_controls_see_it()), shown.notices)
        else:
            return ""
        lang = shown.lang
        about = f"{firstpaint.text_of(notice(lang, status))} {t('attribution', lang)}"
        return cache.get_or_compute(
            "first_paint", key,
            lambda: firstpaint.page_html(page_for(path, query), geometry, about),
        )  # fmt: skip

    return paint


def paint_geometry(geo: dict[str, figures.GeoLayer], bodies: dict[str, bytes]) -> dict:
    """Both sides' SVG paths in every frame the first paint draws (once per process)."""
    from dashboard import firstpaint

    found = {}
    for side, spec in layout.map_specs(geo).items():
        layers = {}
        for role in ("areas", "context"):
            layer = getattr(spec, role)
            name = layer.url.split("/")[-1].split(".")[0]
            layers[role] = (json.loads(bodies[name]), layer.id_key.removeprefix("properties."))
        frames = firstpaint.side_geometry(layers, spec.bounds, firstpaint.ASPECTS[side])
        found[side] = firstpaint.SideGeometry(spec.areas.url, frames)
    return found


def create_app(
    dataset: Dataset | None = None,
    settings: Settings | None = None,
    policy: Policy | None = None,
    cache: ResultCache | None = None,
    deployment: Deployment | None = None,
) -> dash.Dash:
    """The app; ``settings`` default to the environment's, read here once. ``policy``,
    ``cache`` and ``deployment`` replace what the settings would give (tests)."""
    settings = settings or Settings.from_env()
    policy = policy or settings.policy
    dataset = dataset or load_dataset(settings.data_dir, policy)
    deployment = deployment or Deployment.from_settings(settings)
    views, view_errors = load_views()
    for error in view_errors:
        log.warning("Curated view skipped: %s", error)
    geo, geo_bodies = geo_layers()
    app = _dash(_server())
    cache = cache or ResultCache.for_dataset(
        settings.cache_url, fingerprint(dataset), policy.threshold, settings.cache_ttl
    )
    page_for = _page_function(dataset, policy, cache, geo, views, view_errors,
                              data_status(dataset))  # fmt: skip
    app.layout = lambda: page_for(*_page_address())
    app.first_paint = _first_paint(page_for, cache, paint_geometry(geo, geo_bodies), views,
                                   data_status(dataset))  # fmt: skip
    app.explorer_layers = tuple(
        layer.url
        for spec in layout.map_specs(geo).values()
        for layer in (spec.areas, spec.outline, spec.context)
    )
    callbacks.register(app, dataset, policy, geo, cache)
    embed.register(app)
    timeplay.register_routes(app.server, dataset, policy, cache)
    _mount_routes(app, dataset, policy, deployment, views, geo_bodies)
    _security_headers(app.server, app.csp_hashes(), settings.views_frame_ancestors)
    _warm_up(app, geo)
    return app


def _mount_routes(app, dataset, policy, deployment, views, geo_bodies) -> None:
    _add_routes(app.server, dataset, geo_bodies)
    api.register(app.server, dataset, policy, deployment)
    if "loaded_from" in dataset.manifest:  # a dataset on disk (not a test fixture in memory)
        loaded_from = Path(dataset.manifest["loaded_from"])
        ogc.mount(app.server, loaded_from, deployment.absolute_url(), policy)
    _add_view_routes(app.server, dataset, views, policy, app.index)
    embed.add_routes(app.server, views)
    app.server.wsgi_app = deployment.wrap(app.server.wsgi_app)  # outermost: /ogc too


def _warm_up(app: RuhrDash, geo: dict) -> None:
    # Dash registers its JS bundles while rendering the index page. Render it once now, so
    # that every gunicorn worker forked from this process can serve the bundles even when
    # its first request is for a bundle (otherwise: 500 "not a registered library").
    app.server.test_client().get("/")
    if "gunicorn.arbiter" in sys.modules:  # served by gunicorn, not a test: ~3 s, pre-fork
        app.precompress_static(layer.url for layer in geo.values())
