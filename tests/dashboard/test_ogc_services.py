"""The KOSMATI services as an OGC API – Features collection (/ogc/collections/services):
listed with its illustrative-data notice, one feature per municipality, the demo numbers."""

import pytest

from dashboard.app import create_app
from layers import kosmati
from tests.dashboard.test_ogc import _json


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def test_the_collection_is_listed_with_its_illustrative_notice(client):
    listed = {c["id"]: c for c in _json(client, "/ogc/collections")["collections"]}
    services = listed["services"]
    assert "ILLUSTRATIVE demonstration inventory" in services["description"]
    assert "kosmati_services_demo.csv" in services["description"]
    assert any(link["rel"] == "items" for link in services["links"])
    assert "temporal" not in services.get("extent", {})  # an inventory, not a yearly count


def test_items_are_the_municipalities_with_their_coverage(client):
    page = _json(client, "/ogc/collections/services/items?limit=100")
    assert page["numberMatched"] == page["numberReturned"] == 53
    props = {f["id"]: f["properties"] for f in page["features"]}
    dortmund, oer = props["05913000"], props["05562028"]  # the demo inventory's numbers
    assert (dortmund["services"], dortmund["dimensions_covered"]) == (11, 4)
    assert [dortmund[d] for d in kosmati.DIMENSIONS] == [2, 3, 4, 2]
    assert (oer["services"], oer["dimensions_covered"]) == (2, 2)
    assert all(p["illustrative"] is True for p in props.values())
    assert all(f["geometry"]["type"] in ("Polygon", "MultiPolygon") for f in page["features"])
    assert sum(p["services"] for p in props.values()) == 47


def test_property_filter_bbox_and_single_item(client):
    full = _json(client, "/ogc/collections/services/items?dimensions_covered=4&limit=100")
    assert "05913000" in {f["id"] for f in full["features"]}
    assert {f["properties"]["dimensions_covered"] for f in full["features"]} == {4}
    far = _json(client, "/ogc/collections/services/items?bbox=20,41,30,48")
    assert far["numberMatched"] == 0  # no Ruhr municipality in Romania or Bulgaria
    item = _json(client, "/ogc/collections/services/items/05913000")
    assert item["properties"]["name"] == "Dortmund"


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/ogc/collections/services/items?year=2020", 400),  # no year in an inventory
        ("/ogc/collections/services/items?datetime=2020", 400),
        ("/ogc/collections/services/items/99999999", 404),
    ],
)
def test_errors_are_json_exceptions(client, url, status):
    body = _json(client, url, status)
    assert body["code"] and body["description"]
