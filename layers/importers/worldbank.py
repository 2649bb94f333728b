"""Import World Bank WDI series from the API CSV download
(``API_<indicator>_DS2_en_csv_v2_<n>.csv``, or the ZIP the download comes in).

Format: UTF-8 with BOM, CRLF, every field quoted, each line ends with a comma; lines 1–4 are
``"Data Source","World Development Indicators",``, a blank line,
``"Last Updated Date","2025-07-01",`` and a blank line; line 5 is the header
``"Country Name","Country Code","Indicator Name","Indicator Code","1960",…``; ``""`` is a
missing value; aggregates (EUU, ARB, …) are rows like countries.

Only the rows of Romania (ROU) and Bulgaria (BGR) are kept, for any indicator. Replace rule:
the imported values replace **all** rows of country_indicators.csv with the same
(indicator, country); the file's "Last Updated Date" is stored as ``vintage`` with every
value. A ``note`` of a replaced row (e.g. a series break) is kept for the same year.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from layers import regions
from layers.importers.common import Source, text_lines, unpack
from layers.importers.errors import fail, show
from layers.importers.report import ImportReport
from layers.importers.snapshot import FALSE, DatasetFolder, TableUpdate
from layers.importers.tidy import csv_records

SOURCE = "World Bank, World Development Indicators (CSV download)"
COUNTRIES = {"ROU": "RO", "BGR": "BG"}
COLUMNS = ("country_iso3", "country_iso2", "country", "indicator", "indicator_name", "year",
           "value", "unit", "vintage", "source", "note", "synthetic")  # fmt: skip
HEADER = ("Country Name", "Country Code", "Indicator Name", "Indicator Code")
DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")  # ASCII digits only (\d takes "٢" and "２")
YEAR = re.compile(r"[0-9]{4}")
NUMBER = re.compile(r"-?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9]+)?")
INDICATOR = re.compile(r"[A-Za-z0-9_.]+")
UNIT = re.compile(r"\(([^()]*)\)\s*$")
EXPECTED = (
    "a World Bank API CSV (API_<indicator>_DS2_en_csv_v2_<n>.csv) starting with "
    '"Data Source","World Development Indicators" (the Metadata_ files hold no data)'
)
NOTE = "World Bank WDI series for RO and BG with vintage (Last Updated Date). Real data."


def _preamble(records, label: str) -> tuple[int, list[str], str]:
    """(header line, header, vintage) from the lines above the data."""
    first = next(records, None)
    if first is None or first[1][0].strip() != "Data Source":  # not quoted: not this format
        fail(label, f"expected {EXPECTED}", line=first[0] if first else 1)
    vintage = None
    for line, fields in records:
        if fields[0] == "Last Updated Date":
            value = fields[1].strip() if len(fields) > 1 else ""
            if not DATE.fullmatch(value):
                fail(label, f'expected "Last Updated Date" followed by a date YYYY-MM-DD, got '
                            f"{show(value)}", line=line)  # fmt: skip
            vintage = value
        if fields[0] == "Country Name":
            if vintage is None:
                fail(label, 'no "Last Updated Date" line above the header (expected in line 3); '
                            "the vintage must be kept with every value", line=line)  # fmt: skip
            return line, fields, vintage
    fail(label, f'no header line starting with "Country Name"; expected {EXPECTED}')


def _year_columns(header: list[str], label: str, line: int) -> list[tuple[int, str]]:
    if tuple(header[:4]) != HEADER:
        fail(label, f"expected the header to start with {', '.join(HEADER)}, got "
                    f"{show(', '.join(header[:4]))}", line=line)  # fmt: skip
    year_columns = []
    for position, name in enumerate(header[4:], start=4):
        if YEAR.fullmatch(name):
            year_columns.append((position, name))
        elif name != "" or position != len(header) - 1:
            fail(label, f"expected a year such as '2024' as column name, got {show(name)}",
                 line=line)  # fmt: skip
    return year_columns


def _read_file(source: Source, report: ImportReport) -> list[dict]:
    """The values of Romania and Bulgaria; the file is read line by line (the download of
    one indicator is small, but the whole WDI can be hundreds of MB)."""
    member = unpack(source, r"^API_.*\.csv$", "API_*.csv data file")
    file_report = report.add_file(source, member.label)
    file_report.unit = "values"
    label = member.label
    records = csv_records(text_lines(member), label, ",")
    header_line, header, vintage = _preamble(records, label)
    year_columns = _year_columns(header, label, header_line)
    rows = []
    for line, fields in records:
        file_report.rows_read += 1
        if len(fields) != len(header):
            fail(label, f"expected {len(header)} fields as in the header (line {header_line}), "
                        f"got {len(fields)}", line=line)  # fmt: skip
        iso3 = fields[1]
        if iso3 not in COUNTRIES:
            file_report.skipped["rows of other countries and aggregates"] += 1
            continue
        indicator, indicator_name = fields[3], fields[2]
        if not INDICATOR.fullmatch(indicator):
            fail(label, f"expected an indicator code such as 'BX.TRF.PWKR.CD.DT', got "
                        f"{show(indicator)}", line=line, column="Indicator Code")  # fmt: skip
        unit = UNIT.search(indicator_name)
        for position, year in year_columns:
            text = fields[position].strip()
            if text == "":
                file_report.skipped["empty values (missing)"] += 1
                continue
            if not (NUMBER.fullmatch(text) and math.isfinite(float(text))):
                fail(label, f"expected a number or an empty value, got {show(text)}",
                     line=line, column=year)  # fmt: skip
            rows.append(
                {
                    "country_iso3": iso3,
                    "country_iso2": COUNTRIES[iso3],
                    "country": regions.COUNTRY_NAMES[COUNTRIES[iso3]],
                    "indicator": indicator,
                    "indicator_name": indicator_name,
                    "year": year,
                    "value": text,
                    "unit": unit.group(1) if unit else "",
                    "vintage": vintage,
                    "source": SOURCE,
                    "note": "",
                    "synthetic": FALSE,
                    "_source": source,
                }
            )
            file_report.imported += 1
    if not any(r["_source"] is source for r in rows):
        fail(label, "no values for Romania (ROU) or Bulgaria (BGR) in this file")
    return rows


def prepare(sources: list[Source], folder: DatasetFolder, report: ImportReport) -> list:
    rows: list[dict] = []
    series_where: dict[tuple[str, str], str] = {}
    for source in sources:
        file_rows = _read_file(source, report)
        for key in dict.fromkeys((r["indicator"], r["country_iso3"]) for r in file_rows):
            if key in series_where:
                fail(source.label, f"the series {key[0]} {key[1]} is also in "
                     f"{series_where[key]}; import one vintage at a time")  # fmt: skip
            series_where[key] = source.label
        rows.extend(file_rows)

    existing = _existing_indicators(folder)
    series = existing["indicator"] + "|" + existing["country_iso3"]
    replaced = series.isin({f"{i}|{c}" for i, c in series_where})
    notes = {
        (r.indicator, r.country_iso3, r.year): r.note
        for r in existing[replaced].itertuples(index=False)
    }
    for row in rows:
        row["note"] = notes.get((row["indicator"], row["country_iso3"], row["year"]), "")
    imported = pd.DataFrame(rows)
    for indicator, iso3 in sorted(series_where):
        old = existing[replaced & series.eq(f"{indicator}|{iso3}")]
        new = imported[(imported["indicator"] == indicator) & (imported["country_iso3"] == iso3)]
        report.tables.append(_series_summary(indicator, iso3, new, old))

    frame = pd.concat([existing[~replaced], imported[list(COLUMNS)]], ignore_index=True)
    indicators = dict.fromkeys([*existing["indicator"], *imported["indicator"]])
    order = {name: i for i, name in enumerate(indicators)}
    frame = (
        frame.assign(
            _i=frame["indicator"].map(order),
            _y=frame["year"].astype(int),
            _c=frame["country_iso3"].map({"ROU": 0, "BGR": 1}).fillna(2),
        )
        .sort_values(["_i", "_y", "_c"], kind="stable", ignore_index=True)
        .drop(columns=["_i", "_y", "_c"])
    )
    report.tables.append(f"country_indicators.csv: {len(frame)} rows")
    synthetic = frame["synthetic"].str.lower().eq("true").any()
    return [
        TableUpdate(
            table="country_indicators",
            frame=frame,
            synthetic=bool(synthetic),
            rows_by_source={s: sum(r["_source"] is s for r in rows) for s in sources},
            note=folder.table_entry("country_indicators").get("note") or NOTE,
        )
    ]


def _existing_indicators(folder: DatasetFolder) -> pd.DataFrame:
    existing = folder.read_frame("country_indicators.csv")
    missing = [c for c in COLUMNS if c not in existing.columns]
    if missing:
        fail(str(folder.path / "country_indicators.csv"), f"missing column(s) {', '.join(missing)}")
    return existing


def _series_summary(indicator: str, iso3: str, new: pd.DataFrame, old: pd.DataFrame) -> str:
    """One line for the report: the values imported and the vintage(s) they replace."""
    vintage = new["vintage"].iloc[0]
    text = f"{indicator} {iso3}: {len(new)} values {new['year'].min()}–{new['year'].max()}, "
    text += f"vintage {vintage}; replaced {len(old)} rows"
    if len(old):
        old_vintages = sorted(set(old["vintage"]))
        text += f" of vintage {', '.join(old_vintages)}"
        if old_vintages[-1] > vintage:
            text += " (NOTE: the replaced vintage is newer)"
    return text
