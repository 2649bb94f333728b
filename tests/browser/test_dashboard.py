"""The dashboard in headless Chromium: loads offline, shows every area, reacts, links."""

from __future__ import annotations

import itertools
import json

import pytest

from dashboard import figures
from layers import boundaries
from tests.browser.conftest import ARTIFACTS

pytestmark = pytest.mark.browser

GRAPH = "document.querySelector('#{id} .js-plotly-plot')"
VALUES = figures.VALUES  # the trace of the area maps that carries the values
WAIT_MS = 30_000


def _z(page, graph_id):
    return page.evaluate(f"() => Array.from({GRAPH.format(id=graph_id)}._fullData[{VALUES}].z)")


def _rendered_areas_js(graph_id):
    """How many distinct areas the SVG map drew for the value trace (not the outline and
    context traces), and in how many fill colours."""
    return f"""() => {{
        const groups = {GRAPH.format(id=graph_id)}.querySelectorAll('g.trace.choropleth');
        const values = Array.from(groups).find(g => g.__data__[0].trace.name === 'values');
        const drawn = Array.from(values ? values.querySelectorAll('path') : [])
            .filter(p => (p.getAttribute('d') || '').length > 10);
        return {{
            areas: drawn.length,
            colours: new Set(drawn.map(p => p.getAttribute('fill'))).size,
        }};
    }}"""


def _wait_until_rendered(page, graph_id, count):
    script = _rendered_areas_js(graph_id)
    page.wait_for_function(f"() => ({script})().areas === {count}", timeout=WAIT_MS)
    return page.evaluate(script)


def _wait_for_values(page, graph_id):
    page.wait_for_function(
        f"""() => {{
            const gd = {GRAPH.format(id=graph_id)};
            return gd && gd._fullData && gd._fullData[{VALUES}].z &&
                Array.from(gd._fullData[{VALUES}].z).some(v => v > 0);
        }}""",
        timeout=WAIT_MS,
    )


def _wait_until_changed(page, graph_id, before):
    page.wait_for_function(
        f"""before => {{
            const now = Array.from({GRAPH.format(id=graph_id)}._fullData[{VALUES}].z);
            return now.length !== before.length || now.some((v, i) => v !== before[i]);
        }}""",
        arg=before,
        timeout=WAIT_MS,
    )


def _load(page, path="/", unpublished=()):
    """Open ``path`` and wait until both maps have drawn their values; a map named in
    ``unpublished`` must show none (survey values for pairs of areas are not published)."""
    page.goto(page.base_url + path)
    for graph_id in ("ruhr-map", "origin-map"):
        if graph_id in unpublished:
            page.wait_for_function(
                f"""() => {{
                    const gd = {GRAPH.format(id=graph_id)};
                    return gd && gd._fullData && gd._fullData[{VALUES}] &&
                        Array.from(gd._fullData[{VALUES}].z || []).every(v => v == null);
                }}""",
                timeout=WAIT_MS,
            )
        else:
            _wait_for_values(page, graph_id)
    for graph_id in ("ruhr-map", "origin-map"):  # every area with a value drawn
        script = _rendered_areas_js(graph_id)
        page.wait_for_function(
            f"""() => ({script})().areas === {GRAPH.format(id=graph_id)}._fullData[{VALUES}]
                .z.filter(v => v !== null && v !== undefined).length""",
            timeout=WAIT_MS,
        )


def _on_screen(page, municipality: str) -> tuple[float, float]:
    """Where a point inside ``municipality`` is on the Ruhr map, in page pixels."""
    point = boundaries.load_municipalities().set_index("name").representative_point()
    return page.evaluate(
        f"""([lon, lat]) => {{
            const gd = {GRAPH.format(id="ruhr-map")};
            const [x, y] = gd._fullLayout.geo._subplot.projection([lon, lat]);
            const box = gd.querySelector('.main-svg').getBoundingClientRect();
            return [box.left + x, box.top + y];
        }}""",
        [point[municipality].x, point[municipality].y],
    )


def test_page_loads_offline_with_both_maps_and_every_area(page):
    _load(page)
    assert page.get_by_text("Synthetische Demonstrationsdaten").is_visible()
    assert "GeoBasis-DE / BKG" in page.inner_text("footer")
    for graph_id, count in (("ruhr-map", 53), ("origin-map", 70)):
        drawn = _wait_until_rendered(page, graph_id, count)
        assert drawn["areas"] == count
        assert drawn["colours"] == 5  # the default: five classes, a colour each (16.4)
    assert len(_z(page, "ruhr-map")) == 53 and len(_z(page, "origin-map")) == 70
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard.png", full_page=True)
    assert page.outside_requests == []
    assert page.failed_requests == []
    assert page.page_errors == []
    assert page.console_errors == []  # e.g. no Content-Security-Policy violation


def test_english_page(page):
    _load(page, "/?lang=en")
    assert page.get_by_text("Synthetic demonstration data").is_visible()
    assert "Ruhr municipalities (53)" in page.inner_text("#ruhr-map-title")


