"""Requests under faults (issue 13): non-finite bounding boxes, a hostile Host header,
oversized bodies, values echoed back whole, unknown views, the API's root, OGC year and
datetime. Each test failed on the code before the fix."""

from __future__ import annotations

import json
import re
from datetime import datetime

import flask
import pytest

from dashboard import address, api, ids, state
from dashboard.app import MAX_REQUEST_BYTES, create_app
from dashboard.deployment import Deployment
from layers import regions, vocab
from layers.disclosure import Policy
from layers.queries import ECHO_LIMIT
from layers.settings import SettingError, Settings
from layers.views import load_views
from tests.dashboard.test_app import _update_request

ITEMS = "/ogc/collections/{}/items"


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset, deployment=Deployment()).server.test_client()


def _ogc(client, url, status=200):
    response = client.get(url + ("&" if "?" in url else "?") + "f=json")
    assert response.status_code == status, (url, response.data[:300])
    return response.get_json()


def _matched(client, collection, query) -> int:
    return _ogc(client, f"{ITEMS.format(collection)}?resulttype=hits&{query}")["numberMatched"]


# 1. bbox with NaN or infinities


@pytest.mark.parametrize(
    "bbox", ["nan,0,1,1", "0,0,inf,1", "-inf,0,1,1", "0,NaN,1,1", "0,0,1,1e999", "nan,0,0,1,1,1"]
)
def test_a_non_finite_bbox_is_a_400_naming_bbox(client, bbox):
    body = _ogc(client, f"{ITEMS.format('municipalities')}?bbox={bbox}", 400)
    assert body["code"] == "InvalidParameterValue"
    assert "'bbox'" in body["description"] and "finite" in body["description"]


def test_a_bbox_with_heights_selects_by_its_horizontal_extent(client):
    flat = "27.55,45.85,27.65,45.95"
    with_heights = "27.55,45.85,0,27.65,45.95,100"  # minx,miny,minz,maxx,maxy,maxz
    query = "year=2020&migration_type=return"
    found = _ogc(client, f"{ITEMS.format('origin_regions')}?bbox={with_heights}&{query}")
    assert [f["properties"]["nuts3"] for f in found["features"]] == ["RO224"]
    assert _matched(client, "origin_regions", f"bbox={flat}&{query}") == 1


# 2. links never from a Host header the client chose

HOSTILE_HEADERS = [
    {"Host": "evil.example"},
    {"Host": "evil.example", "X-Forwarded-Host": "evil.example", "X-Forwarded-Proto": "https"},
]


@pytest.mark.parametrize("headers", HOSTILE_HEADERS)
def test_api_links_do_not_follow_a_hostile_host_header(client, headers):
    for url in ("/api/v1", "/api/v1/layers"):
        response = client.get(url, headers=headers)
        assert response.status_code == 200
        assert "evil.example" not in response.get_data(as_text=True), url
    links = client.get("/api/v1/layers", headers=headers).get_json()["layers"][0]["links"]
    assert all(href.startswith("/api/v1/layers/") for href in links.values())  # relative


def test_links_start_with_the_public_url_whatever_the_host_header(demo_dataset):
    server = flask.Flask("public-url")
    api.register(server, demo_dataset, Policy(), Deployment(public_url="https://ruhr.example.org"))
    body = server.test_client().get("/api/v1/layers", headers={"Host": "evil.example"}).get_json()
    hrefs = [href for layer in body["layers"] for href in layer["links"].values()]
    assert hrefs and all(h.startswith("https://ruhr.example.org/api/v1/layers/") for h in hrefs)


def test_behind_a_trusted_proxy_links_follow_the_forwarded_address(demo_dataset):
    client = create_app(demo_dataset, deployment=Deployment(trusted_proxies=1)).server.test_client()
    forwarded = {"Host": "10.0.0.5:8050", "X-Forwarded-Host": "ruhr.example.org",
                 "X-Forwarded-Proto": "https"}  # fmt: skip
    index = client.get("/api/v1", headers=forwarded).get_json()
    assert {link["href"] for link in index["links"]} >= {"https://ruhr.example.org/api/v1/layers"}


def test_deployment_settings_are_read_once_and_checked():
    env = {"RUHR_PUBLIC_URL": "https://ruhr.example.org/", "RUHR_TRUSTED_PROXIES": "2"}
    deployment = Deployment.from_settings(Settings.from_env(env))
    assert deployment == Deployment("https://ruhr.example.org", 2)
    assert deployment.base_url("http://evil.example/") == "https://ruhr.example.org"
    assert Deployment.from_settings(Settings.from_env({})).base_url("http://evil.example/") == ""
    for bad in ({"RUHR_PUBLIC_URL": "evil.example"}, {"RUHR_PUBLIC_URL": "ftp://x.org"},
                {"RUHR_TRUSTED_PROXIES": "yes"}, {"RUHR_TRUSTED_PROXIES": "-1"}):  # fmt: skip
        with pytest.raises(SettingError, match=next(iter(bad))):
            Settings.from_env(bad)


