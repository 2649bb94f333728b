"""WCAG 2.1 AA checks in Chromium: axe-core on every page, keyboard operation, focus."""

from __future__ import annotations

import re

import pytest

from layers.views import load_views
from tests.browser.conftest import PROJECT_ROOT
from tests.browser.test_dashboard import WAIT_MS, _load

pytestmark = pytest.mark.browser
AXE = PROJECT_ROOT / ".cache" / "node" / "node_modules" / "axe-core" / "axe.min.js"
VIEWS, _ = load_views()
PAGES = ["/", "/?lang=en", "/?tab=diversity", "/?tab=remittances", "/?tab=needs",
         "/?tab=flows&lang=en", "/?tab=compare&sel=m:05513000,m:05112000&lang=en",
         "/?tab=ranking", "/?tab=scatter&lang=en", "/views", "/views?lang=en",
         *[f"/views/{slug}" for slug in sorted(VIEWS)]]  # fmt: skip


def _axe(page) -> list[dict]:
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: `make install-test` fetches axe-core from npm")
    # Evaluated through DevTools: the page's Content-Security-Policy rightly blocks injected tags.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    return page.evaluate(
        """async () => (await axe.run(document, {runOnly: ['wcag2a', 'wcag2aa', 'wcag21a',
            'wcag21aa', 'best-practice']})).violations.map(v => ({id: v.id, impact: v.impact,
            nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"""
    )


@pytest.mark.parametrize("path", PAGES)
def test_axe_finds_no_serious_or_critical_violation(page, path):
    page.goto(page.base_url + path)
    page.wait_for_function(
        "() => document.querySelectorAll('.js-plotly-plot, .view-card').length > 0 && "
        "Array.from(document.querySelectorAll('.js-plotly-plot')).every(g => g._fullLayout)",
        timeout=WAIT_MS,
    )
    page.wait_for_timeout(500)  # let callbacks settle so the scan sees the final page
    severe = [v for v in _axe(page) if v["impact"] in ("serious", "critical")]
    assert severe == []


@pytest.mark.parametrize("width,height", [(1440, 900), (1024, 768), (390, 844)])
def test_axe_is_clean_at_desktop_tablet_and_phone_widths(page, width, height):
    """The explorer at each width; on a phone with the filters' drawer open, so that its
    inputs (the year boxes among them) are scanned too."""
    page.set_viewport_size({"width": width, "height": height})
    _load(page, "/?lang=en")
    if width < 992:
        page.click("#filter-toggle")
        page.locator("#filter-drawer").wait_for(state="visible")
    page.wait_for_timeout(500)
    # the year boxes (the scenario's share box is in its closed tab)
    assert page.locator("#filter-drawer [data-input-labels] input[aria-label]").count() == 3
    severe = [v for v in _axe(page) if v["impact"] in ("serious", "critical")]
    assert severe == []


def test_filters_work_with_the_keyboard_alone(page):
    _load(page, "/?lang=en")
    page.focus("input[value=immigrant]")
    page.keyboard.press("Space")  # untick a checkbox
    page.wait_for_url(re.compile(r"type=return,circular,transnational"), timeout=WAIT_MS)
    page.focus("input[value=both]")
    page.keyboard.press("ArrowRight")  # radio group: next option
    page.wait_for_url(re.compile(r"country=RO"), timeout=WAIT_MS)
    page.focus("#metric")
    page.keyboard.press("End")  # a native select: last option, committed on Enter
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"metric=respondents"), timeout=WAIT_MS)
    page.focus("input[value=diversity]")
    page.keyboard.press("Space")  # the analysis tabs are a radio group
    page.wait_for_url(re.compile(r"tab=diversity"), timeout=WAIT_MS)
    page.focus("#area-picker")
    page.select_option("#area-picker", "m:05913000")  # keyboard users select areas here
    page.wait_for_url(re.compile(r"sel=m:05913000"), timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelector('#selection-label').innerText.includes('Dortmund')",
        timeout=WAIT_MS,
    )


def test_every_control_is_reachable_with_tab_and_shows_focus(page):
    _load(page, "/?lang=en")
    page.focus("body")
    reached, outlines = set(), set()
    for _ in range(60):
        page.keyboard.press("Tab")
        info = page.evaluate(
            """() => { const e = document.activeElement; const s = getComputedStyle(e);
                return [[e.id, e.getAttribute('value'), e.tagName], s.outlineStyle,
                        s.boxShadow]; }"""
        )
        reached.update(v for v in info[0] if v)
        if info[0][2] != "BODY":  # focus wrapped past the last control
            outlines.add(info[1] != "none" or info[2] != "none")
    for control in ("immigrant", "both", "metric", "share-url", "area-picker", "series"):
        assert control in reached, control
    assert outlines == {True}  # every focused element is visibly marked
