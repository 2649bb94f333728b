"""Application factory: load the data once, build the Dash app, add the plain HTTP routes."""

from __future__ import annotations

import hashlib
import json
import logging
import sys
from html import escape as html_escape
from pathlib import Path
from urllib.parse import urlparse

import dash
import flask
from werkzeug.exceptions import HTTPException, RequestEntityTooLarge

from dashboard import api, callbacks, figures, layout, ogc, pages, state
from dashboard.cache import ResultCache
from dashboard.deployment import Deployment
from dashboard.i18n import LANGUAGES, format_number
from layers import boundaries, provenance, thumbnail
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset, data_status, fingerprint, load_dataset
from layers.disclosure import Policy
from layers.indicators import indicator_table
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
        return flask.make_response(page_shell(), status)

    @server.get("/views/<slug>/thumbnail.svg")
    def view_thumbnail(slug: str):
        view = views.get(slug)
        if view is None:
            flask.abort(404)
        side = view.side
        table = indicator_table(dataset, view.filter, side, view.selection, (view.metric,), policy)
        areas = (
            boundaries.load_origin_regions()
            if side == "origin"
            else boundaries.load_municipalities()
        )
        key = "nuts3" if side == "origin" else "ags"
        values = {code: float(v) for code, v in table[view.metric].items()}
        lang = state.from_query(f"lang={flask.request.args.get('lang', 'de')}").lang
        large = flask.request.args.get("size") == "large"
        indicator = CATALOGUE[view.metric]
        legend = (
            format_number(view.scale[0], indicator.decimals, lang),
            format_number(view.scale[1], indicator.decimals, lang),
            f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})",
        )
        svg = thumbnail.area_svg(
            areas, key, values, view.scale, view.highlight, view.title[lang],
            *((760, 440) if large else (320, 200)), legend=legend if large else None,
        )  # fmt: skip
        response = flask.Response(svg, mimetype="image/svg+xml")
        response.headers["Cache-Control"] = "public, max-age=3600"
        return response


