"""Issue 15 in Chromium: the scatter tab selects areas, the years play, the small multiples."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import GRAPH, WAIT_MS, _load, _on_screen
from tests.helpers import DUISBURG, GELSENKIRCHEN

pytestmark = pytest.mark.browser
SCATTER = GRAPH.format(id="scatter-chart")
SIZES = ((1440, 900), (1024, 768), (390, 844))


def _point_on_screen(page, name: str) -> tuple[float, float]:
    """Where the scatter draws the point of area ``name``, in page pixels."""
    return page.evaluate(
        f"""name => {{
            const gd = {SCATTER};
            const layout = gd._fullLayout;
            for (const trace of gd._fullData) {{
                const i = Array.from(trace.text).findIndex(t => t.includes(`<b>${{name}}</b>`));
                if (i < 0) continue;
                const box = gd.querySelector('.main-svg').getBoundingClientRect();
                return [box.left + layout.xaxis._offset + layout.xaxis.d2p(trace.x[i]),
                        box.top + layout.yaxis._offset + layout.yaxis.d2p(trace.y[i])];
            }}
            return null;
        }}""",
        name,
    )


def _shoot(page, name, locator):
    for width in (1440, 390):
        page.set_viewport_size({"width": width, "height": 1000})
        locator.scroll_into_view_if_needed()
        page.wait_for_timeout(300)  # the graphs' resize
        page.screenshot(path=ARTIFACTS / f"{name}-{width}.png", full_page=False)
        box = locator.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (name, width, box)


def test_the_scatter_shows_every_municipality_and_a_click_selects_the_area(page):
    _load(page, "/?tab=scatter")
    page.wait_for_function(
        f"() => {SCATTER} && {SCATTER}._fullData && {SCATTER}._fullData.length > 0 &&"
        f" {SCATTER}._fullData.reduce((n, t) => n + t.x.length, 0) === 53",
        timeout=WAIT_MS,
    )
    page.locator("#scatter-chart").scroll_into_view_if_needed()
    x, y = _point_on_screen(page, "Bochum")
    page.mouse.move(x, y)
    expect(page.locator("#scatter-chart .hoverlayer")).to_contain_text("Bochum", timeout=WAIT_MS)
    page.mouse.click(x, y)
    expect(page.locator("#selection-label")).to_have_text("Bochum", timeout=WAIT_MS)
    assert "sel=m:05911000" in page.url
    # The scatter follows the selection: the point is drawn larger, outlined.
    page.wait_for_function(
        f"""() => {SCATTER}._fullData.some(t => Array.from(t.marker.size || [])
            .some(s => s === 16))""",
        timeout=WAIT_MS,
    )
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _shoot(page, "scatter", page.locator("#panel-scatter"))
    assert page.page_errors == [] and page.console_errors == []


# The legend's texts (plotly's, or a legend drawn in HTML under the chart) with boxes.
LEGEND_BOXES = f"""() => {{
    const gd = {GRAPH.format(id="scatter-chart")};
    const svg = gd.querySelector('.main-svg').getBoundingClientRect();
    const boxes = el => {{ const b = el.getBoundingClientRect();
        return {{text: el.textContent, left: b.left, right: b.right, top: b.top,
                 bottom: b.bottom, inSvg: !!el.closest('svg')}}; }};
    const items = [...gd.querySelectorAll('.legend .traces text.legendtext'),
                   ...document.querySelectorAll('#scatter-legend li')];
    return {{svg: {{left: svg.left, right: svg.right, top: svg.top, bottom: svg.bottom}},
             items: items.map(boxes)}};
}}"""


def _overlap(a: dict, b: dict) -> bool:
    return (min(a["right"], b["right"]) - max(a["left"], b["left"]) > 0.5
            and min(a["bottom"], b["bottom"]) - max(a["top"], b["top"]) > 0.5)  # fmt: skip


@pytest.mark.parametrize("lang", ["de", "en"])
def test_the_scatter_legend_stays_on_screen_at_every_width(page, lang):
    _load(page, f"/?tab=scatter&lang={lang}")
    scatter = GRAPH.format(id="scatter-chart")
    page.wait_for_function(f"() => {scatter}?._fullData?.length > 1", timeout=WAIT_MS)
    types = page.evaluate(f"() => {scatter}._fullData.length")
    # and the ring's entry where a point's value rests on a small base
    rings = page.evaluate(f"() => {scatter}.data.some(t => [t.marker.symbol].flat()"
                          ".includes('circle-open'))")  # fmt: skip
    entries = types + (1 if rings else 0)
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    for width, height in SIZES:
        page.set_viewport_size({"width": width, "height": height})
        page.wait_for_timeout(400)  # the graph's resize
        page.locator("#panel-scatter").scroll_into_view_if_needed()
        page.locator("#panel-scatter").screenshot(path=ARTIFACTS / f"scatter-{lang}-{width}.png")
        found = page.evaluate(LEGEND_BOXES)
        svg, items = found["svg"], found["items"]
        assert len(items) == entries, (width, items)  # one entry per type, none lost
        for item in items:
            inside = svg["left"] - 0.5 <= item["left"] and item["right"] <= svg["right"] + 0.5
            if item["inSvg"]:
                inside = inside and svg["top"] <= item["top"] and item["bottom"] <= svg["bottom"]
            assert inside and item["left"] >= 0 and item["right"] <= width, (width, item, svg)
        for i, a in enumerate(items):
            assert not any(_overlap(a, b) for b in items[i + 1 :]), (width, a)


def test_play_steps_through_the_years_and_pauses(page):
    _load(page)
    title = page.locator("#ruhr-map-title")
    play = page.get_by_role("button", name="▶ Jahre abspielen")
    play.focus()
    page.keyboard.press("Enter")  # keyboard operable
    for year in (2014, 2015, 2016):
        expect(title).to_contain_text(f"· {year}", timeout=WAIT_MS)
        expect(page.locator("#year-play-status")).to_have_text(f"Jahr {year}", timeout=WAIT_MS)
    page.get_by_role("button", name="⏸ Anhalten").click()
    expect(page.get_by_role("button", name="▶ Jahre abspielen")).to_be_visible()
    stopped = page.locator("#year-play-status").inner_text()
    page.wait_for_timeout(2000)  # more than one step: nothing moves while paused
    assert page.locator("#year-play-status").inner_text() == stopped
    assert stopped.removeprefix("Jahr ") in title.inner_text()
    assert "year=" in page.url
    assert page.page_errors == []


def test_the_small_multiples_load_when_opened_with_one_legend(page):
    _load(page, "/?metric=arrivals_per_1000&lang=en")
    requested = []
    page.on("request", lambda r: "/small-multiples/" in r.url and requested.append(r.url))
    page.wait_for_timeout(500)
    assert requested == []  # closed: nothing fetched
    page.locator("#small-multiples-details summary").click()
    images = page.locator("#small-multiples-details img")
    expect(images).to_have_count(12)
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('#small-multiples-details img'))
            .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=WAIT_MS,
    )
    assert len(requested) == 12
    assert images.nth(0).get_attribute("alt") == (
        "Ruhr region, Arrival rate (per 1,000 inhabitants per year), 2014"
    )
    assert "metric=arrivals_per_1000" in images.nth(10).get_attribute("src")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _shoot(page, "small-multiples", page.locator("#small-multiples-details"))


def test_the_scatters_and_the_comparisons_choices_are_in_the_address(page):
    """A link opens the scatter with its two indicators, and a new choice is written back;
    the comparison's measure and scale likewise."""
    _load(page, "/?tab=scatter&lang=en&x=churn&y=net_per_1000")
    page.wait_for_function(
        f"() => {SCATTER}?._fullLayout?.xaxis?.title?.text?.startsWith('Circularity')",
        timeout=WAIT_MS,
    )
    assert page.locator("#scatter-y").input_value() == "net_per_1000"
    page.locator("#scatter-y").select_option("departures_cv")
    page.wait_for_function("() => location.search.includes('y=departures_cv')", timeout=WAIT_MS)
    page.wait_for_function(
        f"() => {SCATTER}._fullLayout.yaxis.title.text.startsWith('Variation of departures')",
        timeout=WAIT_MS,
    )
    assert "x=churn" in page.url and "tab=scatter" in page.url

    _load(page, "/?tab=compare&lang=en&sel=m:05513000,m:05112000&measure=net&scale=absolute")
    expect(page.locator("#compare-measure input[value='net']")).to_be_checked()
    expect(page.locator("#compare-scale input[value='absolute']")).to_be_checked()
    page.locator("#compare-measure label", has_text="Departures").click()
    page.wait_for_function("() => location.search.includes('measure=departures')",
                           timeout=WAIT_MS)  # fmt: skip
    chart = GRAPH.format(id="compare-chart")
    page.wait_for_function(
        f"() => {chart}?._fullLayout?.title?.text?.includes('Departures')", timeout=WAIT_MS
    )
    assert "scale=absolute" in page.url and page.page_errors == []


