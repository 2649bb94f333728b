"""``python -m layers``: long work shows its progress on a terminal and stays silent in
scripts, CI and with ``--quiet`` (issue 19). The terminal is a pseudo-terminal (``pty``)."""

import os
import pty
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SURVEY = ROOT / "tests" / "data" / "importers" / "respondents_import.csv"


def run(args: list[str], terminal: bool, **env) -> tuple[int, str, str]:
    """(exit status, stdout, what reached stderr) with stderr on a pseudo-terminal or a pipe;
    stdout is always a pipe, so the command's result can be told from its progress."""
    environ = {k: v for k, v in os.environ.items() if k != "CI"}
    environ |= {"TERM": "xterm-256color", "COLUMNS": "120", "PYTHONPATH": str(ROOT), **env}
    command = [sys.executable, "-m", "layers", *args]
    if not terminal:
        done = subprocess.run(command, cwd=ROOT, env=environ, capture_output=True, text=True,
                              stdin=subprocess.DEVNULL, timeout=240)  # fmt: skip
        return done.returncode, done.stdout, done.stderr
    master, slave = pty.openpty()
    child = subprocess.Popen(command, cwd=ROOT, env=environ, stdin=subprocess.DEVNULL,
                             stdout=subprocess.PIPE, stderr=slave)  # fmt: skip
    os.close(slave)
    seen = bytearray()
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child has closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    os.close(master)
    out = child.stdout.read().decode()
    child.stdout.close()
    return child.wait(timeout=240), out, seen.decode(errors="replace")


def export_args(demo_dir, tmp_path, *extra) -> list[str]:
    return ["export", "--layer", "municipalities", "--format", "geojson", "--out",
            str(tmp_path / "ruhr.geojson"), "--data-dir", str(demo_dir), *extra]  # fmt: skip


def test_an_export_on_a_terminal_shows_its_steps(demo_dir, tmp_path):
    status, out, terminal = run(export_args(demo_dir, tmp_path), terminal=True)
    assert status == 0, terminal
    assert "loading the dataset" in terminal and "writing ruhr.geojson" in terminal
    assert out.startswith("wrote ") and "loading" not in out  # the result stays on stdout
    assert "wrote " not in terminal


def test_an_export_in_a_script_prints_only_its_result(demo_dir, tmp_path):
    status, out, err = run(export_args(demo_dir, tmp_path), terminal=False)
    assert status == 0, err
    assert err == ""
    assert out.startswith("wrote ") and "53 features" in out


@pytest.mark.parametrize(("env", "extra"), [({"CI": "true"}, ()), ({}, ("--quiet",))])
def test_no_progress_in_ci_or_when_quiet_even_on_a_terminal(demo_dir, tmp_path, env, extra):
    status, out, terminal = run(export_args(demo_dir, tmp_path, *extra), terminal=True, **env)
    assert status == 0, terminal
    assert terminal == ""
    assert out.startswith("wrote ")


def test_a_survey_import_on_a_terminal_counts_rows_and_the_protection(demo_dir, tmp_path):
    folder = tmp_path / "dataset"
    shutil.copytree(demo_dir, folder)
    status, out, terminal = run(["import", "survey", str(SURVEY), "--data-dir", str(folder)],
                                terminal=True)  # fmt: skip
    assert status == 0, terminal
    assert "reading respondents_import.csv" in terminal
    assert "protecting the survey tables" in terminal
    assert "writing the snapshot" in terminal
    assert "imported" in out  # the report, on stdout
