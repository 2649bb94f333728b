"""Load a dataset folder (the demo data or imported data) into memory, once per process."""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from layers import boundaries, kosmati, provenance, publication, regions, store, vocab
from layers.disclosure import DEFAULT_POLICY, Policy

FLOW_COLUMNS = ("year", "origin_nuts3", "destination_ags", "migration_type", "direction", "persons")


class DataError(Exception):
    """A dataset file is missing or malformed; the message says where and how to fix it."""


@dataclass(frozen=True, eq=False)
class Dataset:
    """Immutable in-memory tables. ``flows`` is a dense array for fast filtering:
    persons indexed [year, origin region, municipality, migration type, direction]."""

    flows: np.ndarray
    flows_synthetic: bool
    municipalities: pd.DataFrame  # index ags, in regions.MUNICIPALITIES order
    origin_regions: pd.DataFrame  # index nuts3, in regions.ORIGIN_REGIONS order
    respondents: pd.DataFrame
    country_indicators: pd.DataFrame
    manifest: dict
    publication: publication.Publication  # the only source of survey numbers
    area_points: pd.DataFrame  # lon, lat of a point inside each area, indexed by code
    # Imported register stocks (GENESIS 12521, layers/stocks.py); None without an import.
    foreign_nationals: pd.DataFrame | None = None
    # KOSMATI services (layers/kosmati.py): imported, or the illustrative demo inventory.
    services: kosmati.Inventory | None = None

    @property
    def synthetic(self) -> bool:
        """Any part still modelled (layers/provenance.py names which)."""
        return bool(provenance.synthetic_parts(self.manifest))


def fingerprint(ds: Dataset) -> str:
    """A digest of the data that results are computed from: equal data, equal digest.
    Caches key on it, so results of an older import are never served."""
    digest = hashlib.sha256(np.ascontiguousarray(ds.flows).tobytes())
    for published in (ds.publication.municipal, ds.publication.regional):  # its method too
        digest.update(np.ascontiguousarray(published).tobytes())
    frames = (ds.respondents, ds.country_indicators, ds.municipalities, ds.origin_regions)
    if ds.foreign_nationals is not None:
        frames += (ds.foreign_nationals,)
    if ds.services is not None:
        frames += (ds.services.table.astype(str),)
    for frame in frames:
        digest.update(pd.util.hash_pandas_object(frame, index=True).to_numpy().tobytes())
    return digest.hexdigest()


def _read_csv(path: Path, **kwargs) -> pd.DataFrame:
    if not path.exists():
        raise DataError(
            f"{path}: file not found. Build the demonstration data with "
            "`python -m layers build` (or `make data`), or point "
            "RUHR_DATA_DIR at a dataset folder."
        )
    try:
        return pd.read_csv(path, keep_default_na=False, **kwargs)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{path}: cannot be read as CSV ({exc}).") from exc


def _index_of(values: pd.Series, allowed: tuple, path: Path, column: str) -> np.ndarray:
    """Map codes to array positions; name the first bad line (header is line 1)."""
    lookup = {code: i for i, code in enumerate(allowed)}
    positions = values.map(lookup)
    bad = positions.isna()
    if bad.any():
        row = int(np.argmax(bad.to_numpy()))
        raise DataError(
            f"{path}, line {row + 2}, column '{column}': unknown value {values.iloc[row]!r}; "
            f"expected one of {', '.join(map(str, allowed[:8]))}"
            f"{', …' if len(allowed) > 8 else ''}."
        )
    return positions.to_numpy(dtype=np.int64)


def flows_to_array(flows: pd.DataFrame, path: Path) -> np.ndarray:
    missing = [c for c in FLOW_COLUMNS if c not in flows.columns]
    if missing:
        raise DataError(f"{path}: missing column(s) {', '.join(missing)}.")
    axes = (
        (flows["year"].astype(int), vocab.YEARS, "year"),
        (flows["origin_nuts3"], tuple(r.nuts3 for r in regions.ORIGIN_REGIONS), "origin_nuts3"),
        (flows["destination_ags"], tuple(m.ags for m in regions.MUNICIPALITIES), "destination_ags"),
        (flows["migration_type"], vocab.MIGRATION_TYPES, "migration_type"),
        (flows["direction"], vocab.DIRECTIONS, "direction"),
    )
    index = tuple(_index_of(values, allowed, path, column) for values, allowed, column in axes)
    persons = pd.to_numeric(flows["persons"], errors="coerce")
    if persons.isna().any() or (persons < 0).any():
        row = int(np.argmax((persons.isna() | (persons < 0)).to_numpy()))
        raise DataError(
            f"{path}, line {row + 2}, column 'persons': expected a whole number >= 0, "
            f"got {flows['persons'].iloc[row]!r}."
        )
    array = np.zeros(tuple(len(a[1]) for a in axes), dtype=np.int64)
    np.add.at(array, index, persons.to_numpy(dtype=np.int64))
    return array


