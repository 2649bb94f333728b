"""Work done once per test run, not once per pytest-xdist worker: the first worker to ask
computes it under a file lock in the run's shared temporary folder; the others read it."""

from __future__ import annotations

import fcntl
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _run_folder(tmp_path_factory) -> Path:
    base = tmp_path_factory.getbasetemp()
    # Under xdist each worker's base is <run>/popen-gwN; the run folder is its parent.
    return base.parent if base.name.startswith("popen-gw") else base


def once_per_run(tmp_path_factory, name: str, compute: Callable[[Path], Any]) -> Any:
    """``compute(folder)``'s result, computed by one worker and pickled for the rest."""
    folder = _run_folder(tmp_path_factory) / f"shared-{name}"
    folder.mkdir(exist_ok=True)
    result = folder / "result.pickle"
    with (folder / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # released when the file closes
        if not result.exists():
            value = compute(folder)
            temporary = folder / "result.pickle.part"
            temporary.write_bytes(pickle.dumps(value))
            temporary.rename(result)  # a worker that dies mid-way leaves no half result
        return pickle.loads(result.read_bytes())
