"""tests/perf/dash_client.py: callback bodies derived from the app's layout and dependencies,
answered by the real app (Flask test client), and the renderer's rules on made-up callbacks."""

import json

import pytest

from dashboard import figures, ids
from dashboard.app import create_app
from tests.perf import dash_client as dc

DORTMUND = "05913000"
PAGE_URL = "http://localhost/?year=2019&type=circular"


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


@pytest.fixture(scope="module")
def served(client):
    layout = client.get("/_dash-layout", headers={"Referer": PAGE_URL}).get_json()
    return layout, client.get("/_dash-dependencies").get_json()


def _post(client):
    def post(body):
        response = client.post("/_dash-update-component", json=body)
        return response.status_code, response.get_json() if response.status_code == 200 else None

    return post


def _shown_values(page, graph_id):
    """What a map shows: the last recolouring message's values for it (the browser applies
    it, assets/gate.js; this simulator does not) or else its figure's."""
    message = page.get(ids.VIEW_UPDATE, "data")
    if isinstance(message, dict) and graph_id in message["maps"]:
        return message["maps"][graph_id]["traces"][str(figures.VALUES)]["z"]
    return page.get(graph_id, "figure")["data"][figures.VALUES]["z"]


def _ruhr_values(page):
    return _shown_values(page, ids.RUHR_MAP)


def test_a_migration_type_change_gives_one_body_per_callback_reading_it(client, served):
    layout, deps = served
    props = dc.component_props(layout)
    changed = f"{ids.TYPES}.value"
    readers = [
        d
        for d in deps
        if changed in [f"{i['id']}.{i['property']}" for i in d["inputs"]]
        and not d.get("clientside_function")  # runs in the browser, sends nothing
    ]
    unchanged = json.dumps(layout)
    bodies = dc.bodies_for_change(layout, deps, ids.TYPES, "value", ["circular"])
    assert json.dumps(layout) == unchanged  # the caller's layout is left as it was
    assert len(bodies) == len(readers) > 0
    for spec, body in zip(readers, bodies, strict=True):
        assert body["output"] == spec["output"]
        if spec["output"].startswith(".."):
            parts = spec["output"][2:-2].split("...")
            assert [f"{o['id']}.{o['property']}" for o in body["outputs"]] == parts
        else:
            component_id, prop = spec["output"].rsplit(".", 1)
            assert body["outputs"] == {"id": component_id, "property": prop}
        assert [(i["id"], i["property"]) for i in body["inputs"]] == [
            (i["id"], i["property"]) for i in spec["inputs"]
        ]
        for item in body["inputs"] + body.get("state", []):
            expected = (
                ["circular"] if item["id"] == ids.TYPES else props[item["id"]].get(item["property"])
            )
            assert item.get("value") == expected
        assert body["changedPropIds"] == [changed]
        assert ("state" in body) == bool(spec["state"])
    answers = [_post(client)(body) for body in bodies]
    assert all(status in (200, 204) for status, _ in answers)
    maps = [
        a["response"][ids.VIEW_UPDATE]["data"]["maps"][ids.RUHR_MAP]
        for s, a in answers
        if s == 200 and ids.VIEW_UPDATE in a["response"]
    ]
    assert maps and '"z"' in json.dumps(maps)


def test_an_interaction_updates_the_maps_through_every_wave(client, served):
    page = dc.load_page(*served)
    dc.page_load(page, PAGE_URL, dc.sequential(_post(client)))
    before = _ruhr_values(page)
    change = (ids.TYPES, "value", ["immigrant", "return"])  # the link has type=circular
    exchanges = dc.interact(page, change, dc.sequential(_post(client)))
    assert exchanges and all(e["status"] in (200, 204) for e in exchanges)
    assert exchanges[0]["body"]["changedPropIds"] == [f"{ids.TYPES}.value"]
    after = _ruhr_values(page)  # the figure with the answer's Patch applied
    assert len(after) == len(before) == 53 and after != before


def test_a_click_on_dortmund_selects_it_and_recolours_the_origin_map(client, served):
    page = dc.load_page(*served)
    send = dc.sequential(_post(client))
    loaded = dc.page_load(page, PAGE_URL, send)
    assert loaded and all(e["status"] in (200, 204) for e in loaded)
    assert page.get(ids.URL, "search").startswith("?")
    origin_before = _shown_values(page, ids.ORIGIN_MAP)
    click = {"points": [{"curveNumber": figures.VALUES, "location": DORTMUND}]}
    exchanges = dc.interact(page, (ids.RUHR_MAP, "clickData", click), send)
    assert all(e["status"] in (200, 204) for e in exchanges)
    assert max(e["wave"] for e in exchanges) >= 1  # the selection triggers further callbacks
    assert page.get(ids.SELECTION_STORE, "data") == {"side": "municipality", "code": DORTMUND}
    assert "Dortmund" in json.dumps(page.get(ids.SELECTION_LABEL, "children"))
    assert _shown_values(page, ids.ORIGIN_MAP) != origin_before


# --- the renderer's rules, on made-up callbacks -------------------------------------------


def _component(cid, **props):
    return {"type": "Div", "namespace": "dash_html_components", "props": {"id": cid, **props}}


