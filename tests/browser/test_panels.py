"""Each analysis panel renders in Chromium and reacts to the migration-type filter."""

from __future__ import annotations

import pytest

from dashboard.figures import SUPPRESSED
from layers import indicators, queries
from layers.disclosure import Policy
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import GRAPH, WAIT_MS, _load, _wait_until_changed, _z

pytestmark = pytest.mark.browser

FINGERPRINT = """() => JSON.stringify({graph}._fullData.map(t => [
    t.x ? Array.from(t.x) : null, t.y ? Array.from(t.y) : null,
    t.z ? Array.from(t.z) : null, t.lon ? Array.from(t.lon).length : null,
    t.locations ? Array.from(t.locations) : null, t.text ? Array.from(t.text) : null]))"""


def _fingerprint(page, graph_id):
    return page.evaluate(FINGERPRINT.format(graph=GRAPH.format(id=graph_id)))


def _wait_for_traces(page, graph_id, minimum=1):
    page.wait_for_function(
        f"() => {{ const gd = {GRAPH.format(id=graph_id)};"
        f" return gd && gd._fullData && gd._fullData.length >= {minimum}; }}",
        timeout=WAIT_MS,
    )


def _wait_for_new_fingerprint(page, graph_id, before):
    page.wait_for_function(
        f"before => ({FINGERPRINT.format(graph=GRAPH.format(id=graph_id))})() !== before",
        arg=before,
        timeout=WAIT_MS,
    )


def _open_tab(page, name, graph_id):
    page.locator("#analysis-tabs label", has_text=name).click()
    _wait_for_traces(page, graph_id)


def _drop_type(page, label="Zirkulär Migrierende"):
    page.get_by_text(label, exact=True).click()


@pytest.mark.parametrize("graph_id", ["languages-chart", "countries-chart", "countries-map"])
def test_diversity_panel(page, graph_id, demo_dataset):
    _load(page)
    _open_tab(page, "Vielfalt", graph_id)
    title = page.evaluate(f"() => {GRAPH.format(id='languages-chart')}._fullLayout.title.text")
    # The whole Ruhr: the languages published (each named by ≥ 5 respondents) of the 23.
    table = indicators.category_counts(demo_dataset, queries.parse_filter(), None, "lang",
                                       Policy())  # fmt: skip
    published = int((table["count"] > 0).sum())
    assert 18 <= published <= 23
    assert f"{published} je von ≥ 5 Befragten genannt" in title
    before = _fingerprint(page, graph_id)
    _drop_type(page)
    _wait_for_new_fingerprint(page, graph_id, before)


def test_remittance_panel(page):
    _load(page)
    _open_tab(page, "Rücküberweisungen", "uses-chart")
    _wait_for_traces(page, "remittance-chart", minimum=4)  # RO and BG, US$ and % of GDP
    notes = page.evaluate(
        f"() => {GRAPH.format(id='remittance-chart')}._fullLayout.annotations.map(a => a.text)"
    )
    # source and vintage, as a German reader writes them
    assert any("1.\u00a0Juli\u00a02025" in n and "Weltbank, World Development" in n for n in notes)
    assert any("verschiedene Weltbank-Stände" in n for n in notes)  # 2025 US$ beside 2022 %
    uses_title = page.evaluate(f"() => {GRAPH.format(id='uses-chart')}._fullLayout.title.text")
    assert "Anteil an den Überweisenden (n = " in uses_title
    page.locator("#remittance-chart").screenshot(path=ARTIFACTS / "remittance-national.png")
    page.locator("#uses-chart").screenshot(path=ARTIFACTS / "remittance-uses.png")
    before = _fingerprint(page, "uses-chart")
    _drop_type(page)
    _wait_for_new_fingerprint(page, "uses-chart", before)


def test_support_needs_panel_tests_each_life_area_in_persons(page):
    _load(page)
    _open_tab(page, "Unterstützungsbedarf", "needs-chart")
    page.wait_for_function(
        "() => document.querySelector('#needs-test').innerText.includes('Holm')", timeout=WAIT_MS
    )
    text = page.inner_text("#needs-test")
    assert "Je Lebensbereich ein χ²-Test" in text and "Cramérs V" in text
    assert "= <" not in text and "< 0,001" in text
    assert page.locator("#needs-test tbody tr").count() == 6  # every life area tested
    assert "3.000" in page.inner_text("#needs-test tbody")  # persons, German grouping
    assert len(page.evaluate(f"() => {GRAPH.format(id='needs-chart')}._fullData")) == 4
    page.locator("#needs-test").screenshot(path=ARTIFACTS / "needs-test.png")
    _drop_type(page)
    page.wait_for_function(
        f"() => {GRAPH.format(id='needs-chart')}._fullData.length === 3", timeout=WAIT_MS
    )
    for label in ("Einwanderer", "Transnational Migrierende"):  # one type left: vs the rest
        _drop_type(page, label)
    page.wait_for_function(
        "() => document.querySelector('#needs-test').innerText.includes('gegen alle übrigen')",
        timeout=WAIT_MS,
    )
    assert "„Rückkehrorientierte“" in page.inner_text("#needs-test")
    assert page.locator("#needs-test tbody tr").count() == 6


