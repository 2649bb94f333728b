"""Controlled vocabularies shared by the demo generator, queries, exports and the UI."""

from __future__ import annotations

from layers import l10n

YEARS = tuple(range(2014, 2025))  # 2014: full free movement for RO/BG citizens

# The four ideal types of the study (SUMMARY.md); a type is observed at a date.
MIGRATION_TYPES = ("immigrant", "return", "circular", "transnational")
MIGRATION_TYPE_LABELS = l10n.texts(
    "migration_type",
    {
        "immigrant": {"de": "Einwanderer", "en": "Immigrant"},
        "return": {"de": "Rückkehrorientierte", "en": "Return-oriented"},
        "circular": {"de": "Zirkulär Migrierende", "en": "Circular"},
        "transnational": {"de": "Transnational Migrierende", "en": "Transnational"},
    },
)

# Seen from the Ruhr: an arrival comes from an origin region, a departure goes to it.
DIRECTIONS = ("arrival", "departure")

# Support needs by life area, the six answers of Abbildung 5.1.
SUPPORT_NEEDS = ("work", "children_education", "health", "housing", "other", "none")
SUPPORT_NEED_LABELS = l10n.texts(
    "support_need",
    {
        "work": {
            "de": "Arbeit/Weiterbildung (auch Sprache)",
            "en": "Work/training (incl. language)",
        },
        "children_education": {"de": "Bildung der Kinder", "en": "Children's education"},
        "health": {"de": "Gesundheit", "en": "Health"},
        "housing": {"de": "Wohnen", "en": "Housing"},
        "other": {"de": "andere", "en": "Other"},
        "none": {"de": "in keinen", "en": "None"},
    },
)

EDUCATION_LEVELS = (
    "none",
    "primary",
    "lower_secondary",
    "upper_secondary",
    "vocational",
    "tertiary",
)

# The 23 languages of the sample (ISO 639-1, or 639-3 where there is no two-letter code).
LANGUAGES = (
    "ro", "bg", "rom", "tr", "hu", "de", "en", "it", "es", "fr", "el", "ru",
    "nl", "pt", "sr", "mk", "uk", "ar", "pl", "cs", "sk", "rup", "sv",
)  # fmt: skip
LANGUAGE_NAMES = {
    "ro": "Romanian", "bg": "Bulgarian", "rom": "Romani", "tr": "Turkish", "hu": "Hungarian",
    "de": "German", "en": "English", "it": "Italian", "es": "Spanish", "fr": "French",
    "el": "Greek", "ru": "Russian", "nl": "Dutch", "pt": "Portuguese", "sr": "Serbian",
    "mk": "Macedonian", "uk": "Ukrainian", "ar": "Arabic", "pl": "Polish", "cs": "Czech",
    "sk": "Slovak", "rup": "Aromanian", "sv": "Swedish",
}  # fmt: skip

# The 33 prior destination countries ("Ankunftsländer"), ISO 3166-1 alpha-2.
PRIOR_COUNTRIES = (
    "IT", "ES", "FR", "GB", "AT", "BE", "NL", "GR", "TR", "HU", "IE", "PT", "DK", "SE",
    "NO", "FI", "CH", "CZ", "PL", "CY", "MT", "LU", "SK", "SI", "HR", "RS", "MD", "UA",
    "RU", "IL", "US", "CA", "AE",
)  # fmt: skip

REMITTANCE_BANDS = ("under_50", "50_100", "100_250", "250_500", "over_500")  # EUR per month
REMITTANCE_USES = ("household", "housing", "education", "business", "savings_debt")
AGE_BANDS = ("18-24", "25-34", "35-44", "45-54", "55-64", "65+")
SEXES = ("female", "male")
