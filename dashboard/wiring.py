"""Callbacks that run in the browser (the functions of ``window.dash_clientside`` in
assets/*.js), declared in a line or two: no request, so nothing for Python to compute."""

from __future__ import annotations

from collections.abc import Iterable

from dash import ClientsideFunction, Dash, Input, Output, State
from dash.dependencies import DashDependency

Pairs = Iterable[tuple[str, str] | DashDependency]


def in_browser(app: Dash, function: str, outputs: Pairs, inputs: Pairs, states: Pairs = (),
               **options) -> None:  # fmt: skip
    """Register ``function`` ("namespace.name") with its dependencies, each a (component id,
    property) pair or a Dash dependency as it is (e.g. an Output with allow_duplicate)."""
    namespace, name = function.split(".")

    def made(kind, pairs: Pairs) -> list:
        return [p if isinstance(p, DashDependency) else kind(*p) for p in pairs]

    app.clientside_callback(
        ClientsideFunction(namespace, name),
        *made(Output, outputs),
        *made(Input, inputs),
        *made(State, states),
        **options,
    )
