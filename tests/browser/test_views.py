"""Curated views in Chromium: the list, each presentation page, the way into the explorer."""

from __future__ import annotations

import pytest

from dashboard import figures
from layers.views import load_views
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
VIEWS, _ = load_views()


def test_views_list_shows_a_card_with_thumbnail_for_each_view(page):
    page.goto(page.base_url + "/views")
    page.wait_for_selector(".view-card", timeout=WAIT_MS)
    assert page.locator(".view-card").count() == len(VIEWS)
    page.wait_for_function(
        "() => Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)",
        timeout=WAIT_MS,
    )
    alts = page.locator(".view-card img").evaluate_all("imgs => imgs.map(i => i.alt)")
    assert all(alt.startswith("Vorschaukarte: ") for alt in alts)
    assert page.outside_requests == [] and page.failed_requests == []


@pytest.mark.parametrize("slug", sorted(VIEWS))
def test_each_view_page_renders_map_chart_and_fixed_scale(page, slug):
    view = VIEWS[slug]
    page.goto(f"{page.base_url}/views/{slug}?lang=en")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 2 && "
        "Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g._fullData)",
        timeout=WAIT_MS,
    )
    assert page.inner_text("h1") == view.title["en"]
    scale = page.evaluate(
        "() => { const t = document.querySelector('.view-map .js-plotly-plot')"
        f"._fullData[{figures.VALUES}];"
        " return [t.zmin, t.zmax]; }"
    )
    assert scale == list(view.scale)  # fixed, so two views compare
    assert "highest" in page.inner_text(".map-summary")
    assert page.locator(".synthetic-notice").is_visible()
    assert "Synthetic demonstration data" in page.inner_text(".synthetic-notice")
    assert page.page_errors == [] and page.outside_requests == []


def test_open_in_explorer_carries_the_state(page):
    page.goto(page.base_url + "/views/galati-circular?lang=en")
    page.get_by_role("link", name="Open in the explorer").click()
    page.wait_for_url("**/?lang=en&type=circular&country=RO&metric=arrivals&sel=o:RO224")
    _load(page, "/?lang=en&type=circular&country=RO&metric=arrivals&sel=o:RO224")
    assert "linked to Galați" in page.inner_text("#ruhr-map-title")
    assert page.is_checked("input[value=RO]")


def test_unknown_view_is_a_page_not_an_error(page):
    response = page.goto(page.base_url + "/views/no-such-view")
    assert response.status == 404  # for link checkers; people see the page
    page.wait_for_selector("h1", timeout=WAIT_MS)
    assert "gibt es nicht" in page.inner_text("h1")
    assert page.locator("main a[href='/views?lang=de']").count() == 1
    assert page.locator("main a[href='/']").count() == 1  # the explorer
