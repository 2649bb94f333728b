"""The ranking tab in Chromium: AG Grid sorts by a clicked header, searches, highlights the
selection and exports exactly the rows and columns it shows as CSV."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import WAIT_MS, _load
from tests.helpers import DORTMUND

pytestmark = pytest.mark.browser

GRID = "dash_ag_grid.getApi('ranking-grid')"
# What the grid shows, in its order: the header names and each row's cell texts.
SHOWN = f"""() => {{
    const api = {GRID};
    const columns = api.getAllDisplayedColumns();
    const rows = [];
    api.forEachNodeAfterFilterAndSort(node => rows.push(columns.map(column => {{
        const value = api.getCellValue({{rowNode: node, colKey: column, useFormatter: true}});
        return value === null || value === undefined ? "" : String(value);
    }})));
    return {{header: columns.map(c => c.getColDef().headerName), rows,
             data: rows.map((_, i) => api.getDisplayedRowAtIndex(i).data)}};
}}"""


def _shown(page):
    return page.evaluate(SHOWN)


def _wait_for_rows(page, count=None):
    test = "n > 0" if count is None else f"n === {count}"
    page.wait_for_function(
        f"() => {{ try {{ const n = {GRID}.getDisplayedRowCount(); return {test}; }}"
        " catch (e) { return false; } }",
        timeout=WAIT_MS,
    )


def _wait_for_sort(page, column, direction):
    page.wait_for_function(
        f"() => {GRID}.getColumnState()"
        f".some(c => c.colId === '{column}' && c.sort === '{direction}')",
        timeout=WAIT_MS,
    )


def test_ranking_sorts_searches_highlights_and_exports_what_it_shows(page):
    _load(page, f"/?tab=ranking&sel=m:{DORTMUND}")
    _wait_for_rows(page, 53)
    shown = _shown(page)
    assert shown["header"][:3] == ["Rang (Zuzüge)", "Gebiet", "Zuzüge (Personen)"]
    arrivals = [row["arrivals"] for row in shown["data"]]
    assert arrivals == sorted(arrivals, reverse=True)  # ranked by the first column
    assert [row["rank"] for row in shown["data"][:3]] == [1, 2, 3]
    selected = page.locator("#ranking-grid .ag-row.ranking-selected")
    selected.first.wait_for(timeout=WAIT_MS)
    assert "Dortmund" in selected.first.inner_text()

    # Clicking a header sorts by it, numerically: ascending, then descending.
    header = page.locator("#ranking-grid .ag-header-cell[col-id='net'] .ag-header-cell-label")
    header.click()
    _wait_for_sort(page, "net", "asc")
    net = [row["net"] for row in _shown(page)["data"]]
    assert net == sorted(net) and net[0] < net[-1]
    header.click()
    _wait_for_sort(page, "net", "desc")
    shown = _shown(page)
    net = [row["net"] for row in shown["data"]]
    assert net == sorted(net, reverse=True)
    first_rows = page.locator("#ranking-grid .ag-center-cols-container .ag-row[row-index='0']")
    assert shown["data"][0]["name"] in first_rows.inner_text()

    # The search box filters the rows.
    page.locator("#ranking-search").fill("kirchen")
    page.wait_for_function(f"() => {GRID}.getDisplayedRowCount() < 53", timeout=WAIT_MS)
    shown = _shown(page)
    assert shown["rows"] and all("kirchen" in row[1].lower() for row in shown["rows"])
    _screenshots(page)

    # CSV: exactly the rows and columns shown, in their order and as formatted.
    with page.expect_download(timeout=WAIT_MS) as download_info:
        page.locator("#ranking-csv").click()
    download = download_info.value
    assert download.suggested_filename == "ranking-municipality-2014-2024.csv"
    with open(download.path(), encoding="utf-8-sig", newline="") as exported:
        table = list(csv.reader(exported, delimiter=";"))
    assert table[0] == [*shown["header"], "synthetic_parts", "data_note"]  # what they rest on
    assert [row[:-2] for row in table[1:]] == shown["rows"]
    assert not page.page_errors and not page.outside_requests


def _screenshots(page):
    panel = page.locator("#panel-ranking")
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 1000})
        page.wait_for_timeout(300)
        panel.screenshot(path=ARTIFACTS / f"ranking-{width}.png")
    page.set_viewport_size({"width": 1400, "height": 1000})


def test_suppressed_survey_values_show_not_published_and_sort_last(page):
    _load(page, "/?tab=ranking&lang=en&type=transnational&country=BG&metric=respondents",
          unpublished=())  # fmt: skip
    _wait_for_rows(page, 53)
    page.wait_for_function(f"() => {GRID}.getAllDisplayedColumns().length === 7",
                           timeout=WAIT_MS)  # fmt: skip
    header = page.locator(
        "#ranking-grid .ag-header-cell[col-id='respondents'] .ag-header-cell-label"
    )
    for direction in ("asc", "desc"):
        header.click()
        _wait_for_sort(page, "respondents", direction)
        shown = _shown(page)
        column = shown["header"].index("Respondents (persons)")
        texts = [row[column] for row in shown["rows"]]
        hidden = texts.index("not published")
        assert hidden > 0 and set(texts[hidden:]) == {"not published"}  # last either way
        values = [float(v.replace(",", "")) for v in texts[:hidden]]
        assert values == sorted(values, reverse=direction == "desc")


def _wait_for_address(page, part):
    page.wait_for_function(f"() => location.search.includes({part!r})", timeout=WAIT_MS)


def test_the_rank_follows_the_sort_and_the_address_keeps_columns_and_sort(page):
    """A planner sorts by net migration: the ranks follow it, the address keeps it, and the
    link opens the same table (columns, side, sort) in a fresh page."""
    _load(page, "/?tab=ranking")
    _wait_for_rows(page, 53)
    page.locator("#ranking-grid .ag-header-cell[col-id='net'] .ag-header-cell-label").click()
    page.locator("#ranking-grid .ag-header-cell[col-id='net'] .ag-header-cell-label").click()
    _wait_for_address(page, "sort=-net")
    page.wait_for_function(f"() => {GRID}.getColumnDefs()[0].headerName === 'Rang (Saldo)'",
                           timeout=WAIT_MS)  # fmt: skip
    page.wait_for_function(
        f"() => {GRID}.getDisplayedRowAtIndex(0).data.rank === 1", timeout=WAIT_MS
    )
    data = _shown(page)["data"]
    assert [row["rank"] for row in data[:3]] == [1, 2, 3]
    assert [row["net"] for row in data] == sorted((row["net"] for row in data), reverse=True)
    page.get_by_label("Herkunftsregionen", exact=False).first.check()
    _wait_for_address(page, "rank_side=origin")
    link = page.evaluate("location.search")

    fresh = page.context.new_page()
    fresh.base_url = page.base_url
    fresh.goto(page.base_url + "/" + link)
    _wait_for_rows(fresh, 70)
    _wait_for_sort(fresh, "net", "desc")
    shown = _shown(fresh)
    assert shown["header"][0] == "Rang (Saldo)" and shown["data"][0]["rank"] == 1
    fresh.close()


def test_the_csv_names_what_its_numbers_rest_on(page):
    _load(page, "/?tab=ranking&lang=en&cols=arrivals,need_housing")
    _wait_for_rows(page, 53)
    shown = _shown(page)
    with page.expect_download(timeout=WAIT_MS) as download_info:
        page.locator("#ranking-csv").click()
    with open(download_info.value.path(), encoding="utf-8-sig", newline="") as exported:
        table = list(csv.reader(exported))
    assert table[0] == [*shown["header"], "synthetic_parts", "data_note"]
    assert [row[:-2] for row in table[1:]] == shown["rows"]
    assert {row[-2] for row in table[1:]} == {"flows,survey"}  # both modelled in the demo
    assert all("synthetic" in row[-1].lower() for row in table[1:])


def test_the_grid_speaks_german_and_sorts_names_as_a_reader_does(page):
    _load(page, "/?tab=ranking")
    _wait_for_rows(page, 53)
    page.locator("#ranking-grid .ag-header-cell", has_text="Gebiet").first.click()
    _wait_for_sort(page, "name", "asc")
    names = [row["name"] for row in _shown(page)["data"]]
    assert names.index("Bönen") < names.index("Bottrop") < names.index("Breckerfeld")
    page.fill("#ranking-search", "Zzyzx")  # no area has that name
    _wait_for_rows(page, 0)
    overlay = page.locator("#ranking-grid .ag-overlay-wrapper")
    expect(overlay).to_have_text("Keine passenden Zeilen", timeout=WAIT_MS)
    # and what it tells a screen reader about sorting
    hint = page.evaluate(f"() => {GRID}.getGridOption('localeText').ariaSortableColumn")
    assert hint == "Drücken Sie EINGABETASTE, um zu sortieren"


def test_the_grid_speaks_bulgarian_and_names_oblasts_in_cyrillic(page):
    _load(page, "/?tab=ranking&lang=bg&rank_side=origin&country=BG")
    _wait_for_rows(page, 28)
    names = {row["code"]: row["name"] for row in _shown(page)["data"]}
    assert names["BG423"] == "Пазарджик" and names["BG411"] == "София (столица)"
    hint = page.evaluate(f"() => {GRID}.getGridOption('localeText').ariaSortableColumn")
    assert hint == "Натиснете ENTER, за да сортирате"
    page.fill("#ranking-search", "Zzyzx")  # no area has that name
    _wait_for_rows(page, 0)
    overlay = page.locator("#ranking-grid .ag-overlay-wrapper")
    expect(overlay).to_have_text("Няма съответстващи редове", timeout=WAIT_MS)
