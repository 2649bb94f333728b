"""Import official tables from GENESIS-Online / the Regionaldatenbank as flat-file CSV (ffcsv).

Accepted: the ZIP the download comes in (one ``*_flat.csv`` inside) or the CSV itself; the
format and its two layouts are read by ``layers.importers.genesis_flatfile``.

Tables: statistic 12411 (population, totals only) → ``official_population.csv``; statistic
12521 (foreign nationals, e.g. table 12521-0041) → ``foreign_nationals.csv``, rows whose
citizenship attribute is labelled "Rumänien"/"Romania" or "Bulgarien"/"Bulgaria" (the
attribute codes are not relied on). Regional codes (AGS prefixes) map onto the Ruhr: an
8-digit Ruhr Gemeinde to itself, a 5-digit kreisfreie Stadt to its municipality
(05913 → 05913000), a 5-digit Ruhr Kreis (05170, 05562, 05954, 05978) stays at Kreis level.
Other codes are skipped and counted. Markers: ``-`` (nothing) → 0; ``.`` (unknown or
confidential), ``...`` (later), ``/`` (not reliable), ``x`` (blocked) → missing; the
marker and the quality flag (p, r, s, e) are stored with the value.

Replace rule: an imported value replaces the stored value with the same key (region code,
level, date[, citizenship]); other stored values are kept.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import pandas as pd

from layers import regions
from layers.importers.common import Member, Source, unpack
from layers.importers.errors import fail, show
from layers.importers.genesis_flatfile import (
    MARKERS,
    QUALITY_FLAGS,
    Layout,
    Record,
    Variable,
    decimal_comma,
    parse_date,
    parse_marker,
    parse_number,
    read_records,
)
from layers.importers.report import FileReport, ImportReport
from layers.importers.snapshot import FALSE, DatasetFolder, TableUpdate

POPULATION, FOREIGNERS = "12411", "12521"
CITIZENSHIPS = {"rumänien": "RO", "romania": "RO", "bulgarien": "BG", "bulgaria": "BG"}
REGION_VARIABLES = {"DINSG", "DG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "GEMEINDE"}
SKIP_OUTSIDE = "outside the Ruhr"
SKIP_LEVEL = "at another regional level (Germany, Land, Regierungsbezirk)"
SKIP_BREAKDOWN = "breakdowns (not totals)"
SKIP_CITIZENSHIP = "other citizenships and totals"
SKIP_DUPLICATE = "repeated with the same value (e.g. a kreisfreie Stadt as Kreis and Gemeinde)"

POPULATION_COLUMNS = ("ags_or_kreis", "level", "name", "date", "population", "marker", "quality",
                      "table", "source", "synthetic")  # fmt: skip
FOREIGNER_COLUMNS = ("ags_or_kreis", "level", "name", "date", "citizenship", "persons", "marker",
                     "quality", "table", "source", "synthetic")  # fmt: skip
NOTES = {
    "official_population": "Official population (GENESIS 12411) of the Ruhr municipalities "
    "(level gemeinde, 8-digit AGS) and Kreise (level kreis, 5 digits); empty population with "
    "a marker: unknown. Real data; municipalities.csv keeps its own population.",
    "foreign_nationals": "Romanian and Bulgarian nationals (GENESIS 12521, e.g. 12521-0041) "
    "by Ruhr municipality or Kreis and date. Real data.",
}


# statistic -> (table, its columns, the column the count goes to)
TARGETS = {
    POPULATION: ("official_population", POPULATION_COLUMNS, "population"),
    FOREIGNERS: ("foreign_nationals", FOREIGNER_COLUMNS, "persons"),
}
MERGE_KEY = ("ags_or_kreis", "level", "date", "citizenship")


MUNICIPALITIES = regions.municipality_by_ags()


def _region(record: Record, label: str) -> tuple[int, str]:
    """Position of the regional variable and its AGS code."""
    for i, v in enumerate(record.variables):
        if v.code.upper() in REGION_VARIABLES:
            return i, v.attribute_code
    for i, v in enumerate(record.variables):
        if re.fullmatch(r"[0-9]{2,12}", v.attribute_code):
            return i, v.attribute_code
    fail(label, "no regional variable (e.g. KREISE or GEMEIN with AGS codes such as '05913'); "
                "expected a table by Kreis or Gemeinde", line=record.line)  # fmt: skip


def _ruhr_area(code: str, label: str, line: int) -> tuple[str, str, str] | str:
    """(code, level, name) of a Ruhr area, or the reason for skipping the row."""
    digits = re.fullmatch(r"[0-9]+", code) is not None  # not str.isdigit: it takes "²"
    if len(code) == 8 and digits:
        if code in MUNICIPALITIES:
            return code, "gemeinde", MUNICIPALITIES[code].name
        if code.startswith(regions.RUHR_KREIS_PREFIXES):
            fail(label, f"unknown Gemeinde {show(code)} in a Ruhr Kreis; expected one of the 53 "
                        "municipalities (layers/regions.py)", line=line)  # fmt: skip
        return SKIP_OUTSIDE
    if len(code) == 5 and digits:
        if code in regions.KREISFREIE_STAEDTE:
            return f"{code}000", "gemeinde", MUNICIPALITIES[f"{code}000"].name
        if code in regions.KREISE:
            return code, "kreis", regions.KREISE[code]
        return SKIP_OUTSIDE
    if code == "" or code.upper() == "DG" or (digits and len(code) in (2, 3)):
        return SKIP_LEVEL
    return SKIP_OUTSIDE


def _table_code(member: Member, statistics_code: str) -> str:
    match = re.match(r"([0-9]{5}(?:-[0-9A-Za-z]+)*)", member.name)
    return match[1] if match else statistics_code


@dataclass(frozen=True)
class _FlatFile:
    """What every record of one flat file is read with."""

    label: str
    statistic: str
    first: Record  # its statistic is the file's
    statistic_column: str
    comma: bool
    table: str


def _read_member(member: Member, report: FileReport) -> tuple[str, list[dict], bool]:
    label = member.label
    layout, records = read_records(member, report)
    file = _flat_file(member, layout, records)
    out: list[dict] = []
    skipped_lines: dict[int, str] = {}
    for record in records:
        row = _row(file, record)
        if isinstance(row, str):
            skipped_lines.setdefault(record.line, row)
        else:
            out.append(row)
    for reason in skipped_lines.values():
        report.skipped[reason] += 1
    value_variables = sorted({r["_variable"] for r in out})
    if len(value_variables) > 1:
        fail(label, f"several value variables with data for the Ruhr "
                    f"({', '.join(value_variables)}); expected one value per region and date "
                    "(e.g. BEVSTD)")  # fmt: skip
    return file.statistic, out, file.comma


def _flat_file(member: Member, layout: Layout, records: list[Record]) -> _FlatFile:
    statistic = records[0].statistics_code
    column = layout.names[layout.index["statistics_code"]]
    if statistic not in (POPULATION, FOREIGNERS):
        fail(member.label, f"unsupported statistic {show(statistic)}; expected 12411 "
                           "(population) or 12521 (foreign nationals)", line=records[0].line,
             column=column)  # fmt: skip
    comma = decimal_comma(member, layout, records)
    return _FlatFile(member.label, statistic, records[0], column, comma,
                     _table_code(member, statistic))  # fmt: skip


def _row(file: _FlatFile, record: Record) -> dict | str:
    """The output row of a record, or the reason for skipping it. The checks run in the
    record's order, so the first fault of a file is the one reported."""
    label = file.label
    if record.statistics_code != file.statistic:
        fail(label, f"expected the same statistic as in line {file.first.line} "
                    f"({file.statistic}), got {show(record.statistics_code)}", line=record.line,
             column=file.statistic_column)  # fmt: skip
    if record.quality and record.quality not in QUALITY_FLAGS and record.quality not in MARKERS:
        fail(label, f"expected a quality flag (p, r, s, e), a marker or an empty value, got "
                    f"{show(record.quality)}", line=record.line,
             column=record.quality_column)  # fmt: skip
    number = parse_number(record, label, file.comma)
    date = parse_date(record, label)
    position, code = _region(record, label)
    area = _ruhr_area(code, label, record.line)
    others = [v for i, v in enumerate(record.variables) if i != position and v.attribute_code]
    reason, citizenship = _skip_reason(area, file.statistic, others)
    if reason:
        return reason
    if number is not None and (number < 0 or number != int(number)):
        fail(label, f"expected a whole number >= 0 (persons), got {show(record.value)}",
             line=record.line, column=record.column)  # fmt: skip
    ags, level, name = area
    return {
        "ags_or_kreis": ags,
        "level": level,
        "name": name,
        "date": date,
        "citizenship": citizenship,
        "count": "" if number is None else str(int(number)),
        "marker": parse_marker(record),
        "quality": record.quality if record.quality in QUALITY_FLAGS else "",
        "table": file.table,
        "source": f"Statistische Ämter des Bundes und der Länder, GENESIS {file.table} "
        f"({record.statistics_label})",
        "synthetic": FALSE,
        "_where": f"{label}, line {record.line}",
        "_line": record.line,
        "_variable": record.value_variable,
    }


