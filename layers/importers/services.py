"""Import a KOSMATI services inventory (layers/kosmati.py) from a tidy CSV.

Columns: ``municipality_ags`` (8-digit AGS of one of the 53 Ruhr municipalities),
``dimension`` (migration, arrival, participation, integration), ``service`` (its name),
``migration_types`` (codes joined by ';', or ``all``), ``life_areas`` (work,
children_education, health, housing, other joined by ';'; empty: none directly, e.g. a
monitoring report), ``languages`` (ISO 639 codes joined by ';', at least one), ``since``
(year) and ``source`` (text or URL). Schema and an example: data/README.md, "KOSMATI services".

Replace rule: the import replaces ``services.csv`` entirely (an inventory is one list; the
illustrative demo inventory is never mixed with real services). Several files of one
command are concatenated; a service is named once per municipality and dimension.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd
from babel import Locale

from layers import kosmati, regions, vocab
from layers.importers.common import Source
from layers.importers.errors import fail, show
from layers.importers.report import ImportReport
from layers.importers.snapshot import DatasetFolder, TableUpdate
from layers.importers.tidy import read_tidy

HINT = " (see data/README.md, 'KOSMATI services')"
FIRST_YEAR = 1950
YEAR_PATTERN = re.compile(r"[0-9]{4}")
MAX_TEXT = 300  # characters of a service's name or source
# ISO 639 codes as CLDR names them (the dashboard shows each language's name from there).
LANGUAGE_CODES = frozenset(c for c in Locale("en").languages if "_" not in c)
NOTE = (
    "Imported KOSMATI services inventory ({n} services, {files}). Real data as supplied; "
    "replaces the illustrative demonstration inventory."
)


class _Row:
    def __init__(self, label: str, line: int, row: dict[str, str]):
        self.label, self.line, self.row = label, line, row

    def fail(self, column: str, message: str):
        fail(self.label, message, line=self.line, column=column)

    def codes(self, column: str, allowed, what: str, example: str, empty_ok: bool) -> str:
        value = self.row[column]
        codes = kosmati.split(value)
        if not codes and not empty_ok:
            self.fail(column, f"expected {what} joined by ';', e.g. {example!r}; got nothing")
        for code in codes:
            if code not in allowed:
                self.fail(column, f"unknown code {show(code)} in {show(value)}; expected {what} "
                                  f"joined by ';', e.g. {example!r}")  # fmt: skip
        if len(set(codes)) != len(codes):
            self.fail(column, f"a code is repeated in {show(value)}")
        return ";".join(codes)

    def text(self, column: str) -> str:
        value = self.row[column]
        if not value or len(value) > MAX_TEXT or not value.isprintable():
            self.fail(column, f"expected a text of 1–{MAX_TEXT} printable characters, got "
                              f"{show(value)}")  # fmt: skip
        return value


def _validate(label: str, line: int, row: dict[str, str]) -> dict[str, str]:
    r = _Row(label, line, row)
    if row["municipality_ags"] not in regions.municipality_by_ags():
        r.fail("municipality_ags", f"unknown municipality code {show(row['municipality_ags'])}; "
               "expected the 8-digit AGS of one of the 53 Ruhr municipalities, e.g. "
               "'05913000' (Dortmund)")  # fmt: skip
    if row["dimension"] not in kosmati.DIMENSIONS:
        r.fail("dimension", f"unknown dimension {show(row['dimension'])}; expected one of "
               f"{', '.join(kosmati.DIMENSIONS)}")  # fmt: skip
    types = row["migration_types"]
    out = dict(row, service=r.text("service"), source=r.text("source"))
    out["migration_types"] = types if types == kosmati.ALL else r.codes(
        "migration_types", vocab.MIGRATION_TYPES, "migration types (or all)",
        "immigrant;return", empty_ok=False)  # fmt: skip
    out["life_areas"] = r.codes("life_areas", kosmati.LIFE_AREAS, "life areas",
                                "work;housing", empty_ok=True)  # fmt: skip
    out["languages"] = r.codes("languages", LANGUAGE_CODES, "ISO 639 language codes",
                               "de;ro;bg", empty_ok=False)  # fmt: skip
    since = row["since"]
    if not (YEAR_PATTERN.fullmatch(since) and FIRST_YEAR <= int(since) <= date.today().year):
        r.fail("since", f"expected a year {FIRST_YEAR}–{date.today().year}, got {show(since)}")
    return out


def prepare(sources: list[Source], folder: DatasetFolder, report: ImportReport) -> list:
    seen: dict[tuple[str, str, str], str] = {}
    rows: list[dict[str, str]] = []
    rows_by_source: dict[Source, int] = {}
    for source in sources:
        file_report = report.add_file(source)
        table = read_tidy(source, kosmati.COLUMNS, (), HINT)
        for line, row in table.rows:
            file_report.rows_read += 1
            service = _validate(table.label, line, row)
            key = (service["municipality_ags"], service["dimension"], service["service"].lower())
            if key in seen:
                fail(table.label, f"service {show(service['service'])} is already listed for "
                     f"this municipality and dimension in {seen[key]}", line=line,
                     column="service")  # fmt: skip
            seen[key] = f"{source.label}, line {line}"
            rows.append({**service, "imported_from": source.name})
            file_report.imported += 1
        rows_by_source[source] = file_report.imported
    frame = pd.DataFrame(rows, columns=[*kosmati.COLUMNS, "imported_from"])
    before = folder.read_frame(kosmati.SERVICES_FILE, required=False)
    previous = "the illustrative demo inventory" if before is None else f"{len(before)} services"
    report.tables.append(f"{kosmati.SERVICES_FILE}: replaced entirely ({previous} before, "
                         f"{len(frame)} imported now)")  # fmt: skip
    files = ", ".join(s.name for s in sources)
    note = NOTE.format(n=len(frame), files=files)
    return [TableUpdate("services", frame, False, rows_by_source, note,
                        {"replaced_entirely": True, "illustrative": False})]  # fmt: skip
