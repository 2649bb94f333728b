"""Import real survey microdata from a tidy CSV (the columns of respondents.csv).

Replace rule: the import replaces respondents.csv **entirely** (the survey is one data
set; mixing modelled and real respondents would make every survey figure meaningless).
Several files given in one command are one survey (e.g. two fieldwork batches) and are
concatenated; respondent ids must be unique across them.

The protected survey publication (layers/publication.py) is rebuilt from the imported
respondents in the same commit, so no survey number of the old data outlives the import.
"""

from __future__ import annotations

import re
from datetime import date

import pandas as pd

from layers import publication, regions, vocab
from layers.importers.common import Source
from layers.importers.errors import fail, show
from layers.importers.report import ImportReport
from layers.importers.snapshot import FALSE, TRUE, DatasetFolder, TableUpdate, csv_bytes
from layers.importers.tidy import read_tidy

COLUMNS = (
    "respondent_id", "survey_date", "municipality_ags", "origin_nuts3", "migration_type",
    "sex", "age_band", "education", "languages", "prior_countries", "support_needs", "remits",
    "remittance_band", "remittance_use", "years_since_first_arrival",
)  # fmt: skip
HINT = " (see data/README.md, 'Importing real data'; synthetic is assigned)"
BOOLEANS = {"true": TRUE, "1": TRUE, "false": FALSE, "0": FALSE}
ID_PATTERN = re.compile(r"[A-Za-z0-9_.:-]{1,64}")
DATE_PATTERN = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
YEARS_PATTERN = re.compile(r"[0-9]{1,2}")  # ASCII digits: str.isdigit() takes "²", int() not
MAX_YEARS_SINCE = 80
NOTE = (
    "Imported survey microdata ({n} respondents, {files}). Real data; never leaves the server "
    "unaggregated."
)


class _Row:
    """Validation of one respondent with messages naming the file, line and column."""

    def __init__(self, label: str, line: int, row: dict[str, str]):
        self.label, self.line, self.row = label, line, row

    def fail(self, column: str, expected: str):
        fail(self.label, f"expected {expected}, got {show(self.row[column])}", line=self.line,
             column=column)  # fmt: skip

    def choice(self, column: str, allowed, expected: str, empty_ok: bool = False) -> str:
        value = self.row[column]
        if not (value in allowed or (empty_ok and value == "")):
            self.fail(column, expected + (" or an empty value (no answer)" if empty_ok else ""))
        return value

    def codes(self, column: str, allowed: tuple[str, ...], what: str) -> str:
        """Codes joined by ';' (empty: no answer); unknown or repeated codes are errors."""
        value = self.row[column]
        if value == "":
            return value
        codes = [c.strip() for c in value.split(";")]
        for code in codes:
            if code not in allowed:
                fail(self.label, f"unknown code {show(code)} in {show(value)}; expected {what} "
                     f"joined by ';', e.g. {';'.join(allowed[:3])}", line=self.line,
                     column=column)  # fmt: skip
        if len(set(codes)) != len(codes):
            fail(self.label, f"a code is repeated in {show(value)}", line=self.line,
                 column=column)  # fmt: skip
        return ";".join(codes)


