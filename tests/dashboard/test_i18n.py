"""One catalogue of messages: every key in both languages, every key used exists."""

import re
from pathlib import Path

from dashboard import i18n

DASHBOARD = Path(__file__).resolve().parents[2] / "dashboard"


def test_every_message_has_german_and_english():
    for catalogue in (i18n.MESSAGES, i18n.LANGUAGE_LABELS, i18n.COUNTRY_LABELS):
        for key, texts in catalogue.items():
            assert set(texts) == set(i18n.LANGUAGES), key
            assert all(isinstance(v, str) and v.strip() for v in texts.values()), key


def test_every_key_used_in_the_code_exists():
    used = set()
    for path in DASHBOARD.glob("*.py"):
        used |= set(re.findall(r"\bt\(\s*\"([a-z0-9_]+)\"", path.read_text(encoding="utf-8")))
    assert used, "no message keys found: the pattern no longer matches the code"
    assert sorted(used - set(i18n.MESSAGES)) == []


def test_placeholders_match_between_languages():
    for key, texts in i18n.MESSAGES.items():
        fields = {lang: set(re.findall(r"{(\w+)}", text)) for lang, text in texts.items()}
        assert fields["de"] == fields["en"], key


def test_numbers_follow_the_locale():
    assert i18n.format_number(1234.5, 1, "de") == "1.234,5"
    assert i18n.format_number(1234.5, 1, "en") == "1,234.5"