LAYOUT = {
    "type": "Div",
    "namespace": "dash_html_components",
    "props": {
        "children": [
            _component("a", value=1),
            _component("b"),
            _component("c", value="x"),
            _component("d"),
            _component("s", data="st"),
        ]
    },
}
DEPS = [
    {"output": "b.children", "inputs": [{"id": "a", "property": "value"}], "state": []},
    {
        "output": "..c.value...d.children..",
        "inputs": [{"id": "a", "property": "value"}, {"id": "b", "property": "children"}],
        "state": [{"id": "s", "property": "data"}],
    },
    {
        "output": "d.title",
        "inputs": [{"id": "a", "property": "value"}],
        "state": [],
        "clientside_function": {"namespace": "ns", "function_name": "f"},
    },
    {"output": "gone.children", "inputs": [{"id": "a", "property": "value"}], "state": []},
]


def test_body_format_single_and_multi_output_missing_values_and_skipped_callbacks():
    bodies = dc.bodies_for_change(LAYOUT, DEPS, "a", "value", 2)
    assert bodies == [  # no clientside callback, none whose output is not on the page
        {
            "output": "b.children",
            "outputs": {"id": "b", "property": "children"},
            "inputs": [{"id": "a", "property": "value", "value": 2}],
            "changedPropIds": ["a.value"],
            "parsedChangedPropsIds": ["a.value"],
        },
        {
            "output": "..c.value...d.children..",
            "outputs": [{"id": "c", "property": "value"}, {"id": "d", "property": "children"}],
            "inputs": [
                {"id": "a", "property": "value", "value": 2},
                {"id": "b", "property": "children"},  # not set: no "value", like undefined
            ],
            "changedPropIds": ["a.value"],
            "parsedChangedPropsIds": ["a.value"],
            "state": [{"id": "s", "property": "data", "value": "st"}],
        },
    ]
    assert dc.component_props(LAYOUT)["a"]["value"] == 1  # the layout is left as it was


def test_a_callback_waits_for_the_callback_that_writes_its_input():
    page = dc.load_page(LAYOUT, DEPS)
    sent = []

    def send_wave(bodies):
        sent.append([b["output"] for b in bodies])
        answers = {
            "b.children": {"b": {"children": "B"}},
            "..c.value...d.children..": {"c": {"value": "y"}},
        }
        return [(200, {"multi": True, "response": answers[b["output"]]}) for b in bodies]

    exchanges = dc.interact(page, ("a", "value", 2), send_wave)
    assert sent == [["b.children"], ["..c.value...d.children.."]]
    second = exchanges[1]["body"]
    assert second["inputs"][1] == {"id": "b", "property": "children", "value": "B"}
    assert second["changedPropIds"] == ["a.value", "b.children"]  # merged, in order
    assert page.get("c", "value") == "y"


def test_patches_are_applied_like_the_renderer():
    value = {"data": [{"z": [1, 2], "name": "n"}], "layout": {}}
    operations = [
        {"operation": "Assign", "location": ["data", 0, "z"], "params": {"value": [3]}},
        {"operation": "Extend", "location": ["data", 0, "z"], "params": {"value": [4]}},
        {"operation": "Delete", "location": ["data", 0, "name"], "params": {}},
        {"operation": "Merge", "location": ["layout"], "params": {"value": {"t": 1}}},
        {"operation": "Add", "location": ["layout", "t"], "params": {"value": 2}},
    ]
    assert dc._apply_patch(value, operations) == {"data": [{"z": [3, 4]}], "layout": {"t": 3}}
    assert value["data"][0]["z"] == [1, 2]  # the old value is not changed in place


GATED_LAYOUT = {
    "type": "Div",
    "namespace": "dash_html_components",
    "props": {"children": [_component("a", value=1), _component("g"), _component("h")]},
}
GATED_DEPS = [
    {
        "output": "g.data",
        "inputs": [{"id": "a", "property": "value"}],
        "state": [],
        "clientside_function": {"namespace": "ns", "function_name": "gate"},
    },
    {
        "output": "h.children",
        "inputs": [{"id": "g", "property": "data"}],
        "state": [],
        "prevent_initial_call": True,
    },
]


@pytest.mark.parametrize(
    ("runner", "expected"),
    [
        (None, []),  # clientside skipped: what follows it is not sent either
        (lambda ns, fn, args, multi, ctx: dc.NO_UPDATE, []),
        (lambda ns, fn, args, multi, ctx: [args[0] * 2], [("h.children", ["g.data"], 4)]),
    ],
)
def test_clientside_callbacks_run_through_the_given_runner(runner, expected):
    page = dc.load_page(GATED_LAYOUT, GATED_DEPS)
    page.run_clientside = runner
    assert dc.bodies_for_change(page, None, "a", "value", 2) == []  # never sent itself

    def send_wave(bodies):
        return [(204, None) for _ in bodies]

    exchanges = dc.interact(page, ("a", "value", 2), send_wave)
    sent = [
        (e["body"]["output"], e["body"]["changedPropIds"], e["body"]["inputs"][0].get("value"))
        for e in exchanges
    ]
    assert sent == expected


def test_clientside_context_names_the_outputs_as_the_renderer_does():
    """assets/gate.js reads callback_context.outputs_list: a single output's is the one
    {id, property}, a multi-output callback's a list of them."""
    seen = []

    def runner(ns, fn, args, multi, ctx):
        seen.append((multi, ctx["outputs_list"]))
        return [args[0]]

    page = dc.load_page(GATED_LAYOUT, GATED_DEPS)
    page.run_clientside = runner
    dc.interact(page, ("a", "value", 2), lambda bodies: [(204, None) for _ in bodies])
    assert seen == [(False, {"id": "g", "property": "data"})]
