"""What an import tells the person running it: per file the rows read, imported and
skipped (with the reason), the markers met, and per table what changed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from layers.importers.common import Source


@dataclass
class FileReport:
    label: str
    sha256: str
    rows_read: int = 0
    imported: int = 0
    unit: str = "rows"  # what ``imported`` counts
    skipped: Counter = field(default_factory=Counter)  # reason -> rows
    markers: Counter = field(default_factory=Counter)  # marker -> imported values
    notes: list[str] = field(default_factory=list)


@dataclass
class ImportReport:
    kind: str
    data_dir: Path
    files: list[FileReport] = field(default_factory=list)
    tables: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def add_file(self, source: Source, label: str | None = None) -> FileReport:
        report = FileReport(label or source.label, source.sha256)
        self.files.append(report)
        return report

    def format(self, marker_names: dict[str, str] | None = None) -> str:
        lines = [f"imported {self.kind} into {self.data_dir} ({len(self.files)} file(s))"]
        for f in self.files:
            text = f"  {f.label} (sha256 {f.sha256[:12]}…): {f.rows_read} rows read, "
            text += f"{f.imported} {'' if f.unit == 'rows' else f.unit + ' '}imported"
            if f.skipped:
                text += "; skipped: " + ", ".join(f"{n} {why}" for why, n in f.skipped.items())
            if f.markers:
                names = marker_names or {}
                text += "; markers: " + ", ".join(
                    f"{m!r} {names.get(m, '')} {n}".replace("  ", " ")
                    for m, n in sorted(f.markers.items())
                )
            lines.append(text)
            lines.extend(f"    {note}" for note in f.notes)
        lines.extend(f"  {t}" for t in self.tables)
        lines.extend(f"  note: {n}" for n in self.notes)
        return "\n".join(lines)
