"""Plotly figures. Maps are built once with their geometry as a URL; later changes are small
updates (``map_update``) applied with ``dash.Patch`` so geometry never travels again."""

from __future__ import annotations

import math
from dataclasses import dataclass

import plotly.colors
import plotly.graph_objects as go

from dashboard.i18n import t
from layers.metrics import METRICS

# ColorBrewer schemes that stay readable with the common colour-vision deficiencies, as
# explicit stops: a Patch bypasses plotly.py, and plotly.js knows neither name the same way.
SEQUENTIAL_SCALE = plotly.colors.make_colorscale(plotly.colors.sequential.YlGnBu)  # light→dark
DIVERGING_SCALE = plotly.colors.make_colorscale(plotly.colors.diverging.PuOr)  # orange–purple
ARRIVAL_COLOUR = "#0072B2"  # Okabe–Ito blue
DEPARTURE_COLOUR = "#D55E00"  # Okabe–Ito vermillion
NET_COLOUR = "#999999"
HIGHLIGHT_COLOUR = "#000000"
SEPARATORS = {"de": ",.", "en": ".,"}


@dataclass(frozen=True)
class MapSpec:
    side: str  # "municipality" | "origin"
    geojson_url: str
    base_layer_url: str  # the same areas drawn grey underneath (areas outside the filter)
    context_url: str  # country outlines for orientation
    id_property: str
    center: tuple[float, float]  # lat, lon
    zoom: float


def _hovertemplate(metric_id: str, lang: str) -> str:
    metric = METRICS[metric_id]
    number = "%{z:,.2f}" if metric.per_1000 else "%{z:,.0f}"
    return (
        f"<b>%{{customdata}}</b><br>{metric.text('label', lang)}: {number} "
        f"{metric.text('unit', lang)}<extra></extra>"
    )


def base_map(spec: MapSpec, codes: list[str], names: list[str], metric_id: str, lang: str):
    """The map figure sent with the page: geometry by URL, values filled in by updates."""
    values = go.Choroplethmap(
        geojson=spec.geojson_url,
        featureidkey=f"properties.{spec.id_property}",
        locations=codes,
        z=[0] * len(codes),
        customdata=names,
        colorscale=SEQUENTIAL_SCALE,
        marker={"line": {"width": 0.6, "color": "#ffffff"}, "opacity": 0.9},
        hovertemplate=_hovertemplate(metric_id, lang),
        # A horizontal legend along the bottom leaves the map its full width.
        colorbar={
            "orientation": "h",
            "x": 0.5,
            "y": 0.01,
            "xanchor": "center",
            "yanchor": "bottom",
            "len": 0.7,
            "thickness": 10,
            "bgcolor": "rgba(255,255,255,0.85)",
            "title": {"side": "top"},
        },
        name="values",
    )
    highlight = go.Choroplethmap(
        geojson=spec.geojson_url,
        featureidkey=f"properties.{spec.id_property}",
        locations=[],
        z=[],
        colorscale=[[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]],
        showscale=False,
        marker={"line": {"width": 3, "color": HIGHLIGHT_COLOUR}},
        hoverinfo="skip",
        name="selection",
    )
    figure = go.Figure([values, highlight])
    figure.update_layout(
        map={
            "style": "white-bg",  # no tiles: works without internet
            "center": {"lat": spec.center[0], "lon": spec.center[1]},
            "zoom": spec.zoom,
            "layers": [
                {
                    "sourcetype": "geojson",
                    "source": spec.base_layer_url,
                    "type": "fill",
                    "color": "#e6e6e6",
                    "below": "traces",
                },
                {
                    "sourcetype": "geojson",
                    "source": spec.context_url,
                    "type": "line",
                    "color": "#7a7a7a",
                    "line": {"width": 1},
                },
            ],
        },
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision=spec.side,  # keep the user's pan and zoom across updates
        separators=SEPARATORS[lang],
        clickmode="event",
        hoverlabel={"bgcolor": "#ffffff"},
        paper_bgcolor="#ffffff",
    )
    return figure


def map_update(values: list[float | None], metric_id: str, lang: str, highlight: list[str]):
    """Only what changes on a filter change: values, colour scale, legend, hover, highlight."""
    metric = METRICS[metric_id]
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    top = max(finite, default=0.0) or 1.0
    if metric.diverging:
        scale, zmin, zmax = DIVERGING_SCALE, -top, top
    else:
        scale, zmin, zmax = SEQUENTIAL_SCALE, 0.0, top
    return {
        ("data", 0, "z"): values,
        ("data", 0, "zmin"): zmin,
        ("data", 0, "zmax"): zmax,
        ("data", 0, "colorscale"): scale,
        ("data", 0, "hovertemplate"): _hovertemplate(metric_id, lang),
        ("data", 0, "colorbar", "title", "text"): (
            f"{metric.text('label', lang)} ({metric.text('unit', lang)})"
        ),
        ("data", 1, "locations"): highlight,
        ("data", 1, "z"): [1] * len(highlight),
    }


def series_figure(series, year_from: int, year_to: int, title: str, lang: str) -> go.Figure:
    """Arrivals and departures as lines, net as bars, the selected years shaded."""
    figure = go.Figure()
    figure.add_bar(
        x=series["year"], y=series["net"], name=t("net", lang), marker_color=NET_COLOUR,
        hovertemplate="%{x}: %{y:,.0f}<extra>" + t("net", lang) + "</extra>",
    )  # fmt: skip
    for column, colour, dash in (
        ("arrivals", ARRIVAL_COLOUR, "solid"),
        ("departures", DEPARTURE_COLOUR, "dash"),  # dashed: not told apart by colour alone
    ):
        figure.add_scatter(
            x=series["year"],
            y=series[column],
            name=t(column, lang),
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 2.5},
            marker={"symbol": "circle" if dash == "solid" else "square"},
            hovertemplate="%{x}: %{y:,.0f}<extra>" + t(column, lang) + "</extra>",
        )
    figure.add_vrect(
        x0=year_from - 0.5, x1=year_to + 0.5, fillcolor="#0072B2", opacity=0.08, line_width=0,
        annotation_text=t("selected_years", lang), annotation_position="top left",
    )  # fmt: skip
    figure.update_layout(
        title={"text": title, "font": {"size": 14}},
        margin={"l": 50, "r": 10, "t": 40, "b": 30},
        height=300,
        separators=SEPARATORS[lang],
        legend={"orientation": "h", "y": -0.15},
        yaxis={"title": {"text": t("persons", lang)}, "zeroline": True},
        xaxis={"dtick": 1, "range": [series["year"].min() - 0.5, series["year"].max() + 0.5]},
        hovermode="x unified",
        plot_bgcolor="#ffffff",
    )
    figure.update_yaxes(gridcolor="#e5e5e5")
    return figure
