"""Shared machinery of the importers: input files, one-line errors, reports, the atomic commit.

An import never edits a dataset in place. While it holds the folder's lock
(:func:`layers.store.writer`), every importer validates its input files completely, computes
the new tables in memory from the current snapshot and hands them to :func:`commit`, which
writes a complete new snapshot (untouched files copied, changed tables and the manifest written
anew), checks that :func:`layers.dataset.load_dataset` accepts it and only then makes it
current. A failed or killed import leaves the current snapshot as it was.
"""

from __future__ import annotations

import copy
import csv
import hashlib
import io
import json
import re
import shutil
import zipfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path
from typing import NoReturn

import pandas as pd

from layers import store
from layers.dataset import DataError, load_dataset

TRUE, FALSE = "True", "False"  # how pandas writes booleans; layers.dataset reads both cases


class ImportDataError(DataError):
    """An input file is malformed or does not fit the dataset; the message is one line that
    names the file, the line and the column where possible, and what was expected."""


def show(value: str, limit: int = 40) -> str:
    """A value quoted for an error message, shortened, on one line."""
    text = value if len(value) <= limit else value[:limit] + "…"
    return repr(text)


def fail(where: str, message: str, line: int | None = None, column: str | None = None) -> NoReturn:
    parts = [where]
    if line is not None:
        parts.append(f"line {line}")
    if column is not None:
        parts.append(f"column {column!r}")
    raise ImportDataError(f"{', '.join(parts)}: {message}")


@dataclass(frozen=True, eq=False)
class Source:
    """One input file as given on the command line (read once, hashed for the manifest)."""

    path: Path
    data: bytes

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        return str(self.path)

    @cached_property
    def sha256(self) -> str:
        return hashlib.sha256(self.data).hexdigest()


def read_source(path: Path) -> Source:
    path = Path(path)
    try:
        return Source(path, path.read_bytes())
    except OSError as exc:
        fail(str(path), f"cannot be read ({exc.strerror or exc})")


@dataclass(frozen=True)
class Member:
    """The text to parse: the file itself or the one matching member of a ZIP archive."""

    label: str  # for messages: "x.csv" or "x.zip:inner.csv"
    name: str  # file name of the CSV (inside the archive, if any)
    data: bytes


def unpack(source: Source, pattern: str, what: str) -> Member:
    """The file itself, or the single member of a ZIP archive whose name matches ``pattern``."""
    if not source.data.startswith(b"PK\x03\x04"):
        return Member(source.label, source.name, source.data)
    try:
        with zipfile.ZipFile(io.BytesIO(source.data)) as archive:
            names = [n for n in archive.namelist() if not n.endswith("/")]
            matches = [n for n in names if re.search(pattern, Path(n).name, re.IGNORECASE)]
            if len(matches) != 1:
                found = ", ".join(names) or "nothing"
                fail(source.label, f"expected exactly one {what} inside the ZIP archive, "
                                   f"found {found}")  # fmt: skip
            return Member(
                f"{source.label}:{matches[0]}", Path(matches[0]).name, archive.read(matches[0])
            )
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError) as exc:
        fail(source.label, f"not a readable ZIP archive ({exc})")


