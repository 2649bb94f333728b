"""What every importer shares at its two ends: reading the input files it is given, and
committing the result as a new snapshot.

Input files are read safely: regular files only (no symbolic link), hashed once for the
manifest, ZIP members checked from the central directory before anything is decompressed,
lines streamed as UTF-8 text within the limits below (``data/README.md``, "Limits").

An import never edits a dataset in place. While it holds the folder's lock
(:func:`layers.store.writer`), every importer validates its input files completely, computes
the new tables in memory from the current snapshot and hands them to :func:`commit`, which
writes a complete new snapshot (untouched files copied, changed tables and the manifest written
anew), checks that :func:`layers.dataset.load_dataset` accepts it and only then makes it
current. A failed or killed import leaves the current snapshot as it was.
"""

from __future__ import annotations

import copy
import errno
import hashlib
import json
import os
import re
import shutil
import stat
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, NoReturn

from layers import store
from layers.dataset import DataError, load_dataset
from layers.importers.errors import ImportDataError, fail, show
from layers.importers.snapshot import DatasetFolder, TableUpdate, csv_bytes, now_utc

# Limits on what an import reads (data/README.md, "Importing real data", "Limits"). They are
# checked from the ZIP's central directory before anything is decompressed, and again while
# reading, because the sizes an archive declares can lie.
MAX_TEXT_BYTES = 512 * 2**20  # a CSV file, plain or unpacked from a ZIP archive
MAX_ZIP_RATIO = 100  # uncompressed / compressed size of a ZIP member; the fixtures: 2–7
RATIO_FROM_BYTES = 2**20  # small members may compress better; they cannot be bombs
MAX_LINE_BYTES = 2**20  # one line of a CSV file
READ_BYTES = 2**20  # chunk size for hashing
SNIFF_BYTES = 8192  # the start of a file that tells binary data from text
ZIP_METHODS = {zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA}
METHOD_NAMES = {9: "Deflate64", 93: "Zstandard", 95: "xz", 98: "PPMd", 99: "AES-encrypted"}
# What zipfile and zlib raise on a damaged archive (ValueError: a negative seek when data is
# missing, EOFError: data ends early, NotImplementedError: an unsupported feature).
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, EOFError, ValueError,
              NotImplementedError, RuntimeError)  # fmt: skip
FILE_KINDS = {stat.S_ISDIR: "a directory", stat.S_ISFIFO: "a named pipe",
              stat.S_ISSOCK: "a socket", stat.S_ISCHR: "a character device",
              stat.S_ISBLK: "a block device"}  # fmt: skip


@dataclass(frozen=True, eq=False)
class Source:
    """One input file as given on the command line: a regular file (no symbolic link), hashed
    once for the manifest and read again as a stream when parsed (never whole in memory)."""

    path: Path
    sha256: str
    size: int
    identity: tuple[int, int]  # (device, inode): the file parsed is the file hashed

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def label(self) -> str:
        return str(self.path)

    def open(self) -> BinaryIO:
        stream, info = _open_regular(self.path)
        if (info.st_dev, info.st_ino) != self.identity or info.st_size != self.size:
            stream.close()
            fail(self.label, "changed while being imported; run the import again")
        return stream


def _open_regular(path: Path) -> tuple[BinaryIO, os.stat_result]:
    """Open a regular file for reading without following a symbolic link (no race: the checks
    are made on the open file)."""
    label = str(path)
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    try:
        if path.is_symlink():  # O_NOFOLLOW says so too, where it exists
            raise OSError(errno.ELOOP, "symbolic link")
        fd = os.open(path, flags)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            fail(label, "is a symbolic link; give the path of the file itself (links are "
                        "refused so that an import reads only the file it is given)")  # fmt: skip
        fail(label, f"cannot be read ({exc.strerror or exc})")
    info = os.fstat(fd)
    if not stat.S_ISREG(info.st_mode):
        os.close(fd)
        kind = next((k for test, k in FILE_KINDS.items() if test(info.st_mode)), "not a file")
        fail(label, f"is {kind}, not a regular file; give a CSV file or the ZIP as downloaded")
    return os.fdopen(fd, "rb"), info


