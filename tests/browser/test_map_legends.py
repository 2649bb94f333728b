"""The maps' legends and place names in the browser (issue 16.4): class ranges with their
number of areas, "≥" on a fixed scale's open top class, a count's reference circles, the
names toggled off and on through the address, and both on paper."""

from __future__ import annotations

import re

from tests.browser.test_dashboard import WAIT_MS, _load

LABELS = "#ruhr-map .scattergeo text"


def _names(page, selector: str) -> set[str]:
    """The texts of SVG elements (no innerText there)."""
    found = f"() => Array.from(document.querySelectorAll('{selector}'), e => e.textContent)"
    return set(page.evaluate(found))


def _legend(page, graph: str) -> str:
    page.wait_for_selector(f"#{graph}-legend li", timeout=WAIT_MS)
    return page.inner_text(f"#{graph}-legend")


def test_the_legend_lists_classes_with_their_areas_and_the_maps_name_places(page):
    _load(page, "/?classes=equal_interval&k=4")
    text = _legend(page, "ruhr-map")
    ranges = re.findall(r"^(.+) \((\d+)\)$", text, flags=re.MULTILINE)
    assert len(ranges) == 4 and "bis unter" in ranges[0][0]
    assert sum(int(n) for _, n in ranges) == 53  # every Ruhr municipality in one class
    assert "Zahl der Gebiete" in text and "Gleiche Intervalle, 4 Klassen" in text  # on paper too
    names = _names(page, LABELS)
    assert {"Dortmund", "Essen", "Duisburg", "Herne", "Bottrop"} <= names
    assert "Oer-Erkenschwick" not in names  # a small town: not named
    assert {"Cluj", "Plovdiv", "București"} <= _names(page, "#origin-map .scattergeo text")
    # the switch hides the names and writes it to the address; on again, they are back
    page.get_by_label("Ortsnamen auf den Karten").uncheck()
    page.wait_for_function("() => location.search.includes('labels=off')", timeout=WAIT_MS)
    page.wait_for_function(f"() => !document.querySelector('{LABELS}')", timeout=WAIT_MS)
    page.get_by_label("Ortsnamen auf den Karten").check()
    page.wait_for_function(f"() => document.querySelectorAll('{LABELS}').length > 5",
                           timeout=WAIT_MS)  # fmt: skip


def test_names_off_from_the_address_and_counts_as_circles(page):
    _load(page, "/?metric=arrivals&labels=off&lang=en")
    text = _legend(page, "ruhr-map")
    assert "circle area ∝ number of persons" in text
    assert re.search(r"^50,000$", text, flags=re.MULTILINE)  # a round reference circle
    assert page.locator(LABELS).count() == 0
    sizes = page.evaluate(
        "() => document.querySelector('#ruhr-map .js-plotly-plot')._fullData[6].marker.size"
    )
    assert max(sizes) == 36 and sum(1 for s in sizes if s > 0) == 53


def test_legend_and_names_print(page):
    _load(page, "/")
    _legend(page, "ruhr-map")
    page.emulate_media(media="print")
    assert page.locator("#ruhr-map-legend").is_visible()
    assert page.locator(LABELS).first.is_visible()
    size = page.evaluate(f"() => getComputedStyle(document.querySelector('{LABELS}')).fontSize")
    assert float(size.removesuffix("px")) >= 8 * 96 / 72  # 8 pt on paper (printed unzoomed)


# Every shown place name's box on both maps, and the box of the map it is drawn on.
NAME_BOXES = """() => Array.from(document.querySelectorAll('.map-graph .js-plotly-plot'), gd => {
    const frame = gd.querySelector('.geo .bg rect, .geo rect.bg')
        || gd.querySelector('.geolayer');
    const edge = (frame || gd).getBoundingClientRect();
    const names = Array.from(gd.querySelectorAll('.scattergeo text'))
        .filter(t => t.textContent.trim() && getComputedStyle(t).visibility !== 'hidden')
        .map(t => { const r = t.getBoundingClientRect();
                    return {name: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom}; });
    return {edge: {l: edge.left, r: edge.right, t: edge.top, b: edge.bottom}, names};
})"""


def _overlapping(found: dict) -> list[tuple[str, str]]:
    names = found["names"]

    def meet(a: dict, b: dict) -> bool:
        return a["l"] < b["r"] and b["l"] < a["r"] and a["t"] < b["b"] and b["t"] < a["b"]

    return [(a["name"], b["name"]) for i, a in enumerate(names) for b in names[i + 1 :]
            if meet(a, b)]  # fmt: skip


def test_on_paper_the_names_neither_overlap_nor_leave_the_map(page):
    _load(page, "/")
    _legend(page, "ruhr-map")
    on_screen = [len(m["names"]) for m in page.evaluate(NAME_BOXES)]
    page.emulate_media(media="print")
    page.wait_for_timeout(500)  # the maps redrawn at their printed size (assets/print.js)
    printed = page.evaluate(NAME_BOXES)
    for found in printed:
        assert len(found["names"]) >= 6
        assert _overlapping(found) == []
        edge = found["edge"]
        outside = [n["name"] for n in found["names"]
                   if n["l"] < edge["l"] - 1 or n["r"] > edge["r"] + 1]  # fmt: skip
        assert outside == [], outside
    names = {n["name"] for n in printed[0]["names"]}
    assert {"Dortmund", "Essen", "Duisburg"} <= names
    page.emulate_media(media="screen")
    page.wait_for_timeout(300)
    assert [len(m["names"]) for m in page.evaluate(NAME_BOXES)] == on_screen


def test_a_curated_view_has_the_legend_of_its_fixed_classes(page):
    page.goto(page.base_url + "/views/swings")  # one map, not the explorer's two
    text = _legend(page, "ruhr-map")
    ranges = re.findall(r"^(.+) \((\d+)\)$", text, flags=re.MULTILINE)
    assert len(ranges) == 5 and ranges[-1][0] == "≥ 0,80"  # five equal classes, top open
    assert sum(int(n) for _, n in ranges) == 53
    assert "geringe Basis" in text  # what the hatching means
    page.emulate_media(media="print")  # on paper the server's map carries it
    assert not page.locator("#ruhr-map-legend").is_visible()
    assert page.locator("img.print-map").is_visible()
