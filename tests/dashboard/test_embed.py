"""Sharing a curated view: the embed parameter, the frame headers, the embeddable page,
the locator map, and titles that say what a view shows."""

from __future__ import annotations

import os

import pytest

from dashboard import embed, pages
from dashboard.app import create_app
from dashboard.i18n import t
from layers import vocab
from layers.catalogue import CATALOGUE
from layers.disclosure import Policy
from layers.settings import Settings
from layers.views import load_views

VIEWS, _ = load_views()


@pytest.fixture(scope="module")
def client(demo_dataset):
    return create_app(demo_dataset).server.test_client()


def _texts(component) -> list[str]:
    """Every string in a Dash component tree, depth first."""
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    if children is None:
        return []
    children = children if isinstance(children, (list, tuple)) else [children]
    return [text for child in children for text in _texts(child)]


def _classes(component) -> list[str]:
    found = [getattr(component, "className", "") or ""]
    children = getattr(component, "children", None)
    children = children if isinstance(children, (list, tuple)) else [children]
    return found + [c for child in children if child is not None and not isinstance(child, str)
                    for c in _classes(child)]  # fmt: skip


@pytest.mark.parametrize(
    ("query", "expected"),
    [("", (False, None)), ("lang=de", (False, None)), ("embed=1", (True, None)),
     ("?lang=en&embed=1", (True, None)), ("embed=0", (False, None))],
)  # fmt: skip
def test_parse_embed_accepts_1_and_0(query, expected):
    assert embed.parse_embed(query) == expected


@pytest.mark.parametrize("bad", ["yes", "", "2", "<script>"])
def test_a_bad_embed_value_is_a_notice_naming_the_allowed_values(bad):
    embedded, problem = embed.parse_embed(f"embed={bad}")
    assert not embedded
    assert "'embed'" in problem and "Allowed: 1, 0" in problem


def test_frame_ancestors_allow_the_embeddable_view_only():
    assert embed.frame_ancestors("/", "embed=1", "") == "'none'"
    assert embed.frame_ancestors("/api/v1/layers", "embed=1", "https://a.example") == "'none'"
    assert embed.frame_ancestors("/views/swings", "", "") == "'none'"
    assert embed.frame_ancestors("/views/swings", "embed=yes", "") == "'none'"
    assert embed.frame_ancestors("/views/swings", "lang=de&embed=1", "") == "*"
    assert embed.frame_ancestors("/views/swings", "embed=1", "https://a.example") == (
        "https://a.example"
    )
    assert embed.frame_ancestors("/views/swings", "", "https://a.example") == "https://a.example"


def test_a_repeated_embed_never_frames_the_full_page(client):
    """Attack: headers read the first value, the page the last, so that ``embed=1&embed=0``
    would let any site frame the full page with its controls. Both read the last."""
    full = client.get("/views/swings?embed=1&embed=0")
    assert full.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in full.headers["Content-Security-Policy"]
    layout = client.get("/_dash-layout",
                        headers={"Referer": "http://x/views/swings?embed=1&embed=0"})  # fmt: skip
    assert "navbar" in layout.get_data(as_text=True)  # the full page, as the headers say
    framed = client.get("/views/swings?embed=0&embed=1")
    assert framed.headers["Content-Security-Policy"].endswith("frame-ancestors *")


def test_embed_url_may_be_framed_and_the_page_may_not(client):
    framed = client.get("/views/swings?lang=de&embed=1")
    assert framed.status_code == 200
    assert framed.headers["Content-Security-Policy"].endswith("frame-ancestors *")
    assert "X-Frame-Options" not in framed.headers
    page = client.get("/views/swings?lang=de")
    assert page.status_code == 200 and page.headers["X-Frame-Options"] == "DENY"
    assert "frame-ancestors 'none'" in page.headers["Content-Security-Policy"]
    assert client.get("/?embed=1").headers["X-Frame-Options"] == "DENY"


def test_a_bad_embed_value_is_400_with_the_page_not_500(client):
    response = client.get("/views/swings?embed=yes")
    assert response.status_code == 400
    assert response.headers["X-Frame-Options"] == "DENY"
    layout = client.get("/_dash-layout", headers={"Referer": "http://x/views/swings?embed=yes"})
    assert layout.status_code == 200
    text = layout.get_data(as_text=True)
    assert "Invalid value 'yes' for 'embed'" in text and "navbar" in text


