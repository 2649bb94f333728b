"""The small multiples outline the selected municipalities, in the main map's highlight colour;
a bad selection in their address is a clear 400."""

from __future__ import annotations

import re

import pytest

from dashboard.figures import HIGHLIGHT_COLOUR
from tests.helpers import DORTMUND, DUISBURG, GALATI, GELSENKIRCHEN

QUERY = "metric=arrivals&type=circular&country=RO&lang=en"


@pytest.fixture(scope="module")
def client(demo_dataset):
    from dashboard.app import create_app

    return create_app(demo_dataset).server.test_client()


def _outlined(svg: bytes) -> list[str]:
    """The areas the SVG outlines (paths without fill, in the highlight colour)."""
    return re.findall(
        rb'<path class="highlight" data-area="(\d+)"[^>]*fill="none" stroke="'
        + HIGHLIGHT_COLOUR.encode()
        + rb'"',
        svg,
    )


def test_the_small_multiple_outlines_exactly_the_selected_areas(client):
    one = client.get(f"/small-multiples/2016.svg?{QUERY}&sel=m:{GELSENKIRCHEN},m:{DUISBURG}")
    assert one.status_code == 200 and one.mimetype == "image/svg+xml"
    assert sorted(_outlined(one.data)) == sorted([GELSENKIRCHEN.encode(), DUISBURG.encode()])
    assert b"Gelsenkirchen, Duisburg" in one.data  # named in its title, as in the alt text
    single = client.get(f"/small-multiples/2024.svg?{QUERY}&sel=m:{DORTMUND}")
    assert _outlined(single.data) == [DORTMUND.encode()]
    assert _outlined(client.get(f"/small-multiples/2016.svg?{QUERY}").data) == []
    assert _outlined(client.get(f"/small-multiples/2016.svg?{QUERY}&sel=").data) == []


@pytest.mark.parametrize(
    "sel",
    [
        "m:99999999",  # no such municipality
        "nonsense",
        f"o:{GALATI}",  # an origin region: not on the Ruhr map
        f"m:{DORTMUND},m:{DORTMUND}",  # twice
        ",".join([f"m:{DORTMUND}"] * 6),  # more than can be compared
        f"m:{DORTMUND},",
        "m:" + "0" * 5000,
    ],
)
def test_a_bad_selection_is_a_clear_400(client, sel):
    answer = client.get(f"/small-multiples/2016.svg?{QUERY}&sel={sel}")
    assert answer.status_code == 400, sel
    assert "'sel'" in answer.get_json()["message"]
    legend = client.get(f"/small-multiples/legend.svg?{QUERY}&sel={sel}")
    assert legend.status_code == 400
