"""The modelled flows of the demo data: arrivals and departures of Romanian and Bulgarian
citizens by year, origin region, Ruhr municipality and migration type.

No public table gives these flows. They are drawn, seeded, from city profiles calibrated to
the public figures listed with their sources in data/sources.md (levels per 1,000
inhabitants, exact anchors), a gravity model of the origins (population, distance, hubs of
chain migration) and modelled shares of the migration types. The same seed always yields the
same cube.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers import boundaries, regions, vocab

DEFAULT_SEED = 20140101

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
