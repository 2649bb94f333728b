"""Parsing the documented tidy CSV files (flows, survey): a header naming exactly the
schema's columns in any order, one record per line, values stripped of blanks."""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from layers.importers.common import Source, plain, text_lines
from layers.importers.errors import fail, show


def csv_records(
    lines: Iterable[str], label: str, delimiter: str
) -> Iterator[tuple[int, list[str]]]:
    """(line number where the record starts, fields) for every non-blank record."""
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
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
    """A comma-separated file with a header: the columns and (line, {column: value}) rows,
    read as they are iterated (once)."""

    label: str
    columns: list[str]
    rows: Iterator[tuple[int, dict[str, str]]]


def read_tidy(
    source: Source, required: tuple[str, ...], optional: tuple[str, ...] = (), hint: str = ""
) -> TidyTable:
    """Read a documented tidy CSV: UTF-8 (BOM allowed), comma-separated (a semicolon is
    accepted when the header has no comma), a header naming exactly the schema's columns in
    any order. Values are stripped of surrounding blanks."""
    label = source.label
    lines = text_lines(plain(source), "; save the file as UTF-8")
    first = next(lines, "")
    delimiter = ";" if ";" in first and "," not in first else ","
    records = csv_records(itertools.chain([first], lines), label, delimiter)
    try:
        line, header = next(records)
    except StopIteration:
        fail(label, f"the file is empty; expected a header line with the columns "
                    f"{', '.join(required)}{hint}")  # fmt: skip
    columns = _tidy_header(label, line, [h.strip() for h in header], required, optional, hint)
    return TidyTable(label, columns, _tidy_rows(label, columns, records))


def _tidy_header(label, line, columns, required, optional, hint) -> list[str]:
    allowed = (*required, *optional)
    if not set(columns) & set(allowed):  # not this schema: its first line is not quoted
        fail(label, f"the first line is not a header of this table: it names none of the "
                    f"columns {', '.join(required)}{hint}", line=line)  # fmt: skip
    for i, name in enumerate(columns):
        if name in columns[:i]:
            fail(label, f"column {show(name)} appears twice", line=line)
        if name not in allowed:
            fail(label, f"unknown column {show(name)}; the schema has {', '.join(allowed)}{hint}",
                 line=line)  # fmt: skip
    missing = [c for c in required if c not in columns]
    if missing:
        fail(label, f"missing column(s) {', '.join(missing)}; the schema has "
                    f"{', '.join(allowed)}{hint}", line=line)  # fmt: skip
    return columns


def _tidy_rows(label, columns, records) -> Iterator[tuple[int, dict[str, str]]]:
    empty = True
    for line, fields in records:
        if len(fields) != len(columns):
            fail(label, f"expected {len(columns)} fields as in the header, got {len(fields)}",
                 line=line)  # fmt: skip
        empty = False
        yield line, {c: v.strip() for c, v in zip(columns, fields, strict=True)}
    if empty:
        fail(label, "no data rows below the header")
