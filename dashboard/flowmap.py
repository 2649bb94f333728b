"""The flows tab's two maps and their legend: Romania, Bulgaria and the Ruhr with a line
per flow (its width by class of persons; an arrowhead at its destination end) and a circle
per end point with its total; beside it the Ruhr at its own scale, where the lines would
be a knot: a circle per municipality the shown flows reach or leave, sized by persons.
The legend is HTML below the maps (:func:`flow_legend`): it wraps on a phone and prints."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.figures import (
    ARRIVAL_COLOUR,
    BASE_COLOUR,
    CONTEXT_LINE,
    DEPARTURE_COLOUR,
    HIGHLIGHT_COLOUR,
    TRANSPARENT,
    GeoLayer,
    all_areas,
    geo_layout,
)
from dashboard.i18n import format_number, t
from layers import indicators, regions

EUROPE_BOUNDS = (4.5, 40.5, 30.5, 53.5)  # west, south, east, north: origins and the Ruhr
RUHR_BOUNDS = (6.35, 51.02, 7.95, 52.02)  # the 53 municipalities, for the detail map
# Round lower bounds of the width classes: 1, 2, 5, 10, 25, 50, 100, 250, 500, 1000 …
NICE_BOUNDS = (1, 2, 5, *(int(m * 10**k) for k in range(1, 8) for m in (1, 2.5, 5)))
CLASS_QUANTILES = (0.0, 0.5, 0.75, 0.9, 0.97)  # a class from each, rounded down (≤ 5 classes)
LINE_WIDTHS = (1.0, 2.0, 3.5, 5.0, 7.0)  # px, one per class from the smallest


@dataclass(frozen=True)
class WidthClass:
    """Flows of ``low`` to ``high`` persons (``high`` None: ``low`` or more), drawn ``width``
    px wide."""

    low: int
    high: int | None
    width: float

    def label(self, lang: str) -> str:
        low = format_number(self.low, 0, lang)
        if self.high is None:
            return t("flows_class_top", lang).format(low=low)
        if self.high == self.low:
            return t("flows_class_one", lang).format(low=low)
        return t("flows_class", lang).format(low=low, high=format_number(self.high, 0, lang))


def nice_floor(value: float) -> int:
    """The largest round bound (:data:`NICE_BOUNDS`) not above ``value`` (1 below 1)."""
    index = np.searchsorted(NICE_BOUNDS, value, side="right") - 1
    return NICE_BOUNDS[max(int(index), 0)]


def width_classes(persons) -> tuple[WidthClass, ...]:
    """Up to five classes with round bounds (quantiles of ``persons`` rounded down) that
    together cover every flow: the first starts at or below the smallest, the last is open."""
    values = np.asarray(persons, dtype=float)
    if not len(values):
        return ()
    lows = sorted({nice_floor(q) for q in np.quantile(values, CLASS_QUANTILES)})
    highs = [next_low - 1 for next_low in lows[1:]] + [None]
    # Few classes spread over the widths: the largest flows drawn thick, the smallest thin.
    steps = np.round(np.linspace(0, len(LINE_WIDTHS) - 1, len(lows))) if len(lows) > 1 else [1]
    return tuple(WidthClass(low, high, LINE_WIDTHS[int(step)])
                 for step, low, high in zip(steps, lows, highs, strict=True))  # fmt: skip


def class_index(classes: tuple[WidthClass, ...], persons) -> np.ndarray:
    """The class of each number of persons (positions in ``classes``)."""
    lows = [c.low for c in classes]
    return np.clip(np.searchsorted(lows, np.asarray(persons), side="right") - 1, 0, None)


def _arc(lon0, lat0, lon1, lat1, steps: int = 24) -> tuple[list[float], list[float]]:
    """A gentle curve between two points so overlapping flows stay apart."""
    s = np.linspace(0.0, 1.0, steps)
    mid_lon, mid_lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    bend_lon, bend_lat = mid_lon - (lat1 - lat0) * 0.15, mid_lat + (lon1 - lon0) * 0.15
    lon = (1 - s) ** 2 * lon0 + 2 * (1 - s) * s * bend_lon + s**2 * lon1
    lat = (1 - s) ** 2 * lat0 + 2 * (1 - s) * s * bend_lat + s**2 * lat1
    return lon.tolist(), lat.tolist()


def direction_colour(direction: str) -> str:
    return ARRIVAL_COLOUR if direction == "arrival" else DEPARTURE_COLOUR


def circle_sizes(persons, largest: float, max_px: float, min_px: float) -> list[float]:
    """Diameters in px with the circles' areas in proportion to persons."""
    shares = np.sqrt(np.asarray(persons, dtype=float) / max(float(largest), 1.0))
    return np.round(np.maximum(shares * max_px, min_px), 1).tolist()