def test_configured_origins_also_frame_the_embed_url(demo_dataset):
    environ = {**os.environ, "RUHR_VIEWS_FRAME_ANCESTORS": "https://www.dortmund.de"}
    client = create_app(demo_dataset, Settings.from_env(environ)).server.test_client()
    framed = client.get("/views/galati-circular?embed=1")
    assert "frame-ancestors https://www.dortmund.de" in framed.headers["Content-Security-Policy"]


@pytest.mark.parametrize("lang", ["de", "en"])
def test_embedded_page_has_title_source_notice_and_no_navbar(demo_dataset, lang):
    v = VIEWS["galati-circular"]
    page = pages.view_page(demo_dataset, v, lang, Policy(), _geo(), embedded=True)
    texts = " ".join(_texts(page))
    classes = " ".join(_classes(page))
    assert v.title[lang] in texts and v.source[lang] in texts
    assert t("synthetic_badge", lang) in texts and "GeoBasis-DE" in texts
    assert "navbar" not in classes and "view-share" not in classes
    assert t("open_full_view", lang) in texts
    full = pages.view_page(demo_dataset, v, lang, Policy(), _geo())
    assert "navbar" in " ".join(_classes(full)) and "view-share" in " ".join(_classes(full))
    assert t("copy_link", lang) in _texts(full) and t("copy_embed", lang) in _texts(full)


def _geo():
    from dashboard.app import geo_layers

    return geo_layers()[0]


def test_galati_view_has_a_labelled_locator_and_the_others_none(client):
    v = VIEWS["galati-circular"]
    for lang, name in (("de", "Wo Galați liegt"), ("en", "Where Galați is")):
        (figure,) = embed.locator(v, lang)
        assert name in " ".join(_texts(figure))
        svg = client.get(f"/views/galati-circular/locator.svg?lang={lang}")
        assert svg.status_code == 200 and svg.mimetype == "image/svg+xml"
        body = svg.get_data(as_text=True)
        assert 'data-area="RO224"' in body and embed.LOCATOR_FILL in body and name in body
    assert all(embed.locator(VIEWS[s], "de") == [] for s in VIEWS if s != "galati-circular")
    assert client.get("/views/swings/locator.svg").status_code == 404


@pytest.mark.parametrize("slug", sorted(VIEWS))
@pytest.mark.parametrize("lang", ["de", "en"])
def test_each_title_names_measure_areas_types_and_years(slug, lang):
    v = VIEWS[slug]
    title = v.title[lang].lower()
    area = {"municipality": {"de": "ruhr-kommune", "en": "ruhr municipalit"},
            "origin": {"de": "herkunftsregion", "en": "origin region"}}[v.side][lang]  # fmt: skip
    assert area in title
    if CATALOGUE[v.metric].from_microdata:  # one survey wave: the year filter does not apply
        assert {"de": "befragung", "en": "survey"}[lang] in title
    else:
        assert f"{v.filter.year_from}–{v.filter.year_to}" in title
    if v.filter.types == vocab.MIGRATION_TYPES:
        assert {"de": "alle migrationstypen", "en": "all migration types"}[lang] in title
    else:
        for kind in v.filter.types:
            assert kind in title or vocab.MIGRATION_TYPE_LABELS[kind][lang].lower() in title


def test_swings_title_says_it_maps_arrivals_only():
    v = VIEWS["swings"]
    assert v.metric == "arrivals_cv"
    assert "Zuzüge" in v.title["de"] and "Fortzüge" not in v.title["de"]
    assert "arrivals" in v.title["en"] and "departures" not in v.title["en"]


@pytest.mark.parametrize(
    ("slug", "term"),
    [("swings", {"de": "Variationskoeffizient ist", "en": "coefficient of variation is"}),
     ("language-diversity", {"de": "heißt hier schlicht", "en": "“Richness” here simply means"})],
)  # fmt: skip
def test_jargon_is_explained_in_plain_words(slug, term):
    for lang in ("de", "en"):
        assert any(term[lang] in p for p in VIEWS[slug].narrative[lang])


def test_the_printed_map_names_places_at_8_pt_and_the_card_none(demo_dataset):
    swings = VIEWS["swings"]
    large = pages.view_svg(demo_dataset, swings, "de", Policy(), large=True)
    assert 'class="place-names"' in large and 'font-size="19"' in large
    assert ">Dortmund</text>" in large and ">Hagen</text>" in large
    small = pages.view_svg(demo_dataset, swings, "de", Policy(), large=False)
    assert "place-names" not in small
    locator = embed.locator_svg(VIEWS["galati-circular"], "en")
    assert ">Galați</text>" in locator
