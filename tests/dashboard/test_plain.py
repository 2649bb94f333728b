"""A curated view's plain-language version on its page (dashboard/plain.py): the switch in
the address (?plain=1), the sentences in de and en with the key number computed from the
data, the standard text otherwise (no browser)."""

from __future__ import annotations

import pytest

from dashboard import pages
from dashboard import plain as tab
from dashboard.i18n import format_number
from layers import plain, views
from layers.disclosure import Policy
from tests.dashboard.test_stocks import _text

VIEWS = views.load_views()[0]


@pytest.fixture(scope="module")
def geo():
    from dashboard.app import geo_layers

    return geo_layers()[0]


def test_the_switch_is_read_from_the_address():
    assert tab.parse("", "de") == (False, None)
    assert tab.parse("?lang=en&plain=1", "en") == (True, None)
    assert tab.parse("plain=0", "de") == (False, None)
    assert tab.parse("plain=0&plain=1", "de") == (True, None)  # the last value counts
    on, problem = tab.parse("plain=yes", "de")
    assert not on and problem == "Ungültiger Wert 'yes' für 'plain'. Erlaubt: 1, 0."
    assert tab.address("swings", "en", True) == "/views/swings?lang=en&plain=1"
    assert tab.address("swings", "de", False, embedded=True) == "/views/swings?lang=de&embed=1"


@pytest.mark.parametrize("slug", sorted(VIEWS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_view_says_its_key_number_in_each_language(demo_dataset, slug, lang):
    view = VIEWS[slug]
    key = plain.key_number(demo_dataset, view, Policy(5))
    value, decimals = plain.shown_value(key, view.metric, view.plain.as_percent)
    number = format_number(value, decimals, lang)
    said = " ".join(tab.sentences(demo_dataset, view, lang, Policy(5)))
    assert number in said and "{" not in said
    if key.code is not None:
        assert tab._area_name(view.side, key.code, key.ties, lang) in said


def test_swings_in_plain_german_names_the_area_and_its_swing_as_per_cent(demo_dataset):
    view = VIEWS["swings"]
    key = plain.key_number(demo_dataset, view, Policy(5))
    said = tab.sentences(demo_dataset, view, "de", Policy(5))[1]
    name = tab._area_name("municipality", key.code, key.ties, "de")
    percent = round(100 * key.value)
    assert said == (f"Am stärksten schwankt es in {name}: In einem typischen Jahr liegt die "
                    f"Zahl um etwa {percent} % über oder unter dem Durchschnitt.")  # fmt: skip


def test_the_page_shows_the_plain_version_or_the_narrative(demo_dataset, geo):
    view = VIEWS["support-needs"]
    page = pages.view_page(demo_dataset, view, "en", Policy(5), geo, plain=True)
    text = _text(page)
    assert "For you this means" in text and view.narrative["en"][0] not in text
    switch = _find(page, "plain-switch")
    current = [a for a in switch.children.children if getattr(a, "aria-current", None)]
    assert [a.children for a in current] == ["Plain language"]
    assert [a.href for a in switch.children.children] == [
        "/views/support-needs?lang=en", "/views/support-needs?lang=en&plain=1"]  # fmt: skip
    language = [a for a in _links(page) if a.children == "Deutsch"]
    assert language[0].href == "/views/support-needs?plain=1&lang=de"  # the same text
    standard = _text(pages.view_page(demo_dataset, view, "de", Policy(5), geo))
    assert view.narrative["de"][0] in standard and "Für Sie heißt das" not in standard


def _walk(component):
    yield component
    children = getattr(component, "children", None)
    for child in children if isinstance(children, (list, tuple)) else [children]:
        if child is not None and not isinstance(child, (str, int, float)):
            yield from _walk(child)


def _find(page, class_name):
    return next(c for c in _walk(page) if class_name in (getattr(c, "className", "") or ""))


def _links(page):
    return [c for c in _walk(page) if type(c).__name__ == "A"]


def test_areas_tied_at_the_highest_value_are_all_named(demo_dataset):
    view = VIEWS["support-needs"]
    key = plain.key_number(demo_dataset, view, Policy(5))
    values = plain.map_values(demo_dataset, view, Policy(5)).dropna()
    tied = sorted(values.index[values == values.max()])
    assert sorted([key.code, *key.ties]) == tied
    assert tab._area_name("municipality", "05978028", ("05954032",), "de") == (
        "Schwerte und Wetter (Ruhr)")  # fmt: skip
    assert tab._area_name("municipality", "05954032", ("05978028",), "en") == (
        "Schwerte and Wetter (Ruhr)")  # fmt: skip
