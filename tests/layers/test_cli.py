"""``python -m layers``: export filtered layers, read them back with GDAL, reject bad arguments."""

import subprocess
import sys

import pyogrio
import pytest

from layers.__main__ import main
from tests.helpers import DORTMUND

AREA_FIELDS = {
    "arrivals",
    "departures",
    "net",
    "arrivals_per_1000",
    "departures_per_1000",
    "net_per_1000",
    "synthetic",
}


def test_export_municipalities_geojson_reads_back_with_gdal(demo_dir, demo_dataset, tmp_path):
    out = tmp_path / "ruhr.geojson"
    args = [
        "export",
        "--layer",
        "municipalities",
        "--format",
        "geojson",
        "--years",
        "2015-2016",
        "--type",
        "circular",
        "--type",
        "return",
        "--out",
        str(out),
        "--data-dir",
        str(demo_dir),
    ]
    assert main(args) == 0
    info = pyogrio.read_info(out)
    assert info["features"] == 53 and info["crs"] == "EPSG:4326"
    assert set(info["fields"]) >= AREA_FIELDS
    frame = pyogrio.read_dataframe(out).set_index("ags")
    assert frame.geometry.is_valid.all()
    assert frame["synthetic"].all()
    assert set(frame["years"]) == {"2015-2016"} and set(frame["migration_types"]) == {
        "return,circular"
    }
    cube = demo_dataset.flows  # [year, origin, municipality, type, direction]
    expected = cube[1:3, :, list(demo_dataset.municipalities.index).index(DORTMUND), 1:3, 0].sum()
    assert frame.loc[DORTMUND, "arrivals"] == expected
    assert (
        frame.loc[DORTMUND, "net"]
        == frame.loc[DORTMUND, "arrivals"] - frame.loc[DORTMUND, "departures"]
    )


def test_export_origin_regions_csv_for_one_country(demo_dir, tmp_path):
    out = tmp_path / "bg.csv"
    args = [
        "export",
        "--layer",
        "origin_regions",
        "--format",
        "csv",
        "--year",
        "2020",
        "--country",
        "BG",
        "--out",
        str(out),
        "--data-dir",
        str(demo_dir),
    ]
    assert main(args) == 0
    frame = pyogrio.read_dataframe(out, read_geometry=False)  # GDAL's CSV driver
    assert len(frame) == 28 and set(frame["country"]) == {"BG"}
    assert set(frame["synthetic"].astype(str).str.lower()) == {"true"}


def test_export_flows_as_lines(demo_dir, tmp_path):
    out = tmp_path / "flows.geojson"
    assert (
        main(
            [
                "export",
                "--layer",
                "flows",
                "--format",
                "geojson",
                "--out",
                str(out),
                "--data-dir",
                str(demo_dir),
            ]
        )
        == 0
    )
    frame = pyogrio.read_dataframe(out)
    assert set(frame.geom_type) == {"LineString"}
    assert {"origin_nuts3", "destination_ags", "arrivals", "departures"} <= set(frame.columns)
    assert (frame["arrivals"] + frame["departures"] > 0).all()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--layer", "roads", "--format", "csv"], "argument --layer: invalid choice: 'roads'"),
        (["--layer", "flows", "--format", "shp"], "argument --format: invalid choice: 'shp'"),
        (["--layer", "flows", "--format", "csv", "--year", "2013"], "allowed: 2014–2024"),
        (["--layer", "flows", "--format", "csv", "--years", "2020-2015"], "argument --years"),
        (["--layer", "flows", "--format", "csv", "--type", "tourist"], "argument --type"),
        (["--layer", "flows", "--format", "csv", "--country", "DE"], "argument --country"),
        (["--layer", "flows", "--format", "csv", "--indicators", "joy"], "argument --indicators"),
        (["--layer", "flows", "--format", "csv", "--shape", "wide"], "argument --shape"),
        (
            ["--layer", "flows", "--format", "gpkg", "--shape", "long"],
            "argument --format: 'gpkg' is not offered with --shape long; allowed: csv, zip",
        ),
        (
            ["--layer", "flows", "--format", "zip", "--file", "geojson", "--shape", "long"],
            "argument --file: 'geojson' is not offered with --shape long; allowed: csv",
        ),
    ],
)
def test_bad_arguments_give_one_line_and_exit_2(args, expected, tmp_path):
    cmd = [sys.executable, "-m", "layers", "export", *args, "--out", str(tmp_path / "x")]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1 and expected in result.stderr
    assert not (tmp_path / "x").exists()


