"""Four interface languages (issue 18.3): German and English written beside each key,
Romanian and Bulgarian from the gettext catalogs, complete, with their plural forms and
their own numbers and dates."""

import datetime
import json
import re
import sys
from pathlib import Path

import pytest
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from dashboard import i18n
from layers import l10n, views

ROOT = Path(__file__).resolve().parents[2]


def _extracted() -> dict[str, object]:
    """Every msgid the sources hold now (babel.cfg, as ``make messages`` extracts them): a
    key added to messages.json after a merge is here before anyone updates the catalogs."""
    sys.path.insert(0, str(ROOT))
    with (ROOT / "babel.cfg").open() as config:
        method_map, options_map = parse_mapping_cfg(config)
    return {(m if isinstance(m, str) else m[0]): m
            for _, _, m, _, _ in extract_from_dir(str(ROOT), method_map, options_map)}  # fmt: skip


@pytest.fixture(scope="module")
def extracted():
    return _extracted()


def _catalog(lang):
    with l10n.catalog_path(lang).open("rb") as handle:
        return read_po(handle, locale=lang)


@pytest.mark.parametrize("lang", l10n.TRANSLATED)
def test_every_text_is_translated(extracted, lang):
    catalog = _catalog(lang)
    lacking = []
    for msgid in extracted:
        entry = catalog.get(msgid)
        strings = () if entry is None else entry.string
        strings = (strings,) if isinstance(strings, str) else strings
        if entry is None or entry.fuzzy or not all(s.strip() for s in strings) or not strings:
            lacking.append(msgid)
    assert lacking == [], (
        f"{lang}: no translation for {lacking}; run `make messages`, then translate"
    )
    assert len(extracted) > 400  # messages, catalogue, views, vocabularies, typology


def test_the_extraction_finds_every_kind_of_source(extracted):
    for msgid in ("title", "catalogue.indicator.arrivals_per_1000.label",
                  "catalogue.units.per_1000", "view.swings.narrative.3",
                  "migration_type.circular", "typology.high.share",
                  "catalogue.source.survey"):  # fmt: skip
        assert msgid in extracted, msgid
    assert isinstance(extracted["scatter_hidden"], tuple)  # a plural


def _fields(text: str) -> set[str]:
    return set(re.findall(r"{(\w+)}", text))


@pytest.mark.parametrize("lang", l10n.TRANSLATED)
def test_translations_keep_the_placeholders_and_plural_forms(lang):
    catalog = _catalog(lang)
    sources = {**i18n.MESSAGES, **i18n.PLURALS}
    plural_forms = {"ro": 3, "bg": 2}[lang]
    assert catalog.num_plurals == plural_forms
    for entry in catalog:
        if not entry.id or (entry.id not in sources and not isinstance(entry.id, str)):
            continue
        strings = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        english = sources[entry.id].source["en"] if entry.id in sources else None
        english = " ".join(english) if isinstance(english, list) else english
        for text in strings:
            if english is not None:
                assert set(re.findall(r"{(\w+)}", text)) == set(re.findall(r"{(\w+)}", english)), (
                    entry.id
                )
        if isinstance(entry.id, tuple):
            assert len(strings) == plural_forms, entry.id


def test_romanian_writes_s_and_t_with_the_comma_below():
    text = l10n.catalog_path("ro").read_text("utf-8")
    assert not re.search("[şţŞŢ]", text)  # cedilla: the wrong letters
    assert "Galați" in text and "județ" in text


@pytest.mark.parametrize(("n", "ro", "bg"), [
    (1, "1 zonă nepublicată", "1 район не е публикуван"),
    (2, "2 zone nepublicate", "2 района не са публикувани"),
    (19, "19 zone nepublicate", "19 района не са публикувани"),
    (20, "20 de zone nepublicate", "20 района не са публикувани"),
    (101, "101 zone nepublicate", "101 района не са публикувани"),
    (120, "120 de zone nepublicate", "120 района не са публикувани"),
])  # fmt: skip
def test_plural_forms_per_language(n, ro, bg):
    assert i18n.tn("scatter_hidden", n, "ro") == ro
    assert i18n.tn("scatter_hidden", n, "bg") == bg
    german = "1 Gebiet nicht veröffentlicht" if n == 1 else f"{n} Gebiete nicht veröffentlicht"
    assert i18n.tn("scatter_hidden", n, "de") == german
    assert i18n.tn("scatter_hidden", n, "en").endswith(
        "area not published" if n == 1 else "areas not published"
    )


