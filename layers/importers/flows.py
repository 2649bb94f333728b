"""Import real flows from a tidy CSV (the columns of flows.csv, optional ``source``).

Replace rule: the imported rows replace **every** row of flows.csv (modelled or imported
earlier) for each (year, destination_ags) pair that occurs in the import. The import of a
pair must therefore be complete: all origins, migration types and both directions; cells it
does not list are zero. Pairs the import does not mention keep their rows.
"""

from __future__ import annotations

import re

import pandas as pd

from layers import regions, vocab
from layers.dataset import FLOW_COLUMNS
from layers.importers.common import Source
from layers.importers.errors import fail, show
from layers.importers.report import ImportReport
from layers.importers.snapshot import FALSE, TRUE, DatasetFolder, TableUpdate
from layers.importers.tidy import read_tidy
from layers.progress import QUIET, Progress

OPTIONAL = ("source",)
HINT = " (see data/README.md, 'Importing real data')"
KEY = ("year", "origin_nuts3", "destination_ags", "migration_type", "direction")
MAX_PERSONS = 999_999_999
DEMO_SOURCE = "modelled demonstration data (layers/demo.py)"
WHOLE_NUMBER = re.compile(r"[0-9]+")  # ASCII digits only: \d would take "٣" and "３"

NOTE_MIXED = (
    "Arrivals and departures (persons) by year, origin region, municipality, migration type "
    "and direction. Rows with synthetic=False are imported real data and replace the modelled "
    "rows of the (year, municipality) pairs listed under 'imported'; all other rows are "
    "synthetic demonstration data."
)
NOTE_REAL = (
    "Arrivals and departures (persons) by year, origin region, municipality, migration type "
    "and direction. Imported real data for every (year, municipality) pair (see 'imported')."
)


def _check_choice(label, line, column, value, allowed, expected) -> str:
    if value not in allowed:
        fail(label, f"expected {expected}, got {show(value)}", line=line, column=column)
    return value


def _validate(table, source_default) -> list[dict]:
    years = {str(y) for y in vocab.YEARS}
    origins = {r.nuts3 for r in regions.ORIGIN_REGIONS}
    municipalities = {m.ags for m in regions.MUNICIPALITIES}
    types = set(vocab.MIGRATION_TYPES)
    rows = []
    for line, row in table.rows:
        label = table.label
        _check_choice(label, line, "year", row["year"], years,
                      f"a year {vocab.YEARS[0]}–{vocab.YEARS[-1]}")  # fmt: skip
        _check_choice(label, line, "origin_nuts3", row["origin_nuts3"], origins,
                      "the NUTS 3 code of a Romanian or Bulgarian region, e.g. "
                      "'RO224'")  # fmt: skip
        _check_choice(label, line, "destination_ags", row["destination_ags"], municipalities,
                      "the 8-digit AGS of one of the 53 Ruhr municipalities with its leading "
                      "zero, e.g. '05913000'")  # fmt: skip
        _check_choice(label, line, "migration_type", row["migration_type"], types,
                      f"one of {', '.join(vocab.MIGRATION_TYPES)}")  # fmt: skip
        _check_choice(label, line, "direction", row["direction"], set(vocab.DIRECTIONS),
                      " or ".join(vocab.DIRECTIONS))  # fmt: skip
        persons = row["persons"]
        if not WHOLE_NUMBER.fullmatch(persons):
            fail(label, f"expected a whole number >= 0, got {show(persons)}", line=line,
                 column="persons")  # fmt: skip
        if int(persons) > MAX_PERSONS:
            fail(label, f"expected a whole number >= 0 and at most {MAX_PERSONS:,}, got "
                        f"{show(persons)}", line=line, column="persons")  # fmt: skip
        rows.append({**row, "persons": int(persons), "source": row.get("source") or source_default,
                     "_line": line})  # fmt: skip
    return rows


def _coverage_list(pairs: dict[tuple[str, str], set[str]]) -> list[dict]:
    """Group covered (year, municipality) pairs by year and source for the manifest."""
    groups: dict[tuple[str, str], list[str]] = {}
    for (year, ags), sources in sorted(pairs.items()):
        groups.setdefault((year, "; ".join(sorted(sources))), []).append(ags)
    return [
        {"year": int(year), "source": source, "destination_ags": ags}
        for (year, source), ags in sorted(groups.items())
    ]