class RuhrDash(dash.Dash):
    """Dash whose page names its language (``<html lang>``) for screen readers and axe, loads
    a partial plotly.js bundle instead of Dash's full one, and compresses static files once
    per process at a high level rather than on every request.

    Two private Dash methods are overridden, ``_setup_plotlyjs`` and ``_config``: no public
    hook names the plotly.js that dcc.Graph loads (README, "Private Dash and plotly.js APIs
    still used", and the tests guarding them)."""

    PLOTLY_BUNDLE = Path(__file__).resolve().parent / "static" / "plotly" / "plotly-ruhr.min.js"
    STATIC_PATHS = ("/_dash-component-suites/", "/assets/", "/geo/", "/_plotly/", "/_favicon")
    STATIC_TYPES = frozenset({
        "application/javascript", "text/javascript", "text/css", "application/geo+json",
        "image/x-icon",
    })  # fmt: skip
    partial_plotly_url: str | None = None  # versioned URL, once _setup_plotlyjs served it
    explorer_layers: tuple[str, ...] = ()  # URLs of the explorer's map layers (create_app)

    def __init__(self, *args, **kwargs):
        self._compressed: dict[tuple[str, str], bytes] = {}  # (encoding, sha256) -> body
        super().__init__(*args, **kwargs)  # with compress=True: registers flask-compress
        # Flask runs after_request functions last-registered first: this one runs before
        # flask-compress, which then skips what is already encoded.
        self.server.after_request(self._compress_static)

    def interpolate_index(self, **kwargs) -> str:
        kwargs["metas"] = kwargs.get("metas", "") + self._preloads(flask.request.path)
        html = super().interpolate_index(**kwargs)
        lang = state.from_query(flask.request.query_string.decode("utf-8", "replace")).lang
        return html.replace("<html>", f'<html lang="{lang}">', 1)

    def _preloads(self, path: str) -> str:
        """Have the browser fetch plotly.js and the explorer's map layers while it is still
        busy with the page's scripts, instead of only when the maps mount."""
        explorer = path == self.get_relative_path("/")
        view_page = path.startswith(self.get_relative_path("/views/"))
        urls = []
        if self.partial_plotly_url and (explorer or view_page):
            urls.append((self.partial_plotly_url, 'as="script"'))
        if explorer:  # plotly.js fetches GeoJSON with XMLHttpRequest: a same-origin "fetch"
            urls += [(url, 'as="fetch" crossorigin="anonymous"') for url in self.explorer_layers]
        return "".join(
            f'<link rel="preload" href="{html_escape(url)}" {kind}>' for url, kind in urls
        )

    def _setup_plotlyjs(self) -> None:
        """Dash points dcc.Graph at plotly.py's full plotly.min.js (4.8 MB), loaded when the
        first graph mounts. Ours: dashboard/static/plotly/plotly-ruhr.min.js (only our trace
        types; see its README), loaded the same way but from a versioned URL. dcc's shared
        resource list stays untouched, so another Dash app in the process keeps the full
        bundle. Called once by init_app."""
        import brotli
        from plotly.offline import get_plotlyjs_version

        path = self.PLOTLY_BUNDLE
        bundle = path.read_bytes() if path.exists() else b""
        if f"v{get_plotlyjs_version()}\n" not in bundle[:100].decode("ascii", "replace"):
            log.warning("%s missing or not plotly.js %s (make plotly-bundle): full bundle used",
                        path, get_plotlyjs_version())  # fmt: skip
            super()._setup_plotlyjs()
            return
        digest = hashlib.sha256(bundle).hexdigest()
        br_path = path.with_name(path.name + ".br")  # brotli 11 by build.mjs (15 s of CPU)
        br = br_path.read_bytes() if br_path.exists() else b""
        if br and brotli.decompress(br) == bundle:
            self._compressed["br", digest] = br

        def plotly_bundle():
            response = flask.Response(bundle, mimetype="text/javascript")
            if flask.request.args.get("v") == digest[:12]:  # versioned URL: cache for good
                response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
                return response
            response.set_etag(digest)
            return response.make_conditional(flask.request)

        route = "_plotly/plotly-ruhr.min.js"  # a plain Flask route, beside Dash's own
        self.server.add_url_rule(self.config.routes_pathname_prefix + route, route, plotly_bundle)
        self.partial_plotly_url = self.get_relative_path(f"/{route}?v={digest[:12]}")

    def _config(self) -> dict:
        """Dash's renderer loads plotly.js from ``plotlyjs_url`` unless ``serve_locally``, in
        which case from plotly.py's bundle; it reads ``serve_locally`` for nothing else
        (dash-renderer 4.4). Everything is still served from here."""
        config = super()._config()
        if self.partial_plotly_url:
            config["serve_locally"] = False
            config["plotlyjs_url"] = self.partial_plotly_url
        return config

    def _compress_static(self, response: flask.Response) -> flask.Response:
        """Brotli (or gzip) for JS, CSS, GeoJSON and the icon, computed once per content and
        process: at a high level by precompress_static() or build.mjs, else at a fast one on
        first request. Runs before flask-compress, which skips what is already encoded and
        still compresses layouts and callback responses at its fast default levels."""
        import gzip

        import brotli

        request = flask.request
        if (
            request.method != "GET"
            or response.status_code != 200
            or "Content-Encoding" in response.headers
            or response.mimetype not in self.STATIC_TYPES
            or not request.path.startswith(self.STATIC_PATHS)
        ):
            return response
        encoding = max(("br", "gzip"), key=request.accept_encodings.quality)  # tie: br
        if not request.accept_encodings.quality(encoding):
            return response
        response.direct_passthrough = False  # send_file responses: read the file
        data = response.get_data()
        key = (encoding, hashlib.sha256(data).hexdigest())
        if key not in self._compressed:
            fast = brotli.compress(data, quality=5) if encoding == "br" else gzip.compress(data, 6)
            self._compressed[key] = fast
        response.set_data(self._compressed[key])
        response.headers["Content-Encoding"] = encoding
        response.vary.add("Accept-Encoding")
        etag, weak = response.get_etag()
        if etag and not weak:  # as flask-compress: one validator per encoding
            response.set_etag(f"{etag}:{encoding}")
            response = response.make_conditional(request)
        return response

    def precompress_static(self, urls=()) -> None:
        """Compress the files the pages load (the index page's scripts and stylesheets,
        plotly.js, ``urls``) at high levels now, before gunicorn forks: ~3 s of CPU (brotli
        11: 7 s for 1 % fewer bytes on first load)."""
        import gzip
        import re

        import brotli

        client = self.server.test_client()
        index = client.get("/").get_data(as_text=True)
        urls = [*re.findall(r'(?:src|href)="(/[^"]+)"', index), *urls]
        for url in [*urls, *([self.partial_plotly_url] if self.partial_plotly_url else [])]:
            response = client.get(url, headers={"Accept-Encoding": "identity"})
            if response.status_code != 200 or response.mimetype not in self.STATIC_TYPES:
                continue
            data = response.get_data()
            digest = hashlib.sha256(data).hexdigest()
            if ("br", digest) not in self._compressed:
                self._compressed["br", digest] = brotli.compress(data, quality=10)
            self._compressed["gzip", digest] = gzip.compress(data, 9)


