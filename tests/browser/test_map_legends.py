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
    assert "Zahl der Gebiete" in text
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
    assert size == "19px"  # 8 pt on paper at the print zoom of 0.58
