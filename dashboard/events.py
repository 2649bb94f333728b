"""What sets the explorer's controls other than the controls themselves: map and scatter
clicks (with shift/ctrl adding to a comparison), the area pickers, back/forward and the
panels' buttons. Each event gives the next :class:`~dashboard.state.ExplorerState`."""

from __future__ import annotations

from dataclasses import replace

from dashboard.address import from_query
from dashboard.state import ExplorerState, peers_of
from layers import params, queries
from layers.queries import InvalidParameter, Selection


def clicked_selection(click_data, current: Selection | None, side: str) -> Selection | None:
    """The selection after a map (or scatter) click: a new area selects it, the selected area again
    clears it. Malformed click data leaves the selection unchanged."""
    try:
        point = click_data["points"][0]
        code = point["location"] if "location" in point else point["customdata"]  # scatter
        candidate = queries.parse_selection({"side": side, "code": code})
    except (KeyError, IndexError, TypeError, InvalidParameter):
        return current
    return None if candidate == current else candidate


def clicked(current: ExplorerState, click_data, side: str, add: bool) -> ExplorerState:
    """A map click: selects the area (again: clears it); with shift or ctrl held it adds
    the area to those compared, or takes it out (up to ``MAX_COMPARED`` of one side)."""
    same_side = current.selection is not None and current.selection.side == side
    if not (add and same_side):
        selection = clicked_selection(click_data, current.selection, side)
        return replace(current, selection=selection, compare=())
    candidate = clicked_selection(click_data, None, side)
    areas = list(current.areas)
    if candidate in areas:
        areas.remove(candidate)
    elif candidate is not None and len(areas) < queries.MAX_COMPARED:
        areas.append(candidate)
    return replace(current, selection=areas[0] if areas else None, compare=tuple(areas[1:]))


def next_state(trigger: str | None, search: str | None, current: ExplorerState, event=None):
    """One step of the explorer's state machine for what is not a control change (those
    only write the address, see ``push_for``).

    ``trigger`` is "url" (back/forward to ``search``), "click" (a map; ``event`` = (side,
    click data, whether shift/ctrl was held)), "pick" (the area picker; ``event`` = its
    token), "compare_pick" (the comparison picker; ``event`` = its tokens), "clear",
    "show_cv" or "show_churn". Returns (state, whether the controls must change)."""
    if trigger in (None, "url"):
        state = from_query(search, current.lang)
    elif trigger == "click":
        side, data, *held = event  # held: whether shift/ctrl was down (absent: no)
        state = clicked(current, data, side, bool(held and held[0]))
    elif trigger == "clear":
        state = replace(current, selection=None, compare=())
    elif trigger == "pick":
        state = replace(current, selection=params.parse_selection_token(event), compare=())
    elif trigger == "compare_pick":
        peers = [params.parse_selection_token(token) for token in (event or [])]
        state = replace(current, compare=peers_of(current.selection, [p for p in peers if p]))
    elif trigger in ("show_cv", "show_churn"):
        state = replace(current, metric="arrivals_cv" if trigger == "show_cv" else "churn")
    else:
        state = current
    return state, state != current
