"""A survey share's 95 % interval (``layers.intervals``) as the interface shows it: error
bars in the charts, hover text with the interval and the base n, and table cells with the
bounds in brackets, all in the page language."""

from __future__ import annotations

import numpy as np
from dash import html

from dashboard.i18n import format_interval, format_number, t


def _missing(value) -> bool:
    return value is None or bool(np.isnan(value))


def interval_errors(values, lows, highs) -> dict:
    """Plotly ``error_y`` (or ``error_x``): from each bar's value up to the upper and down to
    the lower bound of its 95 % interval; none where the value or its interval is withheld."""
    plus, minus = [], []
    for value, low, high in zip(values, lows, highs, strict=True):
        shown = not (_missing(value) or _missing(low) or _missing(high))
        plus.append(float(high - value) if shown else None)
        minus.append(float(value - low) if shown else None)
    return {"type": "data", "symmetric": False, "array": plus, "arrayminus": minus,
            "color": "#333333", "thickness": 1.2, "width": 4}  # fmt: skip


def share_hover(value, low, high, n, lang: str, label: str = "") -> str:
    """A share's hover text, "42,1 % (95-%-KI 38,0–46,3 %)<br>n = 1.976" in the page
    language, after "label: " if given; the share alone where it has no interval, the label
    alone where it is withheld."""
    if _missing(value):
        return label
    text = f"{format_number(value, 1, lang)} %"
    if not (_missing(low) or _missing(high)):
        text = t("share_hover", lang).format(
            share=format_number(value, 1, lang),
            interval=format_interval(low, high, 1, lang),
            n=format_number(n, 0, lang),
        )
    return f"{label}: {text}" if label else text


def share_cell(value, low, high, decimals: int, lang: str) -> str:
    """A share in a table cell with its 95 % interval in brackets, "42,1 (38,0–46,3)"; the
    value alone where it has no interval."""
    text = format_number(value, decimals, lang)
    if _missing(low) or _missing(high):
        return text
    return f"{text} ({format_interval(low, high, decimals, lang)})"


def share_cell_parts(value, low, high, decimals: int, lang: str) -> list:
    """``share_cell`` for a table read on screen and on paper: the interval once as on
    screen and once in whole per cent for print (assets/app.css shows one of them), as five
    areas' intervals fit an A4 page only so; the value alone where it has no interval."""
    text = format_number(value, decimals, lang)
    if _missing(low) or _missing(high):
        return [text]
    screen = f"({format_interval(low, high, decimals, lang)})"
    paper = f"({format_interval(low, high, 0, lang)})"
    return [text, " ", html.Span(screen, className="ci-screen"),
            html.Span(paper, className="ci-paper")]  # fmt: skip
