"""The Flask/Dash server without a browser: routes, layout, hand-crafted callback requests."""

import json
import os
import re

import pytest

from dashboard import charts, figures, ids, state
from dashboard.app import create_app
from layers.settings import Settings


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "synthetic": True,
                                   "synthetic_parts": ["flows", "survey"]}  # fmt: skip


def test_page_shows_the_synthetic_notice_in_both_languages(client):
    for lang, text in (
        ("de", "Synthetische Demonstrationsdaten"),
        ("en", "Synthetic demonstration data"),
    ):
        layout = client.get(f"/_dash-layout?lang={lang}")
        assert layout.status_code == 200
        assert text in layout.get_data(as_text=True)


def test_geometry_is_served_once_and_cacheable(client):
    response = client.get("/geo/ruhr_municipalities.geojson")
    assert response.status_code == 200
    assert response.mimetype == "application/geo+json"
    assert "max-age=86400" in response.headers["Cache-Control"]
    assert len(response.get_json()["features"]) == 53
    again = client.get(
        "/geo/ruhr_municipalities.geojson", headers={"If-None-Match": response.headers["ETag"]}
    )
    assert again.status_code == 304
    assert client.get("/geo/secret.geojson").status_code == 404
    traversal = client.get("/geo/..%2F..%2Fpyproject.toml.geojson")
    assert traversal.mimetype != "application/geo+json" and b"[project]" not in traversal.data
    assert client.get("/geo/flows.geojson").status_code == 404


def test_layout_references_geometry_by_url_only(client):
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert "ruhr_municipalities.geojson?v=" in layout  # plotly escapes "/" in JSON
    assert '"coordinates"' not in layout  # no inline geometry in the page


def _update_request(**values):
    """A filter change as the browser sends it, built from the callback's declarations."""
    from dashboard import callbacks, state

    raw = {**state.ExplorerState().props(), **{f"{k}.{p}": v for k, v in values.items()
                                             for p in ("value", "data") if f"{k}.{p}" in
                                             state.ExplorerState().props()}}  # fmt: skip
    outputs = list(callbacks.VIEW_OUTPUTS.values())
    entries = [{"id": c.component, "property": c.prop, "value": raw[c.key]}
               for c in state.CONTROLS]  # fmt: skip
    return {
        "output": ".." + "...".join(f"{i}.{p}" for i, p in outputs) + "..",
        "outputs": [{"id": i, "property": p} for i, p in outputs],
        "inputs": entries,
        "changedPropIds": [f"{ids.TYPES}.value"],
        "state": [
            {"id": ids.LANG_STORE, "property": "data", "value": "en"},
            {"id": ids.URL, "property": "search", "value": "?lang=en"},
        ],
    }


def test_filter_change_sends_values_not_geometry(client):
    response = client.post(
        "/_dash-update-component", json=_update_request(**{ids.TYPES: ["circular"]})
    )
    assert response.status_code == 200
    body = response.get_data(as_text=True)
    assert "coordinates" not in body
    answer = json.loads(body)["response"]
    assert ids.RUHR_MAP not in answer  # the figure stays; the browser recolours it
    recolour = answer[ids.VIEW_UPDATE]["data"]["maps"][ids.RUHR_MAP]
    assert recolour["values"] == figures.VALUES
    # the default rate: its classes follow the values (a stepped colour scale), each area's
    # small-base note is its text
    assert set(recolour["traces"][str(figures.VALUES)]) == {"z", "zmin", "zmax", "colorscale",
                                                            "text"}  # fmt: skip
    assert len(recolour["traces"][str(figures.VALUES)]["z"]) == 53
    assert answer[ids.URL]["search"] == "?lang=en&type=circular"
    assert len(body.encode()) < 20_000


@pytest.mark.parametrize(
    "bad",
    [
        {ids.YEAR_RANGE: "DROP TABLE flows"},
        {ids.TYPES: [{"$ne": 1}]},
        {ids.COUNTRY: ["DE"] * 1000},
        {ids.METRIC: None},
        {ids.SELECTION_STORE: {"side": "origin", "code": "../../etc/passwd"}},
        {ids.YEAR_MODE: 3, ids.YEAR_SINGLE: "2030"},
    ],
)
def test_malformed_callback_values_get_a_notice_not_an_error(client, bad):
    response = client.post("/_dash-update-component", json=_update_request(**bad))
    assert response.status_code == 200
    notice = response.get_json()["response"][ids.INPUT_NOTICE]
    assert notice["is_open"] is True
    assert "Allowed" in json.dumps(notice["children"])