def test_migration_type_filter_changes_map_values_without_resending_geometry(page):
    _load(page)
    before = _z(page, "ruhr-map")
    geometry_requests, update_bodies = [], []
    page.on("request", lambda r: "/geo/" in r.url and geometry_requests.append(r.url))
    page.on(
        "response",
        lambda r: "_dash-update-component" in r.url and update_bodies.append(r.body()),
    )
    page.get_by_text("Zirkulär Migrierende", exact=True).click()
    _wait_until_changed(page, "ruhr-map", before)
    after = _z(page, "ruhr-map")
    assert sum(after) < sum(before)  # one type fewer: fewer persons
    assert geometry_requests == []
    assert update_bodies and all(b"coordinates" not in body for body in update_bodies)
    assert max(len(body) for body in update_bodies) < 20_000


def test_clicking_a_municipality_recolours_the_origin_map(page):
    _load(page)
    before = _z(page, "origin-map")
    x, y = _on_screen(page, "Dortmund")
    page.mouse.move(x, y)
    page.mouse.click(x, y)
    page.wait_for_function(
        "() => document.querySelector('#origin-map-title').innerText.includes('Dortmund')",
        timeout=WAIT_MS,
    )
    _wait_until_changed(page, "origin-map", before)
    after = _z(page, "origin-map")
    assert sum(v for v in after if v) < sum(v for v in before if v)  # one city of 53
    assert "Dortmund" in page.inner_text("#selection-label")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=ARTIFACTS / "dashboard-linked.png", full_page=True)
    clear = page.get_by_role("button", name="Auswahl aufheben")
    clear.click()
    page.wait_for_function(
        "() => !document.querySelector('#origin-map-title').innerText.includes('Dortmund')",
        timeout=WAIT_MS,
    )
    assert _z(page, "origin-map") == before


def test_single_year_and_net_metric_use_a_diverging_palette(page):
    _load(page, "/?lang=en")
    before = _z(page, "ruhr-map")
    page.get_by_text("Single year", exact=True).click()
    page.select_option("#metric", "net_per_1000")  # a rate: classed (a count: circles)
    page.wait_for_function(
        "() => document.querySelector('#ruhr-map-title').innerText"
        ".includes('Net migration rate · 2024')",
        timeout=WAIT_MS,
    )
    _wait_until_changed(page, "ruhr-map", before)
    trace = page.evaluate(
        f"""() => {{
            const t = {GRAPH.format(id="ruhr-map")}._fullData[{VALUES}];
            return {{scale: t.colorscale, zmin: t.zmin, zmax: t.zmax, z: Array.from(t.z)}};
        }}"""
    )
    rgb = [[int(colour[i : i + 2], 16) for i in (1, 3, 5)] for _, colour in trace["scale"]]
    assert rgb[0][0] > rgb[0][2] and rgb[-1][2] > rgb[-1][0]  # PuOr: orange loss, purple gain
    # the classes span the data, the first starting at its minimum shown to 2 decimals
    assert trace["zmin"] <= min(trace["z"]) < 0 < trace["zmax"] == max(trace["z"])
    assert min(trace["z"]) - trace["zmin"] < 0.01
    assert max(abs(v) for v in trace["z"]) == trace["zmax"]


# What a map shows, area by area: fill colour per location, the colour bar's labels, and
# whether plotly's calculated points are still the ones it calculated when drawing the map
# (recoloured in place) or new ones (recalculated).
DRAWN_JS = """([graphId, values]) => {
    const gd = document.querySelector(`#${graphId} .js-plotly-plot`);
    const group = Array.from(gd.querySelectorAll('g.trace.choropleth'))
        .find(g => g.__data__[0].trace.index === values);
    const fills = {};
    group.querySelectorAll('path.choroplethlocation').forEach(path => {
        const drawn = (path.getAttribute('d') || '').length > 10;
        if (drawn) fills[path.__data__.loc] = path.getAttribute('fill');
    });
    const ticks = Array.from(gd.querySelectorAll('.colorbar .cbaxis text')).map(t => t.textContent);
    return {fills, ticks, sameCalc: gd.calcdata[values].marked === true};
}"""
MARK_JS = (
    "([graphId, values]) => { document.querySelector(`#${graphId} .js-plotly-plot`)"
    ".calcdata[values].marked = true; }"
)
REDRAW_JS = "graphId => Plotly.redraw(document.querySelector(`#${graphId} .js-plotly-plot`))"


def _drawn(page, graph_id):
    return page.evaluate(DRAWN_JS, [graph_id, VALUES])