def _security_headers(server: flask.Flask, script_hashes: list[str], views_ancestors: str) -> None:
    """CSP without inline script except Dash's own (by hash), no sniffing, no referrer to
    other sites, no framing, except /views/... for ``views_ancestors`` (origins, or "")."""
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
        ancestors = "'none'"
        if views_ancestors and flask.request.path.startswith("/views/"):
            ancestors = views_ancestors
        response.headers["Content-Security-Policy"] = f"{policy}; frame-ancestors {ancestors}"
        response.headers["X-Content-Type-Options"] = "nosniff"
        # Same-origin requests keep the full address (the layout reads ?lang from it).
        response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
        if ancestors == "'none'":
            response.headers["X-Frame-Options"] = "DENY"
        return response


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
    status = data_status(dataset)
    for error in view_errors:
        log.warning("Curated view skipped: %s", error)
    geo, geo_bodies = geo_layers()
    server = flask.Flask(__name__)
    server.config["MAX_CONTENT_LENGTH"] = MAX_REQUEST_BYTES
    # flask-compress reads this once, when Dash sets it up: add GeoJSON (our largest
    # responses) and SVG to its defaults.
    server.config["COMPRESS_MIMETYPES"] = [
        "text/html", "text/css", "text/plain", "text/javascript", "application/javascript",
        "application/json", "application/geo+json", "image/svg+xml", "text/csv",
    ]  # fmt: skip
    app = RuhrDash(
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

    # Read-only after this point, shared by every page load (building them costs ~35 ms).
    empty_figures = {lang: layout.explorer_figures(geo, lang) for lang in LANGUAGES}
    cache = cache or ResultCache.for_dataset(
        settings.cache_url, fingerprint(dataset), policy.threshold, settings.cache_ttl
    )

    def first_view(address: state.ExplorerState) -> dict:
        """What the maps' and series' callbacks would answer first, from the same cache."""
        explorer = address.as_controls_see_it()
        return {
            "maps": callbacks.cached_maps(cache, dataset, explorer, policy),
            "series": callbacks.cached_series(cache, dataset, explorer),
            "state": explorer,
        }

    def serve_layout():
        path, query = _page_address()
        address = state.from_query(query)
        lang = address.lang
        if path.rstrip("/") == "/views":
            return pages.views_index(lang, views, view_errors, status)
        if path.startswith("/views/"):
            slug = path.removeprefix("/views/").strip("/")
            if slug not in views:
                return pages.not_found(lang)
            return pages.view_page(dataset, views[slug], lang, policy, geo)
        return layout.build_layout(
            lang, geo, address, status, empty_figures[lang], first_view(address)
        )

    app.layout = serve_layout
    app.explorer_layers = tuple(
        layer.url
        for spec in layout.map_specs(geo).values()
        for layer in (spec.areas, spec.outline, spec.context)
    )
    callbacks.register(app, dataset, policy, geo, cache)
    _add_routes(app.server, dataset, geo_bodies)
    api.register(app.server, dataset, policy, deployment)
    if "loaded_from" in dataset.manifest:  # a dataset on disk (not a test fixture in memory)
        loaded_from = Path(dataset.manifest["loaded_from"])
        ogc.mount(app.server, loaded_from, deployment.absolute_url(), policy)
    _add_view_routes(app.server, dataset, views, policy, app.index)
    app.server.wsgi_app = deployment.wrap(app.server.wsgi_app)  # outermost: /ogc too
    # flask-compress leaves GeoJSON out by default; it is the largest thing we send.
    app.server.config["COMPRESS_MIMETYPES"] = [
        *app.server.config.get("COMPRESS_MIMETYPES", []),
        "application/geo+json",
        "image/svg+xml",
    ]
    _security_headers(app.server, app.csp_hashes(), settings.views_frame_ancestors)
    # Dash registers its JS bundles while rendering the index page. Render it once now, so
    # that every gunicorn worker forked from this process can serve the bundles even when
    # its first request is for a bundle (otherwise: 500 "not a registered library").
    app.server.test_client().get("/")
    if "gunicorn.arbiter" in sys.modules:  # served by gunicorn, not a test: ~3 s, pre-fork
        app.precompress_static(layer.url for layer in geo.values())
    return app
