"""The callback requests a browser sends, built from ``/_dash-layout`` and ``/_dash-dependencies``.

No callback body is written by hand: the load test (``tests/perf/locustfile.py``) and the
unit tests describe a user action as "this property now has that value", and the functions
here derive the ``POST /_dash-update-component`` bodies from the app's own dependency list
and the current component values, in the format of Dash 4's renderer
(``dash-renderer/src/actions/callbacks.ts``, ``executeCallback``)::

    {"output": "..a.figure...b.children.."  (or "a.figure" for a single output),
     "outputs": [{"id": "a", "property": "figure"}, ...]  (one object for a single output),
     "inputs": [{"id": ..., "property": ..., "value": ...}, ...],
     "changedPropIds": ["a.value"], "parsedChangedPropsIds": ["a.value"],
     "state": [...]}  (left out when the callback has no State)

A property the page does not have is sent without ``"value"``, as the renderer's
``JSON.stringify`` drops ``undefined``.

Two levels:

* :func:`bodies_for_change`: one body for every server-side callback that has the changed
  property as an Input, with the values of the layout and the changed value substituted.
* :func:`page_load` and :func:`interact`: what the renderer does over time. A callback
  waits while another pending callback may still change one of its inputs
  (``getReadyCallbacks``), answers are applied to the page (``dash.Patch`` included) and
  trigger the callbacks that read the changed properties, a callback is not re-triggered
  by its own outputs (circular pruning), duplicates are merged, and initial calls whose
  inputs all come from a callback that changed none of them are dropped (execution groups).
  On page load the ``dcc.Store`` and ``dcc.Location`` components set their properties as
  they mount, as in the browser. Requests that are ready together form a *wave*; the
  caller's ``send_wave`` may send them concurrently, as a browser does.

Clientside callbacks are never sent. By default they are skipped (their outputs stay as
they are); give the page a ``run_clientside`` function (:func:`js_clientside_runner` runs
the app's own JavaScript in V8) and they run as soon as they are ready, as in the browser,
so that server callbacks behind them (e.g. the explorer's ``assets/gate.js``) are sent too.

Not covered (the explorer uses none of it): pattern-matching (wildcard) callbacks are
skipped with a warning, background callbacks are sent like ordinary ones, clientside
functions that return a Promise are skipped, and persistence is ignored.
Checked against Chromium with the real renderer (page load, a filter change, a map click,
a metric change): same callbacks, same order of waves, same bodies; the page load and the
filter change are re-checked by tests/browser/test_request_simulator.py.
"""

from __future__ import annotations

import copy
import itertools
import json
import operator
import threading
import time
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit

MISSING: Any = object()  # a property the page does not have (JavaScript's undefined)
NO_UPDATE: Any = object()  # a clientside function's dash_clientside.no_update
PATCH_MARK = "__dash_patch_update"
ARITHMETIC = {
    "Add": operator.add,
    "Sub": operator.sub,
    "Mul": operator.mul,
    "Div": operator.truediv,
}
Exchange = dict  # {"wave": int, "body": dict, "status": int, "response": dict | None}
SendWave = Callable[[list[dict]], list[tuple[int, dict | None]]]
# (namespace, function_name, arguments, multi-output?, callback_context) -> the output
# values (NO_UPDATE where not updated), NO_UPDATE for none, None for PreventUpdate
ClientsideRunner = Callable[[str, str, list, bool, dict], Any]


def stringify_id(component_id: Any) -> str:
    """The renderer's ``stringifyId``: string ids as they are, dict ids as sorted JSON."""
    if isinstance(component_id, dict):
        items = (
            f"{json.dumps(k)}:{json.dumps(component_id[k], separators=(',', ':'))}"
            for k in sorted(component_id)
        )
        return "{" + ",".join(items) + "}"
    return str(component_id)


def prop_id(component_id: Any, prop: str) -> str:
    return f"{stringify_id(component_id)}.{prop}"


