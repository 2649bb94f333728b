"""Colour palettes shared by the maps (dashboard/figures.py) and the SVG thumbnails
(layers/thumbnail.py), so both show a value in the same colour.

YlGnBu, 9 classes, light to dark: ColorBrewer 2.0 by Cynthia A. Brewer, Penn State
(colorbrewer2.org, Apache License 2.0); colour-blind safe and printable."""

from __future__ import annotations

RGB = tuple[int, int, int]

YLGNBU: tuple[RGB, ...] = (
    (255, 255, 217), (237, 248, 177), (199, 233, 180), (127, 205, 187), (65, 182, 196),
    (29, 145, 192), (34, 94, 168), (37, 52, 148), (8, 29, 88),
)  # fmt: skip


def colorscale(colours: tuple[RGB, ...]) -> list[list]:
    """Plotly's form: evenly spaced stops, ``[[0.0, "rgb(255,255,217)"], …, [1.0, …]]``."""
    last = len(colours) - 1
    return [[i / last, "rgb({},{},{})".format(*rgb)] for i, rgb in enumerate(colours)]