def test_a_filter_change_recolours_in_place_as_plotly_would_draw_it(page):
    """Same areas with new values: recoloured in place (assets/gate.js), not recalculated,
    and the result is what plotly draws when it recalculates the map from its data:
    colours, colour bar, hover text."""
    _load(page, "/?lang=en")
    for graph_id in ("ruhr-map", "origin-map"):
        page.evaluate(MARK_JS, [graph_id, VALUES])
    before = {g: (_z(page, g), _drawn(page, g)) for g in ("ruhr-map", "origin-map")}
    legends = {g: page.inner_text(f"#{g}-legend") for g in ("ruhr-map", "origin-map")}
    page.click("input[value=circular]")
    for graph_id in ("ruhr-map", "origin-map"):
        _wait_until_changed(page, graph_id, before[graph_id][0])
    for graph_id in ("ruhr-map", "origin-map"):
        recoloured = _drawn(page, graph_id)
        assert recoloured["sameCalc"], graph_id  # in place, not recalculated
        assert recoloured["fills"] != before[graph_id][1]["fills"]
        # the classes follow the values: the legend under the map (HTML, no colour bar)
        page.wait_for_function(
            f"() => document.querySelector('#{graph_id}-legend').innerText !== "
            f"{json.dumps(legends[graph_id])}", timeout=WAIT_MS)  # fmt: skip
        page.evaluate(REDRAW_JS, graph_id)  # plotly recalculates everything from its data
        redrawn = _drawn(page, graph_id)
        assert not redrawn["sameCalc"]
        assert recoloured["fills"] == redrawn["fills"], graph_id  # the stepped classes too
    # Hover reads the recoloured points: Dortmund's new value.
    z = dict(zip(page.evaluate(f"() => {GRAPH.format(id='ruhr-map')}._fullData[{VALUES}]"
                               ".locations"), _z(page, "ruhr-map"), strict=True))  # fmt: skip
    page.evaluate(MARK_JS, ["ruhr-map", VALUES])
    page.click("input[value=return]")  # recoloured in place once more, then hovered
    _wait_until_changed(page, "ruhr-map", list(z.values()))
    assert _drawn(page, "ruhr-map")["sameCalc"]
    dortmund = _z(page, "ruhr-map")[list(z).index("05913000")]
    x, y = _on_screen(page, "Dortmund")
    page.mouse.move(x, y)
    page.wait_for_selector("#ruhr-map .hoverlayer .hovertext", timeout=WAIT_MS)
    label = page.text_content("#ruhr-map .hoverlayer .hovertext")
    assert "Dortmund" in label and f"{dortmund:,.0f}" in label, label


def test_areas_that_gain_or_lose_values_are_recalculated(page):
    """Bulgaria only: the Romanian counties lose their values, so the origin map is drawn
    anew by plotly (a restyle), while the Ruhr map (values everywhere) is recoloured."""
    _load(page, "/?lang=en")
    for graph_id in ("ruhr-map", "origin-map"):
        page.evaluate(MARK_JS, [graph_id, VALUES])
    before = _z(page, "origin-map")
    page.click("input[value=BG]")
    _wait_until_changed(page, "origin-map", before)
    drawn = _wait_until_rendered(page, "origin-map", 28)  # the 28 oblasts only
    assert drawn["areas"] == 28
    assert not _drawn(page, "origin-map")["sameCalc"]
    assert sum(v is not None for v in _z(page, "origin-map")) == 28
    assert _drawn(page, "ruhr-map")["sameCalc"]
    assert page.page_errors == [] and page.console_errors == []


def test_the_maps_are_drawn_by_the_partial_plotly_bundle(page):
    """The private Dash hooks still work (dashboard/dashapp.py, RuhrDash._config): the renderer
    loads our bundle, never Dash's full plotly.min.js, and assets/gate.js finds the one
    function the bundle adds (README, "Private Dash and plotly.js APIs still used")."""
    _load(page, "/?lang=en")
    loaded = page.evaluate("() => performance.getEntriesByType('resource').map(r => r.name)")
    assert any("/_plotly/plotly-ruhr.min.js?v=" in url for url in loaded)
    assert not any("plotly.min.js" in url and "plotly-ruhr" not in url for url in loaded)
    assert page.evaluate("() => typeof Plotly.drawColorBars") == "function"


# The year slider's tick labels: each one's box (the labels of both sliders, shown or not).
SLIDER_MARKS = """() => Array.from(document.querySelectorAll(
        '#year-range-wrapper .dash-slider-mark'))
    .filter(e => e.getClientRects().length && e.textContent.trim())
    .map(e => { const r = e.getBoundingClientRect();
                return {text: e.textContent.trim(), l: r.left, r: r.right}; })"""


@pytest.mark.parametrize("width", [1440, 1024, 390])
def test_the_year_sliders_ticks_do_not_run_together(page, width):
    page.set_viewport_size({"width": width, "height": 900})
    _load(page)
    marks = page.evaluate(SLIDER_MARKS)
    assert [m["text"] for m in marks][:1] == ["2014"] and marks[-1]["text"] == "2024"
    for a, b in itertools.pairwise(marks):
        assert a["r"] + 4 <= b["l"], (width, a, b)  # a gap between neighbours
