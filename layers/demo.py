"""Synthetic, seeded demonstration data that follows the structure of the ZuSudo study.

No public table gives arrivals and departures of Romanian and Bulgarian citizens by origin
region and Ruhr municipality, and the study's survey microdata are not public. This module
therefore *models* flows and survey answers. Everything it produces is flagged
``synthetic=true``. Real figures enter only as calibration targets and denominators
(``layers.regions``) and are listed in ``data/README.md``.

The same seed always yields the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
import math
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from layers import boundaries, publication, regions, store, vocab
from layers.disclosure import DEFAULT_POLICY, Policy

DEFAULT_SEED = 20140101
GENERATOR_VERSION = "demo-1"
# Modelling choices, not the study's metadata (it reports no count or dates we use; see
# data/sources.md). An imported survey is described by its own file instead.
SURVEY_RESPONDENTS = 3000
SURVEY_FIELDWORK = ("2021-06-01", "2022-03-31")

# Common shape of the years: free movement from 1 Jan 2014 brought a wave; 2020 the pandemic.
YEAR_FACTOR = dict(
    zip(vocab.YEARS, (1.30, 1.15, 1.05, 1.0, 1.0, 1.0, 0.70, 0.85, 0.95, 1.0, 0.95), strict=True)
)


@dataclass(frozen=True)
class CityProfile:
    """Arrivals per 1,000 inhabitants and year, departures per arrival, swing, Romanian share."""

    arrivals_per_1000: float
    departure_ratio: float
    volatility: float
    romanian_share: float


# Calibrated to the public figures listed with their sources in data/sources.md.
CITY_PROFILES = {
    "05112000": CityProfile(
        12.0, 0.68, 0.22, 0.48
    ),  # Duisburg: RO+BG 9,853 (2014) -> 25,960 (2022)
    "05113000": CityProfile(3.0, 0.75, 0.20, 0.67),  # Essen: 419 RO + 191 BG arrivals 2012
    "05513000": CityProfile(8.5, 0.60, 0.28, 0.61),  # Gelsenkirchen: 12,162 (2023), 61 % RO
    "05913000": CityProfile(11.0, 0.80, 0.20, 0.62),  # Dortmund: ~14,000 moves, net ~+2,000 (2014)
    "05914000": CityProfile(9.0, 0.62, 0.30, 0.68),  # Hagen: 1,872 (2014) -> 7,165 (2022)
    "05916000": CityProfile(5.0, 0.70, 0.30, 0.55),  # Herne
    "05915000": CityProfile(5.0, 0.72, 0.30, 0.45),  # Hamm
    "05119000": CityProfile(3.0, 0.75, 0.25, 0.60),  # Oberhausen
    "05911000": CityProfile(2.5, 0.78, 0.25, 0.62),  # Bochum
    "05117000": CityProfile(2.0, 0.78, 0.25, 0.60),  # Mülheim an der Ruhr
    "05512000": CityProfile(2.0, 0.78, 0.25, 0.60),  # Bottrop
}
# Exact anchors: (ags, year, direction) -> persons, sources in data/sources.md.
ANCHORS = {
    ("05913000", 2014, "arrival"): 8000,  # nordstadtblogger: ~14,000 moves, net ~+2,000
    ("05913000", 2014, "departure"): 6000,
    ("05513000", 2024, "arrival"): 2066,  # WAZ 408185733, preliminary
}
# Net anchors (arrivals minus departures) from changes of the registered stock: Dortmund
# +1,321 in 2015 and +524 in 2018 (city council paper; Halterner Zeitung 1444783).
NET_ANCHORS = {("05913000", 2015): 1321, ("05913000", 2018): 524}
# Modelled chain-migration hubs; Galați is the study's example of circular migration (Toflea).
ORIGIN_HUBS = {"RO224": 4.0, "BG421": 2.5}
CIRCULAR_HUB = "RO224"

TYPE_SHARES = {
    "arrival": {"immigrant": 0.35, "return": 0.20, "circular": 0.30, "transnational": 0.15},
    "departure": {"immigrant": 0.15, "return": 0.35, "circular": 0.35, "transnational": 0.15},
}

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


@dataclass(frozen=True)
class DemoTables:
    flows: pd.DataFrame
    respondents: pd.DataFrame


def _origin_distances_km() -> np.ndarray:
    """Great-circle distance from the Ruhr (Essen) to each origin region's representative point."""
    gdf = boundaries.load_origin_regions().set_index("nuts3")
    points = gdf.geometry.representative_point()
    lon0, lat0 = math.radians(7.01), math.radians(51.45)
    out = []
    for region in regions.ORIGIN_REGIONS:
        point = points[region.nuts3]
        lon, lat = math.radians(point.x), math.radians(point.y)
        cos_angle = math.sin(lat0) * math.sin(lat) + math.cos(lat0) * math.cos(lat) * math.cos(
            lon - lon0
        )
        out.append(6371.0 * math.acos(min(1.0, cos_angle)))
    return np.array(out)


