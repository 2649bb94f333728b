"""The grid library (dash-ag-grid, ~520 KB compressed) is fetched only when the ranking tab
opens: not by the explorer's or a curated view's first load, once per page, also when a
link opens the tab (dashboard/dashapp.py, assets/ranking.js)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from dashboard.i18n import t
from layers.views import load_views
from tests.browser.test_dashboard import WAIT_MS, _load
from tests.browser.test_ranking import GRID, _wait_for_rows

pytestmark = pytest.mark.browser
VIEW = sorted(load_views()[0])[0]
GRID_SCRIPT_TAG = re.compile(r"<script[^>]*dash_ag_grid", re.IGNORECASE)


def _record_grid_requests(page) -> list[str]:
    fetched = []
    page.on("request", lambda r: "dash_ag_grid" in r.url and fetched.append(r.url))
    return fetched


def _grid_library(fetched) -> list[str]:
    """The library's requests: its bundle (Dash's fingerprinted URL), not its chunk."""
    return [url for url in fetched if "/dash_ag_grid/dash_ag_grid." in url]


def _open_ranking(page, lang="de"):
    page.locator("#analysis-tabs label", has_text=t("tab_ranking", lang)).click()


def test_the_first_load_of_the_explorer_and_a_view_fetches_no_grid_library(page):
    fetched = _record_grid_requests(page)
    for path in ("/", f"/views/{VIEW}"):
        response = page.goto(page.base_url + path)
        assert not GRID_SCRIPT_TAG.search(response.text()), path  # not in the first HTML
        page.wait_for_function(
            "() => document.querySelectorAll('.js-plotly-plot').length > 0 && Array.from("
            "document.querySelectorAll('.js-plotly-plot')).every(g => g._fullLayout)",
            timeout=WAIT_MS,
        )
        page.wait_for_load_state("networkidle")
        assert fetched == [], path
        assert page.evaluate("() => window.dash_ag_grid === undefined")
    assert not page.page_errors and not page.console_errors


def test_opening_the_tab_fetches_the_library_once_and_the_grid_fills(page):
    fetched = _record_grid_requests(page)
    _load(page, "/?lang=en")
    page.wait_for_load_state("networkidle")
    assert fetched == []
    _open_ranking(page, "en")
    _wait_for_rows(page, 53)
    assert len(_grid_library(fetched)) == 1, fetched
    assert page.evaluate(f"() => {GRID}.getAllDisplayedColumns().length") == 6  # the defaults
    # The caption is another callback's output than the rows: it may arrive after them.
    expect(page.locator("#ranking-caption")).to_have_text(re.compile(r"^Ruhr"), timeout=WAIT_MS)
    # Away and back: the same grid, no second fetch; it still follows the filters.
    page.locator("#analysis-tabs label", has_text=t("tab_series", "en")).click()
    page.locator("#panel-ranking").wait_for(state="hidden", timeout=WAIT_MS)
    page.locator("input[value=circular]").click()  # a filter change while the tab is closed
    _open_ranking(page, "en")
    page.locator("#panel-ranking").wait_for(state="visible", timeout=WAIT_MS)
    page.wait_for_function(
        "() => document.querySelector('#ranking-caption').innerText.length > 0"
        f" && {GRID}.getDisplayedRowCount() === 53",
        timeout=WAIT_MS,
    )
    page.wait_for_load_state("networkidle")
    assert len(_grid_library(fetched)) == 1, fetched
    assert page.locator("#ranking-grid").count() == 1
    assert not page.page_errors and not page.console_errors


def test_a_link_to_the_ranking_tab_loads_the_grid_with_the_page(page):
    fetched = _record_grid_requests(page)
    response = page.goto(page.base_url + "/?tab=ranking")
    assert not GRID_SCRIPT_TAG.search(response.text())
    _wait_for_rows(page, 53)
    page.wait_for_load_state("networkidle")
    assert len(_grid_library(fetched)) == 1, fetched
    header = page.evaluate(f"() => {GRID}.getAllDisplayedColumns()[0].getColDef().headerName")
    assert header == "Rang (Zuzüge)"
    assert not page.page_errors and not page.console_errors