def _is_wildcard(component_id: Any) -> bool:
    return isinstance(component_id, dict) and any(
        isinstance(v, list) for v in component_id.values()
    )


@dataclass(frozen=True)
class Dependency:
    """One Input, State or Output of a callback."""

    id: Any
    property: str  # for outputs possibly "figure@<hash>" (allow_duplicate)

    @property
    def key(self) -> str:
        return stringify_id(self.id)

    @property
    def clean_property(self) -> str:
        return self.property.split("@")[0]

    @property
    def prop_id(self) -> str:
        return f"{self.key}.{self.clean_property}"

    def as_json(self) -> dict:
        return {"id": self.id, "property": self.property}


@dataclass(frozen=True)
class Callback:
    output: str
    outputs: tuple[Dependency, ...]
    inputs: tuple[Dependency, ...]
    state: tuple[Dependency, ...]
    clientside: bool
    prevent_initial_call: bool
    wildcard: bool
    clientside_function: tuple[str, str] | None = None  # (namespace, function_name)

    @property
    def multi(self) -> bool:
        return self.output.startswith("..")


def _split_output(output: str) -> list[Dependency]:
    """Like ``dash._utils.split_callback_id``: ``..a.x...b.y..`` or ``a.x``."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = []
    for part in parts:
        if "." not in part:  # a callback without outputs has a hash here
            continue
        raw_id, prop = part.rsplit(".", 1)
        outputs.append(Dependency(json.loads(raw_id) if raw_id.startswith("{") else raw_id, prop))
    return outputs


def parse_dependencies(dependencies: list[dict]) -> list[Callback]:
    """The JSON of ``GET /_dash-dependencies`` as :class:`Callback` objects."""
    callbacks = []
    for spec in dependencies:
        inputs = tuple(Dependency(d["id"], d["property"]) for d in spec.get("inputs", []))
        state = tuple(Dependency(d["id"], d["property"]) for d in spec.get("state", []))
        outputs = tuple(_split_output(spec["output"]))
        wildcard = any(_is_wildcard(d.id) for d in (*inputs, *state, *outputs))
        function = spec.get("clientside_function") or None
        callbacks.append(
            Callback(
                output=spec["output"],
                outputs=outputs,
                inputs=inputs,
                state=state,
                clientside=bool(spec.get("clientside_function")),
                prevent_initial_call=bool(spec.get("prevent_initial_call")),
                wildcard=wildcard,
                clientside_function=(
                    (function.get("namespace"), function.get("function_name"))
                    if isinstance(function, dict)
                    else None
                ),
            )
        )
    return callbacks


def _walk_components(node: Any) -> Iterable[dict]:
    """Every component of a layout tree (dicts with type, namespace and props), in order."""
    if isinstance(node, dict):
        if "type" in node and "namespace" in node and isinstance(node.get("props"), dict):
            yield node
            if node["type"] == "Store":  # its data is data, even in a component's JSON form
                return  # (the renderer crawls only a component's children props)
            for value in node["props"].values():
                yield from _walk_components(value)
        else:
            for value in node.values():
                yield from _walk_components(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk_components(value)


def component_props(layout: Any) -> dict[str, dict]:
    """``{stringified id: props}`` for every component with an id (the props are shared with
    ``layout``, not copied)."""
    return {
        stringify_id(c["props"]["id"]): c["props"]
        for c in _walk_components(layout)
        if "id" in c["props"]
    }


def option_values(props: dict) -> list:
    """The values a user can pick in a dropdown, radio, checklist or select (``options`` as a
    list of dicts, of plain values, or a ``{value: label}`` dict); disabled ones left out."""
    options = props.get("options") or []
    if isinstance(options, dict):
        return list(options)
    return [
        o.get("value") if isinstance(o, dict) else o
        for o in options
        if not (isinstance(o, dict) and o.get("disabled"))
    ]


@dataclass
class Page:
    """One browser page: its callbacks and the current property values of its components."""

    callbacks: list[Callback]
    layout: Any
    props: dict[str, dict] = field(init=False)
    by_input: dict[str, list[Callback]] = field(init=False)
    by_output: dict[str, Callback] = field(init=False)
    skipped: list[str] = field(default_factory=list)
    run_clientside: ClientsideRunner | None = None
    clientside_runs: list[str] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.props = component_props(self.layout)
        self.by_input, self.by_output = {}, {}
        for cb in self.callbacks:
            if cb.wildcard:
                continue
            for dep in cb.inputs:
                self.by_input.setdefault(dep.prop_id, []).append(cb)
            for dep in cb.outputs:
                self.by_output[dep.prop_id] = cb

    def get(self, component_id: Any, prop: str) -> Any:
        return self.props.get(stringify_id(component_id), {}).get(prop, MISSING)

    def has(self, component_id: Any) -> bool:
        return stringify_id(component_id) in self.props

    def set(self, component_id: Any, prop: str, value: Any) -> None:
        props = self.props[stringify_id(component_id)]
        if value is MISSING:
            props.pop(prop, None)
        else:
            props[prop] = value
            for component in _walk_components(value):  # components a callback added
                if "id" in component["props"]:
                    self.props[stringify_id(component["props"]["id"])] = component["props"]


def load_page(layout: dict, dependencies: list[dict]) -> Page:
    """A page from the JSON of ``/_dash-layout`` and ``/_dash-dependencies`` (copied, so the
    same JSON can seed many pages)."""
    callbacks = parse_dependencies(dependencies)
    wildcards = [cb.output for cb in callbacks if cb.wildcard]
    if wildcards:
        warnings.warn(f"pattern-matching callbacks are not simulated: {wildcards}", stacklevel=2)
    return Page(callbacks, copy.deepcopy(layout))


def _value_item(page: Page, dep: Dependency) -> dict:
    item = {"id": dep.id, "property": dep.property}
    value = page.get(dep.id, dep.property)
    if value is not MISSING:
        item["value"] = value
    return item


def request_body(page: Page, cb: Callback, changed_prop_ids: Iterable[str]) -> dict:
    """The body the renderer posts for ``cb`` with the page's current values."""
    changed = list(changed_prop_ids)
    body = {
        "output": cb.output,
        "outputs": ([o.as_json() for o in cb.outputs] if cb.multi else cb.outputs[0].as_json()),
        "inputs": [_value_item(page, d) for d in cb.inputs],
        "changedPropIds": changed,
        "parsedChangedPropsIds": changed,  # differs only for pattern-matching ids
    }
    if cb.state:
        body["state"] = [_value_item(page, d) for d in cb.state]
    return body


