"""A planner compares three towns: picks them by shift-click, reads three series, reads the
table, downloads its CSV, and the link opens the same comparison."""

from __future__ import annotations

import csv
import io
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load, _on_screen
from tests.helpers import BOCHUM, DORTMUND, DUISBURG, GELSENKIRCHEN

pytestmark = pytest.mark.browser
TRACES = "() => document.querySelector('#compare-chart .js-plotly-plot')?.data?.length"
THREE_TOWNS = f"/?tab=compare&sel=m:{GELSENKIRCHEN},m:{DUISBURG},m:{DORTMUND}"
MIN_PRINT_PX = 8 / 72 * 96  # 8 pt

# Every visible text (an element with text of its own, SVG text too) with its font size
# on paper: the computed size times the zoom of the element and of all its ancestors.
PRINTED_TEXTS = """() => {
    const zoom = el => {
        let z = 1;
        for (let e = el; e; e = e.parentElement) z *= parseFloat(getComputedStyle(e).zoom) || 1;
        return z;
    };
    const out = [];
    for (const el of document.querySelectorAll('body *')) {
        const own = Array.from(el.childNodes)
            .some(n => n.nodeType === Node.TEXT_NODE && n.textContent.trim());
        const style = getComputedStyle(el);
        if (!own || !el.getClientRects().length || style.visibility === 'hidden') continue;
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        out.push({px: parseFloat(style.fontSize) * zoom(el), tag: el.tagName,
                  text: el.textContent.trim().slice(0, 60)});
    }
    return out;
}"""


def test_select_three_towns_and_read_three_series(page):
    _load(page, "/?lang=en&tab=compare")
    for n, town in enumerate(("Gelsenkirchen", "Duisburg", "Dortmund")):
        x, y = _on_screen(page, town)
        page.keyboard.down("Shift")
        page.mouse.click(x, y)
        page.keyboard.up("Shift")
        page.wait_for_function(
            f"() => document.querySelector('#selection-label').innerText.split(' + ').length"
            f" === {n + 1}", timeout=WAIT_MS)  # fmt: skip
    assert page.inner_text("#selection-label") == "Gelsenkirchen + Duisburg + Dortmund"
    page.wait_for_function(f"{TRACES} === 4", timeout=WAIT_MS)  # three towns + the Ruhr
    names = page.evaluate(
        "() => document.querySelector('#compare-chart .js-plotly-plot').data.map(t => t.name)"
    )
    assert names == ["Gelsenkirchen", "Duisburg", "Dortmund", "whole Ruhr region"]
    assert page.url.endswith(f"sel=m:{GELSENKIRCHEN},m:{DUISBURG},m:{DORTMUND}")
    header = page.locator("#compare-table .compare-table th[scope=col]").all_inner_texts()
    assert header == ["Indicator", "Gelsenkirchen", "Duisburg", "Dortmund", "Ruhr average",
                      "Ruhr median"]  # fmt: skip
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "compare-1440.png", full_page=True)
    with page.expect_download() as download:
        page.get_by_role("button", name="Download as CSV").click()
    with open(download.value.path(), encoding="utf-8") as handle:
        rows = list(csv.DictReader(io.StringIO(handle.read())))
    assert {"Gelsenkirchen", "Duisburg", "Dortmund", "mean", "median"} <= set(rows[0])
    arrivals = next(r for r in rows if r["indicator"] == "arrivals")
    shown = page.locator("#compare-table .compare-table tr", has_text="Arrivals (persons)").first
    assert f"{float(arrivals['Dortmund']):,.0f}" in shown.inner_text()


def test_a_comparison_link_opens_the_same_comparison(page):
    _load(page, f"/?lang=en&tab=compare&sel=m:{GELSENKIRCHEN},m:{DUISBURG}")
    page.wait_for_function(f"{TRACES} === 3", timeout=WAIT_MS)
    assert page.inner_text("#selection-label") == "Gelsenkirchen + Duisburg"
    assert "Gelsenkirchen + Duisburg" in page.inner_text("#origin-map-title")


def test_a_comparison_prints_on_one_a4_page(page):
    from tests.browser.test_print import _pages

    _load(page, f"/?tab=compare&sel=m:{GELSENKIRCHEN},m:{DUISBURG},m:{DORTMUND}")
    page.wait_for_function(f"{TRACES} === 4", timeout=WAIT_MS)
    page.wait_for_selector("#compare-table table")
    page.emulate_media(media="print")
    assert page.is_visible("#compare-table") and page.is_visible(".synthetic-notice")
    assert not page.is_visible(".filters")
    pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / "compare.pdf").write_bytes(pdf)
    assert _pages(pdf) == 1