def _skip_reason(
    area: tuple[str, str, str] | str, statistic: str, others: list[Variable]
) -> tuple[str | None, str | None]:
    """(why the record is skipped or None, its citizenship RO/BG for statistic 12521).
    ``others``: the record's variables besides the region that have a value."""
    if isinstance(area, str):
        return area, None
    if statistic == POPULATION:
        return (SKIP_BREAKDOWN if others else None), None
    labels = [CITIZENSHIPS.get(v.attribute_label.strip().casefold()) for v in others]
    citizenship = labels[0] if len(labels) == 1 else None
    reason = None if citizenship else SKIP_CITIZENSHIP
    if len(others) > 1 and any(labels):
        reason = SKIP_BREAKDOWN
    return reason, citizenship


def _merge(
    rows: list[dict], key_columns: tuple[str, ...], report: FileReport, label: str
) -> dict[tuple, dict]:
    merged: dict[tuple, dict] = {}
    for row in rows:
        key = tuple(row[c] for c in key_columns)
        if key in merged:
            first = merged[key]
            if (first["count"], first["marker"]) == (row["count"], row["marker"]):
                report.skipped[SKIP_DUPLICATE] += 1
                continue
            fail(label, f"{row['ags_or_kreis']} on {row['date']} has "
                        f"{show(row['count'] or row['marker'])} but "
                        f"{show(first['count'] or first['marker'])} in {first['_where']}",
                 line=row["_line"])  # fmt: skip
        merged[key] = row
    return merged


