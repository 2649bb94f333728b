"""Progress of long command-line work (builds, imports, exports): drawn with rich on a
terminal, silent in scripts and CI.

The work takes a ``Progress`` and calls ``track`` on its loops and ``stage`` around steps
without one; :data:`QUIET` (the default everywhere) does nothing, so library callers, the
dashboard and the tests see no output. ``for_stream`` gives the command line a drawing one
only when the stream is a terminal, ``CI`` is unset and ``--quiet`` was not given."""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Iterable, Iterator
from typing import TextIO, TypeVar

T = TypeVar("T")


class Progress:
    """Reports nothing (scripts, CI, the library's callers)."""

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterable[T]:
        return items

    @contextlib.contextmanager
    def stage(self, description: str) -> Iterator[None]:
        yield


QUIET = Progress()


class TerminalProgress(Progress):
    """One line per step on the terminal: a bar with counts where the total is known, a
    spinner with the count so far where it is not, the elapsed time."""

    def __init__(self, bars):
        self._bars = bars  # a started rich.progress.Progress

    def track(self, items: Iterable[T], description: str, total: int | None = None) -> Iterable[T]:
        if total is None and hasattr(items, "__len__"):
            total = len(items)
        # rich counts in this thread and redraws from its own, so a row costs little
        return self._bars.track(items, total=total, description=description)

    @contextlib.contextmanager
    def stage(self, description: str) -> Iterator[None]:
        task = self._bars.add_task(description, total=None)
        try:
            yield
        finally:
            self._bars.update(task, total=1, completed=1)


def wanted(stream: TextIO, quiet: bool = False) -> bool:
    """Progress only for a person watching: a terminal, not ``--quiet`` (the command line
    passes CI's setting as quiet)."""
    if quiet:
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


@contextlib.contextmanager
def for_stream(stream: TextIO | None = None, quiet: bool = False) -> Iterator[Progress]:
    """A progress drawn on ``stream`` (default stderr, so stdout stays the command's result)
    when :func:`wanted`, else :data:`QUIET`."""
    stream = stream or sys.stderr
    if not wanted(stream, quiet):
        yield QUIET
        return
    from rich.console import Console
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        SpinnerColumn,
        TextColumn,
        TimeElapsedColumn,
    )
    from rich.progress import Progress as Bars

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               MofNCompleteColumn(), TimeElapsedColumn())  # fmt: skip
    # print() to a piped stdout stays there; to the same terminal it goes above the bars
    redirect = bool(sys.stdout and sys.stdout.isatty())
    with Bars(*columns, console=Console(file=stream), redirect_stdout=redirect) as bars:
        yield TerminalProgress(bars)