def test_one_click_compares_a_town_with_the_most_similar_ones(page):
    _load(page, f"/?lang=en&tab=compare&sel=m:{DORTMUND}")
    page.wait_for_function(
        "() => document.querySelector('#similar-text').innerText.includes('Most alike')",
        timeout=WAIT_MS,
    )
    page.get_by_role("button", name="Compare with similar municipalities").click()
    page.wait_for_function(f"{TRACES} === 6", timeout=WAIT_MS)  # five towns + the Ruhr
    names = page.inner_text("#selection-label").split(" + ")
    assert names[0] == "Dortmund" and len(names) == 5
    assert all(name in page.inner_text("#similar-text") for name in names[1:])


def _open_comparison(page, width: int, height: int) -> None:
    page.set_viewport_size({"width": width, "height": height})
    _load(page, THREE_TOWNS)
    page.wait_for_function(f"{TRACES} === 4", timeout=WAIT_MS)
    page.wait_for_selector("#compare-table .compare-table")
    page.wait_for_timeout(300)  # the chart's resize to the viewport


# Elements of the comparison panel reaching past the viewport (boxes, not what a
# scrolling container clips: a table inside .table-responsive counts with its full width),
# and containers that would scroll sideways.
TOO_WIDE = """() => {
    const out = [];
    for (const el of document.querySelectorAll('#panel-compare, #panel-compare *')) {
        const box = el.getBoundingClientRect();
        if (box.width === 0 || box.height === 0) continue;
        const scrolls = ['auto', 'scroll'].includes(getComputedStyle(el).overflowX)
            && el.scrollWidth > el.clientWidth + 1;
        if (box.left < -0.5 || box.right > innerWidth + 0.5 || scrolls)
            out.push(`${el.tagName}.${el.className} ${Math.round(box.left)}..`
                     + `${Math.round(box.right)} scroll ${el.scrollWidth}/${el.clientWidth}`);
    }
    return out;
}"""


def test_the_comparison_reads_without_sideways_scrolling_on_a_phone(page):
    _open_comparison(page, 390, 844)
    page.locator("#compare-table").scroll_into_view_if_needed()
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#panel-compare").screenshot(path=ARTIFACTS / "compare-phone-390.png")
    too_wide = page.evaluate(TOO_WIDE)
    assert too_wide == [], too_wide[:8]
    assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
    # each value still says which area and which indicator it belongs to
    row = page.locator("#compare-table .compare-table tbody tr").first
    assert "Gelsenkirchen" in row.inner_text() and "Zuzüge" in row.inner_text()
    # and a share's interval on its value's line (as on screen: to one decimal)
    housing = page.locator("#compare-table .compare-table tr", has_text="Bedarf: Wohnen").first
    assert re.search(r"\n\d+,\d \(\d+,\d–\d+,\d\)\n", housing.inner_text())


def test_the_comparison_is_a_table_with_headers_at_desktop_width(page):
    _open_comparison(page, 1440, 900)
    header = page.locator("#compare-table .compare-table thead th[scope=col]")
    expect(header.first).to_be_visible()
    table = "document.querySelector('#compare-table .compare-table')"
    assert page.evaluate(f"() => getComputedStyle({table}).display") == "table"


def _print_pdf(page, name: str) -> bytes:
    pdf = page.pdf(format="A4", landscape=True, print_background=True, prefer_css_page_size=True)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    (ARTIFACTS / f"{name}.pdf").write_bytes(pdf)
    return pdf


FIVE_TOWNS = f"{THREE_TOWNS},m:{BOCHUM},m:05113000"  # and Essen
# the five longest names (Voerde (Niederrhein), Mülheim an der Ruhr, Fröndenberg/Ruhr,
# Oer-Erkenschwick, Neukirchen-Vluyn): the widest headers a comparison can have
LONGEST = "/?tab=compare&sel=m:05170044,m:05117000,m:05978012,m:05562028,m:05170028"
# Each visible plotly legend entry's bottom below its legend's box: a legend that scrolls.
LEGEND_CUT = """() => {
    const out = [];
    for (const legend of document.querySelectorAll('#compare-chart .legend')) {
        const box = legend.querySelector('.bg').getBoundingClientRect();
        for (const entry of legend.querySelectorAll('.traces')) {
            const r = entry.getBoundingClientRect();
            if (r.bottom > box.bottom + 1 || r.top < box.top - 1) out.push(entry.textContent);
        }
    }
    return out;
}"""


