"""One-line errors of the importers: every refusal names the file, the line and the column
where possible, and what was expected."""

from __future__ import annotations

from typing import NoReturn

from layers.dataset import DataError


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
