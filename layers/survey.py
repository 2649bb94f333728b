"""Survey microdata as count cubes: respondents per (municipality, origin, type, channel).

A channel is one countable answer ("speaks Turkish", "names housing", "sends money").
Every cell also carries the sum of its respondents' record keys, so the disclosure module
can give the same cell the same noise however it was aggregated (cell-key method)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from layers import regions, vocab

RECORD_KEY_MODULUS = 2**32  # record keys are integers in [0, 2**32); sums stay exact

CHANNELS: tuple[str, ...] = (
    "respondents",
    "remitters",
    *(f"lang:{code}" for code in vocab.LANGUAGES),
    *(f"prior:{code}" for code in vocab.PRIOR_COUNTRIES),
    *(f"need:{code}" for code in vocab.SUPPORT_NEEDS),
    *(f"use:{code}" for code in vocab.REMITTANCE_USES),
)
CHANNEL_INDEX = {name: i for i, name in enumerate(CHANNELS)}
MULTI_VALUED = {"languages": "lang", "prior_countries": "prior", "support_needs": "need"}


def channel_slice(prefix: str) -> list[int]:
    return [i for name, i in CHANNEL_INDEX.items() if name.startswith(f"{prefix}:")]


@dataclass(frozen=True, eq=False)
class SurveyCube:
    counts: np.ndarray  # int64 [municipality, origin, type, channel]
    keys: np.ndarray  # int64 sums of record keys, same shape


def _split(value) -> list[str]:
    return [v for v in str(value).split(";") if v]


def build_survey_cube(respondents: pd.DataFrame) -> SurveyCube:
    muni = {m.ags: i for i, m in enumerate(regions.MUNICIPALITIES)}
    origin = {r.nuts3: i for i, r in enumerate(regions.ORIGIN_REGIONS)}
    mtype = {t: i for i, t in enumerate(vocab.MIGRATION_TYPES)}
    shape = (len(muni), len(origin), len(mtype), len(CHANNELS))
    counts = np.zeros(shape, dtype=np.int64)
    keys = np.zeros(shape, dtype=np.int64)
    if respondents.empty:
        return SurveyCube(counts, keys)
    if "record_key" not in respondents.columns:
        raise ValueError(
            "column 'record_key' is missing: every respondent needs a fixed random integer "
            "in [0, 2**32) for disclosure control (the importer assigns one)"
        )
    index, channel, key = [], [], []
    for row in respondents.itertuples(index=False):
        try:
            cell = (muni[row.municipality_ags], origin[row.origin_nuts3],
                    mtype[row.migration_type])  # fmt: skip
        except KeyError as exc:
            raise ValueError(f"respondent {row.respondent_id}: unknown code {exc}") from None
        answers = ["respondents"]
        if str(row.remits).lower() == "true":
            answers.append("remitters")
            if row.remittance_use:
                answers.append(f"use:{row.remittance_use}")
        for column, prefix in MULTI_VALUED.items():
            answers.extend(f"{prefix}:{v}" for v in _split(getattr(row, column)))
        for answer in answers:
            index.append(cell)
            channel.append(CHANNEL_INDEX[answer])
            key.append(int(row.record_key))
    if index:
        m, o, t = np.array(index).T
        np.add.at(counts, (m, o, t, np.array(channel)), 1)
        np.add.at(keys, (m, o, t, np.array(channel)), np.array(key, dtype=np.int64))
    return SurveyCube(counts, keys % RECORD_KEY_MODULUS)
