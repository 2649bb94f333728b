"""The modelled survey of the demo data: 3,000 respondents drawn where (and of the
migration type) the modelled arrivals are, with answers following the patterns the ZuSudo
study reports (languages, earlier destination countries, support needs, remittances).

The study's microdata are not public; every answer here is modelled. The same seed and flow
cube always yield the same respondents.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers import regions, vocab
from layers.demo_flows import DEFAULT_SEED

# Modelling choices, not the study's metadata (it reports no count or dates we use; see
# data/sources.md). An imported survey is described by its own file instead.
SURVEY_RESPONDENTS = 3000
SURVEY_FIELDWORK = ("2021-06-01", "2022-03-31")


# Survey answer models (shares are modelled, the pattern follows Abbildung 5.1).
SUPPORT_NEED_PROBS = {
    "immigrant": {"work": 0.55, "children_education": 0.50, "health": 0.30, "housing": 0.28},
    "return": {"work": 0.50, "children_education": 0.22, "health": 0.28, "housing": 0.55},
    "circular": {"work": 0.60, "children_education": 0.20, "health": 0.25, "housing": 0.35},
    "transnational": {"work": 0.45, "children_education": 0.48, "health": 0.25, "housing": 0.28},
}
OTHER_NEED_PROB = 0.08
NO_NEED_PROB = 0.10
PRIOR_MIGRATION_PROB = {"immigrant": 0.50, "return": 0.60, "circular": 0.80, "transnational": 0.75}
REMITTING_PROB = {"immigrant": 0.45, "return": 0.75, "circular": 0.80, "transnational": 0.65}
EDUCATION_PROBS = (0.12, 0.22, 0.26, 0.18, 0.12, 0.10)
REMITTANCE_BAND_PROBS = (0.20, 0.30, 0.30, 0.15, 0.05)
REMITTANCE_USE_PROBS = {
    "default": (0.55, 0.15, 0.10, 0.07, 0.13),
    "return": (0.45, 0.27, 0.08, 0.07, 0.13),
    "transnational": (0.48, 0.14, 0.12, 0.14, 0.12),
}
AGE_BAND_PROBS = (0.16, 0.30, 0.24, 0.16, 0.10, 0.04)

# Where earlier migration went, by origin country (relative weights).
PRIOR_COUNTRY_WEIGHTS = {
    "RO": {
        "IT": 30, "ES": 22, "FR": 8, "GB": 8, "AT": 6, "BE": 4, "NL": 3, "HU": 4, "GR": 1,
        "IE": 2, "PT": 1, "DK": 1, "SE": 1, "NO": 1, "FI": 0.5, "CH": 1.5, "CZ": 1, "PL": 0.5,
        "CY": 0.5, "MT": 0.3, "LU": 0.5, "SK": 0.5, "SI": 0.3, "HR": 0.3, "RS": 0.5, "MD": 1.5,
        "UA": 0.5, "RU": 0.5, "IL": 1, "US": 0.8, "CA": 0.6, "AE": 0.4, "TR": 0.5,
    },
    "BG": {
        "GR": 22, "ES": 15, "TR": 14, "IT": 8, "GB": 8, "NL": 6, "BE": 5, "FR": 4, "AT": 3,
        "CY": 2, "PT": 1, "DK": 1, "SE": 1, "NO": 0.5, "FI": 0.3, "CH": 1, "CZ": 1, "PL": 0.5,
        "MT": 0.3, "LU": 0.3, "SK": 0.3, "SI": 0.3, "HR": 0.5, "RS": 1, "MD": 0.3, "UA": 0.5,
        "RU": 1, "IL": 0.5, "US": 1, "CA": 0.5, "AE": 0.5, "HU": 0.5, "IE": 0.5,
    },
}  # fmt: skip
# Languages picked up in a prior destination country: {country: {language: probability}}.
LANGUAGE_FROM_COUNTRY = {
    "IT": {"it": 0.75}, "ES": {"es": 0.75}, "FR": {"fr": 0.6}, "BE": {"fr": 0.4, "nl": 0.3},
    "LU": {"fr": 0.4, "de": 0.4}, "CH": {"de": 0.5, "fr": 0.3, "it": 0.2}, "NL": {"nl": 0.45},
    "PT": {"pt": 0.5}, "GR": {"el": 0.55}, "CY": {"el": 0.5, "en": 0.3}, "TR": {"tr": 0.6},
    "GB": {"en": 0.7}, "IE": {"en": 0.7}, "US": {"en": 0.7}, "CA": {"en": 0.6, "fr": 0.2},
    "MT": {"en": 0.5, "it": 0.2}, "AE": {"en": 0.4, "ar": 0.3}, "IL": {"ar": 0.2, "ru": 0.2},
    "AT": {"de": 0.6}, "SE": {"sv": 0.35}, "NO": {"sv": 0.1}, "DK": {"sv": 0.1},
    "FI": {"sv": 0.1}, "RU": {"ru": 0.5}, "UA": {"uk": 0.4, "ru": 0.3}, "MD": {"ru": 0.5},
    "RS": {"sr": 0.5}, "HR": {"sr": 0.2}, "PL": {"pl": 0.4}, "CZ": {"cs": 0.4},
    "SK": {"sk": 0.4}, "HU": {"hu": 0.3},
}  # fmt: skip
# Regional minority languages: {nuts3: {language: probability}}.
REGIONAL_LANGUAGES = {
    "RO124": {"hu": 0.8}, "RO123": {"hu": 0.7}, "RO125": {"hu": 0.35}, "RO115": {"hu": 0.3},
    "RO111": {"hu": 0.25}, "RO116": {"hu": 0.2}, "RO113": {"hu": 0.15},
    "RO223": {"rup": 0.05, "tr": 0.05}, "RO225": {"rup": 0.05, "uk": 0.03},
    "RO215": {"uk": 0.06}, "RO114": {"uk": 0.06}, "RO424": {"sr": 0.05}, "RO422": {"sr": 0.05},
    "BG425": {"tr": 0.8}, "BG324": {"tr": 0.6}, "BG333": {"tr": 0.5}, "BG334": {"tr": 0.5},
    "BG413": {"mk": 0.10}, "BG311": {"sr": 0.05},
}  # fmt: skip


def _pick(rng: np.random.Generator, options, probs) -> str:
    probs = np.asarray(probs, dtype=float)
    return options[int(rng.choice(len(options), p=probs / probs.sum()))]


def _prior_countries(rng: np.random.Generator, country: str, mtype: str) -> list[str]:
    """Earlier destination countries, in the order drawn (languages are drawn in that order)."""
    prior: list[str] = []
    if rng.random() < PRIOR_MIGRATION_PROB[mtype]:
        weights = PRIOR_COUNTRY_WEIGHTS[country]
        k = min(int(rng.geometric(0.55)), 4)
        names = list(weights)
        p = np.array([weights[c] for c in names], dtype=float)
        prior = list(rng.choice(names, size=k, replace=False, p=p / p.sum()))
    return prior


def _languages(rng, origin: str, prior: list[str], years_since: int) -> set[str]:
    """The mother tongue, Romani, minority languages of the region, languages picked up in
    earlier destination countries, English, and German more often the longer one stays."""
    country = origin[:2]
    languages = {"ro" if country == "RO" else "bg"}
    if rng.random() < 0.25:
        languages.add("rom")
    if country == "BG" and rng.random() < 0.30:
        languages.add("tr")
    if country == "BG" and rng.random() < 0.05:
        languages.add("ru")
    for lang, p in REGIONAL_LANGUAGES.get(origin, {}).items():
        if rng.random() < p:
            languages.add(lang)
    for prior_country in prior:
        for lang, p in LANGUAGE_FROM_COUNTRY.get(prior_country, {}).items():
            if rng.random() < p:
                languages.add(lang)
    if rng.random() < 0.12:
        languages.add("en")
    if rng.random() < min(0.9, 0.25 + 0.06 * years_since):
        languages.add("de")
    return languages


def _support_needs(rng: np.random.Generator, mtype: str) -> list[str]:
    needs = [n for n, p in SUPPORT_NEED_PROBS[mtype].items() if rng.random() < p]
    if rng.random() < OTHER_NEED_PROB:
        needs.append("other")
    if not needs or rng.random() < NO_NEED_PROB:
        needs = ["none"]  # "in keinen" excludes every other answer
    return needs


def _survey_answers(rng, origin, mtype, years_since):
    """Languages, prior destination countries and support needs of one respondent."""
    # Drawn in this order so that a seed keeps giving the same respondents.
    prior = _prior_countries(rng, origin[:2], mtype)
    languages = _languages(rng, origin, prior, years_since)
    needs = _support_needs(rng, mtype)
    return sorted(languages), sorted(prior), needs


def generate_respondents(cube: np.ndarray, seed: int = DEFAULT_SEED) -> pd.DataFrame:
    """3,000 modelled respondents drawn where (and of the type) the modelled arrivals are."""
    rng = np.random.default_rng(seed + 1)
    arrivals = cube[:, :, :, :, 0][: vocab.YEARS.index(2021) + 1].sum(axis=0)  # origin, muni, type
    muni_weight = np.sqrt(arrivals.sum(axis=(0, 2)).astype(float))
    fieldwork = pd.date_range(*SURVEY_FIELDWORK, freq="D")
    rows = []
    for i in range(SURVEY_RESPONDENTS):
        m = int(rng.choice(len(muni_weight), p=muni_weight / muni_weight.sum()))
        by_origin_type = arrivals[:, m, :].astype(float).ravel() + 0.01
        cell = int(rng.choice(by_origin_type.size, p=by_origin_type / by_origin_type.sum()))
        o, t = divmod(cell, len(vocab.MIGRATION_TYPES))
        origin = regions.ORIGIN_REGIONS[o].nuts3
        mtype = vocab.MIGRATION_TYPES[t]
        years_since = min(14, int(rng.exponential(6.0 if mtype == "immigrant" else 8.0)))
        languages, prior, needs = _survey_answers(rng, origin, mtype, years_since)
        remits = bool(rng.random() < REMITTING_PROB[mtype])
        use_probs = REMITTANCE_USE_PROBS.get(mtype, REMITTANCE_USE_PROBS["default"])
        rows.append(
            {
                "respondent_id": f"R{i + 1:05d}",
                "survey_date": fieldwork[int(rng.integers(len(fieldwork)))].date().isoformat(),
                "municipality_ags": regions.MUNICIPALITIES[m].ags,
                "origin_nuts3": origin,
                "migration_type": mtype,
                "sex": _pick(rng, vocab.SEXES, (0.48, 0.52)),
                "age_band": _pick(rng, vocab.AGE_BANDS, AGE_BAND_PROBS),
                "education": _pick(rng, vocab.EDUCATION_LEVELS, EDUCATION_PROBS),
                "languages": languages,
                "prior_countries": prior,
                "support_needs": needs,
                "remits": remits,
                "remittance_band": _pick(rng, vocab.REMITTANCE_BANDS, REMITTANCE_BAND_PROBS)
                if remits
                else "",
                "remittance_use": _pick(rng, vocab.REMITTANCE_USES, use_probs) if remits else "",
                "years_since_first_arrival": years_since,
            }
        )
    _ensure_every_category(rng, rows, "languages", vocab.LANGUAGES)
    _ensure_every_category(rng, rows, "prior_countries", vocab.PRIOR_COUNTRIES)
    frame = pd.DataFrame(rows)
    for column in ("languages", "prior_countries", "support_needs"):
        frame[column] = frame[column].map(";".join)
    frame["synthetic"] = True
    return frame


def _ensure_every_category(rng, rows, column, categories) -> None:
    """The study counted exactly 23 languages and 33 countries: give a rare one to someone."""
    seen = {value for row in rows for value in row[column]}
    for value in categories:
        if value not in seen:
            row = rows[int(rng.integers(len(rows)))]
            row[column] = sorted({*row[column], value})