def _sendable(page: Page, cb: Callback) -> bool:
    """The renderer sends a callback only when all its components are on the page (otherwise
    it either skips it silently or reports a reference error in the browser)."""
    return (
        not cb.clientside
        and not cb.wildcard
        and bool(cb.outputs)
        and all(page.has(d.id) for d in (*cb.inputs, *cb.state, *cb.outputs))
    )


def bodies_for_change(
    layout: dict | Page,
    dependencies: list[dict] | None,
    component_id: Any,
    prop: str,
    value: Any,
) -> list[dict]:
    """One body per server-side callback that has ``component_id.prop`` as an Input, with
    the layout's values and ``value`` substituted. (:func:`interact` also sends what follows.)"""
    if isinstance(layout, Page):  # leave the caller's page as it is
        page = Page(layout.callbacks, copy.deepcopy(layout.layout))
    else:
        page = load_page(layout, dependencies or [])
    page.set(component_id, prop, value)
    changed = prop_id(component_id, prop)
    return [
        request_body(page, cb, [changed])
        for cb in page.by_input.get(changed, [])
        if _sendable(page, cb)
    ]


# --- the renderer over time ------------------------------------------------------------


@dataclass
class _Request:
    cb: Callback
    changed: dict[str, None]  # ordered set of "id.prop"
    initial: bool = False
    group: int | None = None
    predecessors: tuple[str, ...] = ()  # outputs strings of the callbacks that led here