def flow_ends(flows: pd.DataFrame, direction: str, side: str, lang: str) -> pd.DataFrame:
    """The end points of one side (:func:`layers.indicators.flow_end_totals`) with their
    tooltip: name, the direction's total of the shown flows there and how many they are."""
    ends = indicators.flow_end_totals(flows, side)
    label = t("arrivals" if direction == "arrival" else "departures", lang)
    ends["hover"] = [
        t("flows_end_hover", lang).format(name=regions.area_name(row.code, row.name, lang),
                                          label=label, count=row.flows,
                                          persons=format_number(row.persons, 0, lang))
        for row in ends.itertuples()
    ]  # fmt: skip
    return ends


def _endpoint_trace(ends: pd.DataFrame, sizes: list[float], colour: str, **traits):
    return go.Scattergeo(
        lon=ends["lon"].tolist(), lat=ends["lat"].tolist(), **{"mode": "markers", **traits},
        marker={"size": sizes, "color": colour, "opacity": 0.45,
                "line": {"width": 1, "color": colour}},
        customdata=ends["hover"].tolist(), hovertemplate="%{customdata}<extra></extra>",
    )  # fmt: skip


def _outline(layer: GeoLayer, codes, name: str) -> go.Choropleth:
    """The selected areas' border, drawn over the base (nothing when none is selected)."""
    return go.Choropleth(geojson=layer.url, featureidkey=layer.id_key, locations=list(codes),
                         z=[1] * len(codes), colorscale=TRANSPARENT, showscale=False,
                         marker={"line": {"width": 2.5, "color": HIGHLIGHT_COLOUR}},
                         hoverinfo="skip", name=name)  # fmt: skip


def _ends_of(direction: str) -> tuple[str, str]:
    """(side where the lines start, side where they end, with the arrowheads)."""
    return ("origin", "municipality") if direction == "arrival" else ("municipality", "origin")


def mercator_bearing(lon0, lat0, lon1, lat1) -> float:
    """The screen direction from the first point to the second on a Mercator map, in
    degrees clockwise from up (a marker's ``angle``)."""

    def y(lat):
        return np.log(np.tan(np.pi / 4 + np.radians(lat) / 2))

    return float(np.degrees(np.arctan2(np.radians(lon1 - lon0), y(lat1) - y(lat0))))


def _class_lines(flows, direction: str, width_class: WidthClass, colour: str, stops, lang: str):
    """One class of flows: their lines (named by the class) and where their
    arrowheads go, at the destination ends, ``stops`` px (by code) before the end point."""
    start_side, end_side = _ends_of(direction)
    prefix = {"origin": "origin", "municipality": "destination"}
    lon, lat, text = [], [], []
    heads = {"lon": [], "lat": [], "angle": [], "size": [], "standoff": []}
    size = round(6 + 1.4 * width_class.width, 1)
    for row in flows.itertuples():
        start = [getattr(row, f"{prefix[start_side]}_{axis}") for axis in ("lon", "lat")]
        end = [getattr(row, f"{prefix[end_side]}_{axis}") for axis in ("lon", "lat")]
        arc_lon, arc_lat = _arc(*start, *end)
        names = (regions.area_name(row.origin_nuts3, row.origin_name, lang), row.destination_name)
        label = " → ".join(names if direction == "arrival" else names[::-1])
        label += f": {format_number(row.persons, 0, lang)} {t('persons', lang)}"
        lon += [*arc_lon, None]
        lat += [*arc_lat, None]
        text += [label] * len(arc_lon) + [None]
        code = row.destination_ags if end_side == "municipality" else row.origin_nuts3
        for key, value in (("lon", end[0]), ("lat", end[1]), ("size", size),
                           ("angle", round(mercator_bearing(arc_lon[-2], arc_lat[-2], *end), 1)),
                           ("standoff", round(stops.get(code, 0) + size / 2, 1))):  # fmt: skip
            heads[key].append(value)
    line = go.Scattergeo(lon=lon, lat=lat, mode="lines", text=text, hoverinfo="text",
                         line={"width": width_class.width, "color": colour}, opacity=0.75,
                         name=width_class.label(lang))  # fmt: skip
    return line, heads


