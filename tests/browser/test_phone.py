"""Issue 17, items 4 and 5: the explorer on a phone (the filters in a drawer, the maps on the
first screen, nothing scrolls sideways) and with the keyboard (skip link, area picker)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect

from dashboard.state import TABS
from layers.views import load_views
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
PHONE = {"width": 390, "height": 844}
UPDATE = "/_dash-update-component"
FOCUSED = "() => document.activeElement && document.activeElement.id"
DRAWN = """panel => Array.from(document.querySelectorAll(`#${panel} .js-plotly-plot`))
    .every(g => g._fullLayout)"""


def _top(page, selector: str) -> float:
    return page.locator(selector).bounding_box()["y"]


def _page_width(page) -> int:
    return page.evaluate("() => document.scrollingElement.scrollWidth")


@pytest.mark.parametrize("lang", ["de", "en"])
def test_filters_in_a_drawer_and_the_maps_on_the_first_screen(page, lang):
    page.set_viewport_size(PHONE)
    _load(page, f"/?lang={lang}")
    drawer, toggle = page.locator("#filter-drawer"), page.locator("#filter-toggle")
    assert _top(page, "#ruhr-map") < PHONE["height"]  # its top on the first screen
    assert _page_width(page) <= PHONE["width"]
    expect(drawer).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert toggle.get_attribute("aria-controls") == "filter-drawer"
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / f"phone-{lang}-closed.png")

    toggle.click()
    expect(drawer).to_be_visible()
    expect(toggle).to_have_attribute("aria-expanded", "true")
    assert page.evaluate(FOCUSED) == "filter-close"  # focus moved into the drawer
    assert drawer.get_attribute("role") == "dialog"
    page.wait_for_timeout(350)  # Bootstrap's slide-in
    page.screenshot(path=ARTIFACTS / f"phone-{lang}-open.png")
    # the filters in it work as in the column: untick a migration type
    page.locator("#filter-drawer label", has_text=re.compile("Einwanderer|Immigrant")).click()
    page.wait_for_url(re.compile(r"type=return,circular,transnational"), timeout=WAIT_MS)
    page.keyboard.press("Escape")
    expect(drawer).to_be_hidden()
    expect(toggle).to_have_attribute("aria-expanded", "false")
    assert page.evaluate(FOCUSED) == "filter-toggle"  # focus back on the toggle

    toggle.click()
    expect(drawer).to_be_visible()
    page.click("#filter-close")
    expect(drawer).to_be_hidden()
    assert page.evaluate(FOCUSED) == "filter-toggle"
    assert page.page_errors == []


def test_nothing_scrolls_sideways_on_a_phone_on_any_tab(page):
    page.set_viewport_size(PHONE)
    _load(page, "/?lang=de")
    tabs = page.locator("#analysis-tabs")
    rows = page.evaluate(
        "() => new Set(Array.from(document.querySelectorAll('#analysis-tabs label'))"
        ".map(l => Math.round(l.getBoundingClientRect().top))).size"
    )
    assert rows <= 2, rows  # one row that scrolls sideways (or two)
    assert tabs.bounding_box()["width"] <= PHONE["width"]
    too_wide = {}
    for i, tab in enumerate(TABS):
        page.locator("#analysis-tabs label").nth(i).click()  # scrolled into view first
        expect(page.locator(f"#panel-{tab}")).to_be_visible()
        page.wait_for_function(DRAWN, arg=f"panel-{tab}", timeout=WAIT_MS)
        try:  # plotly draws at its default width first, then resizes to the panel's
            page.wait_for_function("w => document.scrollingElement.scrollWidth <= w",
                                   arg=PHONE["width"], timeout=WAIT_MS)  # fmt: skip
        except PlaywrightTimeout:
            too_wide[tab] = _page_width(page)
    assert too_wide == {}
    assert page.page_errors == []


def test_the_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    slug = sorted(load_views()[0])[0]
    for path, text in [("/?lang=en", "Skip to content"), ("/views", "Zum Inhalt springen"),
                       (f"/views/{slug}?lang=en", "Skip to content")]:  # fmt: skip
        page.goto(page.base_url + path)
        link = page.locator("#skip-link")
        link.wait_for(state="attached", timeout=WAIT_MS)
        page.focus("body")
        page.keyboard.press("Tab")
        assert page.evaluate(FOCUSED) == "skip-link", path
        expect(link).to_have_text(text)
        assert link.bounding_box()["width"] > 20  # shown while focused
        page.keyboard.press("Enter")
        assert page.evaluate(FOCUSED) == "main", path
        assert "#" not in page.url  # the explorer's address keeps its state, nothing else


@pytest.mark.parametrize(("picker", "param"), [("area-picker", "sel"), ("metric", "metric")])
def test_a_picker_commits_on_enter_not_on_each_arrow_key(page, picker, param):
    _load(page, "/?lang=en")
    page.wait_for_timeout(500)  # the first view's requests, if any, are over
    picker_requests = []
    all_requests = []

    def record(request):
        if UPDATE in request.url:
            all_requests.append(request)
            if f"{picker}.value" in (request.post_data or ""):
                picker_requests.append(request)

    page.on("request", record)
    first = page.evaluate(f"() => document.getElementById('{picker}').value")
    page.focus(f"#{picker}")
    for _ in range(3):
        page.keyboard.press("ArrowDown")
    shown = page.evaluate(f"() => document.getElementById('{picker}').value")
    assert shown and shown != first  # the third option down (past a group's heading)
    page.wait_for_timeout(800)
    assert all_requests == []  # nothing fired while arrowing
    assert f"{param}=" not in page.url
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(rf"{param}={re.escape(shown)}"), timeout=WAIT_MS)
    page.wait_for_timeout(500)
    assert len(picker_requests) == 1  # one choice (then the maps follow it, as after a click)
    assert page.evaluate(f"() => document.getElementById('{picker}').value") == shown


def test_at_1024_the_maps_are_as_high_as_their_geo(page):
    page.set_viewport_size({"width": 1024, "height": 768})
    _load(page, "/?lang=de")
    for graph_id in ("ruhr-map", "origin-map"):
        graph, geo = page.evaluate(
            """id => [document.getElementById(id), document.querySelector(`#${id} .bglayer rect,
                #${id} g.geo > rect, #${id} .geo .bg`)].map(e => e && e.getBoundingClientRect())
                .map(b => b && b.height)""",
            graph_id,
        )
        assert geo and geo >= 0.85 * graph, (graph_id, graph, geo)  # no empty bands
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "phone-1024.png", full_page=True)
