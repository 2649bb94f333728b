"""Print and image export: each view on one A4 landscape page; PNG download on every chart."""

from __future__ import annotations

import re

import pytest

from layers.views import load_views
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
VIEWS, _ = load_views()


def _pages(pdf: bytes) -> int:
    return len(re.findall(rb"/Type\s*/Page[^s]", pdf))


@pytest.mark.parametrize("slug", sorted(VIEWS))
def test_each_view_prints_on_one_a4_landscape_page(page, slug):
    page.goto(f"{page.base_url}/views/{slug}")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 2 && "
        "Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g._fullLayout) && "
        "document.querySelector('img.print-map').complete",
        timeout=WAIT_MS,
    )
    page.emulate_media(media="print")
    assert page.is_visible("img.print-map") and not page.is_visible(".view-map")
    for must_show in (".synthetic-notice", "h1", "footer"):
        assert page.is_visible(must_show), must_show
    text = page.inner_text("main")
    assert "Datenstand:" in text and "Filter:" in text and "GeoBasis-DE" in text
    pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"view-{slug}.pdf").write_bytes(pdf)
    assert _pages(pdf) == 1


def test_every_chart_offers_a_png_download_labelled_in_german(page):
    _load(page)
    labels = {"ruhr-map": "Karte", "origin-map": "Karte", "series-chart": "Diagramm"}
    for graph, kind in labels.items():
        box = page.locator(f"[data-export-graph='{graph}']")
        png = box.locator(f"button[aria-label='{kind} als PNG herunterladen']")
        assert png.count() == 1, graph
        assert box.locator(f"button[aria-label='{kind} als SVG herunterladen']").count() == 1
        # plotly's own download (no title, filters or sources) is gone from the modebar
        assert page.locator(f"#{graph} .modebar-btn[data-title*='PNG']").count() == 0
        # nothing may upload a chart to a cloud service
        assert page.locator(f"#{graph} .modebar-btn[data-title='Share chart...']").count() == 0
    with page.expect_download(timeout=WAIT_MS) as download:
        page.click("[data-export-graph='series-chart'] [data-export-format='png']")
    assert download.value.suggested_filename == "series-2014-2024.png"
