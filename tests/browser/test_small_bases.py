"""Small bases in the browser (issue 16.1): on the map of the CV of arrivals a municipality
with few arrivals is hatched, its tooltip gives the reason, and the summary under the
map no longer names it highest."""

from __future__ import annotations

import pytest

from dashboard import figures
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import GRAPH, WAIT_MS, _load, _on_screen

pytestmark = pytest.mark.browser

RUHR = GRAPH.format(id="ruhr-map")
BRECKERFELD = "05954004"  # circular migration only: 49 arrivals in 11 years, CV 0.94
PATH = "/?metric=arrivals_cv&type=circular"


def _lighter(page) -> dict:
    """The areas the low-base trace draws (its paths with a shape), their fill as the page
    paints it (the hatching of assets/app.css) and their outline."""
    return page.evaluate(
        f"""() => {{
            const groups = {RUHR}.querySelectorAll('g.trace.choropleth');
            const low = Array.from(groups).find(g => g.__data__[0].trace.name === 'low base');
            const drawn = Array.from(low ? low.querySelectorAll('path') : [])
                .filter(p => (p.getAttribute('d') || '').length > 10);
            return {{codes: drawn.map(p => p.__data__.loc),
                     fills: [...new Set(drawn.map(p => getComputedStyle(p).fill))],
                     strokes: [...new Set(drawn.map(p => p.style.stroke))]}};
        }}"""
    )


def _hover(page, municipality: str) -> str:
    x, y = _on_screen(page, municipality)
    page.mouse.move(x, y)
    page.wait_for_selector("#ruhr-map .hoverlayer .hovertext", timeout=WAIT_MS)
    return page.text_content("#ruhr-map .hoverlayer .hovertext")


def test_a_small_base_is_drawn_lighter_with_the_reason_and_left_out_of_the_summary(page):
    _load(page, PATH)
    page.wait_for_function(
        f"() => Array.from({RUHR}._fullData[{figures.LOW_BASE}].locations || []).length > 0",
        timeout=WAIT_MS,
    )
    lighter = _lighter(page)
    assert BRECKERFELD in lighter["codes"]
    assert lighter["fills"] == ['url("#low-base-hatch")']  # hatched, not only lighter
    assert lighter["strokes"] == ["rgb(89, 89, 89)"]  # figures.LOW_BASE_LINE
    assert page.evaluate("() => !!document.getElementById('low-base-hatch')")
    label = _hover(page, "Breckerfeld")
    page.locator("#ruhr-map").screenshot(path=ARTIFACTS / "small-bases-hover.png")
    assert "Breckerfeld" in label and "0,94" in label, label
    assert "geringe Basis: 49 Zuzüge in 11 Jahren (Mindestbasis: Ø 20 je Jahr)" in label, label
    summary = page.inner_text("#ruhr-map-summary")
    assert "am höchsten Breckerfeld" not in summary and "Breckerfeld (" not in summary
    assert "Gebiete mit geringer Basis ausgelassen, schraffiert" in summary
    assert "Schraffiert und grau umrandet: darunter" in page.inner_text("#metric-definition")
    page.mouse.move(5, 5)
    for width, height in ((1440, 1000), (390, 844)):
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)  # the maps follow the new width
        page.locator("#ruhr-map").scroll_into_view_if_needed()
        page.screenshot(path=ARTIFACTS / f"small-bases-{width}.png", full_page=False)
    assert page.page_errors == [] and page.console_errors == []


