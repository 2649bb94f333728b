"""The request simulator behind `make bench` and `make loadtest` (tests/perf/dash_client.py)
against Chromium running Dash's own renderer: the same requests for a page load and a filter
change, in the same order, with the same bodies."""

from __future__ import annotations

import json
import urllib.request

import pytest

from dashboard import ids
from tests.perf import dash_client as dc

pytestmark = pytest.mark.browser

LINK = "/?lang=en&year=2019"
UPDATES = "_dash-update-component"


def _post_to(base_url: str):
    def post(body: dict) -> tuple[int, dict | None]:
        request = urllib.request.Request(
            base_url + "/" + UPDATES, data=json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )  # fmt: skip
        with urllib.request.urlopen(request, timeout=30) as response:
            text = response.read()
            return response.status, json.loads(text) if response.status == 200 else None

    return post


def _get_json(url: str, referer: str | None = None):
    headers = {"Referer": referer} if referer else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=30) as r:
        return json.load(r)


def _comparable(body: dict) -> tuple:
    """What a request asks: which callback, for which change, with which values."""

    def values(items):
        return [(i["id"], i["property"], i.get("value")) for i in items]

    return (body["output"], sorted(body["changedPropIds"]), values(body["inputs"]),
            values(body.get("state", [])))  # fmt: skip


def test_the_simulator_sends_what_chromium_sends(page):
    base = page.base_url
    sent: list[dict] = []
    page.on("request", lambda r: UPDATES in r.url and sent.append(json.loads(r.post_data)))
    page.goto(base + LINK)
    page.wait_for_load_state("networkidle")
    chromium_load = list(sent)
    sent.clear()
    page.click("input[value=circular]")
    page.wait_for_function("() => location.search.includes('type=')")
    page.wait_for_load_state("networkidle")
    page.wait_for_timeout(500)  # the links that follow the address
    chromium_change = list(sent)

    layout = _get_json(base + "/_dash-layout", referer=base + LINK)
    simulated = dc.load_page(layout, _get_json(base + "/_dash-dependencies"))
    send = dc.sequential(_post_to(base))
    simulated_load = dc.page_load(simulated, base + LINK, send)
    types = [t for t in ("immigrant", "return", "transnational")]
    simulated_change = dc.interact(simulated, (ids.TYPES, "value", types), send)

    assert [_comparable(e["body"]) for e in simulated_load] == [
        _comparable(b) for b in chromium_load
    ]
    # The page arrives with its first view: it asks for the share and download links only.
    assert [b["output"].split("...")[0] for b in chromium_load] == [f"..{ids.SHARE_URL}.value"]
    assert len(chromium_change) == 2  # maps, series and address; then the links
    assert [_comparable(e["body"]) for e in simulated_change] == [
        _comparable(b) for b in chromium_change
    ]
    assert all(e["status"] == 200 for e in simulated_load + simulated_change)
