"""The protected survey publication: the one fixed set of survey tables that is ever published.

Every survey-derived number of the dashboard, its downloads and its API is read from here
(data/README.md, "Disclosure control"). For each channel (respondents, remitters, each
language, prior country, support need and remittance use) two linked tables are published:

* municipalities: area (53 municipalities and the Ruhr) × migration type (4 and all) ×
  country (Romania, Bulgaria, both);
* origin regions: region (70) × migration type (4 and all); a region's country is fixed, and
  the regions of one country add up to the Ruhr's cell of that country.

Cells are exact counts, suppressed by ``layers.disclosure`` (k on unperturbed counts,
secondary suppression, interval audit). The remittance uses and the remitters are
protected as one table, since the uses (with "not stated") add up to the remitters.
A filter that is not a cell of these tables (two or three migration types) is answered
with sums of published cells only, or not at all."""

from __future__ import annotations

import functools
import hashlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import sparse

from layers import disclosure, regions, vocab
from layers.disclosure import LinkedTable, Policy
from layers.progress import QUIET, Progress
from layers.survey import CHANNEL_INDEX, CHANNELS, build_survey_cube

N_MUNI = len(regions.MUNICIPALITIES)
RUHR = N_MUNI  # the row of the Ruhr totals in the municipal table
N_ORIGIN = len(regions.ORIGIN_REGIONS)
N_TYPES = len(vocab.MIGRATION_TYPES)
ALL_TYPES = N_TYPES  # position of "all types" on the type axis
COUNTRIES = ("RO", "BG")
BOTH = len(COUNTRIES)  # position of "both countries" on the country axis
MUNI_SHAPE = (N_MUNI + 1, N_TYPES + 1, BOTH + 1)
ORIGIN_SHAPE = (N_ORIGIN, N_TYPES + 1)
MUNI_CELLS = int(np.prod(MUNI_SHAPE))
CELLS = MUNI_CELLS + int(np.prod(ORIGIN_SHAPE))  # cells of one channel
ORIGIN_COUNTRY = np.array([COUNTRIES.index(r.country) for r in regions.ORIGIN_REGIONS])

# Channels protected together because they are bound by a relation across channels.
USE_GROUP = (*(c for c in CHANNELS if c.startswith("use:")), "remitters")


def channel_groups() -> list[tuple[str, ...]]:
    return [(c,) for c in CHANNELS if c not in USE_GROUP] + [USE_GROUP]