def read_source(path: Path) -> Source:
    path = Path(path)
    stream, info = _open_regular(path)
    digest = hashlib.sha256()
    try:
        with stream:
            while chunk := stream.read(READ_BYTES):
                digest.update(chunk)
    except OSError as exc:
        fail(str(path), f"cannot be read ({exc.strerror or exc})")
    return Source(path, digest.hexdigest(), info.st_size, (info.st_dev, info.st_ino))


@dataclass(frozen=True)
class Member:
    """The text to parse: the file itself or the one matching member of a ZIP archive."""

    label: str  # for messages: "x.csv" or "x.zip:inner.csv"
    name: str  # file name of the CSV (inside the archive, if any)
    source: Source
    entry: zipfile.ZipInfo | None = None  # the member of the archive; None: the file itself


def _is_zip(source: Source) -> bool:
    with source.open() as stream:
        return stream.read(4) == b"PK\x03\x04"


def _shown_name(name: str) -> str:
    """A member name from an archive (anything its author chose) fit for a one-line message."""
    return name if name.isprintable() and len(name) <= 100 else show(name, 60)


def plain(source: Source) -> Member:
    """The file itself as the text to parse; ZIP archives are refused."""
    if _is_zip(source):
        fail(source.label, "is a ZIP archive (an Excel .xlsx file is one too); save the table "
                           "as CSV (UTF-8) or unpack the archive")  # fmt: skip
    _check_size(source.label, source.size, "the file")
    return Member(source.label, source.name, source)


def unpack(source: Source, pattern: str, what: str) -> Member:
    """The file itself, or the single member of a ZIP archive whose name matches ``pattern``,
    checked from the archive's central directory (nothing is decompressed here)."""
    if not _is_zip(source):
        return plain(source)
    try:
        with source.open() as stream, zipfile.ZipFile(stream) as archive:
            entries = [e for e in archive.infolist() if not e.is_dir()]
    except (*ZIP_ERRORS, OSError) as exc:  # OSError: a seek before the start of the file
        fail(source.label, f"not a readable ZIP archive ({exc}); download it again")
    matches = [e for e in entries if re.search(pattern, Path(e.filename).name, re.IGNORECASE)]
    if len(matches) != 1:
        names = [_shown_name(e.filename) for e in entries]
        found = ", ".join(names[:5]) + (f" and {len(names) - 5} more" if len(names) > 5 else "")
        fail(source.label, f"expected exactly one {what} inside the ZIP archive, found "
                           f"{found or 'nothing'}")  # fmt: skip
    entry = matches[0]
    label = f"{source.label}:{_shown_name(entry.filename)}"
    _check_entry(label, entry)
    return Member(label, Path(entry.filename).name, source, entry)


def _check_entry(label: str, entry: zipfile.ZipInfo) -> None:
    if entry.flag_bits & 0x1 or entry.compress_type == 99:
        fail(label, "the ZIP member is encrypted; unpack it with its password and import the "
                    "CSV file itself")  # fmt: skip
    if entry.compress_type not in ZIP_METHODS:
        method = METHOD_NAMES.get(entry.compress_type, f"method {entry.compress_type}")
        fail(label, f"the ZIP member is compressed with {method}, which cannot be read; "
                    "unpack it and import the CSV file, or zip it again with Deflate")  # fmt: skip
    _check_size(label, entry.file_size, "the ZIP member")
    ratio = entry.file_size / max(entry.compress_size, 1)
    if entry.file_size > RATIO_FROM_BYTES and ratio > MAX_ZIP_RATIO:
        fail(label, f"the ZIP member would expand {ratio:,.0f} times (more than "
                    f"{MAX_ZIP_RATIO} times is refused as a likely ZIP bomb); unpack it and "
                    "check the CSV file")  # fmt: skip


