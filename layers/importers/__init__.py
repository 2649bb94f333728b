"""Import real data into a dataset folder: ``python -m layers import <kind> FILE…``.

Kinds (schemas, replace rules and marker handling: data/README.md, "Importing real data"):

* ``genesis`` — GENESIS-Online / Regionaldatenbank flat files (population 12411, foreign
  nationals 12521) → ``official_population.csv``, ``foreign_nationals.csv``;
* ``worldbank`` — World Bank API CSV → ``country_indicators.csv``;
* ``flows`` — tidy flows CSV → ``flows.csv`` (replaces the rows of the covered
  (year, municipality) pairs; imported rows have ``synthetic=False``);
* ``survey`` — tidy respondent microdata → ``respondents.csv`` (replaced entirely);
* ``services`` — KOSMATI services inventory → ``services.csv`` (replaced entirely; until
  then the illustrative demo inventory is shown, layers/kosmati.py).

All files of one command are validated first; the result is then written as a new snapshot
of the folder (:mod:`layers.store`), so a failed or killed import changes nothing.
``manifest.json`` records per table the ``synthetic`` flag and an ``imports`` list (kind, file,
sha256, rows, time); ``synthetic_tables`` follows the flags.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from layers import store
from layers.disclosure import DEFAULT_POLICY, Policy
from layers.importers import flows, genesis, services, survey, worldbank
from layers.importers.common import commit, read_source
from layers.importers.errors import ImportDataError
from layers.importers.genesis_flatfile import MARKERS
from layers.importers.report import ImportReport
from layers.importers.snapshot import DatasetFolder
from layers.progress import QUIET, Progress

__all__ = ["KINDS", "ImportDataError", "ImportReport", "format_report", "run_import"]

KINDS = {
    "genesis": genesis.prepare,
    "worldbank": worldbank.prepare,
    "flows": flows.prepare,
    "survey": survey.prepare,
    "services": services.prepare,
}


def run_import(
    kind: str,
    files: Sequence[Path],
    data_dir: Path,
    on_wait: Callable[[str], None] | None = None,
    policy: Policy = DEFAULT_POLICY,
    progress: Progress = QUIET,
) -> ImportReport:
    """Validate ``files``, add a snapshot to the dataset folder and return the report.
    Imports into one folder run one after the other (``on_wait`` hears when one waits).
    Raises :class:`ImportDataError` (a :class:`layers.dataset.DataError`) with a one-line
    message; the current snapshot is then unchanged."""
    if kind not in KINDS:
        raise ValueError(f"unknown import kind {kind!r}; expected one of {', '.join(KINDS)}")
    if not files:
        raise ValueError("no input files")
    root = Path(data_dir)
    if not root.is_dir():  # an import never creates a dataset folder
        DatasetFolder(None, root)
    sources = [read_source(Path(f)) for f in files]
    report = ImportReport(kind, root)
    try:
        with store.writer(root, on_wait) as writer:
            folder = DatasetFolder(writer.base, root, policy, progress)
            updates = KINDS[kind](sources, folder, report)
            with progress.stage("writing the snapshot and checking that it loads"):
                commit(folder, kind, updates, writer)
    except store.StoreError as exc:
        raise ImportDataError(str(exc)) from exc
    report.tables.append("manifest.json: tables, synthetic flags and imports updated")
    return report


def format_report(report: ImportReport) -> str:
    return report.format(MARKERS if report.kind == "genesis" else None)