def _previous_coverage(entry: dict) -> dict[tuple[str, str], set[str]]:
    pairs = {}
    for group in entry.get("imported", []):
        for ags in group.get("destination_ags", []):
            pairs[(str(group["year"]), ags)] = set(str(group.get("source", "")).split("; "))
    return pairs


def prepare(sources: list[Source], folder: DatasetFolder, report: ImportReport) -> list:
    new_rows, covered, rows_by_source = _read_sources(sources, report, folder.progress)
    existing = _existing_flows(folder)
    synthetic = existing["synthetic"].str.lower().eq("true")
    pair = existing["year"] + "|" + existing["destination_ags"]
    replaced = pair.isin({f"{y}|{a}" for y, a in covered})
    kept = existing[~replaced]
    imported = pd.DataFrame(new_rows, columns=[*FLOW_COLUMNS, "source"]).astype(str)
    imported["synthetic"] = FALSE
    columns = [*FLOW_COLUMNS, "synthetic", "source"]
    flows = pd.concat([kept[columns], imported[columns]], ignore_index=True)
    flows = flows.sort_values(list(KEY), kind="stable", ignore_index=True)
    is_synthetic = flows["synthetic"].str.lower().eq("true")

    previous = _previous_coverage(folder.table_entry("flows"))
    all_covered = {**previous, **covered}
    report.tables.append(
        f"flows.csv: {len(flows)} rows ({int((~is_synthetic).sum())} imported, "
        f"{int(is_synthetic.sum())} synthetic); removed {int(replaced.sum())} rows of the "
        f"{len(covered)} covered (year, municipality) pair(s) "
        f"({int((replaced & synthetic).sum())} synthetic, "
        f"{int((replaced & ~synthetic).sum())} imported earlier)"
    )
    flows["synthetic"] = is_synthetic.map({True: TRUE, False: FALSE})
    return [
        TableUpdate(
            table="flows",
            frame=flows,
            synthetic=bool(is_synthetic.any()),
            rows_by_source=rows_by_source,
            note=NOTE_MIXED if is_synthetic.any() else NOTE_REAL,
            extra={
                "synthetic_rows": int(is_synthetic.sum()),
                "imported_rows": int((~is_synthetic).sum()),
                "imported": _coverage_list(all_covered),
            },
        )
    ]


def _read_sources(
    sources: list[Source], report: ImportReport, progress: Progress = QUIET
) -> tuple[list[dict], dict[tuple[str, str], set[str]], dict[Source, int]]:
    """The non-zero rows of all files, the (year, municipality) pairs they cover with their
    sources, and the rows imported per file. A key given twice is refused."""
    seen: dict[tuple, str] = {}
    new_rows: list[dict] = []
    covered: dict[tuple[str, str], set[str]] = {}
    rows_by_source: dict[Source, int] = {}
    for source in sources:
        file_report = report.add_file(source)
        table = read_tidy(source, FLOW_COLUMNS, OPTIONAL, HINT)
        table.rows = progress.track(table.rows, f"reading {source.name}")
        file_rows = _validate(table, f"imported from {source.name}")
        for row in file_rows:
            file_report.rows_read += 1
            key = tuple(row[c] for c in KEY)
            if key in seen:
                fail(table.label, f"duplicate of {seen[key]} (same {', '.join(KEY)})",
                     line=row["_line"])  # fmt: skip
            seen[key] = f"{source.label}, line {row['_line']}"
            covered.setdefault((row["year"], row["destination_ags"]), set()).add(row["source"])
            if row["persons"] == 0:
                file_report.skipped[
                    "zero rows (zeros are implied, the pair counts as covered)"
                ] += 1
                continue
            new_rows.append(row)
            file_report.imported += 1
        rows_by_source[source] = file_report.imported
        pairs = {(row["year"], row["destination_ags"]) for row in file_rows}
        file_report.notes.append(f"covers {len(pairs)} (year, municipality) pair(s)")
    return new_rows, covered, rows_by_source


def _existing_flows(folder: DatasetFolder) -> pd.DataFrame:
    """The stored flows, with the source of the modelled rows filled in for older files."""
    existing = folder.read_frame("flows.csv")
    missing = [c for c in (*FLOW_COLUMNS, "synthetic") if c not in existing.columns]
    if missing:
        fail(str(folder.path / "flows.csv"), f"missing column(s) {', '.join(missing)}")
    if "source" not in existing.columns:
        synthetic = existing["synthetic"].str.lower().eq("true")
        existing["source"] = synthetic.map({True: DEMO_SOURCE, False: ""})
    return existing
