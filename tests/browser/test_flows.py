"""The flows tab in Chromium (issue 16, point 5): the flows of the selection, arrowheads
pointing the way each flow goes, a legend of the width classes and the Ruhr at its scale."""

from __future__ import annotations

import math
import shutil
import subprocess

import pytest

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_dashboard import GRAPH, WAIT_MS
from tests.helpers import GELSENKIRCHEN

pytestmark = pytest.mark.browser
BIG, RUHR = GRAPH.format(id="flow-map"), GRAPH.format(id="flow-ruhr-map")

# As drawn: each line's first, second-last and last point (lon/lat and projected to the
# map's pixels) and each arrowhead's SVG path (its three corners) and place.
DRAWN = f"""() => {{
    const gd = {BIG};
    const project = gd._fullLayout.geo._subplot.projection;
    const lines = [];
    for (const t of gd._fullData) {{
        if (t.type !== 'scattergeo' || t.mode !== 'lines' || t.name === 'frame') continue;
        const lon = Array.from(t.lon), lat = Array.from(t.lat);
        let start = 0;
        lon.forEach((v, i) => {{
            if (v !== null) return;
            const end = [lon[i - 1], lat[i - 1]];
            lines.push({{start: [lon[start], lat[start]], end: end,
                         p0: project([lon[i - 2], lat[i - 2]]), p1: project(end)}});
            start = i + 1;
        }});
    }}
    const group = Array.from(gd.querySelectorAll('g.trace.scattergeo'))
        .find(g => g.__data__[0].trace.name === 'arrowheads');
    const heads = Array.from(group.querySelectorAll('path.point')).map(p => ({{
        corners: p.getAttribute('d').match(/-?[0-9.]+(e-?[0-9]+)?/g).map(Number),
        at: p.getAttribute('transform').match(/-?[0-9.]+(e-?[0-9]+)?/g).map(Number),
    }}));
    return {{lines, heads, symbol: gd._fullData[0].marker.symbol,
             colour: gd._fullData[0].marker.color}};
}}"""


def _wait_for_flows(page, colour="#0072B2"):
    page.wait_for_function(
        f"() => {BIG} && {BIG}._fullData && {BIG}._fullData.length > 0 &&"
        f" {BIG}._fullData[0].name === 'arrowheads' &&"
        f" {BIG}._fullData[0].marker.color === '{colour}' && {BIG}._fullData[0].lon.length > 0"
        f" && {RUHR} && {RUHR}._fullData && {RUHR}._fullData.some(t => t.name === 'Ruhr ends')",
        timeout=WAIT_MS,
    )


def _angle(vector) -> float:
    return math.degrees(math.atan2(vector[1], vector[0]))


def _check_heads(drawn) -> None:
    """One triangle per line, where it ends, its tip pointing along the line's last piece."""
    assert drawn["symbol"] == "triangle-up"
    assert len(drawn["heads"]) == len(drawn["lines"])
    for line, head in zip(drawn["lines"], drawn["heads"], strict=True):
        assert math.dist(head["at"], line["p1"]) < 0.5  # placed at the line's end point
        x0, y0, x1, y1, tip_x, tip_y = head["corners"]  # triangle-up: base left, right, tip
        pointing = (tip_x - (x0 + x1) / 2, tip_y - (y0 + y1) / 2)
        going = (line["p1"][0] - line["p0"][0], line["p1"][1] - line["p0"][1])
        turn = (_angle(pointing) - _angle(going) + 180) % 360 - 180
        assert abs(turn) < 5, (head, line)


def _resize(page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 1000})
    page.wait_for_function(  # plotly follows its container's new width
        "() => ['flow-map', 'flow-ruhr-map'].every(id => { const el ="
        " document.getElementById(id); const gd = el.querySelector('.js-plotly-plot');"
        " return Math.abs(gd._fullLayout.width - el.clientWidth) < 2; })",
        timeout=WAIT_MS,
    )