def _validate(label: str, line: int, row: dict[str, str]) -> dict[str, str]:
    r = _Row(label, line, row)
    if not ID_PATTERN.fullmatch(row["respondent_id"]):
        r.fail("respondent_id", "an identifier of 1–64 letters, digits or _ . : -")
    try:
        ok = DATE_PATTERN.fullmatch(row["survey_date"]) and date.fromisoformat(row["survey_date"])
    except ValueError:
        ok = False
    if not ok:
        r.fail("survey_date", "a date YYYY-MM-DD")
    out = dict(row)
    r.choice("municipality_ags", {m.ags for m in regions.MUNICIPALITIES},
             "the 8-digit AGS of one of the 53 Ruhr municipalities, e.g. '05913000'")  # fmt: skip
    r.choice("origin_nuts3", {o.nuts3 for o in regions.ORIGIN_REGIONS},
             "the NUTS 3 code of a Romanian or Bulgarian region, e.g. 'RO224'")  # fmt: skip
    r.choice("migration_type", vocab.MIGRATION_TYPES,
             f"one of {', '.join(vocab.MIGRATION_TYPES)}")  # fmt: skip
    r.choice("sex", vocab.SEXES, " or ".join(vocab.SEXES), empty_ok=True)
    r.choice("age_band", vocab.AGE_BANDS, f"one of {', '.join(vocab.AGE_BANDS)}", empty_ok=True)
    r.choice("education", vocab.EDUCATION_LEVELS, f"one of {', '.join(vocab.EDUCATION_LEVELS)}",
             empty_ok=True)  # fmt: skip
    out["languages"] = r.codes("languages", vocab.LANGUAGES, "ISO 639 language codes")
    out["prior_countries"] = r.codes("prior_countries", vocab.PRIOR_COUNTRIES,
                                     "ISO 3166-1 alpha-2 country codes")  # fmt: skip
    out["support_needs"] = r.codes("support_needs", vocab.SUPPORT_NEEDS, "support needs")
    if "none" in out["support_needs"].split(";") and out["support_needs"] != "none":
        r.fail("support_needs", "'none' alone ('in keinen' excludes every other answer)")
    remits = BOOLEANS.get(row["remits"].lower())
    if remits is None:
        r.fail("remits", "true or false")
    out["remits"] = remits
    for column, allowed in (("remittance_band", vocab.REMITTANCE_BANDS),
                            ("remittance_use", vocab.REMITTANCE_USES)):  # fmt: skip
        if remits == TRUE:
            r.choice(column, allowed, f"one of {', '.join(allowed)}", empty_ok=True)
        elif row[column] != "":
            r.fail(column, "an empty value because remits is false")
    years = row["years_since_first_arrival"]
    if years and not (YEARS_PATTERN.fullmatch(years) and int(years) <= MAX_YEARS_SINCE):
        r.fail("years_since_first_arrival", f"a whole number 0–{MAX_YEARS_SINCE} in the digits "
               "0–9 or an empty value (no answer)")  # fmt: skip
    return out


def prepare(sources: list[Source], folder: DatasetFolder, report: ImportReport) -> list:
    seen: dict[str, str] = {}
    rows: list[dict[str, str]] = []
    rows_by_source: dict[Source, int] = {}
    for source in sources:
        file_report = report.add_file(source)
        table = read_tidy(source, COLUMNS, (), HINT)
        for line, row in folder.progress.track(table.rows, f"reading {source.name}"):
            file_report.rows_read += 1
            respondent = _validate(table.label, line, row)
            rid = respondent["respondent_id"]
            if rid in seen:
                fail(table.label, f"respondent_id {show(rid)} already used in {seen[rid]}",
                     line=line, column="respondent_id")  # fmt: skip
            seen[rid] = f"{source.label}, line {line}"
            rows.append(respondent)
            file_report.imported += 1
        rows_by_source[source] = file_report.imported

    frame = pd.DataFrame(rows, columns=list(COLUMNS))
    frame["synthetic"] = FALSE

    previous = folder.read_frame("respondents.csv", required=False)
    if previous is not None and "synthetic" in previous:
        n_synthetic = int(previous["synthetic"].str.lower().eq("true").sum())
        report.tables.append(
            f"respondents.csv: replaced entirely: {len(previous)} respondents before "
            f"({n_synthetic} synthetic), {len(frame)} imported now; survey publication rebuilt"
        )
    files = ", ".join(s.name for s in sources)
    return [
        TableUpdate(
            table="respondents",
            frame=frame,
            synthetic=False,
            rows_by_source=rows_by_source,
            note=NOTE.format(n=len(frame), files=files),
            extra={"replaced_entirely": True},
        ),
        _publication_update(frame, folder),
    ]


def _publication_update(frame: pd.DataFrame, folder: DatasetFolder) -> TableUpdate:
    policy = folder.policy
    table = publication.to_frame(publication.build_publication(frame, policy, folder.progress))
    entry = publication.file_entry(csv_bytes(frame), policy, synthetic=False)
    extra = {k: v for k, v in entry.items() if k not in ("file", "synthetic", "note")}
    return TableUpdate("survey_publication", table, False, {}, entry["note"], extra)