def _heads_trace(parts: list[dict], colour: str) -> go.Scattergeo:
    """Every flow's arrowhead, in the order of the lines. It must be the map's first trace:
    plotly.js 4.1 gives the map projection (``_geo``) to a geo subplot's first trace only
    (``geo.plot`` reads ``geoCalcData[0]`` in its loop); on any later trace an angle
    relative to the map ("previous", "north") falls back to 90° and a standoff turns into
    its opposite. The angles are computed here (:func:`mercator_bearing`), relative to up."""
    joined = {key: [v for part in parts for v in part[key]] for key in parts[0]} if parts else {}
    return go.Scattergeo(
        lon=joined.get("lon", []), lat=joined.get("lat", []), mode="markers",
        marker={"symbol": "triangle-up", "angleref": "up", "angle": joined.get("angle", []),
                "size": joined.get("size", []), "standoff": joined.get("standoff", []),
                "color": colour, "opacity": 1, "line": {"width": 0}},
        hoverinfo="skip", showlegend=False, name="arrowheads",
    )  # fmt: skip


def _frame(bounds) -> go.Scattergeo:
    """The detail map's extent on the big map."""
    west, south, east, north = bounds
    return go.Scattergeo(lon=[west, east, east, west, west],
                         lat=[south, south, north, north, south], mode="lines",
                         line={"width": 1, "color": "#555555", "dash": "dot"},
                         hoverinfo="skip", name="frame")  # fmt: skip


def flow_map(flows, direction: str, lang: str, geo: dict[str, GeoLayer], selected=()):
    """Origin regions and the Ruhr with a line per flow (its width by class), an
    arrowhead where it arrives and a circle per origin region sized by its total; the Ruhr
    end points are small (the detail map shows them), each with its total on hover.
    ``selected``: the selection's areas (side, codes), outlined."""
    colour = direction_colour(direction)
    base = [  # for orientation, under the lines
        all_areas(geo["context_countries"], "#f7f7f7", CONTEXT_LINE, 0.8, "countries"),
        all_areas(geo["origin_regions"], BASE_COLOUR, "#ffffff", 0.5, "origin regions"),
        all_areas(geo["ruhr_municipalities"], BASE_COLOUR, "#9e9e9e", 0.5, "Ruhr"),
    ]
    if selected:
        side, codes = selected
        layer = geo["origin_regions" if side == "origin" else "ruhr_municipalities"]
        base.append(_outline(layer, codes, "selection"))
    traces, heads = _flow_traces(flows, direction, colour, lang) if len(flows) else ([], [])
    figure = go.Figure([_heads_trace(heads, colour), *base, _frame(RUHR_BOUNDS), *traces])
    geo_layout(figure, lang, EUROPE_BOUNDS, "flows")
    figure.update_layout(geo_domain={"y": [0, 1]}, showlegend=False)
    return figure


