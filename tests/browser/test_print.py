"""Print and image export: each view on one A4 landscape page; PNG download on every chart."""

from __future__ import annotations

import io

import pypdf
import pytest

from layers.views import load_views
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
VIEWS, _ = load_views()


def _pages(pdf: bytes) -> int:
    return len(pypdf.PdfReader(io.BytesIO(pdf)).pages)


# A4 landscape less the page's margins (app.css, @page: 8 mm) in CSS px (96 per inch)
PRINTED_AREA = (round((297 - 16) * 96 / 25.4), round((210 - 16) * 96 / 25.4))
EIGHT_POINT = 8 * 96 / 72  # 10.67 px
# The smallest text shown on paper: each visible element's own text (HTML and the charts'
# SVG), at its computed size times the zoom it is printed at.
SMALLEST_TEXT = """() => {
  const found = [];
  for (const el of document.querySelectorAll("body *")) {
    const own = Array.from(el.childNodes).some(
      (n) => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
    if (!own || !el.getClientRects().length) continue;
    const style = getComputedStyle(el);
    if (style.visibility === "hidden" || style.display === "none" || style.opacity === "0")
      continue;
    const zoom = el.currentCSSZoom ?? 1;
    found.push([parseFloat(style.fontSize) * zoom, el.textContent.trim().slice(0, 40)]);
  }
  return found.sort((a, b) => a[0] - b[0]).slice(0, 3);
}"""
REDRAWN = """() => { const g = document.querySelector('.view-chart .js-plotly-plot');
  return g.dataset.screenLayout &&
    Math.abs(g._fullLayout.height - g.parentElement.getBoundingClientRect().height) < 2; }"""


@pytest.mark.parametrize("lang", ["de", "en"])
@pytest.mark.parametrize("slug", sorted(VIEWS))
def test_each_view_prints_on_one_a4_landscape_page(page, slug, lang):
    # laid out at the printed area's width, as on paper
    page.set_viewport_size({"width": PRINTED_AREA[0], "height": PRINTED_AREA[1]})
    page.goto(f"{page.base_url}/views/{slug}?lang={lang}")
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot').length === 2 && "
        "Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g._fullLayout) && "
        "document.querySelector('img.print-map').complete",
        timeout=WAIT_MS,
    )
    page.emulate_media(media="print")
    page.wait_for_function(REDRAWN, timeout=WAIT_MS)  # the chart at its printed size
    assert page.is_visible("img.print-map") and not page.is_visible(".view-map")
    for must_show in (".synthetic-notice", "h1", "footer", ".map-summary", ".view-chart"):
        assert page.is_visible(must_show), must_show
    for must_not in (".view-share", "#copy-link", "#embed-code", ".navbar .btn"):
        assert not page.is_visible(must_not), must_not
    text = page.inner_text("main")
    words = {"de": ("Datenstand:", "Filter:"), "en": ("Data as of:", "Filters:")}[lang]
    assert all(word in text for word in words) and "GeoBasis-DE" in text
    smallest = page.evaluate(SMALLEST_TEXT)
    assert smallest[0][0] >= EIGHT_POINT - 0.01, smallest  # 8 pt or more
    height = page.evaluate("() => document.querySelector('main').getBoundingClientRect().bottom")
    assert 0.6 * PRINTED_AREA[1] <= height <= PRINTED_AREA[1], height  # filled, not spilled
    pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"view-{slug}-{lang}.pdf").write_bytes(pdf)
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


EXPLORER = "sel=m:05913000,m:05911000,m:05513000"  # Dortmund, Bochum, Gelsenkirchen
ON_PAGE_ONE = {
    "de": ("Auswahl: Dortmund + Bochum + Gelsenkirchen", "Ruhr-Kommunen (53) · Zuzugsrate",
           "Herkunftsregionen (70) · Zuzugsrate", "Werte für 53 von 53", "Werte für 70 von 70"),
    "en": ("Selection: Dortmund + Bochum + Gelsenkirchen", "Ruhr municipalities (53) · Arrival",
           "Origin regions (70) · Arrival", "Values for 53 of 53", "Values for 70 of 70"),
}  # fmt: skip
SCREEN_SIZE = """() => Array.from(document.querySelectorAll('.map-graph .js-plotly-plot'))
  .every((gd) => gd.layout.height == null && !gd.dataset.screenSize)"""


@pytest.mark.parametrize(("width", "lang"), [(1440, "de"), (1024, "en"), (390, "de")])
def test_the_printed_explorer_has_filters_and_both_maps_on_page_one(page, width, lang):
    """Printed to PDF from a window of any width (beforeprint comes while the screen's
    styles hold): page 1 has the filters, both maps with their legends and summaries, the
    open tab's chart is on page 2, and the screen gets its own sizes back."""
    page.set_viewport_size({"width": width, "height": 900})
    _load(page, f"/?lang={lang}&{EXPLORER}")
    page.wait_for_timeout(500)  # the assets' redrawing after plotly's (fit.js, legend.js)
    pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    (ARTIFACTS / f"explorer-{width}-{lang}.pdf").write_bytes(pdf)
    reader = pypdf.PdfReader(io.BytesIO(pdf))
    first = " ".join(reader.pages[0].extract_text().split())
    for text in ON_PAGE_ONE[lang]:
        assert text in first, f"page 1 lacks {text!r}: {first[:400]}"
    assert "2014–2024" in first and "2014-2024" not in first  # a span with an en dash
    assert len(reader.pages) >= 2 and "2014" in reader.pages[1].extract_text()  # the series
    page.wait_for_function(SCREEN_SIZE, timeout=WAIT_MS)
