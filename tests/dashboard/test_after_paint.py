"""Dash's scripts wait for the first paint (dashboard/dashapp.py, RuhrDash._after_paint;
assets/after-paint.js): in the page they sit in an inert template, the loader is the only
script tag, the renderer waits for the loader's event, and the style sheets come before
every preload (tests/browser/test_first_paint.py: the same in Chromium)."""

from __future__ import annotations

import base64
import hashlib
import re
from pathlib import Path

import pytest
from dash import Input, Output, html

from dashboard.app import create_app
from dashboard.dashapp import LOADER, SCRIPTS_ID, SCRIPTS_LOADED, RuhrDash, page_urls

VIEW = "/views/galati-circular"
PAGES = ("/", VIEW, "/views", "/?tab=ranking")
TEMPLATE = re.compile(rf'<template id="{SCRIPTS_ID}">(.*?)</template>', re.S)
RENDERER = re.compile(r'<script id="_dash-renderer" type="application/javascript">(.*?)</script>')
SCRIPT_SRC = re.compile(r'<script[^>]*\ssrc="([^"]+)"')


@pytest.fixture(scope="module")
def app(demo_dataset):
    return create_app(demo_dataset)


@pytest.fixture(scope="module")
def responses(app):
    client = app.server.test_client()
    return {path: client.get(path) for path in PAGES}


@pytest.mark.parametrize("path", PAGES)
def test_dashs_scripts_are_held_in_a_template_and_the_loader_is_the_only_script(responses, path):
    page = responses[path].get_data(as_text=True)
    held = TEMPLATE.search(page).group(1)
    names = SCRIPT_SRC.findall(held)
    assert len(names) > 20 and any("dash_renderer" in name for name in names)
    assert names.index(next(n for n in names if "react@" in n)) < names.index(
        next(n for n in names if "dash_renderer" in n)
    )  # Dash's order: React before the renderer
    outside = SCRIPT_SRC.findall(TEMPLATE.sub("", page))
    assert [name.split("?")[0] for name in outside] == [f"/assets/{LOADER}"]
    assert f'<script defer src="/assets/{LOADER}?m=' in page  # the parser never waits for it


@pytest.mark.parametrize("path", PAGES)
def test_the_renderer_waits_for_the_loader_and_keeps_its_csp_hash(responses, path):
    response = responses[path]
    start = RENDERER.search(response.get_data(as_text=True)).group(1)
    assert start.startswith(f'addEventListener("{SCRIPTS_LOADED}"')
    assert "window.renderer = new DashRenderer(" in start and "var renderer" not in start
    digest = base64.b64encode(hashlib.sha256(start.encode()).digest()).decode()
    assert f"'sha256-{digest}'" in response.headers["Content-Security-Policy"]


@pytest.mark.parametrize("path", PAGES)
def test_the_style_sheets_come_before_any_preload(responses, path):
    page = responses[path].get_data(as_text=True)
    sheets = [m.start() for m in re.finditer(r'<link rel="stylesheet"', page)]
    preloads = [m.start() for m in re.finditer(r'<link rel="preload"', page)]
    assert len(sheets) >= 2
    assert not preloads or max(sheets) < min(preloads), path
    assert bool(preloads) == (path != "/views"), path  # maps, or the ranking tab's grid


def test_the_loader_is_served_but_not_listed_as_one_of_dashs_scripts(app, responses):
    held = TEMPLATE.search(responses["/"].get_data(as_text=True)).group(1)
    assert LOADER not in held
    loader = app.server.test_client().get(f"/assets/{LOADER}")
    assert loader.status_code == 200 and SCRIPTS_ID.encode() in loader.data
    assert SCRIPTS_LOADED.encode() in loader.data


def test_page_urls_include_the_held_scripts(responses):
    page = responses["/"].get_data(as_text=True)
    urls = page_urls(page)
    assert set(SCRIPT_SRC.findall(TEMPLATE.search(page).group(1))) <= set(urls)
    assert any(url.startswith("/assets/00-bootstrap.min.css") for url in urls)
    assert not any(url.startswith("/views") for url in urls)  # links are not loads


def test_an_inline_script_keeps_dashs_tags_in_their_order():
    """A clientside callback given as code is an inline script Dash writes among the tags:
    it may need the scripts before it, so nothing is held and the template stays empty."""
    dash_app = RuhrDash(__name__, assets_folder=str(Path(__file__).parents[2] / "assets"))
    dash_app.layout = html.Div([html.Div(id="a"), html.Div(id="b")])
    dash_app.clientside_callback("function (x) { return x; }", Output("b", "children"),
                                 Input("a", "children"))  # fmt: skip
    page = dash_app.server.test_client().get("/").get_data(as_text=True)
    assert TEMPLATE.search(page).group(1) == ""
    assert "function (x) { return x; }" in page
    assert len(SCRIPT_SRC.findall(page)) > 10  # Dash's own tags, then the loader
    assert SCRIPT_SRC.findall(page)[-1].startswith(f"/assets/{LOADER}")
