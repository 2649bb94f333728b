"""Dash with what the stock class lacks here: ``<html lang>``, a partial plotly.js bundle,
the grid library only for the ranking tab, a first paint that no script holds up and static
files compressed once per process (README, "Private Dash and plotly.js APIs")."""

from __future__ import annotations

import hashlib
import logging
import re
from html import escape as html_escape
from pathlib import Path

import dash
import flask

from dashboard import address

log = logging.getLogger(__name__)
# The grid library's tag in Dash's index (dash 4.4: ``format_tag("script", src)``, one a
# line). Only the ranking tab uses it: assets/ranking.js loads it from this URL on demand.
GRID_SCRIPT = re.compile(
    r'<script src="([^"]*/_dash-component-suites/dash_ag_grid/[^"]*)"></script>\n?'
)
GRID_META = "ruhr-grid-script"  # the <meta name> that hands the URL to assets/ranking.js
# Dash's script tags (dash 4.4: ``<script src="...">``, nothing else in {%scripts%}) and its
# renderer's start. The tags go into an inert <template> (nothing in it is fetched or run);
# assets/after-paint.js loads them once the first paint is on screen and then fires
# SCRIPTS_LOADED, which starts the renderer.
SCRIPT_TAG = re.compile(r'<script src="[^"<>]+"></script>')
RENDERER_START = "var renderer = new DashRenderer("
SCRIPTS_ID = "ruhr-scripts"
SCRIPTS_LOADED = "ruhr:scripts-loaded"
LOADER = "after-paint.js"  # not one of Dash's own scripts (assets_ignore)
PAGE_LOADS = re.compile(r'<(?:script[^>]*\ssrc|link[^>]*\shref)="(/[^"]+)"')


def page_urls(html: str) -> list[str]:
    """The same-origin URLs a page's first HTML loads, those assets/after-paint.js loads
    from its template included (precompress_static, the load test's simulated browser)."""
    return list(dict.fromkeys(PAGE_LOADS.findall(html)))


class RuhrDash(dash.Dash):
    """Dash whose page names its language (``<html lang>``) for screen readers and axe, loads
    a partial plotly.js bundle instead of Dash's full one, leaves dash-ag-grid out of the
    first HTML (assets/ranking.js loads it for the ranking tab), lets the browser draw the
    server's first paint before it fetches a script (assets/after-paint.js; the style sheets
    fetched before the preloads), and compresses static files once per process at a high
    level rather than on every request.

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

    @staticmethod
    def first_paint(path: str, query: str) -> str:
        """The page's first paint before its scripts (create_app: dashboard/firstpaint.py)."""
        return ""

    def __init__(self, *args, **kwargs):
        self._compressed: dict[tuple[str, str], bytes] = {}  # (encoding, sha256) -> body
        ignored = [kwargs.get("assets_ignore"), rf"^{re.escape(LOADER)}$"]
        kwargs["assets_ignore"] = "|".join(filter(None, ignored))
        super().__init__(*args, **kwargs)  # with compress=True: registers flask-compress
        self.after_paint = self.renderer.startswith(RENDERER_START)  # else Dash's own order
        if self.after_paint:  # a public attribute; csp_hashes() hashes the new text
            start = self.renderer.replace("var renderer =", "window.renderer =", 1)
            self.renderer = f'addEventListener("{SCRIPTS_LOADED}", () => {{ {start} }});'
            loader = Path(self.config.assets_folder) / LOADER  # fingerprinted as Dash's assets
            self._loader_src = f"{self.get_asset_url(LOADER)}?m={loader.stat().st_mtime}"
        # Flask runs after_request functions last-registered first: this one runs before
        # flask-compress, which then skips what is already encoded.
        self.server.after_request(self._compress_static)

    def interpolate_index(self, **kwargs) -> str:
        query = flask.request.query_string.decode("utf-8", "replace")
        shown = address.from_query(query)
        scripts, grid_meta, grid_preload = self._lazy_grid(kwargs.get("scripts", ""), shown.tab)
        kwargs["scripts"] = self._after_paint(scripts) if self.after_paint else scripts
        kwargs["metas"] = kwargs.get("metas", "") + grid_meta
        # after the style sheets: with two sync workers a stylesheet behind plotly.js and six
        # map layers came ~70 ms later, and the first paint waits for it
        kwargs["css"] = kwargs.get("css", "") + self._preloads(flask.request.path) + grid_preload
        kwargs["app_entry"] = self.first_paint(flask.request.path, query) + kwargs["app_entry"]
        html = super().interpolate_index(**kwargs)
        return html.replace("<html>", f'<html lang="{shown.lang}">', 1)

    @staticmethod
    def _lazy_grid(scripts: str, tab: str) -> tuple[str, str, str]:
        """The index's scripts without dash-ag-grid's (1.3 MB, ~520 KB compressed with its
        chunk, on every page) and the tags that let assets/ranking.js load it when the
        ranking tab opens: its URL, and a preload when the page opens on that tab."""
        found = GRID_SCRIPT.search(scripts)
        if found is None:  # another Dash's tag form: the grid stays loaded up front
            return scripts, "", ""
        url = html_escape(found.group(1))
        meta = f'<meta name="{GRID_META}" content="{url}">'
        preload = f'<link rel="preload" href="{url}" as="script">' if tab == "ranking" else ""
        return scripts[: found.start()] + scripts[found.end() :], meta, preload

    def _after_paint(self, scripts: str) -> str:
        """Dash's script tags in a template for assets/after-paint.js, which loads them once
        the first paint is on screen: fetched and compiled at the same time, on the same
        cores, they put that paint off by ~0.2 s (README, Speed). Anything else among them
        (an inline script, another tag form): Dash's tags as they are, the template empty."""
        plain = SCRIPT_TAG.sub("", scripts).strip() == ""
        held, kept = (scripts, "") if plain else ("", scripts)
        return (f'{kept}<template id="{SCRIPTS_ID}">{held}</template>'
                f'<script defer src="{html_escape(self._loader_src)}"></script>')  # fmt: skip

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
        plotly.js, the grid library, ``urls``) at high levels now, before gunicorn forks:
        ~3.5 s of CPU (brotli 11: 7 s for 1 % fewer bytes on first load)."""
        import gzip

        import brotli

        client = self.server.test_client()
        index = client.get("/").get_data(as_text=True)
        urls = [*page_urls(index), *urls]
        grid = re.search(rf'<meta name="{GRID_META}" content="([^"]+)"', index)
        if grid:  # loaded by the ranking tab, with the chunk that webpack fetches beside it
            urls += [grid[1], grid[1].rsplit("/", 1)[0] + "/async-community.js"]
        for url in [*urls, *([self.partial_plotly_url] if self.partial_plotly_url else [])]:
            response = client.get(url, headers={"Accept-Encoding": "identity"})
            if response.status_code != 200 or response.mimetype not in self.STATIC_TYPES:
                continue
            data = response.get_data()
            digest = hashlib.sha256(data).hexdigest()
            if ("br", digest) not in self._compressed:
                self._compressed["br", digest] = brotli.compress(data, quality=10)
            self._compressed["gzip", digest] = gzip.compress(data, 9)