def _shoot(page, name: str) -> None:
    panel = page.locator("#panel-flows")
    for width in (1440, 1024, 390):
        _resize(page, width)
        panel.scroll_into_view_if_needed()
        panel.screenshot(path=ARTIFACTS / f"{name}-{width}.png")
        box = panel.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= width + 1, (width, box)


def _print(page, name: str) -> None:
    """Printed as drawn for a desktop window (plotly's SVG keeps its size on paper)."""
    _resize(page, 1440)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(page.pdf(format="A4", landscape=True, print_background=True,
                             prefer_css_page_size=True))  # fmt: skip
    if shutil.which("pdftoppm"):  # for looking at: artifacts/browser/<name>-1.png, …
        subprocess.run(["pdftoppm", "-png", "-r", "70", pdf, ARTIFACTS / name], check=True)
    page.emulate_media(media="print")
    for shown in ("#flow-summary", "#flow-map", "#flow-legend", "#flow-ruhr-map"):
        assert page.is_visible(shown), shown
    assert not page.is_visible("#flow-direction")  # the summary says what it is set to
    page.emulate_media(media="screen")


def test_flows_of_a_selected_municipality_end_there_with_arrowheads(page, demo_dataset):
    page.goto(f"{page.base_url}/?tab=flows&sel=m:{GELSENKIRCHEN}")
    _wait_for_flows(page)
    summary = page.inner_text("#flow-summary")
    assert summary.startswith("Zuzüge nach Gelsenkirchen: die größten 25 Ströme, zusammen ")
    gelsenkirchen = demo_dataset.area_points.loc[GELSENKIRCHEN].tolist()
    drawn = page.evaluate(DRAWN)
    assert len(drawn["lines"]) == 25
    assert all(math.dist(line["end"], gelsenkirchen) < 1e-6 for line in drawn["lines"])
    _check_heads(drawn)
    # The Ruhr at its own scale: the 53 municipalities, one circle (Gelsenkirchen), named.
    ruhr = page.evaluate(
        f"""() => {{
            const groups = Array.from({RUHR}.querySelectorAll('g.trace'));
            const named = n => groups.find(g => g.__data__[0].trace.name === n);
            return {{areas: named('Ruhr').querySelectorAll('path.choroplethlocation').length,
                     circles: named('Ruhr ends').querySelectorAll('path.point').length,
                     labels: Array.from(named('Ruhr ends').querySelectorAll('text'))
                         .map(t => t.textContent)}};
        }}"""
    )
    assert ruhr["areas"] == 53 and ruhr["circles"] == 1
    assert ruhr["labels"][0].startswith("Gelsenkirchen")
    # The legend names the width classes with their ranges, the last one open.
    legend = page.inner_text("#flow-legend")
    assert "Linienbreite, Personen je Strom:" in legend and "Personen" in legend
    assert "≥ " in legend and "Pfeilspitze" in legend
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    _shoot(page, "flows-gelsenkirchen")
    _print(page, "flows-gelsenkirchen-print")
    assert page.page_errors == [] and page.console_errors == []


def test_departures_start_at_the_selection_and_point_to_the_origin_regions(page, demo_dataset):
    page.goto(f"{page.base_url}/?tab=flows&sel=m:{GELSENKIRCHEN}")
    _wait_for_flows(page)
    page.get_by_text("Fortzüge", exact=True).last.click()
    _wait_for_flows(page, "#D55E00")
    assert page.inner_text("#flow-summary").startswith("Fortzüge aus Gelsenkirchen: ")
    gelsenkirchen = demo_dataset.area_points.loc[GELSENKIRCHEN].tolist()
    drawn = page.evaluate(DRAWN)
    assert len(drawn["lines"]) == 25
    assert all(math.dist(line["start"], gelsenkirchen) < 1e-6 for line in drawn["lines"])
    assert all(math.dist(line["end"], gelsenkirchen) > 5 for line in drawn["lines"])
    _check_heads(drawn)
    assert page.page_errors == [] and page.console_errors == []
