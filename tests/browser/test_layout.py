"""Readable everywhere (issue 17.1, 17.2): every tab of the explorer, the comparison, the
curated views and their printed pages, in German and English, at a desktop's, a small
laptop's and a phone's width: no text cut by its chart or the page, no two labels on top
of each other, no type below 11 px on screen or 8 pt on paper, no control whose chosen
text does not fit, and no word, number or date of the other language. The measuring is
tests/browser/layout_check.js on the rendered page; each case's screenshot lands in
artifacts/browser/layout/ to be looked at."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from dashboard.state import TABS
from layers import kosmati, regions
from layers.views import load_views
from tests.browser.conftest import ARTIFACTS
from tests.browser.language import leaks
from tests.browser.test_dashboard import WAIT_MS

pytestmark = pytest.mark.browser
CHECK = (Path(__file__).with_name("layout_check.js")).read_text(encoding="utf-8")
SCREENS = {1440: 900, 1024: 768, 390: 844}
SHOTS = ARTIFACTS / "layout"
PRINT_PX = 8 * 96 / 72  # 8 pt
# Three towns compared, so that the comparison has its table and chart.
COMPARED = "sel=m:05913000,m:05911000,m:05513000"
VIEWS, _ = load_views()
# Shown as they are in both languages: the places, and the survey's languages and
# countries by their names.
NAMES = frozenset(
    w
    for r in (*regions.MUNICIPALITIES, *regions.ORIGIN_REGIONS)
    for w in r.name.replace("(", " ").replace(")", " ").split()
) | frozenset(  # the services' own (German) names, as an inventory gives them (lang="de")
    w for name in kosmati.read_inventory(None).table["service"] for w in re.findall(r"\w+", name)
)
# What the page's text is, as a reader gets it: the visible text, the charts' SVG text and
# the chosen option of each select.
PAGE_TEXT = """() => {
  const svg = Array.from(document.querySelectorAll('.main-svg text'))
    .filter(t => t.getClientRects().length && getComputedStyle(t).visibility !== 'hidden')
    .map(t => t.textContent);
  const chosen = Array.from(document.querySelectorAll('select'))
    .filter(s => s.selectedIndex >= 0).map(s => s.options[s.selectedIndex].text);
  return [document.body.innerText, ...svg, ...chosen].join('\\n');
}"""
SETTLED = """() => !document.querySelector('[data-dash-is-loading="true"]') &&
  Array.from(document.querySelectorAll('.js-plotly-plot'))
    .every(g => !g.getClientRects().length || g._fullLayout)"""


def _settle(page):
    page.wait_for_function(SETTLED, timeout=WAIT_MS)
    page.wait_for_timeout(300)  # the assets' redrawing after plotly's (fit.js, legend.js)
    page.wait_for_function(SETTLED, timeout=WAIT_MS)


def _check(page, case: str, min_px: float = 11, full_page: bool = True) -> list[str]:
    """What the settled page shows: a finding is measured again after 1.5 s (fit.js may
    still be fitting a chart redrawn at the new width) and kept if it is still there."""
    found = page.evaluate(CHECK, {"minPx": min_px, "scope": None})
    if found:
        page.wait_for_timeout(1500)
        found = page.evaluate(CHECK, {"minPx": min_px, "scope": None})
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{case}.png"), full_page=full_page)
    return [f"{case}: {f}" for f in found]


def _language(page, case: str, lang: str) -> list[str]:
    return [f"{case}: {p}" for p in leaks(page.evaluate(PAGE_TEXT), lang, NAMES)]


@pytest.fixture
def screen(browser, live_server):
    """A page of its own size (set per case), recording the page's script errors."""
    context = browser.new_context(viewport={"width": 1440, "height": 900})
    page = context.new_page()
    page.base_url = live_server
    page.page_errors = []
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    yield page
    context.close()


def _at_each_width(page):
    """Each screen size in turn, the page reflowed (plotly redraws on the resize)."""
    for width, height in SCREENS.items():
        page.set_viewport_size({"width": width, "height": height})
        _settle(page)
        yield width


# The tabs in three groups, each a test of its own (pytest-xdist runs them side by side);
# each group still goes 1440 → 1024 → 390 px with the other tabs closed, as a reader does.
TAB_GROUPS = [TABS[:4], TABS[4:8], TABS[8:]]


@pytest.mark.parametrize("tabs", TAB_GROUPS, ids=lambda tabs: "-".join(tabs))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_tab_reads_whole_and_in_one_language(screen, lang, tabs):
    page, found = screen, []
    page.goto(f"{page.base_url}/?lang={lang}&{COMPARED}")
    _settle(page)
    for width in _at_each_width(page):
        for tab in tabs:
            page.locator(f"#analysis-tabs label[for$='_input_{tab}']").click()
            page.wait_for_function(
                f"() => !document.getElementById('panel-{tab}').hidden", timeout=WAIT_MS
            )
            _settle(page)
            case = f"explorer-{lang}-{width}-{tab}"
            found += _check(page, case) + _language(page, case, lang)
    assert page.page_errors == []
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_curated_view_reads_whole_and_in_one_language(screen, lang):
    page, found = screen, []
    for slug in ["", *sorted(VIEWS)]:
        page.goto(f"{page.base_url}/views{'/' + slug if slug else ''}?lang={lang}")
        _settle(page)
        for width in _at_each_width(page):
            case = f"view-{lang}-{width}-{slug or 'index'}"
            found += _check(page, case) + _language(page, case, lang)
    assert not page.page_errors
    assert not found, "\n".join(found)


@pytest.mark.parametrize("lang", ["de", "en"])
def test_every_printed_page_reads_whole_at_8_pt(screen, lang):
    """The explorer (its maps, then the open tab), the comparison and each view, as
    printed: emulated print media at the width of an A4 landscape page less its margins."""
    page = screen
    page.set_viewport_size({"width": 1062, "height": 733})
    pages = [f"/?lang={lang}&{COMPARED}", f"/?lang={lang}&tab=needs&type=return,circular"]
    pages += [f"/?lang={lang}&tab=compare&{COMPARED}"]
    pages += [f"/views/{slug}?lang={lang}" for slug in sorted(VIEWS)]
    found = []
    for path in pages:
        page.emulate_media(media="screen")
        page.goto(page.base_url + path)
        _settle(page)
        page.emulate_media(media="print")
        _settle(page)
        case = "print-" + path.strip("/").replace("?", "-").replace("&", "-").replace("=", "")
        case = case.replace(":", "").replace(",", "")[:80]
        found += _check(page, case, PRINT_PX) + _language(page, case, lang)
    assert not page.page_errors
    assert not found, "\n".join(found)