def channel_tables(cube: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """True counts of every published cell: municipal [channel, area, type, country] and
    regional [channel, region, type], margins included."""
    channels = cube.shape[-1]
    muni = np.zeros((channels, *MUNI_SHAPE), dtype=np.int64)
    by_country = np.stack(
        [cube[:, c == ORIGIN_COUNTRY].sum(axis=1) for c in range(BOTH)], axis=-1
    )  # [muni, type, channel, country]
    muni[:, :N_MUNI, :N_TYPES, :BOTH] = np.moveaxis(by_country, 2, 0)
    muni[:, RUHR] = muni[:, :N_MUNI].sum(axis=1)
    muni[:, :, ALL_TYPES] = muni[:, :, :N_TYPES].sum(axis=2)
    muni[..., BOTH] = muni[..., :BOTH].sum(axis=-1)
    origin = np.zeros((channels, *ORIGIN_SHAPE), dtype=np.int64)
    origin[:, :, :N_TYPES] = np.moveaxis(cube.sum(axis=0), 2, 0)
    origin[:, :, ALL_TYPES] = origin[:, :, :N_TYPES].sum(axis=2)
    return muni, origin


def _muni_cell(area, mtype, country):
    return np.ravel_multi_index((area, mtype, country), MUNI_SHAPE)


def _origin_cell(region, mtype):
    return MUNI_CELLS + np.ravel_multi_index((region, mtype), ORIGIN_SHAPE)


def _relations_of_one_channel() -> list[tuple[int, list[int]]]:
    """(parent, children) for every margin of the two linked tables."""
    out = []
    types, countries, areas = range(N_TYPES), range(BOTH), range(N_MUNI)
    for a in range(N_MUNI + 1):
        for c in range(BOTH + 1):
            out.append((_muni_cell(a, ALL_TYPES, c), [_muni_cell(a, t, c) for t in types]))
        for t in range(N_TYPES + 1):
            out.append((_muni_cell(a, t, BOTH), [_muni_cell(a, t, c) for c in countries]))
    for t in range(N_TYPES + 1):
        for c in range(BOTH + 1):
            out.append((_muni_cell(RUHR, t, c), [_muni_cell(a, t, c) for a in areas]))
    for o in range(N_ORIGIN):
        out.append((_origin_cell(o, ALL_TYPES), [_origin_cell(o, t) for t in types]))
    for t in range(N_TYPES + 1):
        for c in range(BOTH):
            regions_of_c = np.flatnonzero(c == ORIGIN_COUNTRY)
            out.append((_muni_cell(RUHR, t, c), [_origin_cell(o, t) for o in regions_of_c]))
    return out


def _matrix(relations: list[tuple[int, list[int]]], n_cells: int) -> sparse.csr_matrix:
    rows, cols, data = [], [], []
    for i, (parent, children) in enumerate(relations):
        rows += [i] * (len(children) + 1)
        cols += [int(parent), *map(int, children)]
        data += [-1.0] + [1.0] * len(children)
    return sparse.csr_matrix((data, (rows, cols)), shape=(len(relations), n_cells))


def group_relations(group_size: int, total_last: bool) -> list[tuple[int, list[int]]]:
    """Relations of ``group_size`` channels' tables side by side (cells of channel i at
    ``i * CELLS``); with ``total_last`` the last channel is the sum of the others, cell by
    cell (the remitters of the remittance uses)."""
    one = _relations_of_one_channel()
    out = [(p + i * CELLS, [c + i * CELLS for c in ch]) for i in range(group_size) for p, ch in one]
    if total_last:
        last = (group_size - 1) * CELLS
        out += [(last + cell, [cell + i * CELLS for i in range(group_size - 1)])
                for cell in range(CELLS)]  # fmt: skip
    return out


def _keep_mask(group_size: int) -> np.ndarray:
    keep = np.zeros(CELLS, dtype=bool)
    keep[_muni_cell(RUHR, np.arange(N_TYPES + 1)[:, None], np.arange(BOTH + 1)[None, :])] = True
    return np.tile(keep, group_size)


def group_table(values: np.ndarray, group: tuple[str, ...]) -> LinkedTable:
    """The linked table of a channel group; ``values`` [channel of group, CELLS]."""
    size = len(group)
    relations = group_relations(size, total_last=group == USE_GROUP)
    return LinkedTable(values.reshape(-1), _matrix(relations, size * CELLS), _keep_mask(size))


@dataclass(frozen=True, eq=False)
class Publication:
    """Published survey counts, NaN where suppressed: ``municipal`` [channel, area (53 and the
    Ruhr), type (4 and all), country (RO, BG, both)], ``regional`` [channel, region, type]."""

    municipal: np.ndarray
    regional: np.ndarray
    threshold: int

    def channel(self, name: str) -> int:
        return CHANNEL_INDEX[name]


def build_publication(
    respondents: pd.DataFrame, policy: Policy, progress: Progress = QUIET
) -> Publication:
    return protect(build_survey_cube(respondents), policy, progress)


def for_dataset(ds, policy: Policy) -> Publication:
    """The dataset's publication, or one for another threshold (tests, a changed setting)."""
    if ds.publication.threshold == policy.threshold:
        return ds.publication
    return _rebuilt(ds, policy.threshold)


@functools.lru_cache(maxsize=4)  # a pure function of an immutable dataset: safe to share
def _rebuilt(ds, threshold: int) -> Publication:
    return build_publication(ds.respondents, Policy(threshold))


def protect(cube: np.ndarray, policy: Policy, progress: Progress = QUIET) -> Publication:
    muni, origin = channel_tables(cube)
    flat = np.concatenate([muni.reshape(len(CHANNELS), -1), origin.reshape(len(CHANNELS), -1)], 1)
    published = flat.astype(float)
    for group in progress.track(channel_groups(), "protecting the survey tables"):
        idx = [CHANNEL_INDEX[c] for c in group]
        table = group_table(flat[idx], group)
        hidden = disclosure.suppress(table, policy.threshold).reshape(len(idx), CELLS)
        rows = published[idx]
        rows[hidden] = np.nan
        published[idx] = rows
    return Publication(
        municipal=published[:, :MUNI_CELLS].reshape(len(CHANNELS), *MUNI_SHAPE),
        regional=published[:, MUNI_CELLS:].reshape(len(CHANNELS), *ORIGIN_SHAPE),
        threshold=policy.threshold,
    )


# --- reading the publication for a filter --------------------------------------------------


def _over_types(cells: np.ndarray, types: tuple[str, ...]) -> np.ndarray:
    """``cells`` [..., type (4 and all)] → the filter's types [...]: a cell of the table for
    one type or all, else the published single types summed, else all minus the published
    types left out; NaN when none of these is made of published cells only."""
    positions = [vocab.MIGRATION_TYPES.index(t) for t in types]
    if len(positions) == N_TYPES:
        return cells[..., ALL_TYPES]
    if len(positions) == 1:
        return cells[..., positions[0]]
    left_out = [i for i in range(N_TYPES) if i not in positions]
    summed = cells[..., positions].sum(axis=-1)  # NaN if any part is suppressed
    complement = cells[..., ALL_TYPES] - cells[..., left_out].sum(axis=-1)
    return np.where(np.isnan(summed), complement, summed)


def _country_position(countries: tuple[str, ...]) -> int:
    return BOTH if len(countries) == len(COUNTRIES) else COUNTRIES.index(countries[0])


def by_area(pub: Publication, channels: list[int], side: str, types, countries, crossed: bool):
    """Published values [area in code order, channel] of one side for a filter. ``crossed``
    (an area of the other side selected) asks for pairs of areas: never published."""
    if side == "origin":
        values = _over_types(pub.regional[channels], types).T  # [region, channel]
        outside = ~np.isin(ORIGIN_COUNTRY, [COUNTRIES.index(c) for c in countries])
        values[outside] = np.nan
    else:
        cells = pub.municipal[channels][:, :N_MUNI, :, _country_position(countries)]
        values = _over_types(cells, types).T  # [municipality, channel]
    if crossed:
        values = np.full_like(values, np.nan)
    return values


def for_area(pub: Publication, channels: list[int], side: str | None, index: int | None,
             types, countries) -> np.ndarray:  # fmt: skip
    """Published values [channel] of one area (or the whole Ruhr when ``side`` is None)."""
    if side == "origin":
        if COUNTRIES[ORIGIN_COUNTRY[index]] not in countries:
            return np.full(len(channels), np.nan)
        return _over_types(pub.regional[channels, index], types)
    row = RUHR if side is None else index
    return _over_types(pub.municipal[channels, row, :, _country_position(countries)], types)


# --- the publication as a file (written with the dataset, read back at load) ----------------

PUBLICATION_FILE = "survey_publication.csv"
TYPE_LABELS = (*vocab.MIGRATION_TYPES, "all")
COUNTRY_LABELS = (*COUNTRIES, "both")


def to_frame(pub: Publication) -> pd.DataFrame:
    """Every published cell, one row each; ``respondents`` empty where suppressed."""
    muni_codes = [m.ags for m in regions.MUNICIPALITIES] + ["ruhr"]
    c, a, t, k = np.indices(pub.municipal.shape).reshape(4, -1)
    municipal = pd.DataFrame({
        "table": "municipalities", "area": np.array(muni_codes)[a],
        "migration_type": np.array(TYPE_LABELS)[t], "country": np.array(COUNTRY_LABELS)[k],
        "channel": np.array(CHANNELS)[c], "respondents": pub.municipal.reshape(-1),
    })  # fmt: skip
    c, o, t = np.indices(pub.regional.shape).reshape(3, -1)
    regional = pd.DataFrame({
        "table": "origin_regions", "area": np.array([r.nuts3 for r in regions.ORIGIN_REGIONS])[o],
        "migration_type": np.array(TYPE_LABELS)[t],
        "country": np.array(COUNTRIES)[ORIGIN_COUNTRY[o]],
        "channel": np.array(CHANNELS)[c], "respondents": pub.regional.reshape(-1),
    })  # fmt: skip
    frame = pd.concat([municipal, regional], ignore_index=True)
    frame["respondents"] = frame["respondents"].astype("Int64")
    return frame


def from_frame(frame: pd.DataFrame, threshold: int) -> Publication:
    values = pd.to_numeric(frame["respondents"], errors="raise").to_numpy(dtype=float)
    n_muni = len(CHANNELS) * MUNI_CELLS
    if len(values) != len(CHANNELS) * CELLS:
        raise ValueError(f"expected {len(CHANNELS) * CELLS} rows, found {len(values)}")
    return Publication(
        municipal=values[:n_muni].reshape(len(CHANNELS), *MUNI_SHAPE),
        regional=values[n_muni:].reshape(len(CHANNELS), *ORIGIN_SHAPE),
        threshold=threshold,
    )


def file_entry(respondents_payload: bytes, policy: Policy, synthetic: bool) -> dict:
    """The manifest entry of the publication file: what it was built from, and with which k."""
    return {
        "file": PUBLICATION_FILE,
        "synthetic": synthetic,
        "threshold": policy.threshold,
        "respondents_sha256": hashlib.sha256(respondents_payload).hexdigest(),
        "note": "The protected survey publication: every survey number the dashboard, its "
        "downloads and its API show is read from it (data/README.md, 'Disclosure control').",
    }


def load_or_build(
    data_dir: Path, manifest: dict, respondents: pd.DataFrame, policy: Policy
) -> Publication:
    """The publication written with the dataset if it fits the respondents file and the
    threshold in force; otherwise built anew in memory (an older folder, a changed k)."""
    entry = manifest.get("tables", {}).get("survey_publication", {})
    path = data_dir / PUBLICATION_FILE
    respondents_sha = hashlib.sha256((data_dir / "respondents.csv").read_bytes()).hexdigest()
    if (
        path.is_file()
        and entry.get("threshold") == policy.threshold
        and entry.get("respondents_sha256") == respondents_sha
    ):
        return from_frame(pd.read_csv(path, keep_default_na=True), policy.threshold)
    return build_publication(respondents, policy)
