"""Survey microdata as a count cube: respondents per (municipality, origin, type, channel).

A channel is one countable answer ("speaks Turkish", "names housing", "sends money"). The
cube never leaves ``layers``: ``layers.publication`` turns it into the protected tables."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers import regions, vocab

CHANNELS: tuple[str, ...] = (
    "respondents",
    "remitters",
    *(f"lang:{code}" for code in vocab.LANGUAGES),
    *(f"prior:{code}" for code in vocab.PRIOR_COUNTRIES),
    *(f"need:{code}" for code in vocab.SUPPORT_NEEDS),
    *(f"use:{code}" for code in vocab.REMITTANCE_USES),
    "use:not_stated",  # remitters without a main use: the uses then add up to the remitters
)
CHANNEL_INDEX = {name: i for i, name in enumerate(CHANNELS)}
MULTI_VALUED = {"languages": "lang", "prior_countries": "prior", "support_needs": "need"}


def channel_slice(prefix: str) -> list[int]:
    return [i for name, i in CHANNEL_INDEX.items() if name.startswith(f"{prefix}:")]


def _split(value) -> list[str]:
    return [v for v in str(value).split(";") if v]


def build_survey_cube(respondents: pd.DataFrame) -> np.ndarray:
    """Counts, int64 [municipality, origin, type, channel]."""
    muni = {m.ags: i for i, m in enumerate(regions.MUNICIPALITIES)}
    origin = {r.nuts3: i for i, r in enumerate(regions.ORIGIN_REGIONS)}
    mtype = {t: i for i, t in enumerate(vocab.MIGRATION_TYPES)}
    shape = (len(muni), len(origin), len(mtype), len(CHANNELS))
    counts = np.zeros(shape, dtype=np.int64)
    if respondents.empty:
        return counts
    index, channel = [], []
    for row in respondents.itertuples(index=False):
        try:
            cell = (muni[row.municipality_ags], origin[row.origin_nuts3],
                    mtype[row.migration_type])  # fmt: skip
        except KeyError as exc:
            raise ValueError(f"respondent {row.respondent_id}: unknown code {exc}") from None
        answers = ["respondents"]
        if str(row.remits).lower() == "true":
            answers.append("remitters")
            answers.append(f"use:{row.remittance_use or 'not_stated'}")
        for column, prefix in MULTI_VALUED.items():
            answers.extend(f"{prefix}:{v}" for v in _split(getattr(row, column)))
        for answer in answers:
            index.append(cell)
            channel.append(CHANNEL_INDEX[answer])
    if index:
        m, o, t = np.array(index).T
        np.add.at(counts, (m, o, t, np.array(channel)), 1)
    return counts