def test_a_count_over_a_thousand_is_grouped_in_its_plural():
    assert i18n.tn("scatter_hidden", 1234, "ro") == "1.234 de zone nepublicate"
    assert i18n.tn("scatter_hidden", 12345, "bg") == "12\u00a0345 района не са публикувани"


def test_numbers_and_dates_follow_each_locale():
    assert i18n.format_number(1234.5, 1, "ro") == "1.234,5"
    assert i18n.format_number(1234.5, 1, "bg") == "1\u00a0234,5"  # a no-break space groups
    assert i18n.format_interval(38, 46.25, 1, "bg") == "38,0–46,2"
    day = datetime.date(2025, 7, 1)
    assert i18n.format_date(day, "ro") == "1 iulie 2025"
    assert i18n.format_date(day, "bg") == "1 юли 2025\u202fг."  # CLDR: a narrow no-break space
    assert i18n.plotly_separators("ro") == ",."
    assert i18n.plotly_separators("bg") == ",\u00a0"
    assert i18n.join_names(["Herne", "Bochum", "Essen"], "ro") == "Herne, Bochum și Essen"
    assert i18n.join_names(["Herne", "Bochum", "Essen"], "bg") == "Herne, Bochum и Essen"


def test_the_language_switch_names_each_language_in_itself():
    assert i18n.LANGUAGE_NAMES == {"de": "Deutsch", "en": "English", "ro": "Română",
                                   "bg": "Български"}  # fmt: skip


def test_texts_read_like_their_pairs():
    from layers import vocab
    from layers.catalogue import CATALOGUE

    assert vocab.MIGRATION_TYPE_LABELS["circular"]["ro"] == "Migranți circulari"
    assert vocab.MIGRATION_TYPE_LABELS["circular"]["bg"] == "Кръгови мигранти"
    assert dict(vocab.SUPPORT_NEED_LABELS["housing"]) == {
        "de": "Wohnen", "en": "Housing", "ro": "Locuință", "bg": "Жилище"}  # fmt: skip
    assert (
        CATALOGUE["arrivals_per_1000"]
        .definition("ro")
        .startswith("Sosiri ÷ ani ÷ locuitorii zonei × 1.000; bază minimă: 20 sosiri")
    )
    with pytest.raises(KeyError):
        vocab.MIGRATION_TYPE_LABELS["circular"]["fr"]


def test_a_missing_translation_falls_back_to_english_not_the_key():
    text = l10n.Text("no.such.key", {"de": "Nur deutsch", "en": "English only"})
    assert text["ro"] == "English only" and text["bg"] == "English only"


@pytest.fixture(scope="module")
def client(demo_dataset):
    from dashboard.app import create_app

    return create_app(demo_dataset).server.test_client()


def _layout(client, query, referer="/"):
    found = client.get(f"/_dash-layout{query}", headers={"Referer": f"http://localhost{referer}"})
    assert found.status_code == 200, (query, referer)
    return json.dumps(found.get_json(), ensure_ascii=False)


@pytest.mark.parametrize(("lang", "title", "notice"), [
    ("ro", "Sosiri și plecări: regiunea Ruhr", "Date demonstrative sintetice"),
    ("bg", "Пристигания и заминавания: Рурска област", "Синтетични демонстрационни данни"),
])  # fmt: skip
def test_pages_in_romanian_and_bulgarian(client, lang, title, notice):
    page = client.get(f"/?lang={lang}").get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    layout = _layout(client, f"?lang={lang}")
    assert title in layout and notice in layout
    for code, name in i18n.LANGUAGE_NAMES.items():  # the switch offers all four
        assert f'"hrefLang": "{code}"' in layout and name in layout
    index = client.get(f"/views?lang={lang}")
    assert index.status_code == 200 and f'<html lang="{lang}">' in index.get_data(as_text=True)
    expected = {"ro": "Variația de la an la an a sosirilor", "bg": "Колебание на пристиганията"}
    assert expected[lang] in _layout(client, "", f"/views?lang={lang}")
    for slug in ("swings", "galati-circular", "remittances", "support-needs", "language-diversity"):
        shown = _layout(client, "", f"/views/{slug}?lang={lang}")
        assert views.load_views()[0][slug].title[lang] in shown, slug