def _city_totals(rng: np.random.Generator) -> np.ndarray:
    """Persons per (municipality, year, direction): level x year shape x a municipal swing."""
    totals = np.zeros((len(regions.MUNICIPALITIES), len(vocab.YEARS), 2))
    for m, muni in enumerate(regions.MUNICIPALITIES):
        profile = CITY_PROFILES.get(muni.ags)
        if profile is None:  # small towns: lower level, larger relative swings
            profile = CityProfile(
                arrivals_per_1000=1.6 * float(rng.lognormal(0.0, 0.45)),
                departure_ratio=float(rng.uniform(0.65, 0.85)),
                volatility=0.45,
                romanian_share=0.6,
            )
        for y, year in enumerate(vocab.YEARS):
            swing = rng.normal(0.0, profile.volatility)
            arrivals = (
                muni.population / 1000 * profile.arrivals_per_1000 * YEAR_FACTOR[year]
            ) * math.exp(swing - profile.volatility**2 / 2)
            departures = (
                arrivals
                * profile.departure_ratio
                * math.exp(rng.normal(0.0, profile.volatility * 0.8))
            )
            totals[m, y] = (arrivals, departures)
    for (ags, year, direction), persons in ANCHORS.items():
        m = [x.ags for x in regions.MUNICIPALITIES].index(ags)
        totals[m, vocab.YEARS.index(year), vocab.DIRECTIONS.index(direction)] = persons
    for (ags, year), net in NET_ANCHORS.items():
        m, y = [x.ags for x in regions.MUNICIPALITIES].index(ags), vocab.YEARS.index(year)
        totals[m, y, 1] = round(totals[m, y, 0]) - net
    return np.rint(totals).astype(np.int64)


def _romanian_share(ags: str) -> float:
    profile = CITY_PROFILES.get(ags)
    return profile.romanian_share if profile else 0.6


def generate_flow_cube(seed: int = DEFAULT_SEED) -> np.ndarray:
    """Persons as an array indexed [year, origin, municipality, migration type, direction]."""
    rng = np.random.default_rng(seed)
    totals = _city_totals(rng)
    n_orig, n_muni = len(regions.ORIGIN_REGIONS), len(regions.MUNICIPALITIES)
    n_types = len(vocab.MIGRATION_TYPES)
    distance = _origin_distances_km()
    population = np.array([r.population for r in regions.ORIGIN_REGIONS], dtype=float)
    hub = np.array([ORIGIN_HUBS.get(r.nuts3, 1.0) for r in regions.ORIGIN_REGIONS])
    base_weight = population * (distance / 1000.0) ** -1.5 * hub
    # Chain migration: every municipality has its own strong origins.
    affinity = rng.lognormal(0.0, 0.9, size=(n_muni, n_orig))
    is_ro = np.array([r.country == "RO" for r in regions.ORIGIN_REGIONS])
    circular = vocab.MIGRATION_TYPES.index("circular")
    cube = np.zeros((len(vocab.YEARS), n_orig, n_muni, n_types, 2), dtype=np.int64)
    for d, direction in enumerate(vocab.DIRECTIONS):
        type_share = np.array([TYPE_SHARES[direction][t] for t in vocab.MIGRATION_TYPES])
        type_probs = np.tile(type_share, (n_orig, 1))
        hub_row = [r.nuts3 for r in regions.ORIGIN_REGIONS].index(CIRCULAR_HUB)
        type_probs[hub_row, circular] *= 2.5
        type_probs /= type_probs.sum(axis=1, keepdims=True)
        for m, muni in enumerate(regions.MUNICIPALITIES):
            origin_weight = base_weight * affinity[m]
            for y in range(len(vocab.YEARS)):
                total = int(totals[m, y, d])
                ro_share = min(0.95, max(0.05, _romanian_share(muni.ags) + rng.normal(0, 0.04)))
                n_ro = int(rng.binomial(total, ro_share))
                for mask, n in ((is_ro, n_ro), (~is_ro, total - n_ro)):
                    probs = (origin_weight * mask)[:, None] * type_probs
                    draw = rng.multinomial(n, (probs / probs.sum()).ravel())
                    cube[y, :, m, :, d] += draw.reshape(n_orig, n_types)
    return cube


def cube_to_flows(cube: np.ndarray) -> pd.DataFrame:
    """Tidy flow table with one row per non-zero cell (zeros are implied)."""
    idx = np.nonzero(cube)
    frame = pd.DataFrame(
        {
            "year": np.array(vocab.YEARS)[idx[0]],
            "origin_nuts3": np.array([r.nuts3 for r in regions.ORIGIN_REGIONS])[idx[1]],
            "destination_ags": np.array([m.ags for m in regions.MUNICIPALITIES])[idx[2]],
            "migration_type": np.array(vocab.MIGRATION_TYPES)[idx[3]],
            "direction": np.array(vocab.DIRECTIONS)[idx[4]],
            "persons": cube[idx],
        }
    )
    frame["synthetic"] = True
    return frame.sort_values(
        ["year", "origin_nuts3", "destination_ags", "migration_type", "direction"],
        ignore_index=True,
    )


