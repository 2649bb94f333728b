"""The baseline for `make bench`: the same dashboard written the way most Dash examples are
(each filter change returns whole new figures, geometry included). Not used in production."""

from __future__ import annotations

import dash
import plotly.express as px
from dash import Input, Output, dcc, html

from dashboard import ids
from layers import boundaries, queries, vocab
from layers.dataset import Dataset


def create_naive_app(ds: Dataset) -> dash.Dash:
    ruhr = boundaries.load_geojson_dict("ruhr_municipalities")
    origins = boundaries.load_geojson_dict("origin_regions")
    app = dash.Dash(__name__, compress=True)
    app.layout = html.Div(
        [
            dcc.Checklist(
                id=ids.TYPES, options=list(vocab.MIGRATION_TYPES), value=list(vocab.MIGRATION_TYPES)
            ),
            html.Div(dcc.Graph(id=ids.RUHR_MAP), style={"width": "48%", "display": "inline-block"}),
            html.Div(
                dcc.Graph(id=ids.ORIGIN_MAP), style={"width": "48%", "display": "inline-block"}
            ),
        ]
    )

    @app.callback(
        Output(ids.RUHR_MAP, "figure"), Output(ids.ORIGIN_MAP, "figure"), Input(ids.TYPES, "value")
    )
    def update(types):
        f = queries.parse_filter(types=types or None)
        figures = []
        for side, geojson, key in (("municipality", ruhr, "ags"), ("origin", origins, "nuts3")):
            table = queries.area_table(ds, f, side).reset_index()
            figures.append(
                px.choropleth_map(
                    table,
                    geojson=geojson,
                    locations=key,
                    featureidkey=f"properties.{key}",
                    color="arrivals",
                    hover_name="name",
                    map_style="white-bg",
                    zoom=7,
                    center={"lat": 51.5, "lon": 7.2}
                    if side == "municipality"
                    else {"lat": 44.5, "lon": 25.0},
                )
            )
        return figures

    return app
