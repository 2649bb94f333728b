"""OGC API – Features under /ogc (pygeoapi): the core requirements and their error cases,
modelled on pygeoapi's own API tests."""

import pytest

from dashboard.app import create_app


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def _json(client, url, status=200):
    response = client.get(url + ("&" if "?" in url else "?") + "f=json")
    assert response.status_code == status, (url, response.data[:300])
    return response.get_json()


def test_landing_page_and_conformance(client):
    landing = _json(client, "/ogc")
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "conformance", "data", "service-desc"} <= rels
    classes = _json(client, "/ogc/conformance")["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in classes
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in classes


def test_collections_describe_the_four_layers(client):
    collections = _json(client, "/ogc/collections")["collections"]
    assert sorted(c["id"] for c in collections) == [
        "flows", "municipalities", "origin_regions", "services"]  # fmt: skip
    municipalities = _json(client, "/ogc/collections/municipalities")
    assert "flows: synthetic demonstration data" in municipalities["description"]
    assert "populations: official" in municipalities["description"]
    assert any(link["rel"] == "items" for link in municipalities["links"])


def test_items_with_property_filters_limit_offset_and_links(client):
    page = _json(
        client, "/ogc/collections/municipalities/items?year=2020&migration_type=circular&limit=10"
    )
    assert page["numberMatched"] == 53 and page["numberReturned"] == 10
    assert {f["properties"]["year"] for f in page["features"]} == {2020}
    assert {f["properties"]["migration_type"] for f in page["features"]} == {"circular"}
    assert any(link["rel"] == "next" for link in page["links"])
    second = _json(
        client,
        "/ogc/collections/municipalities/items?year=2020&migration_type=circular&limit=10&offset=10",
    )
    assert {f["id"] for f in second["features"]}.isdisjoint(f["id"] for f in page["features"])
    bg = _json(client, "/ogc/collections/origin_regions/items?country=BG&year=2019&limit=1000")
    assert bg["numberMatched"] == 28 * 4
    hits = _json(client, "/ogc/collections/flows/items?resulttype=hits&country=RO&year=2014")
    assert hits["numberMatched"] > 0 and hits["features"] == []


def test_bbox_selects_by_location(client):
    ruhr = _json(client, "/ogc/collections/origin_regions/items?bbox=6,51,8,52&limit=10")
    assert ruhr["numberMatched"] == 0  # no Romanian or Bulgarian region in the Ruhr
    galati = _json(
        client,
        "/ogc/collections/origin_regions/items?bbox=27.55,45.85,27.65,45.95&year=2020&migration_type=return",
    )
    assert [f["properties"]["nuts3"] for f in galati["features"]] == ["RO224"]


def test_single_item_matches_the_dataset(client, demo_dataset):
    item = _json(client, "/ogc/collections/municipalities/items/05913000-2014-circular")
    assert item["id"] == "05913000-2014-circular"
    j = list(demo_dataset.municipalities.index).index("05913000")
    expected = demo_dataset.flows[0, :, j, 2, 0].sum()  # 2014, all origins, circular, arrivals
    assert item["properties"]["arrivals"] == expected
    assert item["properties"]["synthetic"] is True
    assert item["properties"]["synthetic_parts"] == "flows"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/ogc/collections/municipalities/items?bbox=1,2,3", 400),
        ("/ogc/collections/municipalities/items?bbox=a,b,c,d", 400),
        ("/ogc/collections/municipalities/items?limit=0", 400),
        ("/ogc/collections/municipalities/items?limit=unlimited", 400),
        ("/ogc/collections/municipalities/items?limit=-5", 400),
        ("/ogc/collections/municipalities/items?offset=-1", 400),
        ("/ogc/collections/municipalities/items?colour=red", 400),
        ("/ogc/collections/municipalities/items?year=2020&country=RO", 400),
        ("/ogc/collections/nowhere/items", 404),
        ("/ogc/collections/nowhere", 404),
        ("/ogc/collections/municipalities/items/no-such-id", 404),
    ],
)
def test_errors_are_json_exceptions(client, url, status):
    body = _json(client, url, status)
    assert body["code"] and body["description"]


def test_a_server_started_by_another_app_process_describes_itself(client, demo_dir):
    """Pygeoapi takes its configuration from PYGEOAPI_CONFIG, which this test process has
    set for its own app: a server it starts inherits that variable, and must still link to
    its own address (GDAL follows those links; it read the wrong server's once)."""
    import json
    import os
    import subprocess
    import sys

    assert os.environ.get("PYGEOAPI_CONFIG")  # set by this process's app (the fixture)
    script = (
        "from dashboard.app import create_app; from layers.dataset import load_dataset; "
        f"app = create_app(load_dataset({str(demo_dir)!r})); "
        "print(app.server.test_client().get('/ogc?f=json').get_data(as_text=True))"
    )
    env = {**os.environ, "RUHR_PUBLIC_URL": "http://elsewhere.example:9999"}
    answer = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True,
        timeout=120,
    )  # fmt: skip
    links = [link["href"] for link in json.loads(answer.stdout)["links"]]
    assert all(h.startswith("http://elsewhere.example:9999") for h in links), links
    assert "http://elsewhere.example:9999/ogc/collections" in links