def test_a_bad_link_is_explained_in_romanian_and_bulgarian():
    from dashboard import address

    ro = " ".join(address.from_query("?lang=ro&year=2031&colour=red").notices)
    assert "Valoare nevalidă '2031' pentru 'year'. Permis: un an 2014–2024" in ro
    assert "Parametru necunoscut 'colour'" in ro
    bg = " ".join(address.from_query("?lang=bg&year=2031").notices)
    assert "Невалидна стойност '2031' за 'year'. Позволено: година 2014–2024" in bg


def test_bulgarian_oblasts_in_cyrillic_on_bulgarian_pages_only(client):
    from dashboard import controls, ranking, state, view
    from layers import regions
    from layers.disclosure import Policy
    from layers.queries import Selection
    from tests.helpers import tiny_dataset

    names = regions.bulgarian_names()
    assert len(names) == 28 and set(names) == {r.nuts3 for r in regions.ORIGIN_REGIONS
                                               if r.country == "BG"}  # fmt: skip
    assert all(re.fullmatch(r"[\u0400-\u04ff ()]+", name) for name in names.values())
    pazardzhik = Selection("origin", "BG423")
    assert view.selection_name(pazardzhik, "bg") == "Пазарджик"
    assert view.selection_name(pazardzhik, "de") == "Pazardzhik"
    assert regions.area_name("BG411", "Sofia (stolitsa)", "bg") == "София (столица)"
    assert regions.area_name("RO224", "Galați", "bg") == "Galați"  # Romanian counties as they are
    assert regions.area_name("05913000", "Dortmund", "bg") == "Dortmund"
    # the ranking's rows, and the map's hover names in the page's layout
    rows = ranking.ranking_rows(tiny_dataset(), state.ExplorerState(lang="bg"), "origin",
                                ["arrivals"], Policy())  # fmt: skip
    assert {r["code"]: r["name"] for r in rows}["BG423"] == "Пазарджик"
    assert "Пазарджик (BG)" in _layout(client, "?lang=bg")
    assert "Пазарджик" not in _layout(client, "?lang=de")
    # the area picker in Bulgarian order (CLDR bg: Cyrillic first, then Latin)
    origin = [o["label"] for o in controls.area_options("bg") if o["value"].startswith("o:")]
    assert origin[:6] == ["Благоевград (BG)", "Бургас (BG)", "Варна (BG)",
                          "Велико Търново (BG)", "Видин (BG)", "Враца (BG)"]  # fmt: skip
    assert origin[21:30] == ["София (BG)", "София (столица) (BG)", "Стара Загора (BG)",
                             "Търговище (BG)", "Хасково (BG)", "Шумен (BG)", "Ямбол (BG)",
                             "Alba (RO)", "Arad (RO)"]  # fmt: skip
    german = [o["label"] for o in controls.area_options("de") if o["value"].startswith("o:")]
    assert german[:3] == ["Alba (RO)", "Arad (RO)", "Argeș (RO)"]
    assert "Pazardzhik (BG)" in german


def test_romanian_county_names_use_the_comma_below():
    from layers import regions

    romanian = "".join(r.name for r in regions.ORIGIN_REGIONS if r.country == "RO")
    assert not re.search("[şţŞŢ]", romanian)  # cedilla: the wrong letters
    assert {"Galați", "Constanța", "Iași", "Timiș", "Neamț"} <= {r.name for r in
                                                                regions.ORIGIN_REGIONS}  # fmt: skip
