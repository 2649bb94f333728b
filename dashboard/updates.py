"""Figure updates as ``{path: value}`` (a path is a tuple of keys into the figure's JSON): the
one form the view computes, applied on the server (first views, pages) or sent as a Patch."""

from __future__ import annotations

from dash import Patch


def apply_update(figure, update: dict):
    """``figure`` (a plotly figure or its JSON) with ``update`` applied in place, as a Patch
    would; missing objects on the way are created."""
    for path, value in update.items():
        target = figure
        for key in path[:-1]:
            target = target.setdefault(key, {}) if isinstance(target, dict) else target[key]
        target[path[-1]] = value
    return figure


def as_patch(update: dict) -> Patch:
    """A Patch from ``update``: one merge per object (trace, shape), not one operation per
    property, which keeps the message small."""
    by_parent: dict[tuple, dict] = {}
    for path, value in update.items():
        by_parent.setdefault(path[:-1], {})[path[-1]] = value
    patch = Patch()
    for parent, values in by_parent.items():
        target = patch
        for key in parent:
            target = target[key]
        target.update(values)
    return patch
