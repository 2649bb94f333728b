"""Hostile input: thousands of malformed requests to the callback endpoint, the API and the
OGC endpoints. No response is a 500 or shows a traceback, and the server keeps answering.
Bounded: a fixed number of requests from a seeded generator."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

import pytest

from dashboard import ids
from dashboard.app import create_app
from tests.dashboard.test_app import _update_request

HOSTILE_STRINGS = [
    "", " ", "../../etc/passwd", "..%2F..%2Fetc%2Fpasswd", "' OR 1=1 --", "1; DROP TABLE flows",
    "year=2020 OR 1=1", "name LIKE '%a%'", "<script>alert(1)</script>", "${jndi:ldap://x}",
    "\x00", "\ud800", "🙂" * 50, "A" * 100_000, "%", "%%", "{}", "[]", "null", "NaN", "-1",
    "1e309", "9" * 400, "RO224\nBG421", "\\", "__proto__", "constructor",
]  # fmt: skip
HOSTILE_VALUES = [
    None, True, -1, 0, 2**63, 1.5, float("inf"), [], {}, [None], ["x"] * 10_000,
    {"a": {"b": {"c": {}}}}, [[[[[]]]]], *HOSTILE_STRINGS,
]  # fmt: skip


def _url_safe(text: str) -> str:
    """Lone surrogates cannot travel in a URL; the raw invalid bytes are sent separately."""
    return text.encode("utf-8", "replace").decode("utf-8")


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def _check(response) -> None:
    body = response.get_data()  # bytes: downloads are binary
    assert response.status_code != 500, body[:300]
    assert b"Traceback" not in body and b'File "/' not in body


def test_callback_endpoint_survives_malformed_values(client):
    rng = random.Random(20141)
    controls = [ids.YEAR_MODE, ids.YEAR_SINGLE, ids.YEAR_RANGE, ids.TYPES, ids.COUNTRY,
                ids.METRIC, ids.SELECTION_STORE]  # fmt: skip
    for _ in range(500):
        changes = {c: rng.choice(HOSTILE_VALUES) for c in rng.sample(controls, rng.randint(1, 3))}
        _check(client.post("/_dash-update-component", json=_update_request(**changes)))


def test_callback_endpoint_survives_malformed_requests(client):
    rng = random.Random(20142)
    valid = _update_request()
    bodies = [
        b"",
        b"{",
        b"\xff\xfe\xfa",
        b"[]",
        b"null",
        b'"text"',
        b"{}" * 1000,
        b"[" * 100_000 + b"]" * 100_000,
    ]  # deeper than any JSON parser's recursion
    for _ in range(700):
        request = json.loads(json.dumps(valid))
        key = rng.choice(list(request))
        request[key] = rng.choice(HOSTILE_VALUES)
        if rng.random() < 0.3 and isinstance(request.get("inputs"), list) and request["inputs"]:
            request["inputs"][0] = {"id": rng.choice(HOSTILE_STRINGS)[:200], "property": "x",
                                    "value": rng.choice(HOSTILE_VALUES)}  # fmt: skip
        _check(client.post("/_dash-update-component", json=request))
    for body in bodies:
        _check(client.post("/_dash-update-component", data=body,
                           content_type="application/json"))  # fmt: skip


def test_api_and_ogc_survive_hostile_parameters(client):
    rng = random.Random(20143)
    paths = ["/api/v1/layers/municipalities.csv", "/api/v1/layers/flows.geojson",
             "/api/v1/layers/origin_regions.zip", "/ogc/collections/municipalities/items",
             "/ogc/collections/flows/items", "/api/v1/layers/{s}.csv", "/ogc/collections/{s}",
             "/geo/{s}.geojson", "/views/{s}", "/views/{s}/thumbnail.svg"]  # fmt: skip
    names = ["year", "years", "type", "country", "indicators", "file", "bbox", "limit",
             "offset", "f", "migration_type", "filter", "sortby", "properties", "x"]  # fmt: skip
    for _ in range(1300):
        segment = quote(_url_safe(rng.choice(HOSTILE_STRINGS)[:300]), safe="")
        path = rng.choice(paths).replace("{s}", segment)
        params = {rng.choice(names): _url_safe(str(rng.choice(HOSTILE_VALUES))[:2000])
                  for _ in range(rng.randint(1, 3))}  # fmt: skip
        _check(client.get(path, query_string=params))
    for raw in (
        "/api/v1/layers/municipalities.csv?year=%ff%fe",
        "/api/v1/layers/%ff%fe.csv",
        "/ogc/collections/municipalities/items?bbox=%c0%af",
        "/views/%ed%a0%80",
    ):
        _check(client.get(raw))  # invalid UTF-8 on the wire
    assert client.get("/healthz").status_code == 200  # still answering
