"""Shared fixtures: one demo dataset per test session, built with the real generator (once
for all pytest-xdist workers: they share the session's base temporary folder)."""

from __future__ import annotations

import pytest

from layers import demo
from layers.dataset import load_dataset
from tests.shared import once_per_run


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    def build(folder):
        demo.write_dataset(folder / "dataset")
        return folder / "dataset"

    return once_per_run(tmp_path_factory, "demo", build)


@pytest.fixture(scope="session")
def demo_dataset(demo_dir):
    return load_dataset(demo_dir)


@pytest.fixture(scope="session", autouse=True)
def private_result_cache(tmp_path_factory):
    """Tests (and the servers they start) cache results in their own folder, not in the
    one a developer's `make run` shares."""
    import os

    folder = tmp_path_factory.mktemp("result-cache")
    previous = os.environ.get("RUHR_CACHE_URL")
    os.environ["RUHR_CACHE_URL"] = f"file://{folder}"
    yield folder
    if previous is None:
        os.environ.pop("RUHR_CACHE_URL", None)
    else:
        os.environ["RUHR_CACHE_URL"] = previous