@pytest.mark.parametrize(
    "payload",
    [
        {
            "output": "nope.children",
            "outputs": {"id": "nope", "property": "children"},
            "inputs": [],
        },
        {"garbage": True},
        [1, 2, 3],
    ],
)
def test_malformed_callback_requests_never_give_500_or_tracebacks(client, payload):
    response = client.post("/_dash-update-component", json=payload)
    assert response.status_code in (400, 404, 204)
    assert "Traceback" not in response.get_data(as_text=True)


def test_security_headers(client):
    response = client.get("/")
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self' 'sha256-" in csp and "unsafe-eval" not in csp
    assert "frame-ancestors 'none'" in csp and response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert not client.application.debug


def test_views_may_be_embedded_where_configured(demo_dataset):
    environ = {**os.environ, "RUHR_VIEWS_FRAME_ANCESTORS": "https://www.dortmund.de"}
    settings = Settings.from_env(environ)  # the rest as the session's (its private cache)
    client = create_app(demo_dataset, settings).server.test_client()
    view = client.get("/views/swings")
    assert "frame-ancestors https://www.dortmund.de" in view.headers["Content-Security-Policy"]
    assert "X-Frame-Options" not in view.headers
    assert "frame-ancestors 'none'" in client.get("/").headers["Content-Security-Policy"]


def test_responses_are_compressed(client):
    layout = client.get("/_dash-layout", headers={"Accept-Encoding": "gzip"})
    assert layout.headers.get("Content-Encoding") == "gzip"
    geo = client.get("/geo/ruhr_municipalities.geojson", headers={"Accept-Encoding": "gzip"})
    assert geo.headers.get("Content-Encoding") == "gzip" and len(geo.data) < 60_000


def test_a_filter_change_sends_values_a_metric_or_selection_change_a_patch(client):
    """New values for the same areas are recoloured in the browser (assets/gate.js); a new
    colour scale or outline is a Patch of the figure, which plotly draws anew."""

    def answer(request):
        return client.post("/_dash-update-component", json=request).get_json()["response"]

    def patched_keys(request):
        operations = answer(request)[ids.RUHR_MAP]["figure"]["operations"]
        assert {op["operation"] for op in operations} == {"Merge"}  # one per trace
        return {key for op in operations for key in op["params"]["value"]}

    filter_change = answer(_update_request(**{ids.TYPES: ["circular"]}))
    assert ids.RUHR_MAP not in filter_change and ids.ORIGIN_MAP not in filter_change
    maps = filter_change[ids.VIEW_UPDATE]["data"]["maps"]
    assert set(maps) == {ids.RUHR_MAP, ids.ORIGIN_MAP}
    assert filter_change[ids.VIEW_UPDATE]["data"]["series"]["operations"]  # a Patch too
    metric_change = _update_request(**{ids.METRIC: "net"})
    metric_change["changedPropIds"] = [f"{ids.METRIC}.value"]
    assert {"colorscale", "hovertemplate", "z", "zmin", "zmax"} <= patched_keys(metric_change)
    assert ids.VIEW_UPDATE not in answer(metric_change)  # nor a series: it ignores the metric
    selection_change = _update_request(
        **{ids.SELECTION_STORE: {"side": "municipality", "code": "05913000"}}
    )
    selection_change["changedPropIds"] = [f"{ids.SELECTION_STORE}.data"]
    assert {"locations", "z"} <= patched_keys(selection_change)  # the selection's outline
    tab_change = _update_request()
    tab_change["changedPropIds"] = [f"{ids.TABS}.value"]
    next(i for i in tab_change["inputs"] if i["id"] == ids.TABS)["value"] = "needs"
    assert answer(tab_change) == {ids.URL: {"search": "?lang=en&tab=needs"}}


def test_recolouring_messages_only_carry_values_and_suppressed_areas():
    update = figures.map_update([1.0, None], "arrivals", "en", [], style=False,
                                highlight_changed=False)  # fmt: skip
    message = figures.restyle_message(update)
    # a count: neutral areas under circles (area ∝ count, the largest 36 px wide)
    assert message == {
        "values": figures.VALUES,
        "traces": {
            str(figures.VALUES): {"z": [1.0, None], "zmin": 0, "zmax": 1,
                                  "colorscale": [[0, "#ffffff"], [1, "#ffffff"]]},
            str(figures.CIRCLES): {"marker.size": [36.0, 0.0]},
        },
    }  # fmt: skip
    survey = figures.map_update([2.0], "language_richness", "en", [], (["X"], ["Name"], "few"),
                                style=False, highlight_changed=False)  # fmt: skip
    traces = figures.restyle_message(survey)["traces"]
    assert traces[str(figures.SUPPRESSED)] == {
        "locations": ["X"], "z": [0], "customdata": ["Name"], "text": ["few"]
    }  # fmt: skip
    assert figures.restyle_message(figures.map_update([1.0], "arrivals", "en", [])) is None


