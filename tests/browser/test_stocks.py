"""A planner with GENESIS 12521-0041 imported opens the register stocks, picks Romanian
nationals, reads that they are real (table code and date) and sets them beside the
modelled net migration; without an import the tab says how to import and offers nothing."""

from __future__ import annotations

import shutil

import pytest
from playwright.sync_api import expect

from dashboard.i18n import format_number
from layers import queries, vocab
from layers.dataset import load_dataset
from layers.importers import run_import
from tests.browser.conftest import ARTIFACTS, gunicorn_serving
from tests.browser.test_accessibility import AXE
from tests.browser.test_dashboard import WAIT_MS
from tests.layers.test_stocks import FIXTURE, KREIS_UNNA

pytestmark = pytest.mark.browser
DORTMUND = "05913000"
LABEL = "#stock-label"
REAL_RO = ("Romanian nationals (persons, 31 Dec 2022) · Destatis, GENESIS 12521-0041, "
           "Stand 31.12.2022")  # fmt: skip


@pytest.fixture(scope="module")
def imported_dir(demo_dir, tmp_path_factory):
    out = tmp_path_factory.mktemp("stocks-browser") / "dataset"
    shutil.copytree(demo_dir, out)
    run_import("genesis", [FIXTURE], out)
    return out


@pytest.fixture(scope="module")
def stocks_server(imported_dir):
    """The app as in production (gunicorn), serving the dataset with the stocks imported."""
    with gunicorn_serving(imported_dir, "gunicorn-stocks.log") as url:
        yield url


def _axe_panel(page) -> list[dict]:
    """Serious or critical axe-core violations inside the stocks tab (test_accessibility's
    rules; the rest of the page is that test's)."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;void 0")
    return page.evaluate(
        """async () => (await axe.run('#panel-stocks', {runOnly: ['wcag2a', 'wcag2aa',
            'wcag21a', 'wcag21aa', 'best-practice']})).violations
            .filter(v => ['serious', 'critical'].includes(v.impact))
            .map(v => ({id: v.id, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 3)}))"""
    )


def _open(browser, url: str, width: int, height: int, query: str = ""):
    context = browser.new_context(viewport={"width": width, "height": height})
    page = context.new_page()
    page.page_errors = []
    page.on("pageerror", lambda e: page.page_errors.append(str(e)))
    page.goto(f"{url}/?lang=en&tab=stocks{query}")
    expect(page.locator(LABEL)).not_to_be_empty(timeout=WAIT_MS)
    return context, page


def test_pick_romanian_nationals_and_compare_with_the_modelled_net(browser, stocks_server,
                                                                   imported_dir):  # fmt: skip
    context, page = _open(browser, stocks_server, 1440, 900)
    expect(page.locator(LABEL)).to_contain_text("RO+BG nationals (persons, 31 Dec 2022)",
                                                timeout=WAIT_MS)  # fmt: skip
    page.get_by_label("Romanian nationals", exact=True).check()
    expect(page.locator(LABEL)).to_contain_text(REAL_RO, timeout=WAIT_MS)
    assert page.inner_text(f"{LABEL} .badge") == "real"
    # Dortmund's modelled net migration from Romania in 2022 (the year between the dates)
    f = queries.FlowFilter(2022, 2022, vocab.MIGRATION_TYPES, ("RO",))
    nets = queries.area_columns(load_dataset(imported_dir), f, "municipality", ("net",))["net"]
    net = nets[queries.MUNICIPALITY_CODES.index(DORTMUND)]
    row = page.locator(f'#stock-grid tr[data-code="{DORTMUND}"]')
    cells = row.locator("td").all_inner_texts()
    assert cells == ["9,600", "600", format_number(net, 0, "en"), format_number(600 - net, 0, "en")]
    assert page.locator(f'#stock-grid tr[data-code="{KREIS_UNNA}"] th').inner_text() == (
        "Kreis Unna (whole Kreis)")  # fmt: skip
    headers = page.locator("#stock-grid thead th").all_inner_texts()
    assert headers[2:4] == ["Change in the register 31 Dec 2021–31 Dec 2022 (persons)",
                            "Modelled net migration 2022 (persons)"]  # fmt: skip
    names = page.evaluate("() => document.querySelector('#stock-chart .js-plotly-plot')"
                          ".data.map(t => t.name.replaceAll('<br>', ' '))")  # fmt: skip
    assert names == ["Change in the register 31 Dec 2021–31 Dec 2022 (persons) – real",
                     "Modelled net migration 2022 (persons) – synthetic"]  # fmt: skip
    expect(page.locator("#stock-note")).to_contain_text("Different vintages")
    with page.expect_download() as download:
        page.click("#stock-csv")
    text = download.value.path().read_text(encoding="utf-8")
    assert f"{DORTMUND},Dortmund,gemeinde,stock_ro,persons,9600.0,,2021-12-31,2022-12-31," in text
    page.screenshot(path=ARTIFACTS / "stocks-1440.png", full_page=True)
    assert _axe_panel(page) == []
    assert page.page_errors == []
    context.close()
    context, phone = _open(browser, stocks_server, 390, 844, "&sel=m:05978024")  # Lünen
    expect(phone.locator(LABEL)).to_contain_text("Destatis, GENESIS 12521-0041", timeout=WAIT_MS)
    marked = phone.locator('#stock-grid tr[aria-current="true"]')
    expect(marked).to_have_attribute("data-code", KREIS_UNNA, timeout=WAIT_MS)
    expect(phone.locator("#stock-note")).to_contain_text("Lünen is in Kreis Unna")
    phone.locator("#stock-chart .js-plotly-plot").wait_for(timeout=WAIT_MS)
    phone.locator("#panel-stocks").screenshot(path=ARTIFACTS / "stocks-390.png")
    # the table's rows stacked: neither it nor the page scrolls sideways
    widths = phone.evaluate("""() => [document.scrollingElement.scrollWidth,
        document.querySelector('#stock-table').scrollWidth,
        document.querySelector('#stock-table').clientWidth]""")  # fmt: skip
    assert widths[0] <= 390 and widths[1] <= widths[2], widths
    context.close()


def test_without_an_import_the_measures_are_greyed_with_the_import_command(page):
    page.goto(page.base_url + "/?lang=en&tab=stocks")
    label = page.locator(LABEL)
    expect(label).to_contain_text("python -m layers import genesis FILE", timeout=WAIT_MS)
    assert page.inner_text(f"{LABEL} .badge") == "not imported"
    radios = page.locator("#stock-metric input")
    expect(radios.first).to_be_disabled(timeout=WAIT_MS)
    assert radios.count() == 4 and all(radios.nth(i).is_disabled() for i in range(4))
    assert page.locator("#stock-grid").count() == 0
    page.screenshot(path=ARTIFACTS / "stocks-not-imported.png", full_page=True)