def _merge(requested: list[_Request]) -> list[_Request]:
    """Steps 0 and 1 of the renderer's ``requestedCallbacks`` observer."""
    requested = [r for r in requested if r.cb.output not in r.predecessors]  # circular
    groups: dict[str, list[_Request]] = {}
    for request in requested:
        groups.setdefault(request.cb.output, []).append(request)
    merged = []
    for group in groups.values():
        if len(group) == 1:
            merged.append(group[0])
            continue
        initial = next((r for r in group if r.initial), None)
        rest = [r for r in group if r is not initial]
        if len(rest) == 1:
            merged.append(rest[0])
            continue
        changed: dict[str, None] = {}
        for r in rest:
            changed.update(r.changed)
        groups_seen = [r.group for r in rest if r.group is not None]
        last = rest[-1]
        merged.append(
            _Request(
                last.cb,
                changed,
                last.initial,
                groups_seen[-1] if groups_seen else None,
                last.predecessors,
            )
        )
    return merged


def _present(page: Page, deps: Iterable[Dependency]) -> list[str]:
    return [d.prop_id for d in deps if page.has(d.id)]


def _touched_outputs(page: Page, callbacks: Iterable[Callback]) -> set[str]:
    """``getAllSubsequentOutputsForCallback``: outputs these callbacks may change, directly
    or through the callbacks that read them, all the way down."""
    touched: set[str] = set()
    queue = list(callbacks)
    while queue:
        outputs = [o for cb in queue for o in _present(page, cb.outputs) if o not in touched]
        touched.update(outputs)
        queue = [cb for o in outputs for cb in page.by_input.get(o, []) if not cb.wildcard]
    return touched


def _ready(page: Page, requested: list[_Request]) -> list[_Request]:
    touched = _touched_outputs(page, [r.cb for r in requested])
    ready = []
    for request in requested:
        own = set(_present(page, request.cb.outputs))
        inputs = [p for p in _present(page, request.cb.inputs) if p not in own]
        if not any(p in touched for p in inputs):
            ready.append(request)
    return ready or requested[:1]  # a loop: the renderer starts with the first one


def _triggered(page: Page, changed: Iterable[str], predecessors: tuple[str, ...]) -> list:
    requests = []
    for pid in changed:
        for cb in page.by_input.get(pid, []):
            requests.append(_Request(cb, {pid: None}, predecessors=predecessors))
    return requests


def _apply_patch(value: Any, operations: list[dict]) -> Any:
    """The renderer's ``handlePatch`` for the operations ``dash.Patch`` produces."""
    root = {"v": copy.deepcopy(value) if value is not MISSING else {}}
    for op in operations:
        location = ["v", *op["location"]]
        params = op.get("params", {})
        parent = root
        for key in location[:-1]:
            if isinstance(parent, dict) and key not in parent:
                parent[key] = {}
            parent = parent[key]
        last = location[-1]
        name = op["operation"]
        if name == "Assign":
            if isinstance(parent, list) and last == len(parent):
                parent.append(params["value"])
            else:
                parent[last] = params["value"]
            continue
        if name == "Delete":
            if isinstance(parent, dict):
                parent.pop(last, None)
            else:
                del parent[last]
            continue
        if isinstance(parent, dict) and last not in parent:
            parent[last] = {} if name == "Merge" else []
        target = parent[last]
        if name == "Merge":
            target.update(params["value"])
        elif name == "Extend":
            target.extend(params["value"])
        elif name == "Append":
            target.append(params["value"])
        elif name == "Prepend":
            target.insert(0, params["value"])
        elif name == "Insert":
            target.insert(params["index"], params["value"])
        elif name == "Clear":
            target.clear()
        elif name == "Reverse":
            target.reverse()
        elif name == "Remove":
            target[:] = [v for v in target if v != params["value"]]
        elif name in ("Add", "Sub", "Mul", "Div"):
            parent[last] = ARITHMETIC[name](target, params["value"])
        else:
            raise ValueError(f"unknown Patch operation {name!r}")
    return root["v"]


