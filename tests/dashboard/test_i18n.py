"""One catalogue of messages: every key in both languages, every key used exists."""

import ast
import datetime
import re
from pathlib import Path

from dashboard import i18n

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_every_message_has_german_and_english():
    for catalogue in (i18n.MESSAGES, i18n.LANGUAGE_LABELS, i18n.COUNTRY_LABELS):
        for key, texts in catalogue.items():
            assert set(texts) == set(i18n.LANGUAGES), key
            assert all(isinstance(v, str) and v.strip() for v in texts.values()), key


def _keys(node: ast.expr) -> tuple[set[str], set[str]]:
    """(literal keys, prefixes of computed keys) a ``t(...)`` argument can take."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return {node.value}, set()
    if isinstance(node, ast.IfExp):
        a, b = _keys(node.body), _keys(node.orelse)
        return a[0] | b[0], a[1] | b[1]
    if isinstance(node, ast.JoinedStr) and isinstance(node.values[0], ast.Constant):
        return set(), {node.values[0].value}  # f"tab_{key}"
    if isinstance(node, ast.BinOp) and isinstance(node.left, ast.Constant):
        return set(), {node.left.value}  # "status_" + status.flows
    return set(), set()  # a variable: checked by rendering (test_app, browser tests)


def _message_calls():
    for path in DASHBOARD.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "t" and node.args:
                yield path, node.args[0]


def test_every_key_used_in_the_code_exists():
    literal, prefixes = set(), set()
    for _, argument in _message_calls():
        keys, starts = _keys(argument)
        literal |= keys
        prefixes |= starts
    assert len(literal) > 50 and prefixes, "the scan no longer finds the message keys"
    assert sorted(literal - set(i18n.MESSAGES)) == []
    assert sorted(p for p in prefixes if not any(k.startswith(p) for k in i18n.MESSAGES)) == []


def test_computed_status_keys_exist_for_every_status():
    from layers.provenance import parts

    manifests = [{}, {"tables": {"flows": {"imports": [{"file": "x"}]}}},
                 {"tables": {"flows": {"synthetic": False}}}]  # fmt: skip
    statuses = {parts(m)["flows"].status for m in manifests}
    assert statuses == {"synthetic", "partly imported", "imported"}
    for status in statuses:
        assert f"status_{status}" in i18n.MESSAGES


def test_placeholders_match_between_languages():
    for key, texts in i18n.MESSAGES.items():
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert fields["de"] == fields["en"], key


def test_numbers_follow_the_locale():
    assert i18n.format_number(1234.5, 1, "de") == "1.234,5"
    assert i18n.format_number(1234.5, 1, "en") == "1,234.5"
    assert i18n.format_number(-1234567.25, 0, "de") == "-1.234.567"
    assert i18n.format_number(0.0004, 3, "de") == "0,000"  # zeros kept: a fixed precision
    assert i18n.format_number(12, 2, "en") == "12.00"


def test_dates_follow_the_locale():
    day = datetime.date(2025, 12, 1)
    assert i18n.format_date(day, "de") == "1. Dezember 2025"
    assert i18n.format_date(day, "en") == "1 December 2025"


def test_every_language_has_a_locale_babel_knows():
    import babel

    assert set(i18n.LOCALES) == set(i18n.LANGUAGES)
    for lang, locale in i18n.LOCALES.items():
        assert babel.Locale.parse(locale).language == lang


def test_plotly_separators_come_from_the_locale():
    assert i18n.plotly_separators("de") == ",."
    assert i18n.plotly_separators("en") == ".,"
    assert i18n.format_number(1047, 0, "de") == "1.047"  # "n≈1.047", not "n≈1,047"
