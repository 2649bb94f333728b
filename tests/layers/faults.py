"""Fault injection for the dataset folder, run in its own process (it forks; pytest's process
may have threads): ``python -m tests.layers.faults {kills,concurrent} ROOT``.

``kills``: an import is first traced to count the file operations that change something; then
for every k, a fresh copy of ROOT is imported into by a child that SIGKILLs itself just before
its k-th such operation. Prints one JSON line per k with what a reader finds afterwards.
``concurrent``: 10 pairs of imports (World Bank, GENESIS) are started together on one folder.
"""

from __future__ import annotations

import builtins
import fcntl
import hashlib
import io
import json
import os
import shutil
import signal
import sys
from pathlib import Path

from layers import demo, store
from layers.dataset import load_dataset
from layers.importers import run_import

FIXTURES = Path(__file__).resolve().parents[1] / "data" / "importers"
WORLDBANK = FIXTURES / "API_BX.TRF.PWKR.CD.DT_DS2_en_csv_v2_4021.csv"
GENESIS = FIXTURES / "12411-0015_de_flat.csv"
WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_TRUNC | os.O_APPEND
CHANGING = ("rename", "replace", "mkdir", "unlink", "remove", "rmdir", "fsync", "chmod",
            "utime", "sendfile", "link", "symlink")  # fmt: skip


def _writes(op: str, args: tuple, kwargs: dict) -> bool:
    if op == "open":
        mode = args[1] if len(args) > 1 else kwargs.get("mode", "r")
        return isinstance(mode, str) and any(c in mode for c in "wax+")
    if op == "os.open":
        flags = args[1] if len(args) > 1 else kwargs.get("flags", 0)
        return bool(flags & WRITE_FLAGS)
    return True


def install(on_op) -> None:
    """Call ``on_op(name)`` before every file operation that changes something."""

    def wrap(owner, attr, name):
        original = getattr(owner, attr)

        def wrapper(*args, **kwargs):
            if _writes(name, args, kwargs):
                on_op(name)
            return original(*args, **kwargs)

        setattr(owner, attr, wrapper)

    for attr in CHANGING:
        wrap(os, attr, attr)
    wrap(os, "open", "os.open")
    wrap(builtins, "open", "open")
    wrap(io, "open", "open")
    wrap(fcntl, "flock", "flock")
    wrap(shutil, "rmtree", "rmtree")


def _import(root: Path) -> None:
    run_import("worldbank", [WORLDBANK], root)


def count_ops(template: Path, work: Path) -> int:
    """The number of changing operations of an import that is not killed (in a child)."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work)
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:
        ops: list[str] = []
        install(ops.append)
        _import(work)
        os.write(write_end, str(len(ops)).encode())
        os._exit(0)
    os.close(write_end)
    os.waitpid(pid, 0)
    with os.fdopen(read_end) as pipe:
        return int(pipe.read())


def _digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if p.name.startswith("."))


def run_killed(template: Path, work: Path, k: int, loaded: set) -> dict:
    """Import into a copy of ``template``, killed before the k-th changing operation."""
    shutil.rmtree(work, ignore_errors=True)
    shutil.copytree(template, work)
    pid = os.fork()
    if pid == 0:
        seen = [0]

        def maybe_die(name: str) -> None:
            seen[0] += 1
            if seen[0] == k:
                os.kill(os.getpid(), signal.SIGKILL)

        install(maybe_die)
        _import(work)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    result = {"k": k, "killed": os.WIFSIGNALED(status)}
    try:
        folder = store.current(work)
        result["current"] = folder.name
        result["digests"] = _digests(folder)
        result["imports"] = len(
            json.loads((folder / "manifest.json").read_text())["tables"]["country_indicators"].get(
                "imports", []
            )
        )
        state = tuple(sorted(result["digests"].items()))
        if state not in loaded:  # loading takes a while; each distinct state once
            load_dataset(work)
            loaded.add(state)
        result["loads"] = True
    except Exception as exc:  # reported, and the test fails on it
        result["error"] = f"{type(exc).__name__}: {exc}"
    result["leftovers_after_kill"] = _leftovers(work)
    with store.writer(work):  # the next writer cleans up
        pass
    result["leftovers_after_next_writer"] = sorted(set(_leftovers(work)) - {store.LOCK})
    result["build_if_missing_wrote"] = demo.write_dataset(work, if_missing=True) is not None
    result["current_after_build"] = store.current(work).name
    return result


def kills(template: Path) -> None:
    work = template.parent / "work"
    total, loaded = count_ops(template, work), set()
    for k in range(1, total + 2):  # total + 1: not killed at all
        print(json.dumps({**run_killed(template, work, k, loaded), "total": total}), flush=True)


def concurrent(root: Path) -> None:
    children = []
    for i in range(20):
        pid = os.fork()
        if pid == 0:
            try:
                run_import("worldbank" if i % 2 else "genesis", [WORLDBANK if i % 2 else GENESIS],
                           root)  # fmt: skip
                os._exit(0)
            except BaseException:
                os._exit(1)
        children.append(pid)
    statuses = [os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) for pid in children]
    tables = json.loads((store.current(root) / "manifest.json").read_text())["tables"]
    counts = {name: len(tables.get(name, {}).get("imports", []))
              for name in ("country_indicators", "official_population")}  # fmt: skip
    print(json.dumps({"exit_codes": statuses, "imports": counts,
                      "snapshots": len(store.history(root))}))  # fmt: skip


if __name__ == "__main__":
    command, folder = sys.argv[1], Path(sys.argv[2])
    {"kills": kills, "concurrent": concurrent}[command](folder)
