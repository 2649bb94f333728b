"""Shared fixtures: one demo dataset per test session, built with the real generator."""

from __future__ import annotations

import pytest

from layers import demo
from layers.dataset import load_dataset


@pytest.fixture(scope="session")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("demo") / "dataset"
    demo.write_dataset(out)
    return out


@pytest.fixture(scope="session")
def demo_dataset(demo_dir):
    return load_dataset(demo_dir)
