"""The URL is the state: open a copied link in a fresh browser, step back and forward."""

from __future__ import annotations

import pytest

from tests.browser.test_dashboard import GRAPH, WAIT_MS, _load, _wait_for_values, _z

pytestmark = pytest.mark.browser

SHARED = "/?lang=en&tab=needs&year=2019&type=return,circular&metric=need_housing&sel=m:05913000"


def test_a_copied_link_reproduces_the_view_in_a_fresh_browser(page, browser):
    _load(page, SHARED, unpublished=("origin-map",))  # survey values of Dortmund × region
    title = page.inner_text("#ruhr-map-title")
    assert title == "Ruhr municipalities (53) · Need: Housing · 2019"
    assert "Dortmund" in page.inner_text("#selection-label")
    assert page.get_by_role("radio", name="Support needs").is_checked()
    assert page.is_visible("#needs-chart") and not page.is_visible("#series-chart")
    assert page.is_checked("input[value=circular]") and not page.is_checked(
        "input[value=immigrant]"
    )
    values = _z(page, "ruhr-map")
    link = page.input_value("#share-url")
    assert link.endswith(SHARED)
    fresh = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
    fresh.base_url = page.base_url
    _load(fresh, link.removeprefix(page.base_url), unpublished=("origin-map",))
    assert fresh.inner_text("#ruhr-map-title") == title
    assert _z(fresh, "ruhr-map") == values
    fresh.context.close()


def test_back_and_forward_step_through_changes(page):
    _load(page, "/?lang=en")
    page.get_by_text("Circular", exact=True).click()
    page.wait_for_url("**/?lang=en&type=immigrant,return,transnational", timeout=WAIT_MS)
    page.get_by_text("Romania", exact=True).click()
    page.wait_for_url("**country=RO", timeout=WAIT_MS)
    page.go_back()
    page.wait_for_function(
        "() => document.querySelector('input[value=both]').checked", timeout=WAIT_MS
    )
    assert not page.is_checked("input[value=circular]")
    page.go_back()
    page.wait_for_function(
        "() => document.querySelector('input[value=circular]').checked", timeout=WAIT_MS
    )
    page.go_forward()
    page.wait_for_function(
        "() => !document.querySelector('input[value=circular]').checked", timeout=WAIT_MS
    )
    assert page.url.endswith("/?lang=en&type=immigrant,return,transnational")


def test_invalid_link_falls_back_with_a_notice_not_an_error(page):
    _load(page, "/?year=1999&metric=<script>&sel=o:XX")
    notice = page.inner_text("#url-notice")
    assert "ungültig oder veraltet" in notice and "'metric'" in notice
    assert page.inner_text("#ruhr-map-title") == "Ruhr-Kommunen (53) · Zuzugsrate · 2014–2024"
    assert page.page_errors == []


def test_language_switch_keeps_the_view(page):
    _load(page, "/?year=2020&country=BG")
    page.get_by_role("link", name="English").click()
    page.wait_for_url("**/?lang=en&year=2020&country=BG", timeout=WAIT_MS)
    page.wait_for_function(
        "() => (document.querySelector('#ruhr-map-title')?.innerText || '')"
        ".includes('Arrival rate · 2020')",
        timeout=WAIT_MS,
    )
    assert page.is_checked("input[value=BG]")
    _wait_for_values(page, "ruhr-map")
    assert page.evaluate(f"() => {GRAPH.format(id='ruhr-map')}._fullLayout.separators") == ".,"
