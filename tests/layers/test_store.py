"""The dataset folder under faults: kills at every file operation, concurrent imports, builds
that must not replace imported data, failing renames, and rollback."""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from layers import atomic, demo, store
from layers.__main__ import main
from layers.dataset import DataError, load_dataset, snapshot_dir
from layers.importers import ImportDataError, run_import
from tests.layers.faults import GENESIS, WORLDBANK

PROJECT_ROOT = Path(__file__).resolve().parents[2]


def _faults(command: str, folder: Path) -> list[dict]:
    out = subprocess.run([sys.executable, "-m", "tests.layers.faults", command, str(folder)],
                         cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=240)  # fmt: skip
    assert out.returncode == 0, out.stderr[-2000:]
    return [json.loads(line) for line in out.stdout.splitlines()]


def _digests(folder: Path) -> dict[str, str]:
    files = (p for p in sorted(folder.iterdir()) if p.is_file())
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files}


def _tree(root: Path) -> dict[str, str]:
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}  # fmt: skip


@pytest.fixture
def root(demo_dir, tmp_path) -> Path:
    out = tmp_path / "dataset"
    shutil.copytree(demo_dir, out)
    return out


def test_a_kill_before_any_file_operation_leaves_the_old_or_the_new_snapshot(root):
    old = _digests(snapshot_dir(root))
    results = _faults("kills", root)
    total = results[0]["total"]
    assert total >= 20 and len(results) == total + 1  # every changing operation was a kill point
    assert all(r["killed"] for r in results[:-1]) and not results[-1]["killed"]
    new = results[-1]["digests"]
    switched = False
    for r in results:
        assert "error" not in r and r["loads"], r
        if r["current"] == "0001":
            assert not switched, f"kill {r['k']}: back to the old snapshot after the switch"
            assert r["digests"] == old and r["imports"] == 0
        else:
            switched = True
            assert r["current"] == "0002" and r["imports"] == 1
            data = {n: d for n, d in r["digests"].items() if n != "manifest.json"}
            assert data == {n: d for n, d in new.items() if n != "manifest.json"}
        assert r["leftovers_after_next_writer"] == [], r  # killed runs are cleaned up
        assert not r["build_if_missing_wrote"] and r["current_after_build"] == r["current"]
    kills_with_leftovers = [r for r in results if len(r["leftovers_after_kill"]) > 1]
    assert kills_with_leftovers  # the attack did hit half-written states
    print(
        f"\n{total} kill points: {sum(r['current'] == '0001' for r in results)} kept the "
        f"old snapshot, the rest the new; {len(kills_with_leftovers)} left staging files"
    )


def test_ten_concurrent_import_pairs_lose_nothing(root):
    (result,) = _faults("concurrent", root)
    assert result["exit_codes"] == [0] * 20
    assert result["imports"] == {"country_indicators": 10, "official_population": 10}
    assert result["snapshots"] == store.KEEP  # older snapshots pruned, the newest kept


def test_build_if_missing_never_replaces_imported_data(root):
    run_import("worldbank", [WORLDBANK], root)
    imported = snapshot_dir(root)
    assert demo.write_dataset(root, if_missing=True) is None
    assert main(["build", "--out", str(root), "--if-missing"]) == 0
    assert snapshot_dir(root) == imported
    (snapshot_dir(root) / "manifest.json").unlink()  # even a damaged snapshot is not replaced
    with pytest.raises(DataError, match="rollback --to"):
        load_dataset(root)
    assert demo.write_dataset(root, if_missing=True) is None
    assert sorted(p.name for p in (root / store.VERSIONS).iterdir()) == ["0001", "0002"]


def test_a_new_build_keeps_the_imported_snapshot_to_roll_back_to(root, capsys):
    run_import("genesis", [GENESIS], root)
    imported = _digests(snapshot_dir(root))
    assert main(["build", "--out", str(root)]) == 0
    assert "official_population.csv" not in _digests(snapshot_dir(root))
    assert "rollback" in capsys.readouterr().out
    assert main(["rollback", "--data-dir", str(root)]) == 0
    assert _digests(snapshot_dir(root)) == imported and snapshot_dir(root).name == "0002"
    assert main(["versions", "--data-dir", str(root)]) == 0
    listing = capsys.readouterr().out
    assert "* 0002" in listing and "12411-0015_de_flat.csv" in listing and "  0003" in listing
    assert main(["rollback", "--to", "0009", "--data-dir", str(root)]) == 1
    assert "no snapshot '0009'" in capsys.readouterr().err


def test_a_second_import_waits_and_says_so(root):
    command = [sys.executable, "-m", "layers", "import", "worldbank", str(WORLDBANK),
               "--data-dir", str(root)]  # fmt: skip
    with store.writer(root):
        process = subprocess.Popen(command, cwd=PROJECT_ROOT, stderr=subprocess.PIPE, text=True)
        line = process.stderr.readline()  # blocks until the import reports that it waits
        time.sleep(0.5)
        assert process.poll() is None, "the second import did not wait for the lock"
        assert snapshot_dir(root).name == "0001"
    assert "another import or build is running" in line
    assert process.wait(timeout=60) == 0
    assert snapshot_dir(root).name == "0002"


def test_failing_renames_keep_the_old_snapshot_whole(root, monkeypatch):
    before = _tree(root)

    def full_disk(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(store.os, "rename", full_disk)
    with pytest.raises(ImportDataError, match="nothing changed"):
        run_import("worldbank", [WORLDBANK], root)
    assert _tree(root) == before  # no staging left, nothing deleted
    monkeypatch.undo()
    monkeypatch.setattr(atomic.os, "replace", full_disk)  # CURRENT cannot be switched
    with pytest.raises(ImportDataError, match="nothing changed"):
        run_import("worldbank", [WORLDBANK], root)
    assert snapshot_dir(root).name == "0001" and _digests(snapshot_dir(root)) == _digests(
        root / store.VERSIONS / "0001")  # fmt: skip
    load_dataset(root)


def test_a_plain_dataset_folder_is_read_and_never_overwritten(root, tmp_path):
    plain = tmp_path / "plain"
    shutil.copytree(snapshot_dir(root), plain)
    before = _digests(plain)
    assert load_dataset(plain).manifest["loaded_from"] == str(plain.resolve())
    run_import("worldbank", [WORLDBANK], plain)
    files = {n: d for n, d in _digests(plain).items() if n in before}
    assert files == before  # the plain files stay; the import became snapshot 0001
    assert snapshot_dir(plain) == plain / store.VERSIONS / "0001"
    assert len(json.loads((snapshot_dir(plain) / "manifest.json").read_text())["tables"]
               ["country_indicators"]["imports"]) == 1  # fmt: skip
    assert not (snapshot_dir(plain) / store.VERSIONS).exists()  # snapshots are not nested


def test_current_naming_nonsense_is_a_clear_error(root):
    (root / store.CURRENT).write_text("../../etc\n")
    with pytest.raises(DataError, match=r"not a complete snapshot.*rollback --to"):
        load_dataset(root)
