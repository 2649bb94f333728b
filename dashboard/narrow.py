"""Charts on a phone's width: plotly wraps neither titles nor annotations, and its margins
stay as set unless told to grow for upright ticks and a legend of several lines."""

from __future__ import annotations

import textwrap

import plotly.graph_objects as go

NOTE_WIDTH = 44  # characters in a line of a chart's note: within a phone's width


def wrapped(text: str, width: int) -> str:
    """``text`` in lines of up to ``width`` characters (plotly's <br>), words kept whole."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False, break_on_hyphens=False))


def packed(parts: list[str], width: int) -> str:
    """``parts`` in lines of up to ``width`` characters, a line broken inside a part only
    where the part alone is longer (a date stays on one line)."""
    lines: list[str] = []
    for piece in (p for part in parts for p in textwrap.wrap(part, width,
                  break_long_words=False, break_on_hyphens=False)):  # fmt: skip
        if lines and len(lines[-1]) + 1 + len(piece) <= width:
            lines[-1] += " " + piece
        else:
            lines.append(piece)
    return "<br>".join(lines)


def fit_narrow(figure: go.Figure) -> go.Figure:
    """On a phone the ticks turn upright and the legend takes more lines: the margins grow
    for them, the legend at the bottom of the chart rather than over the ticks."""
    figure.update_xaxes(automargin=True)
    figure.update_yaxes(automargin=True)
    figure.update_layout(legend={"yref": "container", "y": 0, "yanchor": "bottom"})
    return figure