def _check_size(label: str, size: int, what: str) -> None:
    if size > MAX_TEXT_BYTES:
        fail(label, f"{what} holds {size / 2**20:,.1f} MiB, more than the "
                    f"{MAX_TEXT_BYTES / 2**20:g} MiB an import reads; split it into smaller "
                    "files")  # fmt: skip


@contextmanager
def _member_stream(member: Member) -> Iterator[BinaryIO]:
    with member.source.open() as stream:
        if member.entry is None:
            yield stream
            return
        try:
            archive = zipfile.ZipFile(stream)
            inner = archive.open(member.entry)
        except (*ZIP_ERRORS, OSError) as exc:  # OSError: a seek before the start of the file
            _damaged(member.label, exc)
        with archive, inner:
            yield inner


def _damaged(label: str, exc: BaseException) -> NoReturn:
    fail(label, f"the ZIP archive is damaged or incomplete ({exc}); download it again")


def _raw_lines(member: Member) -> Iterator[bytes]:
    """The lines of the member as bytes, at most MAX_LINE_BYTES each and never more than the
    size checked before (the size a ZIP member declares can lie)."""
    label, total, number = member.label, 0, 0
    limit = member.source.size if member.entry is None else member.entry.file_size
    with _member_stream(member) as stream:
        _sniff(label, _read(label, stream.peek, SNIFF_BYTES)[:SNIFF_BYTES])
        while True:
            raw = _read(label, stream.readline, MAX_LINE_BYTES + 1)
            if not raw:
                return
            number += 1
            total += len(raw)
            if len(raw) > MAX_LINE_BYTES:
                fail(label, f"longer than {MAX_LINE_BYTES // 2**20} MiB without a line break; "
                            "not a CSV table", line=number)  # fmt: skip
            if total > limit:
                fail(label, f"holds more than the {limit:,} bytes it declared (the file changed "
                            "while being imported, or the ZIP archive is damaged)")  # fmt: skip
            yield raw


def _read(label: str, read, size: int) -> bytes:
    """``read(size)`` from a file or ZIP member, its errors as one line."""
    try:
        return read(size)
    except ZIP_ERRORS as exc:
        _damaged(label, exc)
    except OSError as exc:
        fail(label, f"cannot be read ({exc.strerror or exc})")


def _sniff(label: str, head: bytes) -> None:
    """Refuse what is plainly not UTF-8 text before its first line is parsed."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        fail(label, "is UTF-16 text; save it as CSV in UTF-8")
    if b"\0" in head:
        _binary(label, head[: head.index(b"\0")].count(b"\n") + 1)


def _binary(label: str, line: int) -> NoReturn:
    fail(label, f"a binary file, not CSV text (a NUL byte in line {line}); give the CSV file "
                "(UTF-8) described in data/README.md")  # fmt: skip


def text_lines(member: Member, hint: str = "") -> Iterator[str]:
    """The member's lines as UTF-8 text (a byte-order mark is dropped), one at a time; binary
    data and other encodings are refused with the line of the first bad byte."""
    for number, raw in enumerate(_raw_lines(member), start=1):
        if b"\0" in raw:
            _binary(member.label, number)
        try:
            yield raw.decode("utf-8-sig" if number == 1 else "utf-8")
        except UnicodeDecodeError as exc:
            fail(member.label, f"not UTF-8 text (byte 0x{raw[exc.start]:02x}){hint}",
                 line=number)  # fmt: skip


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
            load_dataset(staging, folder.policy)
        except DataError as exc:
            raise ImportDataError(
                f"the imported data would not load, nothing changed: {exc}"
            ) from exc

    try:
        writer.commit(fill)
    except OSError as exc:
        fail(str(writer.root), f"cannot write the dataset folder, nothing changed ({exc})")
    return manifest
