"""Import official tables from GENESIS-Online / the Regionaldatenbank as flat-file CSV (ffcsv).

Accepted: the ZIP the download comes in (one ``*_flat.csv`` inside) or the CSV itself;
UTF-8 (BOM allowed), ``;``-separated, one header line. Two layouts:

* current ffcsv (English column names in both languages): ``statistics_code;…;time;``
  ``n_variable_code;n_variable_label;n_variable_attribute_code;n_variable_attribute_label``
  per variable, then ``value;value_unit;value_variable_code;value_variable_label``
  (``value_q`` with quality flags on). The German download (``*_de_flat.csv``) uses a
  decimal comma, the English one a decimal point;
* older ffcsv with German column names (``Statistik_Code;…;Zeit;1_Merkmal_Code;…;``
  ``1_Auspraegung_Code;…``) and one column per value variable (``BEVSTD__Label__Unit``,
  quality in ``BEVSTD__Label__q``), decimal comma.

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
from layers.importers.common import Member, Source, text_lines, unpack
from layers.importers.errors import fail, show
from layers.importers.report import FileReport, ImportReport
from layers.importers.snapshot import FALSE, DatasetFolder, TableUpdate
from layers.importers.tidy import csv_records

POPULATION, FOREIGNERS = "12411", "12521"
MARKERS = {
    "-": "nothing (→ 0)",
    ".": "unknown or confidential (→ missing)",
    "...": "not yet available (→ missing)",
    "/": "not reliable enough (→ missing)",
    "x": "cell blocked (→ missing)",
}
QUALITY_FLAGS = {"p": "provisional", "r": "revised", "s": "estimated", "e": "final"}
CITIZENSHIPS = {"rumänien": "RO", "romania": "RO", "bulgarien": "BG", "bulgaria": "BG"}
REGION_VARIABLES = {"DINSG", "DG", "DLAND", "REGBEZ", "KREISE", "GEMEIN", "GEMEINDE"}
GERMAN_HEADERS = {
    "statistik_code": "statistics_code",
    "statistik_label": "statistics_label",
    "zeit_code": "time_code",
    "zeit_label": "time_label",
    "zeit": "time",
}
VARIABLE_HEADER = re.compile(
    r"([0-9]+)_(merkmal_code|merkmal_label|auspraegung_code|auspraegung_label|variable_code|"
    r"variable_label|variable_attribute_code|variable_attribute_label)"
)
VARIABLE_PARTS = {
    "merkmal_code": "code",
    "variable_code": "code",
    "merkmal_label": "label",
    "variable_label": "label",
    "auspraegung_code": "attribute_code",
    "variable_attribute_code": "attribute_code",
    "auspraegung_label": "attribute_label",
    "variable_attribute_label": "attribute_label",
}
VARIABLE_FIELDS = ("code", "label", "attribute_code", "attribute_label")
REQUIRED = ("statistics_code", "statistics_label", "time")
HINT = "; download the table as 'flat file CSV' (ffcsv)"
UTF8_HINT = (
    "; GENESIS flat files (ffcsv) are UTF-8 — the classic GENESIS CSV (windows-1252) is not "
    "supported"
)
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


@dataclass(frozen=True)
class Variable:
    code: str
    label: str
    attribute_code: str
    attribute_label: str


@dataclass(frozen=True)
class Record:
    line: int
    column: str  # the column holding the value
    statistics_code: str
    statistics_label: str
    time: str
    variables: tuple[Variable, ...]
    value: str
    value_variable: str  # e.g. BEVSTD
    quality: str
    quality_column: str


class Layout:
    """Column positions of one flat file (current or older layout)."""

    def __init__(self, member: Member, line: int, header: list[str]):
        self.label = member.label
        names = [h.strip() for h in header]
        self.german = names[0].lower().startswith("statistik")
        lowered = [GERMAN_HEADERS.get(n.lower(), n.lower()) for n in names]
        if lowered[0] != "statistics_code":
            fail(member.label, "not a GENESIS flat file: expected the header to start with "
                               f"'statistics_code' or 'Statistik_Code'{HINT}",
                 line=line)  # fmt: skip
        self.index = {}
        variables: dict[int, dict[str, int]] = {}
        for i, name in enumerate(lowered):
            match = VARIABLE_HEADER.fullmatch(name)
            if match:
                variables.setdefault(int(match[1]), {})[VARIABLE_PARTS[match[2]]] = i
            else:
                self.index.setdefault(name, i)
        for name in REQUIRED:
            if name not in self.index:
                fail(member.label, f"missing column {name!r}{HINT}", line=line)
        self.variables = []
        for n, parts in sorted(variables.items()):
            if set(parts) != set(VARIABLE_FIELDS):
                fail(member.label, f"incomplete columns of variable {n}{HINT}", line=line)
            self.variables.append(parts)
        # value columns: long layout "value" (+ "value_q"); older layout CODE__Label__Unit
        if "value" in self.index:
            self.values = [("", self.index["value"], self.index.get("value_q"))]
        else:
            self.values = []
            for i, name in enumerate(names):
                parts = name.split("__")
                if len(parts) == 3 and parts[2] != "q":
                    q_name = f"{parts[0]}__{parts[1]}__q"
                    q = names.index(q_name) if q_name in names else None
                    self.values.append((parts[0], i, q))
            if not self.values:
                fail(member.label, f"no value column ('value' or 'CODE__Label__Unit'){HINT}",
                     line=line)  # fmt: skip
        self.width = len(names)
        self.names = names

    def records(self, line: int, fields: list[str]) -> list[Record]:
        if len(fields) != self.width:
            fail(self.label, f"expected {self.width} fields separated by ';' as in the header, "
                             f"got {len(fields)}", line=line)  # fmt: skip

        def get(name: str) -> str:
            i = self.index.get(name)
            return fields[i].strip() if i is not None else ""

        variables = tuple(
            Variable(*(fields[p[k]].strip() for k in VARIABLE_FIELDS)) for p in self.variables
        )
        return [
            Record(
                line=line,
                column=self.names[i],
                statistics_code=get("statistics_code"),
                statistics_label=get("statistics_label"),
                time=get("time"),
                variables=variables,
                value=fields[i].strip(),
                value_variable=variable or get("value_variable_code"),
                quality=fields[q].strip() if q is not None else "",
                quality_column=self.names[q] if q is not None else "",
            )
            for variable, i, q in self.values
        ]


def _decimal_comma(member: Member, layout: Layout, records: list[Record]) -> bool:
    tag = re.search(r"_(de|en)_flat", member.name.lower())
    if tag:
        return tag[1] == "de"
    if layout.german:
        return True
    return any("," in r.value for r in records)


def _number(record: Record, label: str, comma: bool) -> float | None:
    """The value as a number, or None for a marker (0 for '-'); errors name line and column."""
    text = record.value
    if text.lower() in MARKERS or (text == "" and record.quality in MARKERS):
        return 0.0 if (text or record.quality) == "-" else None
    pattern = r"-?[0-9]+(,[0-9]+)?" if comma else r"-?[0-9]+(\.[0-9]+)?"  # ASCII digits only
    if not re.fullmatch(pattern, text):
        mark = "a decimal comma" if comma else "a decimal point"
        fail(label, f"expected a number with {mark} or a marker (- . ... / x), got {show(text)}",
             line=record.line, column=record.column)  # fmt: skip
    return float(text.replace(",", "."))


def _marker(record: Record) -> str:
    text = record.value.lower()
    if text in MARKERS:
        return text
    return record.quality if record.value == "" and record.quality in MARKERS else ""


def _date(record: Record, label: str) -> str:
    text = record.time
    if re.fullmatch(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?", text):
        return text
    german = re.fullmatch(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})", text)
    if german:
        return f"{german[3]}-{german[2]}-{german[1]}"
    fail(label, f"expected a date (YYYY-MM-DD or DD.MM.YYYY) or a year, got {show(text)}",
         line=record.line, column="time")  # fmt: skip


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


def _read_member(member: Member, report: FileReport) -> tuple[str, list[dict], bool]:
    label = member.label
    rows = csv_records(text_lines(member, UTF8_HINT), label, ";")
    try:
        header_line, header = next(rows)
    except StopIteration:
        fail(label, f"the file is empty{HINT}")
    layout = Layout(member, header_line, header)
    records: list[Record] = []
    for line, fields in rows:
        report.rows_read += 1
        records.extend(layout.records(line, fields))
    if not records:
        fail(label, "no data rows below the header")
    statistic = records[0].statistics_code
    if statistic not in (POPULATION, FOREIGNERS):
        fail(label, f"unsupported statistic {show(statistic)}; expected 12411 (population) or "
                    "12521 (foreign nationals)", line=records[0].line,
             column=layout.names[layout.index["statistics_code"]])  # fmt: skip
    comma = _decimal_comma(member, layout, records)
    table = _table_code(member, statistic)
    out: list[dict] = []
    skipped_lines: dict[int, str] = {}
    for record in records:
        if record.statistics_code != statistic:
            fail(label, f"expected the same statistic as in line {records[0].line} "
                        f"({statistic}), got {show(record.statistics_code)}", line=record.line,
                 column=layout.names[layout.index["statistics_code"]])  # fmt: skip
        if record.quality and record.quality not in QUALITY_FLAGS and record.quality not in MARKERS:
            fail(label, f"expected a quality flag (p, r, s, e), a marker or an empty value, got "
                        f"{show(record.quality)}", line=record.line,
                 column=record.quality_column)  # fmt: skip
        number = _number(record, label, comma)
        date = _date(record, label)
        position, code = _region(record, label)
        area = _ruhr_area(code, label, record.line)
        others = [v for i, v in enumerate(record.variables) if i != position and v.attribute_code]
        citizenship = None
        if isinstance(area, str):
            reason = area
        elif statistic == POPULATION:
            reason = SKIP_BREAKDOWN if others else None
        else:
            labels = [CITIZENSHIPS.get(v.attribute_label.strip().casefold()) for v in others]
            citizenship = labels[0] if len(labels) == 1 else None
            reason = None if citizenship else SKIP_CITIZENSHIP
            if len(others) > 1 and any(labels):
                reason = SKIP_BREAKDOWN
        if reason:
            skipped_lines.setdefault(record.line, reason)
            continue
        if number is not None and (number < 0 or number != int(number)):
            fail(label, f"expected a whole number >= 0 (persons), got {show(record.value)}",
                 line=record.line, column=record.column)  # fmt: skip
        ags, level, name = area
        marker = _marker(record)
        out.append(
            {
                "ags_or_kreis": ags,
                "level": level,
                "name": name,
                "date": date,
                "citizenship": citizenship,
                "count": "" if number is None else str(int(number)),
                "marker": marker,
                "quality": record.quality if record.quality in QUALITY_FLAGS else "",
                "table": table,
                "source": f"Statistische Ämter des Bundes und der Länder, GENESIS {table} "
                f"({record.statistics_label})",
                "synthetic": FALSE,
                "_where": f"{label}, line {record.line}",
                "_line": record.line,
                "_variable": record.value_variable,
            }
        )
    for reason in skipped_lines.values():
        report.skipped[reason] += 1
    value_variables = sorted({r["_variable"] for r in out})
    if len(value_variables) > 1:
        fail(label, f"several value variables with data for the Ruhr "
                    f"({', '.join(value_variables)}); expected one value per region and date "
                    "(e.g. BEVSTD)")  # fmt: skip
    return statistic, out, comma


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
    targets = {
        POPULATION: ("official_population", POPULATION_COLUMNS, "population"),
        FOREIGNERS: ("foreign_nationals", FOREIGNER_COLUMNS, "persons"),
    }
    collected: dict[str, dict[tuple, dict]] = {POPULATION: {}, FOREIGNERS: {}}
    counts: dict[str, dict[Source, int]] = {POPULATION: {}, FOREIGNERS: {}}
    for source in sources:
        member = unpack(source, r"_flat\.csv$|\.csv$", "*_flat.csv")
        file_report = report.add_file(source, member.label)
        statistic, rows, comma = _read_member(member, file_report)
        keys = ("ags_or_kreis", "level", "date", "citizenship")
        before = len(collected[statistic])
        merged = _merge(rows, keys, file_report, member.label)
        for key, row in merged.items():
            if key in collected[statistic]:
                first = collected[statistic][key]
                if (first["count"], first["marker"]) != (row["count"], row["marker"]):
                    fail(member.label, f"{row['ags_or_kreis']} on {row['date']} differs from "
                                       f"{first['_where']}", line=row["_line"])  # fmt: skip
                file_report.skipped[SKIP_DUPLICATE] += 1
                continue
            collected[statistic][key] = row
            if row["marker"]:
                file_report.markers[row["marker"]] += 1
        file_report.imported = len(collected[statistic]) - before
        counts[statistic][source] = file_report.imported
        file_report.notes.append(
            f"statistic {statistic} → {targets[statistic][0]}.csv "
            f"(read with a decimal {'comma' if comma else 'point'})"
        )

    updates = []
    for statistic, rows in collected.items():
        if not rows:
            continue
        table, columns, value_column = targets[statistic]
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
        updates.append(
            TableUpdate(
                table=table,
                frame=new,
                synthetic=False,
                rows_by_source=counts[statistic],
                note=NOTES[table],
            )
        )
    return updates
