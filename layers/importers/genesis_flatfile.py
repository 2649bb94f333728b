"""Reading GENESIS flat-file CSV (ffcsv): the two header layouts, one record per value, and
the numbers, markers and dates of the records. What the values mean for the Ruhr tables is
decided in ``layers.importers.genesis``.

UTF-8 (BOM allowed), ``;``-separated, one header line. Two layouts:

* current ffcsv (English column names in both languages): ``statistics_code;…;time;``
  ``n_variable_code;n_variable_label;n_variable_attribute_code;n_variable_attribute_label``
  per variable, then ``value;value_unit;value_variable_code;value_variable_label``
  (``value_q`` with quality flags on). The German download (``*_de_flat.csv``) uses a
  decimal comma, the English one a decimal point;
* older ffcsv with German column names (``Statistik_Code;…;Zeit;1_Merkmal_Code;…;``
  ``1_Auspraegung_Code;…``) and one column per value variable (``BEVSTD__Label__Unit``,
  quality in ``BEVSTD__Label__q``), decimal comma.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from layers.importers.common import Member, text_lines
from layers.importers.errors import fail, show
from layers.importers.report import FileReport
from layers.importers.tidy import csv_records

MARKERS = {
    "-": "nothing (→ 0)",
    ".": "unknown or confidential (→ missing)",
    "...": "not yet available (→ missing)",
    "/": "not reliable enough (→ missing)",
    "x": "cell blocked (→ missing)",
}
QUALITY_FLAGS = {"p": "provisional", "r": "revised", "s": "estimated", "e": "final"}
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


def decimal_comma(member: Member, layout: Layout, records: list[Record]) -> bool:
    tag = re.search(r"_(de|en)_flat", member.name.lower())
    if tag:
        return tag[1] == "de"
    if layout.german:
        return True
    return any("," in r.value for r in records)


def parse_number(record: Record, label: str, comma: bool) -> float | None:
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


def parse_marker(record: Record) -> str:
    text = record.value.lower()
    if text in MARKERS:
        return text
    return record.quality if record.value == "" and record.quality in MARKERS else ""


def parse_date(record: Record, label: str) -> str:
    text = record.time
    if re.fullmatch(r"[0-9]{4}(-[0-9]{2}-[0-9]{2})?", text):
        return text
    german = re.fullmatch(r"([0-9]{2})\.([0-9]{2})\.([0-9]{4})", text)
    if german:
        return f"{german[3]}-{german[2]}-{german[1]}"
    fail(label, f"expected a date (YYYY-MM-DD or DD.MM.YYYY) or a year, got {show(text)}",
         line=record.line, column="time")  # fmt: skip


def read_records(member: Member, report: FileReport) -> tuple[Layout, list[Record]]:
    """The layout of the file and its records (one per value), at least one."""
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
    return layout, records