def apply_response(page: Page, response: dict | None) -> list[str]:
    """Write a callback's answer into the page; the ``id.prop`` that changed, in order.
    (The renderer marks every returned property as changed, equal to before or not.)"""
    changed = []
    if not response:
        return changed
    for section in ("response", "sideUpdate"):
        for key, props in (response.get(section) or {}).items():
            component_id = json.loads(key) if key.startswith("{") else key
            if not page.has(component_id):
                continue
            for prop, value in props.items():
                if isinstance(value, dict) and value.get(PATCH_MARK) == PATCH_MARK:
                    value = _apply_patch(page.get(component_id, prop), value["operations"])
                page.set(component_id, prop, value)
                changed.append(prop_id(component_id, prop))
    return changed


def _initial_requests(page: Page, ids: set[str] | None, group: int) -> list[_Request]:
    """``getLayoutCallbacks``: the initial calls for the components ``ids`` (all if None)."""
    found = []
    for cb in page.callbacks:
        if cb.prevent_initial_call or cb.wildcard:
            continue
        outputs = _present(page, cb.outputs)
        if outputs and (ids is None or any(o.rsplit(".", 1)[0] in ids for o in outputs)):
            found.append(cb)
    excluded: set[str] = set()
    while True:  # drop callbacks left with only missing or excluded inputs
        dropped = [
            cb for cb in found if not any(p not in excluded for p in _present(page, cb.inputs))
        ]
        if not dropped:
            break
        found = [cb for cb in found if cb not in dropped]
        excluded.update(o for cb in dropped for o in _present(page, cb.outputs))
    return [_Request(cb, {}, initial=True, group=group) for cb in found]


def _run_clientside(page: Page, request: _Request) -> dict | None:
    """The renderer's ``handleClientside`` through ``page.run_clientside``: the answer as
    a server would give it, or None if it cannot run here."""
    cb = request.cb
    if page.run_clientside is None or cb.clientside_function is None:
        return None
    if not all(page.has(d.id) for d in (*cb.inputs, *cb.state, *cb.outputs)):
        return None

    def value(dep: Dependency) -> Any:
        found = page.get(dep.id, dep.property)
        return None if found is MISSING else found  # JSON has no undefined

    inputs = {d.prop_id: value(d) for d in cb.inputs}
    states = {d.prop_id: value(d) for d in cb.state}
    outputs = [{"id": d.id, "property": d.clean_property} for d in cb.outputs]
    context = {
        "triggered": [{"prop_id": p, "value": inputs.get(p)} for p in request.changed]
        or [{"prop_id": ".", "value": None}],
        "inputs": inputs,
        "states": states,
        # as the renderer: a list for a multi-output callback, else the one output
        "outputs_list": outputs if cb.multi else outputs[0],
    }
    args = [value(d) for d in cb.inputs] + [value(d) for d in cb.state]
    namespace, function_name = cb.clientside_function
    values = page.run_clientside(namespace, function_name, args, cb.multi, context)
    page.clientside_runs.append(cb.output)
    if values is None or values is NO_UPDATE:  # PreventUpdate, or no output updated
        return {"response": {}}
    response: dict[str, dict] = {}
    for dep, out in zip(cb.outputs, values, strict=True):
        if out is not NO_UPDATE:
            response.setdefault(dep.key, {})[dep.clean_property] = out
    return {"response": response}


