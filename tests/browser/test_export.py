"""Image export (issue 17.3, 17.5): every chart's PNG and SVG carry the chart's title, the
filters, the sources and the data notice and are named after what they show; plotly's
modebar is not in the keyboard's order."""

from __future__ import annotations

import re
import struct
import xml.etree.ElementTree as ET

import pytest

from dashboard.i18n import t
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
FILTERED = "years=2019-2022&type=circular"
STEM = "ruhr-arrivals-per-1000-2019-2022-circular"


def _download(page, graph_id: str, fmt: str):
    with page.expect_download(timeout=WAIT_MS) as download:
        page.click(f"[data-export-graph='{graph_id}'] [data-export-format='{fmt}']")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    target = ARTIFACTS / f"export-{download.value.suggested_filename}"
    download.value.save_as(target)
    return download.value.suggested_filename, target.read_bytes()


def _svg_text(svg: bytes) -> str:
    """The SVG's texts, each <text> element's lines joined by spaces."""
    root = ET.fromstring(svg)
    texts = [" ".join(e.itertext()) for e in root.iter("{http://www.w3.org/2000/svg}text")]
    return re.sub(r"\s+", " ", " ".join(texts))


def test_ruhr_map_png_is_named_after_its_filters_and_sized_with_its_texts(page):
    _load(page, f"/?lang=de&{FILTERED}")
    button = page.locator("[data-export-graph='ruhr-map'] [data-export-format='png']")
    assert button.get_attribute("aria-label") == "Karte als PNG herunterladen"
    name, png = _download(page, "ruhr-map", "png")
    assert name == f"{STEM}.png"
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and png[12:16] == b"IHDR"
    width, height = struct.unpack(">II", png[16:24])
    drawn = page.evaluate("() => document.querySelector('#ruhr-map .js-plotly-plot')"
                          "._fullLayout.height")  # fmt: skip
    assert width == 2 * 640  # at scale 2, at least 640 px wide
    assert height > 2 * (drawn + 100)  # the map and the texts above and below it


@pytest.mark.parametrize("lang", ["de", "en"])
def test_svg_carries_title_filters_source_and_notice(page, lang):
    _load(page, f"/?lang={lang}&{FILTERED}")
    name, svg = _download(page, "ruhr-map", "svg")
    assert name == f"{STEM}.svg"
    text = _svg_text(svg)
    title = page.inner_text("#ruhr-map-title").strip()
    filters = {"de": "Filter: Jahr 2019–2022 · Zirkulär Migrierende · Herkunftsland: beide",
               "en": "Filters: Year 2019–2022 · Circular · Origin country: both"}[lang]  # fmt: skip
    for must in (title, filters, t("attribution", lang), t("synthetic_notice", lang)):
        assert must in text, must
    # the place names keep their halo in the image (drawn by plotly, not by the page's CSS)
    root = ET.fromstring(svg)
    names = [e for e in root.iter("{http://www.w3.org/2000/svg}text") if e.text == "Dortmund"]
    assert names and all("text-shadow" in e.get("style", "") for e in names)


def test_tab_chart_is_named_after_its_tab(page):
    _load(page, "/?lang=en&tab=diversity&year=2020&country=RO")
    page.wait_for_function(
        "() => document.querySelector('#languages-chart .js-plotly-plot')?._fullLayout",
        timeout=WAIT_MS,
    )
    name, svg = _download(page, "languages-chart", "svg")
    assert name == "diversity-languages-2020-ro.svg"
    text = _svg_text(svg)
    assert "Diversity" in text and "Filters: Year 2020 · all migration types" in text


def test_tab_from_the_top_never_lands_on_a_modebar_button(page):
    _load(page)
    page.locator("#ruhr-map .modebar-btn").first.wait_for(state="attached", timeout=WAIT_MS)
    assert page.locator(".modebar-btn").count() > 0
    seen = set()
    for _ in range(300):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const e = document.activeElement; const again = !!e.dataset?.tabbed;"
            " if (e.dataset) e.dataset.tabbed = '1'; return [String(e.className || ''),"
            " e.closest('[data-export-graph]')?.dataset.exportGraph || '', again]; }"
        )
        assert "modebar-btn" not in focused[0]
        if focused[2]:  # round the page once
            break
        if focused[1]:
            assert focused[1] not in seen, "one Tab stop per chart"
            seen.add(focused[1])
    assert {"ruhr-map", "origin-map"} <= seen
