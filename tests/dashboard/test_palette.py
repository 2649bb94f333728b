"""One YlGnBu for the maps and the thumbnails, and it is ColorBrewer's."""

import plotly.colors

from dashboard import figures
from layers import palette, thumbnail


def test_ylgnbu_is_colorbrewers_as_plotly_ships_it():
    assert palette.colorscale(palette.YLGNBU) == plotly.colors.make_colorscale(
        plotly.colors.sequential.YlGnBu
    )


def test_maps_and_thumbnails_give_a_value_the_same_colour():
    stops = figures.SEQUENTIAL_SCALE
    for position, rgb in stops:
        expected = "#{:02x}{:02x}{:02x}".format(*map(int, plotly.colors.unlabel_rgb(rgb)))
        assert thumbnail.colour(position * 40, 0, 40) == expected, position