def test_the_partial_plotly_bundle_has_every_trace_type_the_app_draws():
    """A trace type missing from dashboard/static/plotly/entry.js is silently not drawn."""
    import re
    from pathlib import Path

    root = Path(__file__).resolve().parents[2]
    entry = (root / "dashboard" / "static" / "plotly" / "entry.js").read_text()
    bundled = {"scatter", *re.findall(r"require\('plotly\.js/lib/(\w+)'\)", entry)} - {"core"}
    drawn = set()
    for module in (root / "dashboard").glob("*.py"):
        code = module.read_text()
        drawn |= {name.lower() for name in re.findall(r"\bgo\.([A-Z][a-z]+)\(", code)}
        drawn |= set(re.findall(r"\bfigure\.add_([a-z]+)\(", code))
    drawn -= {"figure", "trace", "shape", "annotation", "vrect", "hrect", "vline", "hline",
              "layout_image"}  # fmt: skip
    assert drawn, "no trace found: the pattern no longer matches the code"
    assert drawn <= bundled, f"not in the bundle: {sorted(drawn - bundled)}"


def _component(layout: dict, component_id: str) -> dict:
    """The props of the component with ``component_id`` in a /_dash-layout answer."""
    stack = [layout]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if node.get("props", {}).get("id") == component_id:
                return node["props"]
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    raise KeyError(component_id)


def test_the_page_arrives_with_its_first_view_and_asks_nothing_for_the_maps(client):
    layout = client.get(
        "/_dash-layout", headers={"Referer": "http://localhost/?lang=en&type=circular"}
    ).get_json()
    values = _component(layout, ids.RUHR_MAP)["figure"]["data"][figures.VALUES]
    answer = client.post(
        "/_dash-update-component", json=_update_request(**{ids.TYPES: ["circular"]})
    ).get_json()["response"]
    recoloured = answer[ids.VIEW_UPDATE]["data"]["maps"][ids.RUHR_MAP]["traces"]
    assert values["z"] == recoloured[str(figures.VALUES)]["z"]  # the callback's values
    assert max(values["z"]) > 0
    assert (
        _component(layout, ids.RUHR_MAP_TITLE)["children"]
        == (answer[ids.RUHR_MAP_TITLE]["children"])
    )
    series = _component(layout, ids.SERIES)["figure"]["data"][charts.SERIES_ARRIVALS]
    assert sum(series["y"]) > 0
    first_calls = {
        d["output"]: not d.get("prevent_initial_call")
        for d in client.get("/_dash-dependencies").get_json()
    }
    for output in (f"{ids.SERIES}.figure", f"..{ids.RUHR_MAP}.figure"):
        assert [v for k, v in first_calls.items() if k.startswith(output)] == [False], output


def test_the_explorer_preloads_plotly_and_its_map_layers(client):
    def preloads(path):
        page = client.get(path).get_data(as_text=True)
        return re.findall(r'<link rel="preload" href="([^"]+)"', page)

    explorer = preloads("/")
    assert any(url.startswith("/_plotly/plotly-ruhr.min.js?v=") for url in explorer)
    geo = [url for url in explorer if url.startswith("/geo/")]
    assert len(geo) == 6 and all(client.get(url).status_code == 200 for url in geo)
    layout = client.get("/_dash-layout").get_data(as_text=True)
    assert all(url.rsplit("/", 1)[-1] in layout for url in geo)  # each one is drawn
    assert preloads("/views") == []  # no map there


def test_panels_and_year_slider_are_rendered_as_the_link_says(client):
    """Switched in the browser afterwards (assets/gate.js), so the page must start right;
    the panel switch relies on the tab options being in the order of state.TABS."""
    layout = client.get(
        "/_dash-layout", headers={"Referer": "http://localhost/?tab=needs&year=2019"}
    ).get_json()
    options = [o["value"] for o in _component(layout, ids.TABS)["options"]]
    assert options == list(state.TABS)
    assert [_component(layout, ids.panel(tab))["hidden"] for tab in options] == [
        tab != "needs" for tab in options
    ]
    assert _component(layout, ids.YEAR_SINGLE_WRAPPER)["style"] == {"display": "block"}
    assert _component(layout, ids.YEAR_RANGE_WRAPPER)["style"] == {"display": "none"}
