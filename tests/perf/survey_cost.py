"""What the protected survey publication costs (issue: cost measured in `make bench`): the
build for the demo survey and for a 100× copy, and the explorer's work for survey metrics
on each. Printed by `make bench` after the comparison with the naive build."""

from __future__ import annotations

import dataclasses
import time

import pandas as pd

from dashboard import view
from dashboard.state import ExplorerState
from layers import publication
from layers.disclosure import Policy
from layers.settings import Settings
from tests.perf.benchmark import TYPE_SETS, percentile

METRICS = ("respondents", "need_housing", "language_shannon", "remittance_use_household")
REPEATS = 3


def copies(respondents: pd.DataFrame, n: int) -> pd.DataFrame:
    """``n`` copies of the survey with fresh ids (the importer's 1×, 10×, 100× inputs)."""
    frames = [respondents.assign(respondent_id=respondents["respondent_id"].astype(str) + f"-{i}")
              for i in range(n)]  # fmt: skip
    return pd.concat(frames, ignore_index=True)


def build_seconds(
    respondents: pd.DataFrame, policy: Policy
) -> tuple[float, publication.Publication]:
    start = time.perf_counter()
    pub = publication.build_publication(respondents, policy)
    return time.perf_counter() - start, pub


def callback_ms(ds, policy: Policy) -> list[float]:
    """The explorer's update for survey metrics over every migration-type filter."""
    out = []
    for metric in METRICS:
        for types in TYPE_SETS:
            state = ExplorerState(types=tuple(types), metric=metric, lang="en")
            start = time.perf_counter()
            view.view_outputs(ds, state, policy)
            out.append((time.perf_counter() - start) * 1000)
    return out


def report(ds) -> list[str]:
    policy = Settings.from_env().policy
    lines = [f"{'survey publication':40} {'respondents':>12} {'build':>9} {'p50':>8} {'p95':>8}"]
    for n in (1, 100):
        survey = copies(ds.respondents, n)
        seconds, pub = min((build_seconds(survey, policy) for _ in range(1 if n > 1 else REPEATS)),
                           key=lambda r: r[0])  # fmt: skip
        scaled = dataclasses.replace(ds, publication=pub)
        callback_ms(scaled, policy)  # warm up
        ms = [m for _ in range(REPEATS) for m in callback_ms(scaled, policy)]
        lines.append(f"{f'{n}× the demo survey':40} {len(survey):>12,} {seconds:>8.1f}s "
                     f"{percentile(ms, 0.5):>6.1f}ms {percentile(ms, 0.95):>6.1f}ms")  # fmt: skip
    return lines