def decode_utf8(data: bytes, label: str, hint: str = "") -> str:
    """UTF-8 text with or without a byte-order mark; name the line of the first bad byte."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        fail(label, f"not UTF-8 text (byte 0x{data[exc.start]:02x}){hint}", line=line)


def csv_records(text: str, label: str, delimiter: str) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, fields) for every non-blank record."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    last = 0
    while True:
        start = last + 1
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:
            fail(label, f"not valid CSV ({exc})", line=start)
        last = reader.line_num
        if any(f.strip() for f in fields):
            yield start, fields


@dataclass
class TidyTable:
    """A comma-separated file with a header: the columns and (line, {column: value}) rows."""

    label: str
    columns: list[str]
    rows: list[tuple[int, dict[str, str]]]


def read_tidy(
    source: Source, required: tuple[str, ...], optional: tuple[str, ...] = (), hint: str = ""
) -> TidyTable:
    """Read a documented tidy CSV: UTF-8 (BOM allowed), comma-separated (a semicolon is
    accepted when the header has no comma), a header naming exactly the schema's columns in
    any order. Values are stripped of surrounding blanks."""
    label = source.label
    text = decode_utf8(source.data, label, "; save the file as UTF-8")
    first = text.split("\n", 1)[0]
    delimiter = ";" if ";" in first and "," not in first else ","
    records = csv_records(text, label, delimiter)
    try:
        line, header = next(records)
    except StopIteration:
        fail(label, f"the file is empty; expected a header line with the columns "
                    f"{', '.join(required)}{hint}")  # fmt: skip
    columns = [h.strip() for h in header]
    allowed = (*required, *optional)
    for i, name in enumerate(columns):
        if name in columns[:i]:
            fail(label, f"column {name!r} appears twice", line=line)
        if name not in allowed:
            fail(label, f"unknown column {name!r}; the schema has {', '.join(allowed)}{hint}",
                 line=line)  # fmt: skip
    missing = [c for c in required if c not in columns]
    if missing:
        fail(label, f"missing column(s) {', '.join(missing)}; the schema has "
                    f"{', '.join(allowed)}{hint}", line=line)  # fmt: skip
    rows = []
    for line, fields in records:
        if len(fields) != len(columns):
            fail(label, f"expected {len(columns)} fields as in the header, got {len(fields)}",
                 line=line)  # fmt: skip
        rows.append((line, {c: v.strip() for c, v in zip(columns, fields, strict=True)}))
    if not rows:
        fail(label, "no data rows below the header")
    return TidyTable(label, columns, rows)


@dataclass
class FileReport:
    label: str
    sha256: str
    rows_read: int = 0
    imported: int = 0
    unit: str = "rows"  # what ``imported`` counts
    skipped: Counter = field(default_factory=Counter)  # reason -> rows
    markers: Counter = field(default_factory=Counter)  # marker -> imported values
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    data_dir: Path
    files: list[FileReport] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_file(self, source: Source, label: str | None = None) -> FileReport:
        report = FileReport(label or source.label, source.sha256)
        self.files.append(report)
        return report

    def format(self, marker_names: dict[str, str] | None = None) -> str:
        lines = [f"imported {self.kind} into {self.data_dir} ({len(self.files)} file(s))"]
        for f in self.files:
            text = f"  {f.label} (sha256 {f.sha256[:12]}…): {f.rows_read} rows read, "
            text += f"{f.imported} {'' if f.unit == 'rows' else f.unit + ' '}imported"
            if f.skipped:
                text += "; skipped: " + ", ".join(f"{n} {why}" for why, n in f.skipped.items())
            if f.markers:
                names = marker_names or {}
                text += "; markers: " + ", ".join(
                    f"{m!r} {names.get(m, '')} {n}".replace("  ", " ")
                    for m, n in sorted(f.markers.items())
                )
            lines.append(text)
            lines.extend(f"    {note}" for note in f.notes)
        lines.extend(f"  {t}" for t in self.tables)
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)


class DatasetFolder:
    """The snapshot an import starts from (there must be one: build the demo data first)."""

    def __init__(self, path: Path | None, root: Path):
        if path is None:
            fail(
                str(root),
                "no dataset here; imports update an existing dataset: build it first "
                "with `python -m layers build` (or `make data`)",
            )
        self.path = Path(path)
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


def commit(
    folder: DatasetFolder, kind: str, updates: list[TableUpdate], writer: store.Writer
) -> dict:
    """Write the updated tables and manifest as a new snapshot and make it current; return
    the manifest. Nothing a reader sees changes unless every step succeeds."""
    manifest = copy.deepcopy(folder.manifest)
    tables = manifest.setdefault("tables", {})
    payloads: dict[str, bytes] = {}
    time = now_utc()
    for update in updates:
        payload = csv_bytes(update.frame)
        entry = tables.get(update.table, {})
        entry.update(
            {
                "file": f"{update.table}.csv",
                "rows": len(update.frame),
                "synthetic": bool(update.synthetic),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "note": update.note,
                **update.extra,
            }
        )
        entry.setdefault("imports", []).extend(
            {"kind": kind, "file": s.name, "sha256": s.sha256, "rows": rows, "time": time}
            for s, rows in update.rows_by_source.items()
        )
        tables[update.table] = entry
        payloads[entry["file"]] = payload
    manifest["synthetic_tables"] = sorted(n for n, t in tables.items() if t.get("synthetic"))
    manifest_bytes = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode("utf-8")

    def fill(staging: Path) -> None:
        for entry in folder.dataset_files():
            if entry.name in payloads or entry.name == "manifest.json":
                continue
            if entry.is_dir() and not entry.is_symlink():
                shutil.copytree(entry, staging / entry.name, symlinks=True)
            else:
                shutil.copy2(entry, staging / entry.name, follow_symlinks=False)
        for name, payload in payloads.items():
            (staging / name).write_bytes(payload)
        (staging / "manifest.json").write_bytes(manifest_bytes)
        try:  # the app must still load the result; otherwise keep the old snapshot
            load_dataset(staging)
        except DataError as exc:
            raise ImportDataError(
                f"the imported data would not load, nothing changed: {exc}"
            ) from exc

    try:
        writer.commit(fill)
    except OSError as exc:
        fail(str(writer.root), f"cannot write the dataset folder, nothing changed ({exc})")
    return manifest