def test_a_count_has_no_small_bases_and_a_filter_change_updates_them(page):
    _load(page, "/?metric=arrivals_cv")  # all types: 5 municipalities under 20 a year
    page.wait_for_function(
        f"() => Array.from({RUHR}._fullData[{figures.LOW_BASE}].locations || []).length === 5",
        timeout=WAIT_MS,
    )
    assert BRECKERFELD in _lighter(page)["codes"]  # 148 arrivals: 13.5 a year
    page.click("input[value=immigrant]")  # untick: return, circular and transnational left
    page.wait_for_function(
        f"() => Array.from({RUHR}._fullData[{figures.LOW_BASE}].locations).length > 5",
        timeout=WAIT_MS,
    )
    page.select_option("#metric", "arrivals")  # a count: nothing hatched
    page.wait_for_function(
        f"() => Array.from({RUHR}._fullData[{figures.LOW_BASE}].locations || []).length === 0",
        timeout=WAIT_MS,
    )
    assert "geringe Basis" not in page.inner_text("#ruhr-map-summary")
    assert page.page_errors == [] and page.console_errors == []


MARK_JS = f"() => {{ {RUHR}.calcdata[{figures.VALUES}].marked = true; }}"


def test_same_small_bases_after_a_filter_change_recolour_in_place_with_new_reasons(page):
    """2014–2024 → 2015–2024 keeps the same 5 municipalities below a mean of 20 arrivals a
    year: the map is recoloured in place (assets/gate.js), and the tooltip says the new base
    (Breckerfeld: 148 arrivals in 11 years, then 134 in 10, CV 0.64 → 0.68)."""
    _load(page, "/?metric=arrivals_cv")
    assert "148 Zuzüge in 11 Jahren" in _hover(page, "Breckerfeld")
    page.mouse.move(5, 5)
    page.evaluate(MARK_JS)
    page.evaluate("() => window.dash_clientside.set_props('year-range', {value: [2015, 2024]})")
    page.wait_for_function(
        "() => document.querySelector('#ruhr-map-title').innerText.includes('2015–2024')",
        timeout=WAIT_MS,
    )
    page.wait_for_function(
        f"() => Array.from({RUHR}._fullData[{figures.VALUES}].text || [])"
        ".some(t => t.includes('10 Jahren'))",
        timeout=WAIT_MS,
    )
    assert page.evaluate(f"() => {RUHR}.calcdata[{figures.VALUES}].marked === true")  # in place
    label = _hover(page, "Breckerfeld")
    assert "0,68" in label and "geringe Basis: 134 Zuzüge in 10 Jahren" in label, label
    assert len(_lighter(page)["codes"]) == 5


GRID = "dash_ag_grid.getApi('ranking-grid')"


def test_the_ranking_and_the_comparison_mark_a_small_base(page):
    _load(page, PATH + "&tab=ranking&sort=-arrivals_cv")
    cell = page.locator(
        f"#ranking-grid .ag-row[row-id='{BRECKERFELD}'] .ag-cell[col-id='arrivals_cv']"
    )
    cell.first.wait_for(timeout=WAIT_MS)
    assert cell.first.inner_text() == "0,94 *"
    assert "low-base" in cell.first.get_attribute("class")
    assert cell.first.evaluate("c => getComputedStyle(c).fontStyle") == "italic"
    dortmund = page.evaluate(f"() => {GRID}.getRowNode('05913000').data.arrivals_cv__text")
    assert "*" not in dortmund  # many circular arrivals: no mark
    assert page.inner_text("#ranking-note").startswith("* geringe Basis: der Wert beruht")
    page.locator("#panel-ranking").screenshot(path=ARTIFACTS / "small-bases-ranking-1440.png")
    _load(page, PATH + f"&tab=compare&sel=m:{BRECKERFELD},m:05913000")
    row = page.locator("#compare-table .compare-table tr", has_text="Schwankung der Zuzüge (VK)")
    row.first.wait_for(timeout=WAIT_MS)
    cells = row.first.locator("td")
    assert cells.nth(0).inner_text().endswith("0,94 *")
    assert "low-base" in cells.nth(0).get_attribute("class")
    assert "*" not in cells.nth(1).inner_text()  # Dortmund
    assert "* geringe Basis" in page.inner_text("#compare-table .compare-table caption")
    page.set_viewport_size({"width": 390, "height": 844})
    row.first.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    page.screenshot(path=ARTIFACTS / "small-bases-compare-390.png", full_page=False)
    assert page.page_errors == [] and page.console_errors == []
