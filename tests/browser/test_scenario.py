"""A council member opens the 3 × 1 scenario for Galați, reads each step with its kind and
source, moves the share with the keyboard and sees the fund and the address follow; in
English too. On a curated view she switches to plain language and back (issue 18.2, 18.4).
One page load per language and view."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from dashboard.i18n import format_number
from layers import plain, queries, scenario, views
from layers.dataset import load_dataset
from layers.disclosure import Policy
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_accessibility import AXE
from tests.browser.test_dashboard import WAIT_MS

pytestmark = pytest.mark.browser
GRID = "#scenario-grid"


def _fund(demo_dir, region: str, share: int, lang: str) -> str:
    steps = scenario.steps_for(load_dataset(demo_dir), queries.parse_filter(), region, share,
                               Policy(5))  # fmt: skip
    return format_number(steps.fund / 1e6, 2, lang)


def _axe(page, selector: str) -> list[dict]:
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    return page.evaluate(
        """async (selector) => (await axe.run(selector, {runOnly: ['wcag2a', 'wcag2aa',
            'wcag21a', 'wcag21aa', 'best-practice']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))""",
        selector,
    )


def test_the_scenario_tab_in_german_follows_the_slider(page, demo_dir):
    page.goto(page.base_url + "/?tab=scenario&sel=o:RO224")
    expect(page.locator(GRID)).to_be_visible(timeout=WAIT_MS)
    rows = page.locator(f"{GRID} tbody tr")
    expect(rows).to_have_count(8)
    kinds = page.locator(f"{GRID} tbody .badge").all_inner_texts()
    assert kinds == ["echt", "modelliert", "modelliert", *["Szenario"] * 5]
    assert (
        "Weltbank" in rows.nth(0).inner_text() and "Stand 1. Juli 2025" in rows.nth(0).inner_text()
    )
    fund = f"{_fund(demo_dir, 'RO224', 1, 'de')} Mio. US$"
    assert rows.nth(7).locator("td").nth(1).inner_text() == fund
    expect(page.locator("#scenario-heading")).to_contain_text(
        f"Galați: Fonds im Jahr 2024 rund {fund}"
    )
    # the map: every region, drawn (withheld ones grey)
    located = page.evaluate("""() => document.querySelector('#scenario-map .js-plotly-plot')
        ._fullData.filter(t => ['fund', 'withheld'].includes(t.name))
        .reduce((n, t) => n + t.locations.length, 0)""")  # fmt: skip
    assert located == 70
    expect(page.locator("#panel-scenario")).to_contain_text("Tres por Uno")
    assert _axe(page, "#panel-scenario") == []
    # the keyboard moves the share: the fund doubles and the address says share=2
    page.locator("#scenario-share [role=slider]").first.focus()
    page.keyboard.press("ArrowRight")
    doubled = f"{_fund(demo_dir, 'RO224', 2, 'de')} Mio. US$"
    expect(rows.nth(7).locator("td").nth(1)).to_have_text(doubled, timeout=WAIT_MS)
    assert "share=2" in page.url
    page.locator("#panel-scenario").screenshot(path=ARTIFACTS / "scenario-de-1400.png")
    assert page.page_errors == [] and page.outside_requests == []


def test_the_scenario_tab_in_english_from_a_link(page, demo_dir):
    page.goto(page.base_url + "/?lang=en&tab=scenario&share=5")
    expect(page.locator(GRID)).to_be_visible(timeout=WAIT_MS)
    fund = f"US$ {_fund(demo_dir, 'RO224', 5, 'en')} million"
    expect(page.locator("#scenario-heading")).to_have_text(
        f"Galați: fund in 2024 about {fund} (scenario)", timeout=WAIT_MS)  # fmt: skip
    assert page.locator(f"{GRID} tbody .badge").all_inner_texts()[:2] == ["real", "modelled"]
    expect(page.locator("#scenario-note")).to_contain_text("Example Galați")
    assert page.locator("#scenario-share input[type=number]").input_value() == "5"
    assert page.page_errors == []


def test_the_plain_switch_on_a_view_is_a_link(page, demo_dir):
    view = views.load_views()[0]["swings"]
    key = plain.key_number(load_dataset(demo_dir), view, Policy(5))
    page.goto(page.base_url + "/views/swings?lang=en")
    switch = page.get_by_role("navigation", name="Text version")
    expect(switch.locator("[aria-current=true]")).to_have_text("Standard text")
    switch.get_by_role("link", name="Plain language").click()
    page.wait_for_url("**/views/swings?lang=en&plain=1")
    expect(switch.locator("[aria-current=true]")).to_have_text("Plain language")
    number = page.locator(".plain-number")
    expect(number).to_have_text(format_number(100 * key.value, 0, "en"))
    expect(page.locator(".plain-text")).to_contain_text("For you this means")
    assert _axe(page, ".view-text") == []
    page.get_by_role("link", name="Deutsch").click()  # the other language keeps the version
    page.wait_for_url("**/views/swings?plain=1&lang=de")
    expect(page.locator(".plain-text")).to_contain_text("Für Sie heißt das")
    assert page.page_errors == []