def _flow_traces(flows, direction: str, colour: str, lang: str) -> tuple[list, list[dict]]:
    """The lines by width class and the end points with their totals; the arrowheads'
    places, angles and sizes (by class, in the order of the lines)."""
    end_side = _ends_of(direction)[1]
    origins = flow_ends(flows, direction, "origin", lang)
    ruhr = flow_ends(flows, direction, "municipality", lang)
    sizes = {"origin": circle_sizes(origins["persons"], origins["persons"].max(), 22, 5),
             "municipality": [6.0] * len(ruhr)}  # fmt: skip
    end_codes = (origins if end_side == "origin" else ruhr)["code"]
    stops = dict(zip(end_codes, np.divide(sizes[end_side], 2), strict=True))
    classes = width_classes(flows["persons"])
    index = class_index(classes, flows["persons"])
    traces, heads = [], []
    for rank, width_class in enumerate(classes):
        if (index == rank).any():
            line, part = _class_lines(flows[index == rank], direction, width_class, colour,
                                      stops, lang)  # fmt: skip
            traces.append(line)
            heads.append(part)
    traces.append(_endpoint_trace(origins, sizes["origin"], colour, name="origin ends"))
    traces.append(_endpoint_trace(ruhr, sizes["municipality"], colour, name="Ruhr ends"))
    return traces, heads


LABELLED = 6  # the largest municipalities of the detail map named on it


def ruhr_flow_map(flows, direction: str, lang: str, geo: dict[str, GeoLayer], selected=()):
    """The Ruhr end of the shown flows at the Ruhr's scale: the 53 municipalities, a circle
    per municipality the flows arrive in (or leave from) sized by its persons, the largest
    named with their number, each total on hover."""
    colour = direction_colour(direction)
    figure = go.Figure([
        all_areas(geo["ruhr_context"], "#ffffff", "#c8c8c8", 0.6, "context"),
        all_areas(geo["ruhr_municipalities"], BASE_COLOUR, "#ffffff", 0.8, "Ruhr"),
    ])  # fmt: skip
    if selected and selected[0] == "municipality":
        figure.add_trace(_outline(geo["ruhr_municipalities"], selected[1], "selection"))
    if len(flows):
        ends = flow_ends(flows, direction, "municipality", lang)
        labels = [
            f"{row.name}<br>{format_number(row.persons, 0, lang)}" if i < LABELLED else ""
            for i, row in enumerate(ends.itertuples())
        ]
        sizes = circle_sizes(ends["persons"], ends["persons"].max(), 44, 7)
        figure.add_trace(_endpoint_trace(
            ends, sizes, colour, name="Ruhr ends", mode="markers+text",
            text=labels, textposition="top center",
            textfont={"size": 11, "color": "#212529", "shadow": "auto"},
        ))  # fmt: skip
    geo_layout(figure, lang, RUHR_BOUNDS, "flows-ruhr")
    figure.update_layout(geo_domain={"y": [0, 1]}, showlegend=False)
    return figure


def _swatch(style: dict, text: str = "") -> html.Span:
    return html.Span(text, className="flow-swatch", style=style, **{"aria-hidden": "true"})


def flow_legend(flows, direction: str, lang: str) -> list:
    """The big map's legend: each width class with its range of persons, then what the
    arrowheads, the circles and the dotted frame mean (nothing without flows)."""
    if not len(flows):
        return []
    colour = direction_colour(direction)
    classes = [
        html.Li([_swatch({"borderTop": f"{c.width}px solid {colour}"}), c.label(lang)],
                className="list-inline-item")
        for c in width_classes(flows["persons"])
    ]  # fmt: skip
    symbols = [
        (_swatch({"color": colour}, "▲"), t("flows_legend_head", lang)),
        (_swatch({"color": colour, "opacity": 0.6}, "●"), t("flows_legend_circle", lang)),
        (_swatch({"border": "1px dotted #555555", "height": "0.8em"}), t("flows_frame", lang)),
    ]
    return [
        html.Span(t("flows_width_title", lang), className="fw-semibold me-2"),
        html.Ul(classes, className="list-inline d-inline mb-0"),
        html.Ul([html.Li([swatch, text], className="list-inline-item") for swatch, text in symbols],
                className="list-inline mb-0 mt-1"),
    ]  # fmt: skip
