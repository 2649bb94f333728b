"""The dataset folder as numbered snapshots, switched by one atomic rename, one writer at a time.

Layout of a dataset folder (``RUHR_DATA_DIR``)::

    CURRENT            the name of the snapshot readers use (one line)
    versions/0001/     a complete dataset: manifest.json and its CSV files (QGIS opens them)
    versions/0002/     ...
    .lock              held (``fcntl.flock``) by the one build or import that may write
    .staging-*         a snapshot being written; removed by the next writer

Why snapshots and not SQLite/GeoPackage: the tables are CSV files that researchers read
directly and importers rewrite whole; a snapshot is written beside the current one, fsynced,
and made current by replacing ``CURRENT`` (``os.replace`` is atomic), so a kill at any instant
leaves the old or the new snapshot current, never none, and the previous ones stay for
``python -m layers rollback``. A folder that has ``manifest.json`` at its top and no
``CURRENT`` (made by hand or by an older version) is read as it is and never overwritten.
"""

from __future__ import annotations

import fcntl
import os
import re
import shutil
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from layers import atomic

CURRENT = "CURRENT"
VERSIONS = "versions"
LOCK = ".lock"
STAGING_PREFIX = ".staging-"
RESERVED = frozenset({CURRENT, VERSIONS, LOCK})  # not part of any dataset
KEEP = 5  # snapshots kept for rollback (the current one among them)
_NAME = re.compile(r"^\d{4,}$")


class StoreError(Exception):
    """The dataset folder is not usable as it is; the message says how to repair it."""


def _names(root: Path) -> list[str]:
    folder = root / VERSIONS
    if not folder.is_dir():
        return []
    return sorted((p.name for p in folder.iterdir() if _NAME.match(p.name)), key=int)


def _current_name(root: Path) -> str | None:
    try:
        name = (root / CURRENT).read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        return None
    if not _NAME.match(name) or not (root / VERSIONS / name / "manifest.json").is_file():
        raise StoreError(
            f"{root / CURRENT} names {name[:20]!r}, which is not a complete snapshot in "
            f"{root / VERSIONS}; choose one with `python -m layers rollback --to NAME`."
        )
    return name


def current(root: Path) -> Path | None:
    """The folder readers should load: the current snapshot, a plain dataset folder, or None."""
    root = Path(root)
    name = _current_name(root)
    if name is not None:
        return root / VERSIONS / name
    if (root / "manifest.json").is_file():
        return root
    return None


def is_empty(root: Path) -> bool:
    """Nothing a build may not replace: no snapshot (not even a damaged one), no plain dataset."""
    root = Path(root)
    markers = (root / CURRENT, root / "manifest.json")
    return not any(m.exists() for m in markers) and not _names(root)


def history(root: Path) -> list[tuple[str, bool]]:
    """(snapshot name, is current), oldest first."""
    root = Path(root)
    name = _current_name(root)
    return [(n, n == name) for n in _names(root)]


@dataclass(frozen=True)
class Writer:
    """What a build or import sees while it holds the lock."""

    root: Path

    @property
    def base(self) -> Path | None:
        """The snapshot to start from (None: the folder is empty)."""
        return current(self.root)

    def commit(self, fill: Callable[[Path], None]) -> Path:
        """Let ``fill`` write a complete dataset into a fresh folder, then make it current."""
        staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.root))
        try:
            fill(staging)
            os.chmod(staging, 0o755)  # mkdtemp makes 0700; the data are meant to be read
            _fsync_tree(staging)
            versions = self.root / VERSIONS
            versions.mkdir(exist_ok=True)
            names = _names(self.root)
            name = f"{int(names[-1]) + 1 if names else 1:04d}"
            os.rename(staging, versions / name)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        _fsync_dir(versions)
        _switch(self.root, name)
        _prune(self.root, name)
        return versions / name


def _switch(root: Path, name: str) -> None:
    atomic.write_text(root / CURRENT, name + "\n")
    _fsync_dir(root)


def _prune(root: Path, current_name: str) -> None:
    names = [n for n in _names(root) if n != current_name]
    for old in names[: max(0, len(names) - (KEEP - 1))]:
        shutil.rmtree(root / VERSIONS / old, ignore_errors=True)


def _fsync_dir(folder: Path) -> None:
    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_tree(folder: Path) -> None:
    for path in folder.rglob("*"):
        if path.is_file() and not path.is_symlink():
            fd = os.open(path, os.O_RDONLY)
            try:
                os.fsync(fd)
            finally:
                os.close(fd)
    _fsync_dir(folder)


def _remove_leftovers(root: Path) -> None:
    """Staging folders of killed runs (only a lock holder writes them, and we hold it)."""
    for path in root.glob(STAGING_PREFIX + "*"):
        shutil.rmtree(path, ignore_errors=True)
    for path in root.glob(f".{CURRENT}.*.tmp"):
        path.unlink(missing_ok=True)


@contextmanager
def writer(root: Path, on_wait: Callable[[str], None] | None = None) -> Iterator[Writer]:
    """Hold the folder's lock (waiting for another build or import to finish) and yield a
    :class:`Writer`. The lock is released when the process ends, however it ends."""
    root = Path(root)
    root.mkdir(parents=True, exist_ok=True)
    with open(root / LOCK, "a+") as lock:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait(f"another import or build is running in {root}; waiting for it")
            fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            _remove_leftovers(root)
            yield Writer(root)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def rollback(root: Path, to: str | None = None) -> str:
    """Make ``to`` (default: the snapshot before the current one) current; return its name."""
    with writer(root) as w:
        names = _names(w.root)
        now = _current_name(w.root)
        if to is None:
            older = [n for n in names if now is None or int(n) < int(now)]
            if not older:
                raise StoreError(f"{w.root}: no earlier snapshot to roll back to.")
            to = older[-1]
        if to not in names:
            raise StoreError(f"{w.root}: no snapshot {to[:20]!r}; there are {', '.join(names)}.")
        _switch(w.root, to)
        return to
