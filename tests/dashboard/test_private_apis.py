"""Guards for the private Dash and plotly.js APIs the app still relies on (README, "Private
Dash and plotly.js APIs still used"): each test fails when a release changes one of them,
instead of the app silently falling back to the full 4.8 MB plotly.js."""

import json
import re
from pathlib import Path

import dash
import pytest

from dashboard.app import create_app
from dashboard.dashapp import RENDERER_START, SCRIPT_TAG, RuhrDash
from dashboard.deployment import Deployment

DASH = Path(dash.__file__).parent


@pytest.fixture(scope="module")
def app(demo_dataset):
    return create_app(demo_dataset, deployment=Deployment())


def test_dash_still_has_the_private_methods_we_override():
    for name in ("_setup_plotlyjs", "_config"):
        assert callable(vars(dash.Dash).get(name)), f"dash.Dash.{name} is gone"
        assert name in vars(RuhrDash)


def test_the_page_config_names_the_partial_bundle(app):
    """_config's answer reaches the page: the renderer reads plotlyjs_url from it."""
    page = app.server.test_client().get("/").get_data(as_text=True)
    config = json.loads(re.search(r'id="_dash-config"[^>]*>(.*?)</script>', page).group(1))
    assert config["serve_locally"] is False
    assert config["plotlyjs_url"] == app.partial_plotly_url
    assert app.partial_plotly_url.startswith("/_plotly/plotly-ruhr.min.js?v=")
    assert "plotly.min.js" not in page


def test_the_partial_bundle_is_served_precompressed(app):
    """Our compression runs before flask-compress: the brotli-11 file from build.mjs, not
    flask-compress's level 4; a client that also takes zstd still gets it."""
    client = app.server.test_client()
    url = app.partial_plotly_url
    plain = client.get(url, headers={"Accept-Encoding": "identity"}).data
    assert plain == RuhrDash.PLOTLY_BUNDLE.read_bytes() and b"drawColorBars" in plain
    packed = client.get(url, headers={"Accept-Encoding": "zstd, br, gzip"})
    assert packed.headers["Content-Encoding"] == "br"
    brotli_file = RuhrDash.PLOTLY_BUNDLE.with_name(RuhrDash.PLOTLY_BUNDLE.name + ".br")
    assert packed.data == brotli_file.read_bytes()


def test_the_renderer_still_takes_plotly_from_the_config():
    """dash-renderer sets window._dashPlotlyJSURL from plotlyjs_url when serve_locally is
    false, and dcc.Graph loads that URL unless window.Plotly exists (minified code, read as
    text: a rename in a release shows up here; the browser tests show the effect)."""
    renderer = (DASH / "dash-renderer" / "build" / "dash_renderer.min.js").read_text()
    assert re.search(r"serve_locally\?window\._dashPlotlyJSURL=.{0,200}plotlyjs_url", renderer)
    graph = (DASH / "dcc" / "dash_core_components.js").read_text()
    assert re.search(r"window\.Plotly\|\|new Promise.{0,200}window\._dashPlotlyJSURL", graph)


def test_the_grid_library_is_named_in_the_page_not_loaded_by_it(app):
    """Dash writes each script as ``<script src="...">`` (dash 4.4): RuhrDash finds the
    grid library's tag in that form and hands its URL to assets/ranking.js instead. A new
    form would leave the tag in every page (1.3 MB): this fails first."""
    client = app.server.test_client()
    for path in ("/", "/views", "/?tab=ranking"):
        page = client.get(path).get_data(as_text=True)
        assert "<script" in page and not re.search(r"<script[^>]*dash_ag_grid", page), path
        url = re.search(r'<meta name="ruhr-grid-script" content="([^"]+)">', page)[1]
        assert url.startswith("/_dash-component-suites/dash_ag_grid/dash_ag_grid.v")
        preload = f'<link rel="preload" href="{url}" as="script">'
        assert (preload in page) == (path == "/?tab=ranking"), path  # the tab opens with it
    library = client.get(url)
    assert library.status_code == 200 and b"dash_ag_grid" in library.data
    chunk = client.get(url.rsplit("/", 1)[0] + "/async-community.js")  # webpack's, beside it
    assert chunk.status_code == 200 and chunk.mimetype.endswith("javascript")


def test_the_renderer_still_looks_up_a_components_library_when_it_draws_it():
    """dash-renderer resolves ``window[namespace][type]`` each time it renders a component
    (not once at start-up), so a library loaded later draws components added later: the
    ranking tab's content enters the page after assets/ranking.js loaded dash-ag-grid. The
    browser tests (tests/browser/test_ranking_lazy.py) show the effect."""
    renderer = (DASH / "dash-renderer" / "build" / "dash_renderer.min.js").read_text()
    resolve = r"\.type,(\w)=\w\.namespace,(\w)=window\[\1\];if\(\2\)\{if\(\2\[\w\]\)return"
    assert re.search(resolve + r".{0,120}was not found", renderer)


def test_dashs_renderer_and_script_tags_keep_the_form_the_loader_relies_on(app):
    """RuhrDash holds Dash's scripts until the first paint only if Dash starts its renderer
    with ``var renderer = new DashRenderer(`` and writes nothing but ``<script src="...">``
    tags into {%scripts%} (dash 4.4); otherwise it keeps Dash's tags, and the first paint
    waits for ~2 MB of scripts again. A new form fails here first."""
    assert dash.Dash(__name__).renderer.startswith(RENDERER_START)
    assert app.after_paint
    page = app.server.test_client().get("/").get_data(as_text=True)
    held = re.search(r'<template id="ruhr-scripts">(.*?)</template>', page, re.S).group(1)
    assert SCRIPT_TAG.sub("", held).strip() == "" and len(SCRIPT_TAG.findall(held)) > 20