def _small_multiples(page) -> list[dict]:
    """Each small multiple's address (its query parsed) and alt text, once all are loaded."""
    page.wait_for_function(
        """() => Array.from(document.querySelectorAll('#small-multiples-details img'))
            .every(img => img.complete && img.naturalWidth > 0)""",
        timeout=WAIT_MS,
    )
    images = page.locator("#small-multiples-details figure img")
    return [{"query": parse_qs(urlsplit(images.nth(i).get_attribute("src")).query),
             "alt": images.nth(i).get_attribute("alt")}
            for i in range(images.count())]  # fmt: skip


def test_the_small_multiples_carry_the_selection(page):
    _load(page, f"/?lang=en&sel=m:{GELSENKIRCHEN},m:{DUISBURG}")
    page.locator("#small-multiples-details summary").click()
    shown = _small_multiples(page)
    assert len(shown) == 11
    for image in shown:
        assert image["query"]["sel"] == [f"m:{GELSENKIRCHEN},m:{DUISBURG}"]
        assert "Gelsenkirchen, Duisburg" in image["alt"]
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.locator("#small-multiples-details").screenshot(path=ARTIFACTS / "small-multiples-sel.png")


def test_selecting_a_town_changes_the_small_multiples(page):
    _load(page, "/?lang=en")
    page.locator("#small-multiples-details summary").click()
    assert all("sel" not in image["query"] for image in _small_multiples(page))
    page.locator("#ruhr-map").scroll_into_view_if_needed()
    x, y = _on_screen(page, "Gelsenkirchen")
    page.mouse.click(x, y)
    expect(page.locator("#selection-label")).to_have_text("Gelsenkirchen", timeout=WAIT_MS)
    page.wait_for_function(
        f"""() => Array.from(document.querySelectorAll('#small-multiples-details figure img'))
            .every(img => img.src.includes('m%3A{GELSENKIRCHEN}'))""",
        timeout=WAIT_MS,
    )
    shown = _small_multiples(page)
    assert all(image["query"]["sel"] == [f"m:{GELSENKIRCHEN}"] for image in shown)
    assert all("Gelsenkirchen" in image["alt"] for image in shown)