def _print_preview(page, url: str, width: int, areas: int) -> None:
    page.set_viewport_size({"width": width, "height": 900})
    _load(page, url)
    page.wait_for_function(f"{TRACES} === {areas + 1}", timeout=WAIT_MS)
    page.wait_for_selector("#compare-table .compare-table")
    page.emulate_media(media="print")
    page.wait_for_timeout(300)  # the chart redrawn at its printed size


def _box(page, selector: str) -> dict:
    return page.locator(selector).first.bounding_box()


@pytest.mark.parametrize(("width", "areas"), [(1440, 3), (1024, 3), (1440, 5), (1024, 5)])
def test_the_printed_comparison_is_legible_and_says_what_it_is(page, width, areas):
    from tests.browser.test_print import _pages

    _print_preview(page, THREE_TOWNS if areas == 3 else FIVE_TOWNS, width, areas)
    texts = page.evaluate(PRINTED_TEXTS)
    small = [t for t in texts if t["px"] < MIN_PRINT_PX]
    assert texts and not small, f"{len(small)} texts under 8 pt on paper, e.g. {small[:5]}"
    for must_show in ("h1", ".synthetic-notice", "footer", "#compare-chart .main-svg",
                      "#compare-table .compare-table caption", ".compare-shares"):  # fmt: skip
        assert page.is_visible(must_show), must_show
    printed = page.inner_text("body")
    assert "2014–2024" in printed and "GeoBasis-DE" in printed  # the filters, the sources
    assert "Synthetische Demonstrationsdaten" in printed
    assert not page.is_visible("#compare-picker") and not page.is_visible("#compare-csv")
    # the intervals in whole per cent on paper, and the caption says so
    housing = page.locator("#compare-table .compare-table tr", has_text="Bedarf: Wohnen").first
    assert re.search(r"\(\d+–\d+\)", housing.inner_text())
    assert not re.search(r"\(\d+,\d", housing.inner_text())
    assert "auf ganze Prozent gerundet" in printed
    chart, table = _box(page, "#compare-chart .main-svg"), _box(page, ".compare-table")
    shares, legend = _box(page, ".compare-shares"), _box(page, "#compare-chart .legend")
    if areas == 3:  # the chart beside the table, its legend above the shares
        assert chart["x"] + chart["width"] <= table["x"] + 1
        assert legend["y"] + legend["height"] <= min(chart["y"] + chart["height"], shares["y"]) + 1
    else:  # the table across the page, the chart (its legend on the right) beside the shares
        assert chart["y"] >= table["y"] + table["height"] - 1
        assert legend["x"] + legend["width"] <= min(chart["x"] + chart["width"], shares["x"]) + 1
    assert page.evaluate(LEGEND_CUT) == [], "a legend entry scrolled out of sight"
    assert _pages(_print_pdf(page, f"compare-print-{areas}-{width}")) == 1
    # and with room to spare (other fonts, e.g. CI's): laid out at the page's width
    # (A4 landscape less 8 mm margins), it takes at most 95 % of the page's height
    page.set_viewport_size({"width": 1062, "height": 733})
    page.wait_for_timeout(300)
    assert page.evaluate("() => document.body.scrollHeight") <= 0.95 * 733
    # and back on screen: the chart as it was, its legend below it
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    orientation = "document.querySelector('#compare-chart .js-plotly-plot').layout.legend"
    assert page.evaluate(f"() => {orientation}.orientation") == "h"


@pytest.mark.parametrize("lang", ["de", "en"])
def test_five_towns_with_the_longest_names_print_on_one_page(page, lang):
    from tests.browser.test_print import _pages

    _print_preview(page, f"{LONGEST}&lang={lang}", 1440, 5)
    heads = page.locator("#compare-table .compare-table thead th").all_inner_texts()
    assert "Mülheim an der Ruhr" in [h.replace("\n", " ") for h in heads]
    # each indicator on one line: the values' columns give way, not the names
    names = page.locator("#compare-table .compare-table tbody th")
    heights = {round(b["height"]) for b in (names.nth(i).bounding_box()
                                            for i in range(names.count()))}  # fmt: skip
    assert len(heights) == 1, f"indicator names on more than one line: {heights}"
    assert page.evaluate(LEGEND_CUT) == []
    assert _pages(_print_pdf(page, f"compare-print-longest-{lang}")) == 1
