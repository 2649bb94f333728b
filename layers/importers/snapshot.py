"""The dataset folder an import starts from and the tables it hands to the commit."""

from __future__ import annotations

import copy
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

import pandas as pd

from layers import store
from layers.disclosure import DEFAULT_POLICY, Policy
from layers.importers.errors import fail
from layers.progress import QUIET, Progress

if TYPE_CHECKING:
    from layers.importers.common import Source

TRUE, FALSE = "True", "False"  # how pandas writes booleans; layers.dataset reads both cases


class DatasetFolder:
    """The snapshot an import starts from (there must be one: build the demo data first)."""

    def __init__(
        self,
        path: Path | None,
        root: Path,
        policy: Policy = DEFAULT_POLICY,
        progress: Progress = QUIET,
    ):
        if path is None:
            fail(
                str(root),
                "no dataset here; imports update an existing dataset: build it first "
                "with `python -m layers build` (or `make data`)",
            )
        self.path = Path(path)
        self.policy = policy  # protects the survey publication an import rebuilds
        self.progress = progress  # of reading rows and rebuilding the publication
        manifest_path = self.path / "manifest.json"
        try:
            self.manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            fail(str(manifest_path), f"cannot be read as JSON ({exc})")
        if not isinstance(self.manifest.get("tables", {}), dict):
            fail(str(manifest_path), "'tables' must be an object")

    def dataset_files(self) -> Iterator[Path]:
        """The files of the dataset (in a plain folder: not the snapshots beside them)."""
        for entry in self.path.iterdir():
            if entry.name not in store.RESERVED and not entry.name.startswith("."):
                yield entry

    def read_frame(self, file: str, required: bool = True) -> pd.DataFrame | None:
        """A table with every cell as text, so rows an import keeps are written back verbatim."""
        path = self.path / file
        if not path.exists():
            if required:
                fail(str(path), "file not found; rebuild the dataset with `python -m layers build`")
            return None
        try:
            return pd.read_csv(path, dtype=str, keep_default_na=False)
        except (ValueError, pd.errors.ParserError) as exc:
            fail(str(path), f"cannot be read as CSV ({exc})")

    def table_entry(self, table: str) -> dict:
        return copy.deepcopy(self.manifest.get("tables", {}).get(table, {}))


@dataclass
class TableUpdate:
    """A table to write: the whole new content and what the manifest should say about it."""

    table: str
    frame: pd.DataFrame
    synthetic: bool
    rows_by_source: dict[Source, int]
    note: str
    extra: dict = field(default_factory=dict)  # further manifest fields for this table


def csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def now_utc() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds").replace("+00:00", "Z")