def _run(page: Page, requested: list[_Request], send_wave: SendWave, max_waves: int) -> list:
    exchanges: list[Exchange] = []
    stored: dict[int, list[tuple[set[str], set[str]]]] = {}  # group: (all outputs, updated)
    groups = itertools.count(1_000)

    def settle(request: _Request, response: dict | None) -> list[_Request]:
        """Apply an answer; the requests it triggers."""
        before = set(page.props)
        changed = apply_response(page, response)
        if request.group is not None:
            outputs = set(_present(page, request.cb.outputs))
            stored.setdefault(request.group, []).append((outputs, set(changed)))
        predecessors = (*request.predecessors, request.cb.output)
        triggered = _triggered(page, changed, predecessors)
        added = set(page.props) - before
        if added:  # a callback put new components on the page: their initial calls
            for new in _initial_requests(page, added, next(groups)):
                new.predecessors = predecessors
                triggered.append(new)
        return triggered

    def irrelevant(request: _Request) -> bool:
        """An initial call whose inputs came from callbacks that changed none of them."""
        if request.group is None or not stored.get(request.group):
            return False
        inputs = set(_present(page, request.cb.inputs))
        all_props = set().union(*(a for a, _ in stored[request.group]))
        updated = set().union(*(u for _, u in stored[request.group]))
        return not inputs & updated and inputs <= all_props

    for wave in range(max_waves):
        for _ in range(10_000):  # clientside callbacks run at once, in the browser
            requested = _merge(requested)
            pruned = [r for r in requested if not _present(page, r.cb.outputs)]
            page.skipped += [r.cb.output for r in pruned]  # outputs not on this page
            requested = [r for r in requested if r not in pruned]
            if not requested:
                return exchanges
            ready = _ready(page, requested)
            local = [r for r in ready if r.cb.clientside]
            if not local:
                break
            requested = [r for r in requested if r not in local]
            for request in local:
                if irrelevant(request):
                    continue
                answer = _run_clientside(page, request)
                if answer is None:
                    page.skipped.append(request.cb.output)
                else:
                    requested += settle(request, answer)
        requested = [r for r in requested if r not in ready]
        to_send = []
        for request in ready:
            if irrelevant(request):
                continue
            if not _sendable(page, request.cb):
                page.skipped.append(request.cb.output)
                continue
            to_send.append((request, request_body(page, request.cb, request.changed)))
        if not to_send:
            continue
        results = send_wave([body for _, body in to_send])
        for (request, body), (status, response) in zip(to_send, results, strict=True):
            exchanges.append({"wave": wave, "body": body, "status": status, "response": response})
            requested += settle(request, response if status == 200 else None)
    raise RuntimeError(f"callback chain longer than {max_waves} waves")


def interact(
    page: Page,
    changes: list[tuple[Any, str, Any]] | tuple[Any, str, Any],
    send_wave: SendWave,
    max_waves: int = 20,
) -> list[Exchange]:
    """One user action: set the properties (as a component's ``setProps`` would), then send
    every request the renderer sends for it, wave by wave, applying the answers to ``page``."""
    if isinstance(changes, tuple):
        changes = [changes]
    requested: list[_Request] = []
    for component_id, prop, value in changes:
        page.set(component_id, prop, value)
        requested += _triggered(page, [prop_id(component_id, prop)], ())
    return _run(page, requested, send_wave, max_waves)