def area_points() -> pd.DataFrame:
    """A point inside every municipality and origin region (for flow lines)."""
    frames = []
    for gdf, key in ((boundaries.load_municipalities(), "ags"),
                     (boundaries.load_origin_regions(), "nuts3")):  # fmt: skip
        points = gdf.set_index(key).geometry.representative_point()
        frames.append(pd.DataFrame({"lon": points.x, "lat": points.y}))
    return pd.concat(frames)


def _publication(data_dir: Path, manifest: dict, respondents: pd.DataFrame, policy: Policy):
    try:
        return publication.load_or_build(data_dir, manifest, respondents, policy)
    except (KeyError, ValueError) as exc:
        raise DataError(f"{data_dir / publication.PUBLICATION_FILE}: {exc}") from exc


STOCKS_FILE = "foreign_nationals.csv"  # written by a GENESIS 12521 import


def read_stocks(folder: Path) -> pd.DataFrame | None:
    """The imported register stocks (layers/stocks.py), None without an import: ``persons``
    as a number, NaN where the table gave a marker for a missing value (kept in ``marker``)."""
    path = Path(folder) / STOCKS_FILE
    if not path.is_file():
        return None
    table = pd.read_csv(path, dtype=str, keep_default_na=False)
    table["persons"] = pd.to_numeric(table["persons"].replace("", np.nan), errors="coerce")
    return table


def snapshot_dir(data_dir: Path) -> Path:
    """The folder holding the current data (see layers/store.py)."""
    root = Path(data_dir)
    try:
        folder = store.current(root)
    except store.StoreError as exc:
        raise DataError(str(exc)) from exc
    if folder is None:
        raise DataError(
            f"{root}: no dataset here. Build the demonstration data with "
            "`python -m layers build` (or `make data`)."
        )
    return folder


def load_dataset(data_dir: Path, policy: Policy = DEFAULT_POLICY) -> Dataset:
    """Load the current snapshot of ``data_dir`` (its files are read from one snapshot only,
    however many imports happen meanwhile); survey numbers are protected by ``policy``."""
    data_dir = snapshot_dir(data_dir)
    manifest_path = data_dir / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    manifest["loaded_from"] = str(data_dir.resolve())  # lets other servers (OGC) reload it
    flows_path = data_dir / "flows.csv"
    flows = _read_csv(flows_path, dtype={"destination_ags": str})
    municipalities = _read_csv(data_dir / "municipalities.csv", dtype={"ags": str})
    origins = _read_csv(data_dir / "origin_regions.csv")
    respondents = _read_csv(data_dir / "respondents.csv", dtype={"municipality_ags": str})
    indicators = _read_csv(data_dir / "country_indicators.csv")
    for frame in (flows, respondents):
        frame["synthetic"] = frame["synthetic"].astype(str).str.lower().eq("true")
    return Dataset(
        flows=flows_to_array(flows, flows_path),
        flows_synthetic=bool(flows["synthetic"].any()),
        municipalities=municipalities.set_index("ags").loc[[m.ags for m in regions.MUNICIPALITIES]],
        origin_regions=origins.set_index("nuts3").loc[[r.nuts3 for r in regions.ORIGIN_REGIONS]],
        respondents=respondents,
        country_indicators=indicators,
        manifest=manifest,
        publication=_publication(data_dir, manifest, respondents, policy),
        area_points=area_points(),
        foreign_nationals=read_stocks(data_dir),
        services=_services(data_dir),
    )


def _services(data_dir: Path) -> kosmati.Inventory:
    try:
        return kosmati.read_inventory(data_dir)
    except (ValueError, pd.errors.ParserError) as exc:
        raise DataError(f"{data_dir / kosmati.SERVICES_FILE}: {exc}") from exc


@dataclass(frozen=True)
class DataStatus:
    """What the pages must say about the data: synthetic, partly or wholly imported."""

    flows: str  # "synthetic" | "partly imported" | "imported"
    survey: str
    sources: tuple[str, ...]  # imported files, "kind: file"

    @property
    def any_synthetic(self) -> bool:
        return self.flows != "imported" or self.survey != "imported"


def data_status(ds: Dataset) -> DataStatus:
    tables = ds.manifest.get("tables", {})
    parts = provenance.parts(ds.manifest)
    sources = tuple(
        f"{item['kind']}: {item['file']}"
        for entry in tables.values()
        for item in entry.get("imports", [])
    )
    return DataStatus(parts["flows"].status, parts["survey"].status, sources)
