"""Hostile input: thousands of malformed requests to the callback endpoint, the API and the
OGC endpoints. No response is a 500 or shows a traceback, and the server keeps answering.
Bounded: a fixed number of requests from a seeded generator."""

from __future__ import annotations

import json
import random
from urllib.parse import quote

import pytest

from dashboard import ids
from dashboard.app import MAX_REQUEST_BYTES, create_app
from dashboard.deployment import Deployment
from layers.queries import ECHO_LIMIT
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
    # No public URL and no trusted proxy: what a forgotten setting gives.
    return create_app(demo_dataset, deployment=Deployment()).server.test_client()


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


# Issue 13: values that once gave 500s, echoes of whole values and links to a foreign host.
LONG = "Q" * 5000  # longer than any message may repeat
BAD_BBOX = [
    "nan,0,1,1",
    "0,0,inf,1",
    "-inf,-inf,inf,inf",
    "1e999,0,1,1",
    "0,1,1,0",
    "1,2,3",
    "0,0,1,1,2",
    "nan,0,0,1,1,1",
    "0x1,0,1,1",
    ",,,",
    "0,0,1,1;",
    LONG,
    "1," * 2000,
]
BAD_DATETIME = ["2015-2020", "2020/2015", "2016-13", "2016-02-30", "2016-05-01T25:00:00Z",
                "2016-05-01T00:00:00", "1/2/3", "..", "2030", "0000", "-2016",
                "+2016", "2016/2030/..", "99999", "2016-05-01T00:00:00+99:99", LONG,
                "2016/" + LONG]  # fmt: skip
BAD_YEAR = ["2015-2020", "2030", "1e3", "2015,2016", "-1", "0x7e0", "", "nan", LONG, "9" * 400]
BAD_LIMIT = ["0", "-1", "nan", "inf", "1e309", "9" * 400, "1.5", "", LONG]
HOSTILE_HOSTS = [{"Host": "evil.example"}, {"Host": "evil.example:443"},
                 {"X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
                 {"Host": "evil.example", "X-Forwarded-Host": "evil.example"}]  # fmt: skip


def _no_long_echo(response, *values) -> None:
    text = response.get_data(as_text=True)
    for value in values:
        if len(value) > ECHO_LIMIT:
            assert value[: ECHO_LIMIT + 1] not in text, (response.status_code, text[:300])


def test_ogc_survives_hostile_bbox_datetime_year_and_limit(client):
    attacks = [("bbox", BAD_BBOX), ("datetime", BAD_DATETIME), ("year", BAD_YEAR),
               ("limit", BAD_LIMIT), ("offset", BAD_LIMIT), ("crs", [LONG, "EPSG:4326"]),
               ("bbox-crs", [LONG]), ("f", [LONG]), (LONG, ["1"])]  # fmt: skip
    for collection in ("municipalities", "origin_regions", "flows"):
        for name, values in attacks:
            for value in values:
                response = client.get(f"/ogc/collections/{collection}/items",
                                      query_string={name: value, "f": "json"})  # fmt: skip
                _check(response)
                if response.status_code >= 400:  # a 200's paging links repeat its query
                    _no_long_echo(response, value, name)
                if name in ("bbox", "datetime", "year") and value != LONG:
                    assert response.status_code == 400, (name, value)
                    assert f"'{name}'" in response.get_json()["description"]


def test_callbacks_and_the_api_cut_every_echo(client):
    controls = [ids.YEAR_MODE, ids.YEAR_SINGLE, ids.YEAR_RANGE, ids.TYPES, ids.COUNTRY,
                ids.METRIC, ids.SELECTION_STORE]  # fmt: skip
    huge = "H" * 300_000
    for control in controls:
        for value in (huge, [huge], {"side": huge, "code": huge}, [LONG] * 50):
            changes = {control: value}
            if control == ids.YEAR_SINGLE:
                changes[ids.YEAR_MODE] = "single"
            response = client.post("/_dash-update-component", json=_update_request(**changes))
            _check(response)
            _no_long_echo(response, huge, LONG)
            assert len(response.get_data()) < 50_000, control
    for name in ("year", "years", "type", "country", "indicators", "file", LONG):
        response = client.get("/api/v1/layers/flows.zip", query_string={name: LONG})
        assert response.status_code == 400
        _no_long_echo(response, LONG)


def test_oversized_bodies_get_413_never_a_500(client):
    for size in (MAX_REQUEST_BYTES + 1, 3 * MAX_REQUEST_BYTES, 21_000_000):
        for body in (b"A" * size, b'{"inputs": "' + b"x" * size + b'"}', b"[" * size):
            response = client.post("/_dash-update-component", data=body,
                                   content_type="application/json")  # fmt: skip
            _check(response)
            assert response.status_code == 413 and len(response.get_data()) < 200
    assert client.get("/healthz").status_code == 200


def test_no_answer_links_to_a_host_the_client_named(client):
    paths = ["/api/v1", "/api/v1/", "/api/v1/layers", "/api/v1/openapi.json", "/ogc?f=json",
             "/ogc/collections?f=json", "/ogc/collections/flows/items?f=json&limit=2",
             "/views/nope", "/views", "/views/", "/api/v1/nope", "/geo/nope.geojson"]  # fmt: skip
    for headers in HOSTILE_HOSTS:
        for path in paths:
            response = client.get(path, headers=headers)
            _check(response)
            assert "evil.example" not in response.get_data(as_text=True), (path, headers)
            assert "evil.example" not in response.headers.get("Location", ""), (path, headers)