def prepare(sources: list[Source], folder: DatasetFolder, report: ImportReport) -> list:
    collected: dict[str, dict[tuple, dict]] = {POPULATION: {}, FOREIGNERS: {}}
    counts: dict[str, dict[Source, int]] = {POPULATION: {}, FOREIGNERS: {}}
    for source in sources:
        member = unpack(source, r"_flat\.csv$|\.csv$", "*_flat.csv")
        file_report = report.add_file(source, member.label)
        statistic, rows, comma = _read_member(member, file_report)
        _collect(collected[statistic], _merge(rows, MERGE_KEY, file_report, member.label),
                 file_report, member.label)  # fmt: skip
        counts[statistic][source] = file_report.imported
        file_report.notes.append(
            f"statistic {statistic} → {TARGETS[statistic][0]}.csv "
            f"(read with a decimal {'comma' if comma else 'point'})"
        )
    return [
        _table_update(statistic, rows, counts[statistic], folder, report)
        for statistic, rows in collected.items()
        if rows
    ]


def _collect(
    collected: dict[tuple, dict], merged: dict[tuple, dict], file_report: FileReport, label: str
) -> None:
    """Add one file's rows to those of the files before it (the same value twice is skipped,
    a different value for the same key refused)."""
    before = len(collected)
    for key, row in merged.items():
        if key in collected:
            first = collected[key]
            if (first["count"], first["marker"]) != (row["count"], row["marker"]):
                fail(label, f"{row['ags_or_kreis']} on {row['date']} differs from "
                            f"{first['_where']}", line=row["_line"])  # fmt: skip
            file_report.skipped[SKIP_DUPLICATE] += 1
            continue
        collected[key] = row
        if row["marker"]:
            file_report.markers[row["marker"]] += 1
    file_report.imported = len(collected) - before


def _table_update(
    statistic: str,
    rows: dict[tuple, dict],
    rows_by_source: dict[Source, int],
    folder: DatasetFolder,
    report: ImportReport,
) -> TableUpdate:
    """The stored table with the imported values in place of those with the same key."""
    table, columns, value_column = TARGETS[statistic]
    new = pd.DataFrame(list(rows.values())).rename(columns={"count": value_column})
    new = new[list(columns)]
    key = ["ags_or_kreis", "level", "date"] + (["citizenship"] if statistic == FOREIGNERS
                                               else [])  # fmt: skip
    existing = folder.read_frame(f"{table}.csv", required=False)
    replaced = 0
    if existing is not None and len(existing):
        if list(existing.columns) != list(columns):
            fail(str(folder.path / f"{table}.csv"), f"unexpected columns; expected "
                 f"{', '.join(columns)}")  # fmt: skip
        old_keys = existing[key].astype(str).agg("|".join, axis=1)
        new_keys = set(new[key].astype(str).agg("|".join, axis=1))
        replace = old_keys.isin(new_keys)
        replaced = int(replace.sum())
        new = pd.concat([existing[~replace], new], ignore_index=True)
    new = new.sort_values(["date", "level", "ags_or_kreis", *key[3:]], ignore_index=True,
                          kind="stable")  # fmt: skip
    report.tables.append(
        f"{table}.csv: {len(new)} rows ({len(rows)} imported, {replaced} of them replaced "
        "stored values with the same key)"
    )
    return TableUpdate(
        table=table,
        frame=new,
        synthetic=False,
        rows_by_source=rows_by_source,
        note=NOTES[table],
    )