# 3. request bodies above the limit


def test_a_body_above_the_limit_is_a_413_with_a_short_message(client):
    legitimate = json.dumps(_update_request()).encode()
    assert len(legitimate) * 100 < MAX_REQUEST_BYTES  # the limit leaves room
    ok = client.post("/_dash-update-component", data=legitimate, content_type="application/json")
    assert ok.status_code == 200
    body = b'{"output": "' + b"A" * MAX_REQUEST_BYTES + b'"}'
    response = client.post("/_dash-update-component", data=body, content_type="application/json")
    assert response.status_code == 413
    assert len(response.get_data()) < 200
    assert f"{MAX_REQUEST_BYTES:,} bytes" in response.get_json()["message"]


# 4. echoed values cut to ECHO_LIMIT characters


def test_a_huge_callback_value_is_not_echoed_back_whole(client):
    huge = "A" * (MAX_REQUEST_BYTES - 10_000)  # just under the body limit
    request = _update_request(**{ids.YEAR_MODE: "single", ids.YEAR_SINGLE: huge})
    response = client.post("/_dash-update-component", json=request)
    assert response.status_code == 200
    notice = json.dumps(response.get_json()["response"][ids.INPUT_NOTICE]["children"])
    assert "'year'" in notice and "A" * 20 in notice
    assert "A" * (ECHO_LIMIT + 1) not in notice
    assert len(response.get_data()) < 20_000


def test_the_address_never_repeats_an_invalid_control_value():
    huge = "H" * 100_000
    for controls in (
        ("single", 2019, [2014, 2024], ["circular"], "both", huge, None, "series"),
        ("range", 2019, [huge, huge], ["circular"], "both", "arrivals", None, "series"),
        ("range", 2019, [2014, 2024], ["circular"], "both", "arrivals",
         {"side": "origin", "code": huge}, "series"),
    ):  # fmt: skip
        names = ("year_mode", "year", "years", "types", "country", "metric", "selection", "tab")
        fields = dict(zip(names, controls, strict=True))
        query = address.to_query(state.from_fields({**fields, "lang": "en"}))
        assert "HHH" not in query and len(query) < 200, query[:200]


def test_url_notices_and_api_errors_cut_the_values_they_repeat(client):
    parsed = address.from_query("?year=" + "9" * 50_000 + "&" + "x" * 5000 + "=1")
    assert len(parsed.notices) == 3
    assert all(len(notice) < 2 * ECHO_LIMIT + 150 for notice in parsed.notices), parsed.notices
    long_name = "p" * 5000
    response = client.get(f"/api/v1/layers/flows.csv?year={'7' * 5000}")
    assert response.status_code == 400 and len(response.get_data()) < 600
    body = client.get(f"/api/v1/layers/flows.csv?{long_name}=1").get_json()
    assert len(body["parameter"]) <= ECHO_LIMIT and len(body["message"]) < 600


# 5. unknown views


def test_an_unknown_view_is_a_404_page_in_the_page_language(client):
    response = client.get("/views/no-such-view?lang=en")
    assert response.status_code == 404 and response.mimetype == "text/html"
    assert '<html lang="en">' in response.get_data(as_text=True)
    layout = client.get(
        "/_dash-layout", headers={"Referer": "http://localhost/views/no-such-view?lang=en"}
    ).get_json()
    text = json.dumps(layout, ensure_ascii=False)
    assert "This view does not exist" in text
    hrefs = re.findall(r'"href": "([^"]*)"', text)
    assert {"/views?lang=en", "/?lang=en"} <= set(hrefs)  # the list of views, the explorer
    assert client.get("/views/no-such-view/extra").status_code == 404


def test_known_views_still_answer_200(client):
    views, _ = load_views()
    assert views
    for slug in views:
        assert client.get(f"/views/{slug}").status_code == 200, slug
        assert client.get(f"/views/{slug}/thumbnail.svg").status_code == 200, slug


# 6. the API's root


