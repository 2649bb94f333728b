"""``python -m layers export --layer services``: the KOSMATI coverage per municipality (or the
inventory, one row per service) in GeoJSON, GeoPackage or CSV, read back with GDAL."""

import sqlite3

import pyogrio
import pytest

from layers.__main__ import main


def _export(demo_dir, out, fmt, *extra):
    args = ["export", "--layer", "services", "--format", fmt, "--out", str(out),
            "--data-dir", str(demo_dir), *extra]  # fmt: skip
    try:
        return main(args)
    except SystemExit as exit_:  # argparse's own refusals
        return exit_.code


@pytest.mark.parametrize("fmt", ["geojson", "gpkg", "csv"])
def test_export_services_reads_back_with_gdal(demo_dir, tmp_path, fmt, capsys):
    out = tmp_path / f"services.{fmt}"
    assert _export(demo_dir, out, fmt) == 0
    assert "53 features, illustrative=True" in capsys.readouterr().out
    assert pyogrio.read_info(out)["features"] == 53
    frame = pyogrio.read_dataframe(out, read_geometry=fmt != "csv").set_index("ags")
    dortmund = frame.loc["05913000"]  # the demo inventory's numbers
    assert (int(dortmund["services"]), int(dortmund["dimensions_covered"])) == (11, 4)
    assert frame["services"].astype(int).sum() == 47
    assert frame["illustrative"].astype(str).isin(["True", "1"]).all()  # CSV text, GDAL bool
    if fmt != "csv":
        assert frame.geometry.is_valid.all()


def test_the_geopackage_describes_the_illustrative_inventory(demo_dir, tmp_path):
    out = tmp_path / "services.gpkg"
    assert _export(demo_dir, out, "gpkg") == 0
    with sqlite3.connect(out) as db:
        identifier, description = db.execute(
            "SELECT identifier, description FROM gpkg_contents WHERE table_name = 'services'"
        ).fetchone()
    assert identifier.startswith("KOSMATI services")
    assert "ILLUSTRATIVE demonstration inventory" in description
    assert "kosmati_services_demo.csv" in description


def test_export_the_inventory_long(demo_dir, tmp_path, capsys):
    out = tmp_path / "services_long.csv"
    assert _export(demo_dir, out, "csv", "--shape", "long") == 0
    assert "47 services" in capsys.readouterr().out
    assert pyogrio.read_info(out)["features"] == 47


@pytest.mark.parametrize(
    ("extra", "fmt", "message"),
    [
        (("--year", "2020"), "geojson", "--year does not apply"),
        (("--type", "circular"), "csv", "--type does not apply"),
        ((), "parquet", "allowed: geojson, csv, gpkg"),
        (("--shape", "long"), "zip", "--format zip; allowed: geojson, csv, gpkg"),
        (("--shape", "long"), "geojson", "allowed: csv, zip"),
    ],
)
def test_bad_arguments_say_what_is_allowed(demo_dir, tmp_path, extra, fmt, message, capsys):
    assert _export(demo_dir, tmp_path / "x", fmt, *extra) == 2
    assert message in capsys.readouterr().err
    assert not (tmp_path / "x").exists()