def test_missing_dataset_is_explained(tmp_path):
    cmd = [
        sys.executable,
        "-m",
        "layers",
        "export",
        "--layer",
        "flows",
        "--format",
        "csv",
        "--out",
        str(tmp_path / "x.csv"),
        "--data-dir",
        str(tmp_path / "nothing"),
    ]
    result = subprocess.run(cmd, capture_output=True, text=True)
    assert result.returncode == 1
    assert "python -m layers build" in result.stderr and "Traceback" not in result.stderr


def test_export_indicators_with_suppressed_cells_empty_and_flagged(demo_dir, tmp_path):
    out = tmp_path / "needs.geojson"
    args = ["export", "--layer", "municipalities", "--format", "geojson", "--type", "transnational",
            "--indicators", "need_housing,language_richness,arrivals_cv,remittance_use_housing",
            "--out", str(out), "--data-dir", str(demo_dir)]  # fmt: skip
    assert main(args) == 0
    frame = pyogrio.read_dataframe(out).set_index("ags")
    expected = {"need_housing", "language_richness", "arrivals_cv", "remittance_use_housing",
                "survey_suppressed", "remittance_use_suppressed"}  # fmt: skip
    assert set(frame.columns) >= expected
    hidden = frame["survey_suppressed"].astype(bool)
    assert hidden.any() and (~hidden).any()
    assert frame.loc[hidden, ["need_housing", "language_richness"]].isna().all().all()
    # Where the base is published a share may still be withheld (its count is small).
    shown = frame.loc[~hidden, "need_housing"].dropna()
    assert len(shown) and shown.between(0, 100).all()
    assert frame["arrivals_cv"].notna().all()  # flow indicators are never suppressed
    csv_out = tmp_path / "all.csv"
    assert main(["export", "--layer", "origin_regions", "--format", "csv", "--indicators", "all",
                 "--out", str(csv_out), "--data-dir", str(demo_dir)]) == 0  # fmt: skip
    table = pyogrio.read_dataframe(csv_out, read_geometry=False)
    assert {"need_work", "destination_effective", "churn", "respondents"} <= set(table.columns)


def test_export_the_long_table(demo_dir, demo_dataset, tmp_path, capsys):
    """Dortmund's arrivals from Romania in 2016, circular: the cell of the flow array."""
    import csv
    import zipfile

    out = tmp_path / "long.csv"
    args = ["export", "--layer", "municipalities", "--format", "csv", "--shape", "long",
            "--year", "2016", "--type", "circular", "--country", "RO", "--out", str(out),
            "--data-dir", str(demo_dir)]  # fmt: skip
    assert main(args) == 0
    assert capsys.readouterr().out == f"wrote {out} (106 rows, synthetic=True)\n"  # 53 × 2
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    dortmund = [r for r in rows if r["ags"] == DORTMUND and r["direction"] == "arrival"]
    cube = demo_dataset.flows  # [year, origin, municipality, type, direction]
    romanian = [i for i, code in enumerate(demo_dataset.origin_regions.index) if code[:2] == "RO"]
    j = list(demo_dataset.municipalities.index).index(DORTMUND)
    assert int(dortmund[0]["persons"]) == cube[2, romanian, j, 2, 0].sum()
    assert (dortmund[0]["name"], dortmund[0]["country"]) == ("Dortmund", "RO")
    zipped = tmp_path / "long.zip"
    args[args.index("csv")] = "zip"
    args[args.index(str(out))] = str(zipped)
    assert main(args) == 0
    names = sorted(zipfile.ZipFile(zipped).namelist())
    assert names == ["datapackage.json", "municipalities.csv", "municipalities_long.csv"]