@pytest.mark.parametrize("root", ["/api/v1", "/api/v1/"])
def test_the_api_root_is_a_json_index_whose_links_work(client, root):
    response = client.get(root)
    assert response.status_code == 200 and response.mimetype == "application/json"
    links = {link["rel"]: link for link in response.get_json()["links"]}
    assert {"self", "data", "service-desc"} <= set(links)
    assert all(link["title"] for link in links.values())
    assert any(link["href"] == "/ogc" for link in links.values())
    for link in links.values():
        target = client.get(link["href"] + ("?f=json" if link["href"] == "/ogc" else ""))
        assert target.status_code == 200 and target.is_json, link


# 7. OGC: year, datetime, temporal extent, names


@pytest.mark.parametrize("year", ["2015-2020", "2030", "20x0", "2015/2020", " ", "2015,2016"])
def test_an_invalid_year_is_a_400_naming_year_and_the_allowed_form(client, year):
    body = _ogc(client, f"{ITEMS.format('municipalities')}?year={year}", 400)
    assert "'year'" in body["description"] and "datetime=" in body["description"]


@pytest.mark.parametrize(
    ("when", "first", "last"),
    [
        ("2016", 2016, 2016),
        ("2016-01-01", 2016, 2016),
        ("2016-05-01T00:00:00Z", 2016, 2016),
        ("2016-12-31T23:30:00-02:00", 2017, 2017),  # 01:30 UTC on New Year's Day
        ("2015/2020", 2015, 2020),
        ("2015-07-01/2016-02-01", 2015, 2016),  # a year overlapping the interval counts
        ("../2018", vocab.YEARS[0], 2018),
        ("2018/..", 2018, vocab.YEARS[-1]),
        ("/2015", vocab.YEARS[0], 2015),
        ("2010/2015", vocab.YEARS[0], 2015),
    ],
)
@pytest.mark.parametrize("collection", ["municipalities", "flows"])
def test_datetime_selects_the_years_it_overlaps(client, collection, when, first, last):
    per_year = sum(_matched(client, collection, f"year={y}") for y in range(first, last + 1))
    assert per_year > 0
    assert _matched(client, collection, f"datetime={when}") == per_year
    page = _ogc(client, f"{ITEMS.format(collection)}?datetime={when}&limit=1000&skipGeometry=true")
    assert {f["properties"]["year"] for f in page["features"]} <= set(range(first, last + 1))


@pytest.mark.parametrize(
    "when",
    ["2015-2020", "2020/2015", "2016-13", "2016-02-30", "yesterday", "2016/2017/2018", "..",
     "2030", "2030/..", "2016-05-01T00:00:00", "9" * 5000],
)  # fmt: skip
def test_a_malformed_or_outside_datetime_is_a_400_naming_datetime(client, when):
    body = _ogc(client, f"{ITEMS.format('municipalities')}?datetime={when}", 400)
    assert "'datetime'" in body["description"], body
    assert len(body["description"]) < 2 * ECHO_LIMIT + 250


def test_each_collection_declares_the_years_of_the_data(client):
    for collection in ("municipalities", "origin_regions", "flows"):
        described = _ogc(client, f"/ogc/collections/{collection}")
        [[begin, end]] = described["extent"]["temporal"]["interval"]
        begin, end = (datetime.fromisoformat(moment) for moment in (begin, end))
        assert (begin.year, begin.month, begin.day) == (vocab.YEARS[0], 1, 1)
        assert (end.year, end.month, end.day) == (vocab.YEARS[-1], 12, 31)
        assert begin.utcoffset() is not None and end.utcoffset() is not None
        queryables = _ogc(client, f"/ogc/collections/{collection}/queryables")
        assert queryables["properties"]["year"]["x-ogc-role"] == "primary-instant"


def test_features_carry_names_beside_codes(client):
    municipality = {m.ags: m.name for m in regions.MUNICIPALITIES}
    origin = {r.nuts3: r.name for r in regions.ORIGIN_REGIONS}
    query = "?year=2020&limit=200&skipGeometry=true"
    for feature in _ogc(client, ITEMS.format("flows") + query)["features"]:
        p = feature["properties"]
        assert p["origin_name"] == origin[p["origin_nuts3"]]
        assert p["destination_name"] == municipality[p["destination_ags"]]
    for feature in _ogc(client, ITEMS.format("municipalities") + query)["features"]:
        assert feature["properties"]["name"] == municipality[feature["properties"]["ags"]]
    for feature in _ogc(client, ITEMS.format("origin_regions") + query)["features"]:
        assert feature["properties"]["name"] == origin[feature["properties"]["nuts3"]]
    filtered = _ogc(client, ITEMS.format("flows") + query + "&destination_name=Dortmund")
    assert filtered["features"] and all(
        f["properties"]["destination_ags"] == "05913000" for f in filtered["features"]
    )