def mount_changes(page: Page, page_url: str) -> list[tuple[Any, str, Any]]:
    """What ``dcc.Store`` (``UNSAFE_componentWillMount``, in a fresh browser) and then
    ``dcc.Location`` (``componentDidMount``) set as they mount, in that order."""
    stores, locations = [], []
    now = int(time.time() * 1000)
    for component in _walk_components(page.layout):
        props = component["props"]
        if component["namespace"] != "dash_core_components" or "id" not in props:
            continue
        if component["type"] == "Store":
            data = props.get("data", MISSING)
            if data is not MISSING and data is not None:
                stores.append((props["id"], "modified_timestamp", now))
            elif data is None and props.get("storage_type", "memory") == "memory":
                stores += [(props["id"], "data", MISSING), (props["id"], "modified_timestamp", now)]
        elif component["type"] == "Location":
            url = urlsplit(page_url)
            window = {
                "pathname": url.path or "/",
                "href": page_url,
                "hash": f"#{url.fragment}" if url.fragment else "",
                "search": f"?{url.query}" if url.query else "",
            }
            for prop, value in window.items():
                if props.get(prop, MISSING) != value:
                    locations.append((props["id"], prop, value))
    return stores + locations


def page_load(page: Page, page_url: str, send_wave: SendWave, max_waves: int = 20) -> list:
    """The callbacks the renderer sends after it has fetched layout and dependencies of the
    page at ``page_url`` (the full address, as the browser's ``window.location.href``)."""
    requested = _initial_requests(page, None, group=1)
    for component_id, prop, value in mount_changes(page, page_url):
        page.set(component_id, prop, value)
        requested += _triggered(page, [prop_id(component_id, prop)], ())
    return _run(page, requested, send_wave, max_waves)


def sequential(post: Callable[[dict], tuple[int, dict | None]]) -> SendWave:
    """A ``send_wave`` that posts the bodies of a wave one after another."""
    return lambda bodies: [post(body) for body in bodies]


_JS_PRELUDE = """
var window = globalThis;
window.addEventListener = function () {};  // no DOM here: scripts may still listen for events
window.dash_clientside = {no_update: {description: "no_update"},
                          PreventUpdate: {description: "PreventUpdate"}};
function __dash_load(source) {
  try { (0, eval)(source); return ""; } catch (e) { return String(e); }
}
function __dash_call(namespace, name, argsJson, multi, contextJson) {
  const dc = window.dash_clientside;
  dc.callback_context = JSON.parse(contextJson);
  let out;
  try {
    out = dc[namespace][name](...JSON.parse(argsJson));
  } catch (e) {
    if (e === dc.PreventUpdate) return JSON.stringify({prevent: true});
    throw e;
  }
  if (out && typeof out.then === "function") return JSON.stringify({unsupported: true});
  if (out === dc.no_update) return JSON.stringify({all: true});
  const mark = (v) => (v === dc.no_update ? {__dash_no_update__: true} : v);
  return JSON.stringify({values: multi ? out.map(mark) : [mark(out)]});
}
"""


def js_clientside_runner(sources: Iterable[str]) -> ClientsideRunner:
    """Run the app's clientside functions, the real JavaScript, in V8 (``mini-racer``,
    in the ``perf`` extra). ``sources``: the page's scripts that define
    ``window.dash_clientside`` functions (the ``/assets`` ones, inline ones)."""
    from py_mini_racer import MiniRacer  # only needed when clientside callbacks run

    context = MiniRacer()
    context.eval(_JS_PRELUDE)
    for source in sources:
        error = context.call("__dash_load", source)
        if error:
            warnings.warn(f"clientside script failed to load: {error}", stacklevel=2)

    # One call at a time: the context is shared (e.g. by Locust's users, whose waits on
    # mini-racer's worker thread let another user's call in between) and a call sets
    # dash_clientside.callback_context before it runs.
    lock = threading.Lock()

    def run(namespace: str, name: str, args: list, multi: bool, callback_context: dict):
        with lock:
            raw = context.call(
                "__dash_call", namespace, name, json.dumps(args), multi,
                json.dumps(callback_context),
            )  # fmt: skip
        answer = json.loads(raw)
        if answer.get("prevent") or answer.get("unsupported"):
            return None
        if answer.get("all"):
            return NO_UPDATE
        return [
            NO_UPDATE if isinstance(v, dict) and v.get("__dash_no_update__") else v
            for v in answer["values"]
        ]

    return run
