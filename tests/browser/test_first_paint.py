"""The first paint in Chromium (dashboard/firstpaint.py, assets/firstmap.js): the maps show
as server-drawn SVG before any script, stay while plotly.js is missing, and give way to the
live maps in the same boxes."""

from __future__ import annotations

import pytest

from tests.browser.test_dashboard import WAIT_MS

pytestmark = pytest.mark.browser
BOXES_JS = """(selector) => [...document.querySelectorAll(selector)].map(e => {
    const r = e.getBoundingClientRect();
    return [e.dataset.firstMap || e.id, Math.round(r.x), Math.round(r.y),
            Math.round(r.width), Math.round(r.height)];
})"""
LIVE_DRAWN_JS = """() => document.querySelectorAll('.js-plotly-plot path.choroplethlocation').length
    && !document.querySelector('#first-paint, .first-map-over')"""


def test_without_scripts_the_first_html_shows_both_maps(page):
    page.route("**/_dash-component-suites/**", lambda route: route.abort())
    page.route("**/_plotly/**", lambda route: route.abort())
    page.goto(page.base_url + "/?lang=en", wait_until="domcontentloaded")
    for graph in ("#ruhr-map", "#origin-map"):
        svg = page.locator(f'[data-first-map="{graph}"] svg')
        assert svg.is_visible()
        box = svg.bounding_box()
        assert box["width"] > 300 and box["height"] > 300
    assert page.locator('[data-first-map="#ruhr-map"] svg path title').count() == 53
    assert page.locator('[data-first-map="#origin-map"] svg path title').count() == 70
    assert page.locator("#first-paint .synthetic-notice").is_visible()
    assert page.locator("#first-paint .map-legend .legend-class").count() >= 6


def test_the_svg_stays_over_the_live_box_until_plotly_draws(page):
    page.route("**/_plotly/**", lambda route: route.abort())  # Dash runs, plotly.js never comes
    page.goto(page.base_url + "/")
    page.wait_for_selector('.first-map-over[data-first-map="#ruhr-map"] svg', timeout=WAIT_MS)
    assert page.locator("#first-paint").count() == 0  # the drawn page gave way to Dash's
    page.wait_for_timeout(2000)  # Dash goes on rendering without plotly: the SVGs stay
    for graph in ("#ruhr-map", "#origin-map"):  # (Dash drops a graph whose library fails)
        over = page.locator(f'.first-map-over[data-first-map="{graph}"] svg')
        assert over.is_visible()
        box = over.bounding_box()
        assert box["width"] > 300 and box["height"] > 300


@pytest.mark.parametrize("path", ["/", "/views/galati-circular"])
def test_the_live_maps_take_the_svgs_place_without_a_shift(page, path):
    page.goto(page.base_url + path, wait_until="commit")
    page.wait_for_selector("#first-paint [data-first-map] svg", timeout=WAIT_MS)
    before = page.evaluate(BOXES_JS, "#first-paint [data-first-map]")
    page.wait_for_function(LIVE_DRAWN_JS, timeout=WAIT_MS)
    after = page.evaluate(BOXES_JS, ", ".join(b[0] for b in before))
    assert before and len(after) == len(before)
    for (_, *old), (_, *new) in zip(before, after, strict=True):
        assert all(abs(a - b) <= 1 for a, b in zip(old, new, strict=True)), (before, after)
    assert page.page_errors == []


@pytest.mark.parametrize("path", ["/", "/views/galati-circular"])
def test_dashs_scripts_are_fetched_only_after_the_first_paint(page, path):
    """assets/after-paint.js: no script of Dash's is requested before the server-drawn page
    is on screen (first-contentful-paint), and Dash then starts as before."""
    page.goto(page.base_url + path, wait_until="commit")
    page.wait_for_function(LIVE_DRAWN_JS, timeout=WAIT_MS)
    painted, requested = page.evaluate("""() => [
        performance.getEntriesByName('first-contentful-paint')[0].startTime,
        performance.getEntriesByType('resource')
            .filter(e => e.name.includes('/_dash-component-suites/')).map(e => e.startTime)]""")
    assert len(requested) > 10 and min(requested) >= painted, (painted, sorted(requested)[:3])
    assert page.evaluate("() => typeof window.renderer") == "object"
    assert page.page_errors == [] and page.failed_requests == []


# Counts the paint observers a page starts (assets/after-paint.js starts one to wait for
# first-contentful-paint).
PAINT_OBSERVERS_JS = """window.paintObservers = 0;
window.PerformanceObserver = class extends window.PerformanceObserver {
    observe(options) {
        if (options.type === 'paint') window.paintObservers++;
        super.observe(options);
    }
};"""
HIDDEN_JS = "Object.defineProperty(document, 'visibilityState', {get: () => 'hidden'})"


@pytest.mark.parametrize(
    "setting, observers",
    [
        ("", 1),  # the usual page: the scripts wait for the paint
        ("delete window.PerformanceObserver", 0),  # no paint timing (new one would throw)
        (HIDDEN_JS, 0),  # a tab opened in the background paints nothing until shown
    ],
)
def test_the_scripts_wait_for_a_paint_only_where_one_comes(page, setting, observers):
    page.add_init_script(PAINT_OBSERVERS_JS + setting)
    page.goto(page.base_url + "/", wait_until="commit")
    page.wait_for_function(LIVE_DRAWN_JS, timeout=WAIT_MS)
    assert page.evaluate("() => typeof window.renderer") == "object"
    assert page.evaluate("() => window.paintObservers") == observers
    assert page.page_errors == [] and page.failed_requests == []
