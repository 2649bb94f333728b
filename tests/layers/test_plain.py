"""Plain-language versions of the curated views (layers/plain.py, the ``plain`` field of
data/views/*.yaml): in every view, in de and en, with a key number computed from the map's
data; malformed ones are named precisely."""

import math
import shutil

import pytest

from layers import indicators, plain, small_bases, views
from layers.disclosure import Policy

SWINGS = (views.VIEWS_DIR / "swings.yaml").read_text(encoding="utf-8")


def test_every_committed_view_has_a_plain_version_in_every_language():
    loaded, errors = views.load_views()
    assert errors == []
    for slug, view in loaded.items():
        assert view.plain is not None, slug
        assert set(view.plain.text) == {"de", "en", "ro", "bg"}, slug
        for lang, sentences in view.plain.text.items():
            assert any("{number}" in s for s in sentences), (slug, lang)
            # short sentences: none of them longer than 25 words
            words = [len(s.split()) for p in sentences for s in p.split(". ")]
            assert max(words) <= 25, (slug, lang, max(words))
    assert loaded["swings"].plain.as_percent is True
    assert loaded["galati-circular"].plain.number == "total"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda s: s.replace("  number: max\n", "  number: median\n"), "number 'median' is not"),
        (lambda s: s.replace("  number: max\n", "  number: total\n"),
         "'total' adds up counts only, and arrivals_cv is not a count"),
        (lambda s: s.replace("  number: max\n", "  number: area:99999999\n"), "number 'area:9"),
        (lambda s: s.replace("etwa {number} %", "etwa % {year}"),
         "the de sentences do not say {number}"),
        (lambda s: s.replace("most in {area}", "most in {place}"), "{place} in en is not one of"),
        (lambda s: s.replace("  as_percent: true\n", "  colour: red\n"), "needs number, de and en"),
        (lambda s: s.replace("plain:\n  number: max\n  as_percent: true\n  de:",
                             "plain:\n  number: max\n  de: []\n  fr:"),
         "needs number, de and en"),
    ],
)  # fmt: skip
def test_malformed_plain_versions_name_the_file_and_the_part(tmp_path, change, message):
    (tmp_path / "swings.yaml").write_text(change(SWINGS), encoding="utf-8")
    shutil.copy(views.VIEWS_DIR / "remittances.yaml", tmp_path / "remittances.yaml")
    loaded, errors = views.load_views(tmp_path)
    assert list(loaded) == ["remittances"]
    assert len(errors) == 1 and errors[0].startswith("swings.yaml: field 'plain")
    assert message in errors[0]


def test_a_view_without_a_plain_version_still_loads(tmp_path):
    text = SWINGS[: SWINGS.index("plain:")]
    (tmp_path / "swings.yaml").write_text(text, encoding="utf-8")
    loaded, errors = views.load_views(tmp_path)
    assert errors == [] and loaded["swings"].plain is None


def test_numbers_are_said_whole_or_as_per_cent():
    assert plain.shown_value(plain.KeyNumber(0.8512, "x"), "arrivals_cv", True) == (
        pytest.approx(85.12), 0)  # fmt: skip
    assert plain.shown_value(plain.KeyNumber(0.8512, "x"), "arrivals_cv", False) == (0.8512, 2)
    assert plain.shown_value(plain.KeyNumber(42.4, "x"), "need_housing", False) == (42.4, 0)
    assert plain.shown_value(plain.KeyNumber(1234.0, None), "arrivals", False) == (1234.0, 0)


def _table(ds, view):
    return indicators.indicator_table(ds, view.filter, view.side, view.selection,
                                      (view.metric,), Policy(5))  # fmt: skip


def test_the_key_numbers_are_those_of_the_views_maps(demo_dataset):
    loaded, _ = views.load_views()
    # galati-circular: all arrivals of circular migrants from Galați, summed over the map.
    galati = loaded["galati-circular"]
    expected = _table(demo_dataset, galati)["arrivals"].sum()
    key = plain.key_number(demo_dataset, galati, Policy(5))
    assert key == plain.KeyNumber(float(expected), None) and expected > 0
    # swings: the highest coefficient of variation among areas with enough arrivals.
    swings = loaded["swings"]
    table = _table(demo_dataset, swings)
    fair = table[~table[small_bases.flag_column("arrivals_cv")].astype(bool)]["arrivals_cv"]
    key = plain.key_number(demo_dataset, swings, Policy(5))
    assert key.code == fair.idxmax() and key.value == fair.max()
    assert key.value < table["arrivals_cv"].max() or key.code == table["arrivals_cv"].idxmax()


def test_an_area_number_keeps_a_withheld_value_unpublished(demo_dataset):
    view = views.load_views()[0]["language-diversity"]
    table = _table(demo_dataset, view)
    withheld = table.index[table["language_richness"].isna()]
    assert len(withheld) > 0
    spec = plain.PlainText("area", str(withheld[0]), view.plain.text)
    key = plain.key_number(demo_dataset, _with_plain(view, spec), Policy(5))
    assert key.code == withheld[0] and math.isnan(key.value)


def _with_plain(view, spec):
    import dataclasses

    return dataclasses.replace(view, plain=spec)
