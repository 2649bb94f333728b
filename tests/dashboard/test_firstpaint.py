"""The first paint (dashboard/firstpaint.py): the first HTML of the explorer and of every
curated view shows their maps as server-drawn SVG, coloured as the live maps."""

from __future__ import annotations

import re
from html import escape

import pytest

from dashboard import app as app_module
from dashboard import classes, figures, firstpaint, ids, layout, view
from dashboard.state import ExplorerState
from dashboard.updates import apply_update
from layers import queries
from layers.disclosure import Policy
from layers.views import load_views

VIEWS, _ = load_views()
AREA = re.compile(r'<path d="[^"]+" fill="([^"]+)"><title>([^<]*)</title></path>')


@pytest.fixture(scope="module")
def geo():
    layers, bodies = app_module.geo_layers()
    return layers, app_module.paint_geometry(layers, bodies)


@pytest.fixture(scope="module")
def client(demo_dataset):
    return app_module.create_app(demo_dataset).server.test_client()


def _live_figure(geo_layers, update: dict, graph=ids.RUHR_MAP) -> dict:
    return apply_update(layout.explorer_figures(geo_layers, "de")[graph], update)


def _first_paint(html: str) -> str:
    found = re.search(r'<div id="first-paint">(.*?)</div>\s*<div id="react-entry-point"', html,
                      re.S)  # fmt: skip
    assert found, "no first paint before Dash's entry point"
    return found[1]


def test_each_area_has_its_class_colour_as_the_live_map_draws_it(demo_dataset, geo):
    layers, geometry = geo
    state = ExplorerState(metric="arrivals_per_1000", lang="de")
    update = view.view_outputs(demo_dataset, state, Policy())["ruhr_update"]
    drawn = firstpaint.drawing(_live_figure(layers, update), geometry, "explorer", "x", "")
    values, _, _ = view._map_values(demo_dataset, state, "municipality", Policy())
    scale = classes.map_scale(values, state.metric, state.map_scheme, state.map_classes)
    expected = {code: scale.colours[scale.classes.index(v)]
                for code, v in zip(queries.MUNICIPALITY_CODES, values, strict=True)}  # fmt: skip
    assert {a.code: a.fill for a in drawn.areas} == expected
    assert len(set(expected.values())) == scale.classes.k > 1


def test_a_withheld_area_is_grey_and_one_without_value_has_the_base_colour(geo):
    layers, geometry = geo
    codes = list(queries.MUNICIPALITY_CODES)
    values = [float(i) for i in range(len(codes))]
    values[3] = None  # not in the filter
    values[7] = None  # withheld (suppressed)
    update = figures.map_update(values, "arrivals_per_1000", "de", [codes[0]],
                                ([codes[7]], ["withheld"], "fewer than 5"))  # fmt: skip
    drawn = firstpaint.drawing(_live_figure(layers, update), geometry, "explorer", "x", "")
    fills = {a.code: a.fill for a in drawn.areas}
    assert fills[codes[3]] == figures.BASE_COLOUR
    assert fills[codes[7]] == figures.SUPPRESSED_COLOUR
    assert fills[codes[1]] not in (figures.BASE_COLOUR, figures.SUPPRESSED_COLOUR)
    assert [a.code for a in drawn.areas if a.outlined] == [codes[0]]


def test_the_legend_is_written_as_assets_legend_js_draws_it():
    data = {"title": "Rate", "rows": [["#fff", "1 bis unter 2", 3], ["#000", "2 bis 5", 4]],
            "count_note": "n", "notes": [["suppressed", "withheld"]]}  # fmt: skip
    html = firstpaint.legend_html(data)
    assert html.count('<li class="legend-class">') == 2
    assert '<p class="legend-title">Rate</p>' in html
    assert '<li class="legend-suppressed">' in html


@pytest.mark.parametrize(
    ("url", "areas"),
    [("/", (53, 70)), ("/?lang=en&metric=net_per_1000", (53, 70)),
     ("/?metric=language_richness&country=RO", (53, 70))],
)  # fmt: skip
def test_the_explorer_first_html_has_both_maps_as_svg(client, url, areas):
    response = client.get(url)
    assert response.status_code == 200
    paint = _first_paint(response.get_data(as_text=True))
    svgs = re.findall(r"<svg.*?</svg>", paint, re.S)
    assert tuple(len(AREA.findall(svg)) for svg in svgs) == areas
    assert "Synthetische Demonstrationsdaten" in paint or "Synthetic demonstration" in paint
    assert all('role="img" aria-label="' in svg for svg in svgs)
    # no id of the live page twice: only the shell's and the maps' clip paths
    assert set(re.findall(r' id="([^"]+)"', paint)) == {"first-municipality-clip",
                                                       "first-origin-clip"}  # fmt: skip
    assert paint.count('class="legend-title"') == 2  # each map's legend as text
    assert paint.count("map-summary") == 2  # and its key figures


@pytest.mark.parametrize("slug", sorted(VIEWS))
def test_each_view_first_html_has_its_map_as_svg(client, slug):
    html = client.get(f"/views/{slug}?lang=en").get_data(as_text=True)
    paint = _first_paint(html)
    svgs = re.findall(r"<svg.*?</svg>", paint, re.S)
    expected = 70 if VIEWS[slug].side == "origin" else 53
    assert [len(AREA.findall(svg)) for svg in svgs] == [expected]
    assert escape(VIEWS[slug].title["en"], quote=False) in paint
    assert 'data-first-map=".view-map"' in paint


def test_pages_without_a_map_have_no_first_paint(client):
    html = client.get("/views").get_data(as_text=True)
    assert 'id="first-paint"' not in html
