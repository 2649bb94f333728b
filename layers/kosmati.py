"""KOSMATI services (Kommunale Services für Migration, Ankommen, Teilhabe und Integration,
issue 18.1): an inventory of municipal services, each in one of the four dimensions of
Tabelle 5.1 (independent dimensions, not stages), with the migration types and life areas it
serves and the languages it is offered in.

Two readings of it: coverage by dimension per municipality (:func:`coverage`), and the
support needs a municipality's respondents name (Abbildung 5.1, read from the protected survey
publication only) beside the services that address each life area and type
(:func:`needs_against_offers`), the gaps marked.

The inventory of a dataset is ``services.csv`` once imported (``python -m layers import
services FILE``, layers/importers/services.py); until then the small demonstration inventory
``data/reference/kosmati_services_demo.csv``, which is **illustrative**: built to resemble
what the study says of a few places (Dortmund conceptually advanced, Oer-Erkenschwick small,
Hagen's information app, Essen's "Zusammenleben in Vielfalt" and complaint app), not a survey
of real services. Every table, file and page that shows it says so."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from layers import regions, vocab

DIMENSIONS = ("migration", "arrival", "participation", "integration")  # Tabelle 5.1
# The life areas a service can address: the answers of Abbildung 5.1 but "in keinen".
LIFE_AREAS = tuple(n for n in vocab.SUPPORT_NEEDS if n != "none")
ALL = "all"  # in migration_types: the four types
COLUMNS = ("municipality_ags", "dimension", "service", "migration_types", "life_areas",
           "languages", "since", "source")  # fmt: skip
LIST_COLUMNS = ("migration_types", "life_areas", "languages")  # codes joined by ';'
SERVICES_FILE = "services.csv"
DEMO_FILE = (
    Path(__file__).resolve().parent.parent / "data" / "reference" / ("kosmati_services_demo.csv")
)
DEMO_SOURCE = (
    "Illustrative demonstration inventory (data/reference/kosmati_services_demo.csv): made up "
    "after what the ZuSudo report, chapter 5, says of Dortmund, Oer-Erkenschwick, Hagen and "
    "Essen; not a survey of real services"
)
# Needs against offers: what each cell of a life area × migration type says.
GAP, OFFERED, NOT_NAMED, WITHHELD, NO_RESPONDENTS = (
    "gap", "offered", "not_named", "withheld", "no_respondents",
)  # fmt: skip


@dataclass(frozen=True, eq=False)
class Inventory:
    """Services, one row each (the columns of :data:`COLUMNS`; lists as tuples of codes)."""

    table: pd.DataFrame
    illustrative: bool
    source: str  # where the inventory comes from, one line


def split(value: str) -> tuple[str, ...]:
    """'a;b' → ('a', 'b'); '' → ()."""
    return tuple(c.strip() for c in str(value).split(";") if c.strip())


def types_of(value: str) -> tuple[str, ...]:
    codes = split(value)
    return vocab.MIGRATION_TYPES if codes == (ALL,) else codes


def from_frame(frame: pd.DataFrame, illustrative: bool, source: str) -> Inventory:
    """An inventory from text cells (a validated import or the demo file)."""
    missing = [c for c in COLUMNS if c not in frame.columns]
    if missing:
        raise ValueError(f"missing column(s) {', '.join(missing)}")
    table = frame[list(COLUMNS)].copy()
    table["migration_types"] = table["migration_types"].map(types_of)
    for column in ("life_areas", "languages"):
        table[column] = table[column].map(split)
    table["since"] = pd.to_numeric(table["since"], errors="coerce").astype("Int64")
    return Inventory(table.reset_index(drop=True), illustrative, source)


def read_inventory(folder: Path | None) -> Inventory:
    """The dataset folder's imported ``services.csv``, else the illustrative demo."""
    path = Path(folder) / SERVICES_FILE if folder is not None else None
    if path is not None and path.is_file():
        frame = pd.read_csv(path, dtype=str, keep_default_na=False)
        imported = frame.get("imported_from", pd.Series(dtype=str))
        files = ", ".join(sorted(set(imported) - {""})) or SERVICES_FILE
        return from_frame(frame, False, f"Imported inventory ({files})")
    frame = pd.read_csv(DEMO_FILE, dtype=str, keep_default_na=False)
    return from_frame(frame, True, DEMO_SOURCE)


def coverage(inventory: Inventory) -> pd.DataFrame:
    """Per municipality (all 53, in the order of layers.regions): services per dimension,
    ``services`` in all, ``dimensions_covered`` (0–4: dimensions with at least one)."""
    codes = [m.ags for m in regions.MUNICIPALITIES]
    counts = (
        pd.crosstab(inventory.table["municipality_ags"], inventory.table["dimension"])
        .reindex(index=codes, columns=list(DIMENSIONS), fill_value=0)
        .astype(int)
    )
    counts.index.name = "ags"
    counts.insert(0, "name", [m.name for m in regions.MUNICIPALITIES])
    counts["services"] = counts[list(DIMENSIONS)].sum(axis=1)
    counts["dimensions_covered"] = (counts[list(DIMENSIONS)] > 0).sum(axis=1)
    return counts


def offers(inventory: Inventory, ags: str) -> pd.DataFrame:
    """The services of one municipality addressing each life area × migration type: one
    row per area and type, ``services`` (count) and ``service_names`` (tuple)."""
    mine = inventory.table[inventory.table["municipality_ags"] == ags]
    rows = []
    for area in LIFE_AREAS:
        for mtype in vocab.MIGRATION_TYPES:
            pairs = zip(mine["life_areas"], mine["migration_types"], strict=True)
            # a mask, not a list: an empty list (no services here) would select columns
            mask = np.array([area in a and mtype in t for a, t in pairs], dtype=bool)
            hits = mine[mask]
            rows.append({"life_area": area, "migration_type": mtype, "services": len(hits),
                         "service_names": tuple(hits["service"])})  # fmt: skip
    return pd.DataFrame(rows)


def status(share: float, respondents: float, services: int) -> str:
    """One cell of needs against offers. A withheld share stays withheld: its status says
    nothing about whether anyone named the area."""
    if np.isnan(respondents) or (respondents > 0 and np.isnan(share)):
        return WITHHELD
    if respondents == 0:
        return NO_RESPONDENTS
    if share == 0:
        return NOT_NAMED
    return GAP if services == 0 else OFFERED


def needs_against_offers(needs: pd.DataFrame, inventory: Inventory, ags: str) -> pd.DataFrame:
    """``needs``: the published shares (per cent) naming each life area, one row per
    migration type, with ``respondents`` (as ``indicators.support_needs_by_type`` gives
    them; NaN where withheld). One row per life area × type of ``needs``: ``share``,
    ``respondents``, ``services``, ``service_names`` and ``status`` (gap: named by
    respondents, no service for that area and type; offered; not_named; withheld;
    no_respondents)."""
    table = offers(inventory, ags)
    table = table[table["migration_type"].isin(needs.index)].reset_index(drop=True)
    shares, bases = [], []
    for area, mtype in zip(table["life_area"], table["migration_type"], strict=True):
        shares.append(float(needs.at[mtype, area]))
        bases.append(float(needs.at[mtype, "respondents"]))
    table.insert(2, "share", shares)
    table.insert(3, "respondents", bases)
    cells = zip(table["share"], table["respondents"], table["services"], strict=True)
    table["status"] = [status(s, n, k) for s, n, k in cells]
    return table


def gaps(table: pd.DataFrame) -> pd.DataFrame:
    """The rows of :func:`needs_against_offers` marked as a gap."""
    return table[table["status"] == GAP].reset_index(drop=True)