def test_flow_panel_names_both_ends(page):
    _load(page)
    _open_tab(page, "Ströme", "flow-map")
    texts = page.evaluate(
        f"() => {GRAPH.format(id='flow-map')}._fullData.flatMap(t => Array.from(t.text || []))"
    )
    assert any(t and " → " in t and "Personen" in t for t in texts)
    assert "25 Ströme" in page.inner_text("#flow-summary")
    before = _fingerprint(page, "flow-map")
    _drop_type(page)
    _wait_for_new_fingerprint(page, "flow-map", before)
    page.get_by_text("Fortzüge", exact=True).last.click()
    page.wait_for_function(
        f"() => {GRAPH.format(id='flow-map')}._fullData"
        ".find(t => t.type === 'scattergeo' && t.mode === 'lines' && t.name !== 'frame')"
        ".line.color === '#D55E00'",
        timeout=WAIT_MS,
    )


def test_variance_band_and_map_button(page):
    _load(page)
    _wait_for_traces(page, "series-chart", minimum=5)
    names = page.evaluate(f"() => {GRAPH.format(id='series-chart')}._fullData.map(t => t.name)")
    assert "Mittelwert ± 1 Standardabweichung (Zuzüge)" in names
    before = _z(page, "ruhr-map")
    page.get_by_role("button", name="Schwankung der Zuzüge (VK)").click()
    page.wait_for_function(
        "() => document.querySelector('#ruhr-map-title').innerText.includes('Schwankung')",
        timeout=WAIT_MS,
    )
    _wait_until_changed(page, "ruhr-map", before)
    assert max(v for v in _z(page, "ruhr-map") if v is not None) < 5  # a CV, not persons


def test_survey_metric_shows_suppressed_areas_as_such(page):
    _load(page)
    for label in ("Einwanderer", "Rückkehrorientierte", "Zirkulär Migrierende"):
        _drop_type(page, label)  # transnational only: many small cells
    page.select_option("#metric", "need_housing")
    page.wait_for_function(
        f"() => {GRAPH.format(id='ruhr-map')}._fullData[{SUPPRESSED}].locations.length > 0",
        timeout=WAIT_MS,
    )
    hover = page.evaluate(
        f"() => Array.from({GRAPH.format(id='ruhr-map')}._fullData[{SUPPRESSED}].text)"
    )
    assert hover and all("weniger als 5 Befragte" in h for h in hover)
    assert "gesperrt" in page.inner_text("#metric-definition")


# Boxes of the series chart's band label, its title and every marker and bar drawn.
SERIES_BOXES_JS = """() => {
    const chart = document.querySelector('#series-chart');
    const box = (e) => { const r = e.getBoundingClientRect();
                         return [r.left, r.top, r.right, r.bottom]; };
    return {
        label: box(chart.querySelector('.annotation-text')),
        title: box(chart.querySelector('.g-gtitle text')),
        drawn: [...chart.querySelectorAll('.scatterlayer .point, .barlayer .point')].map(box),
    };
}"""


@pytest.mark.parametrize("width", [1440, 1024, 390])
def test_the_selected_years_label_is_clear_of_the_title_and_the_data(page, width):
    """The band's label ("gewählte Jahre") sat inside the plot, where the arrivals' line
    and markers of high years ran over it: it is above the plot, under the title."""
    page.set_viewport_size({"width": width, "height": 900})
    _load(page, "/?years=2014-2018")
    _wait_for_traces(page, "series-chart", minimum=5)
    page.wait_for_timeout(500)  # assets/fit.js may lift a wrapped title
    boxes = page.evaluate(SERIES_BOXES_JS)

    def overlap(a, b):
        return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]

    assert boxes["drawn"] and not overlap(boxes["label"], boxes["title"]), boxes
    assert not any(overlap(boxes["label"], point) for point in boxes["drawn"]), boxes