def _pick(rng: np.random.Generator, options, probs) -> str:
    probs = np.asarray(probs, dtype=float)
    return options[int(rng.choice(len(options), p=probs / probs.sum()))]


def _survey_answers(rng, origin, mtype, years_since):
    """Languages, prior destination countries and support needs of one respondent."""
    country = origin[:2]
    weights = PRIOR_COUNTRY_WEIGHTS[country]
    prior: list[str] = []
    if rng.random() < PRIOR_MIGRATION_PROB[mtype]:
        k = min(int(rng.geometric(0.55)), 4)
        names = list(weights)
        p = np.array([weights[c] for c in names], dtype=float)
        prior = list(rng.choice(names, size=k, replace=False, p=p / p.sum()))
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
    needs = [n for n, p in SUPPORT_NEED_PROBS[mtype].items() if rng.random() < p]
    if rng.random() < OTHER_NEED_PROB:
        needs.append("other")
    if not needs or rng.random() < NO_NEED_PROB:
        needs = ["none"]  # "in keinen" excludes every other answer
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


def generate(seed: int = DEFAULT_SEED) -> DemoTables:
    cube = generate_flow_cube(seed)
    return DemoTables(flows=cube_to_flows(cube), respondents=generate_respondents(cube, seed))


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def reference_tables() -> dict[str, pd.DataFrame]:
    """The real tables shipped with the demo: areas with populations, remittance series."""
    municipalities = pd.DataFrame(
        {
            "ags": m.ags,
            "name": m.name,
            "kreis": m.kreis,
            "kind": m.kind,
            "population": m.population,
            "population_date": regions.MUNICIPAL_POPULATION_DATE,
            "population_source": regions.MUNICIPAL_POPULATION_SOURCE,
            "synthetic": False,
        }
        for m in regions.MUNICIPALITIES
    )
    origins = pd.DataFrame(
        {
            "nuts3": r.nuts3,
            "hasc": r.hasc,
            "name": r.name,
            "country": r.country,
            "population": r.population,
            "population_date": regions.ORIGIN_POPULATION_DATE,
            "population_source": regions.ORIGIN_POPULATION_SOURCE,
            "synthetic": False,
        }
        for r in regions.ORIGIN_REGIONS
    )
    indicators = pd.read_csv(REFERENCE_DIR / "world_bank_remittances.csv", dtype={"year": int})
    return {
        "municipalities": municipalities,
        "origin_regions": origins,
        "country_indicators": indicators,
    }


REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
TABLE_NOTES = {
    "flows": "Modelled arrivals and departures (persons) by year, origin region, municipality, "
    "migration type and direction. Synthetic demonstration data.",
    "respondents": "Modelled survey microdata (3,000 modelled respondents, modelled survey "
    "dates 2021/22: not the study's metadata). Synthetic demonstration data; never leaves the "
    "server unaggregated.",
    "municipalities": "53 RVR municipalities with official population. Real data.",
    "origin_regions": "42 Romanian counties and 28 Bulgarian oblasts with population. Real data.",
    "country_indicators": "World Bank remittance series for RO and BG with vintage. Real data.",
}


def write_dataset(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    if_missing: bool = False,
    policy: Policy = DEFAULT_POLICY,
) -> dict | None:
    """Generate all tables as a new snapshot of ``out_dir`` and return the manifest. With
    ``if_missing``, do nothing (return None) when the folder holds any dataset."""
    with store.writer(Path(out_dir)) as writer:
        if if_missing and not store.is_empty(writer.root):
            return None
        manifest, payloads = _demo_files(seed, policy)

        def fill(staging: Path) -> None:
            for name, payload in payloads.items():
                (staging / name).write_bytes(payload)

        writer.commit(fill)
    return manifest


def _demo_files(seed: int, policy: Policy) -> tuple[dict, dict[str, bytes]]:
    tables = generate(seed)
    frames = {"flows": tables.flows, "respondents": tables.respondents, **reference_tables()}
    payloads = {name: _csv_bytes(frame) for name, frame in frames.items()}
    survey = publication.to_frame(publication.build_publication(tables.respondents, policy))
    payloads["survey_publication"] = _csv_bytes(survey)
    manifest = {
        "dataset": "ruhr-eu2-demo",
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "synthetic_tables": sorted(n for n, f in frames.items() if bool(f["synthetic"].any())),
        "tables": {
            name: {
                "file": f"{name}.csv",
                "rows": len(frames[name]),
                "synthetic": bool(frames[name]["synthetic"].any()),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "note": TABLE_NOTES[name],
            }
            for name, payload in payloads.items()
            if name in frames
        },
    }
    manifest["tables"]["survey_publication"] = {
        **publication.file_entry(payloads["respondents"], policy, synthetic=True),
        "rows": len(survey),
        "sha256": hashlib.sha256(payloads["survey_publication"]).hexdigest(),
    }
    manifest["synthetic_tables"].append("survey_publication")
    manifest["synthetic_tables"].sort()

    files = {f"{name}.csv": payload for name, payload in payloads.items()}
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    return manifest, files
