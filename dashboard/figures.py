"""Plotly figures. Area maps are built once with their geometry as a URL; later changes are
small updates (``map_update``) applied with ``dash.Patch`` so geometry never travels again.
The analysis charts carry no geometry and are rebuilt whole."""

from __future__ import annotations

import math
import textwrap
from dataclasses import dataclass

import plotly.colors
import plotly.graph_objects as go

from dashboard import classes, mapmarks
from dashboard.i18n import plotly_separators
from layers import classify, palette
from layers.catalogue import CATALOGUE

# ColorBrewer schemes that stay readable with the common colour-vision deficiencies, as
# explicit stops: a Patch bypasses plotly.py, and plotly.js knows neither name the same way.
SEQUENTIAL_SCALE = palette.colorscale(palette.YLGNBU)  # light→dark, as the thumbnails
DIVERGING_SCALE = plotly.colors.make_colorscale(plotly.colors.diverging.PuOr)  # orange–purple
ARRIVAL_COLOUR = "#0072B2"  # Okabe–Ito blue
DEPARTURE_COLOUR = "#D55E00"  # Okabe–Ito vermillion
NET_COLOUR = "#999999"
COUNTRY_COLOURS = {"RO": "#0072B2", "BG": "#E69F00"}  # Okabe–Ito blue and orange
TYPE_COLOURS = {  # Okabe–Ito, plus a pattern per type so colour is not the only cue
    "immigrant": ("#0072B2", ""),
    "return": ("#E69F00", "/"),
    "circular": ("#009E73", "x"),
    "transnational": ("#CC79A7", "."),
}
# Okabe–Ito without black, one per category (e.g. municipality type 1..k of the typology).
CATEGORY_COLOURS = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7")
SUPPRESSED_COLOUR = "#bdbdbd"
HIGHLIGHT_COLOUR = "#000000"
BASE_COLOUR = "#e6e6e6"  # areas outside the filter
CONTEXT_LINE = "#7a7a7a"  # neighbouring areas and country borders
# An area below the metric's minimum base: its colour seen through a white veil (lighter),
# with a dark grey outline, so that it differs from its neighbours at either end of the scale.
LOW_BASE_VEIL = "rgba(255,255,255,0.6)"
LOW_BASE_LINE = "#595959"
# Trace order of the area maps; circles (counts) and place names over everything else.
BASE, VALUES, SUPPRESSED, LOW_BASE, CONTEXT, HIGHLIGHT, CIRCLES, LABELS = range(8)
TRANSPARENT = [[0, "rgba(0,0,0,0)"], [1, "rgba(0,0,0,0)"]]


@dataclass(frozen=True)
class GeoLayer:
    """A boundary file as the browser fetches it: its URL, the property naming each feature
    (as plotly's ``featureidkey``) and every feature's value of it, to draw them all."""

    url: str
    id_key: str
    codes: tuple[str, ...]


@dataclass(frozen=True)
class MapSpec:
    side: str  # "municipality" | "origin"
    areas: GeoLayer  # the areas coloured by value
    outline: GeoLayer  # their outer border, drawn grey underneath (areas outside the filter)
    context: GeoLayer  # neighbouring areas or countries for orientation
    bounds: tuple[float, float, float, float]  # first view: west, south, east, north


def number_format(indicator_id: str) -> str:
    return f",.{CATALOGUE[indicator_id].decimals}f"


def _hovertemplate(indicator_id: str, lang: str) -> str:
    """Name, value and unit; for a metric with a minimum base the area's ``text`` after
    them ("<br>geringe Basis: …" where the base is not reached, else empty)."""
    indicator = CATALOGUE[indicator_id]
    note = "%{text}" if indicator.flagged else ""
    return (
        f"<b>%{{customdata}}</b><br>{indicator.text('label', lang)}: "
        f"%{{z:{number_format(indicator_id)}}} {indicator.text('unit', lang)}{note}"
        "<extra></extra>"
    )


def geo_layout(figure: go.Figure, lang: str, bounds, revision, projection="mercator") -> None:
    """An SVG map (plotly's geo subplot) of our own GeoJSON layers, first showing ``bounds``.
    SVG rather than MapLibre's WebGL: with ~100 areas a recolouring redraws in tens of
    milliseconds instead of hundreds (no GPU on many office machines), and it prints."""
    west, south, east, north = bounds
    figure.update_layout(
        geo={
            # No base layers: they come from a topojson on a CDN (assets/geo-offline.js).
            "visible": False,
            "projection": {"type": projection},
            "lonaxis": {"range": [west, east]},
            "lataxis": {"range": [south, north]},
            "bgcolor": "#ffffff",
            # A full frame: neighbours cut at the edge of the view would draw half of one.
            "showframe": True,
            "framecolor": "#bdbdbd",
            "framewidth": 1,
            "domain": {"y": [0.09, 1]},  # the legend below the map, not over it
        },
        margin={"l": 0, "r": 0, "t": 0, "b": 0},
        uirevision=revision,  # keep the user's pan and zoom across updates
        separators=plotly_separators(lang),
        hoverlabel={"bgcolor": "#ffffff"},
        paper_bgcolor="#ffffff",
    )


def all_areas(layer: GeoLayer, fill: str, line: str, width: float, name: str):
    """Every feature of ``layer`` in one colour, for orientation only (no hover, no click)."""
    return go.Choropleth(
        geojson=layer.url,
        featureidkey=layer.id_key,
        locations=list(layer.codes),
        z=[0] * len(layer.codes),
        colorscale=[[0, fill], [1, fill]],
        showscale=False,
        marker={"line": {"width": width, "color": line}},
        hoverinfo="skip",
        name=name,
    )


def colorbar(length: float, title: str | None = None) -> dict:
    """A horizontal legend along the bottom: the map keeps its full width."""
    return {
        "orientation": "h",
        "x": 0.5,
        "y": 0,
        "xanchor": "center",
        "yanchor": "bottom",
        "len": length,
        "thickness": 10,
        "bgcolor": "rgba(255,255,255,0.85)",
        "title": {"side": "top", **({"text": title} if title else {})},
    }


def base_map(spec: MapSpec, codes: list[str], names: list[str], metric_id: str, lang: str):
    """An area map without values: geometry by URL only; ``map_update`` adds the values
    (in the page's layout for the first view, as a Patch after each change)."""

    def layer(name: str, **traits) -> go.Choropleth:  # the areas, drawn by URL, once per role
        return go.Choropleth(geojson=spec.areas.url, featureidkey=spec.areas.id_key, name=name,
                             **{"showscale": False, **traits})  # fmt: skip

    thin = {"line": {"width": 0.6, "color": "#ffffff"}}
    values = layer("values", locations=codes, z=[0] * len(codes), customdata=names, marker=thin,
                   colorscale=SEQUENTIAL_SCALE, colorbar=colorbar(0.7), showscale=False,
                   hovertemplate=_hovertemplate(metric_id, lang))  # fmt: skip
    suppressed = layer("suppressed", locations=[], z=[], customdata=[], marker=thin,
                       colorscale=[[0, SUPPRESSED_COLOUR], [1, SUPPRESSED_COLOUR]],
                       hovertemplate="<b>%{customdata}</b><br>%{text}<extra></extra>")  # fmt: skip
    # Over the values, without hover: the tooltip of the values says why (their text).
    low_base = layer("low base", locations=[], z=[], hoverinfo="skip",
                     colorscale=[[0, LOW_BASE_VEIL], [1, LOW_BASE_VEIL]],
                     marker={"line": {"width": 1.2, "color": LOW_BASE_LINE}})  # fmt: skip
    highlight = layer("selection", locations=[], z=[], colorscale=TRANSPARENT, hoverinfo="skip",
                      marker={"line": {"width": 3, "color": HIGHLIGHT_COLOUR}})  # fmt: skip
    figure = go.Figure(
        [
            all_areas(spec.outline, BASE_COLOUR, "#ffffff", 0, "outside the filter"),
            values,
            suppressed,
            low_base,
            all_areas(spec.context, "rgba(0,0,0,0)", CONTEXT_LINE, 1, "context"),
            highlight,
            mapmarks.circles(codes, spec.side),
            mapmarks.labels(spec.side, spec.bounds, lang),
        ]
    )
    geo_layout(figure, lang, spec.bounds, spec.side)
    figure.update_layout(clickmode="event")
    return figure


def compact_number(value: float, digits: int = 6) -> float | int | None:
    """A value as short as JSON can say it: None for NaN, whole numbers without ".0"."""
    if math.isnan(value):
        return None
    rounded = round(float(value), digits)
    return int(rounded) if rounded.is_integer() else rounded


def category_scale(k: int) -> list[list]:
    """A stepwise colour scale: value i of 1..k (with zmin 0.5, zmax k + 0.5) in colour i."""
    colours = [CATEGORY_COLOURS[i % len(CATEGORY_COLOURS)] for i in range(k)]
    return [[(i + step) / k, c] for i, c in enumerate(colours) for step in (0, 1)]


def _category_style(values: list, categories: tuple[str, ...]) -> dict:
    """Legend ticks naming each category (one line per part of its name) and each area's
    category name for its tooltip: these follow the filter, so they go with every update."""
    names = list(categories) or [""]
    ticks = [
        "<br>".join(line for part in name.replace(": ", ":, ").split(", ")
                    for line in textwrap.wrap(part, 14, break_long_words=False))
        for name in names
    ]  # fmt: skip
    text = [names[int(v) - 1] if v is not None and 1 <= v <= len(names) else "" for v in values]
    return {
        ("data", VALUES, "colorscale"): category_scale(len(names)),
        ("data", VALUES, "showscale"): bool(categories),  # no legend on a map without types
        ("data", VALUES, "colorbar", "tickvals"): list(range(1, len(names) + 1)),
        ("data", VALUES, "colorbar", "ticktext"): ticks,
        ("data", VALUES, "colorbar", "tickangle"): 0,
        ("data", VALUES, "colorbar", "tickfont"): {"size": 9},
        ("data", VALUES, "colorbar", "len"): 0.85,
        ("layout", "geo", "domain", "y"): [0.09, 1],  # the types' legend below the map
        ("data", VALUES, "text"): text,
        ("data", VALUES, "hovertemplate"): "<b>%{customdata}</b><br>%{text}<extra></extra>",
    }


# What a categorical metric sets, reset for the others (a null clears a property in plotly).
CATEGORY_RESET = {
    **{("data", VALUES, "colorbar", key): None
       for key in ("tickvals", "ticktext", "tickangle", "tickfont")},
    ("data", VALUES, "colorbar", "len"): 0.7,
    ("data", VALUES, "showscale"): False,  # classes and circles: the legend under the map
    ("data", VALUES, "text"): None,
    ("layout", "geo", "domain", "y"): [0, 1],  # the map down to the bottom: no strip kept
}  # fmt: skip


def map_update(
    values: list[float | None],
    metric_id: str,
    lang: str,
    highlight: list[str],
    suppressed: tuple[list[str], list[str], str] = ([], [], ""),
    style: bool = True,
    highlight_changed: bool = True,
    categories: tuple[str, ...] = (),
    low_base=None,
    scale: classes.MapScale | None = None,
    labels: bool = True,
):
    """Only what changes on a filter change: values, their classes (``scale``: a
    ``classes.MapScale``, by default quantiles in 5 classes), the suppressed areas (codes,
    names, the reason shown in their tooltip), the areas below the metric's minimum base
    (``low_base``: ``dashboard.low_base.MapBases``, drawn hatched; the reason per area is
    the values' text) and, for a count, the circles' sizes. With ``style`` also what
    depends on the metric alone (hover text, outlines, whether circles show) and whether
    the place names show (``labels``); with ``highlight_changed`` the selected area's
    outline. Each is left out when it cannot have changed: every byte of a filter change
    is waited for. A categorical metric (values 1..k) has a colour per category and a
    legend naming ``categories``, sent with every update."""
    indicator = CATALOGUE[metric_id]
    colours = _colours(values, metric_id, scale, categories)
    metric_style = {
        ("data", VALUES, "hovertemplate"): _hovertemplate(metric_id, lang),
        ("data", VALUES, "marker", "line", "color"): (
            classes.COUNT_LINE if classes.is_count(metric_id) else "#ffffff"
        ),
        ("data", CIRCLES, "visible"): classes.is_count(metric_id),
        ("data", LABELS, "visible"): labels,
        **CATEGORY_RESET,
    }
    if indicator.categorical:
        metric_style = {**metric_style, **_category_style(values, categories)}
    outline = {
        ("data", HIGHLIGHT, "locations"): highlight,
        ("data", HIGHLIGHT, "z"): [1] * len(highlight),
    }
    return {
        ("data", VALUES, "z"): values,
        **colours,
        **(metric_style if style or indicator.categorical else {}),
        **(_suppression(*suppressed) if style or indicator.from_microdata else {}),
        **(
            _low_base(low_base, len(values), indicator.flagged)
            if style or indicator.flagged
            else {}
        ),
        **(outline if highlight_changed else {}),
    }


def _colours(values: list, metric_id: str, scale, categories: tuple[str, ...]) -> dict:
    """The values' colours: a category's number, or the classes (stepped) and circles."""
    if CATALOGUE[metric_id].categorical:
        return {("data", VALUES, "zmin"): 0.5,
                ("data", VALUES, "zmax"): max(len(categories), 1) + 0.5}  # fmt: skip
    scale = scale or classes.map_scale(values, metric_id, "quantiles", 5)
    return {
        ("data", VALUES, "colorscale"): scale.colorscale,
        ("data", VALUES, "zmin"): compact_number(scale.zmin),
        ("data", VALUES, "zmax"): compact_number(scale.zmax),
        **_circles(values, metric_id, scale),
    }


def _circles(values: list, metric_id: str, scale: classes.MapScale) -> dict:
    """A count's circles: a diameter per area (area ∝ count), coloured by sign when the
    count can be negative (net migration)."""
    if not classes.is_count(metric_id):
        return {}
    sizes = {("data", CIRCLES, "marker", "size"):
             classify.diameters(values, scale.largest, classes.BIGGEST_CIRCLE_PX)}  # fmt: skip
    if CATALOGUE[metric_id].diverging:
        positive, negative = classes.CIRCLE_COLOURS
        sizes[("data", CIRCLES, "marker", "color")] = [
            negative if v is not None and v < 0 else positive for v in values
        ]
    return sizes


def _suppression(codes: list[str], names: list[str], reason: str) -> dict:
    """Only survey metrics suppress areas; after a switch away (style) the grey goes."""
    return {
        ("data", SUPPRESSED, "locations"): codes,
        ("data", SUPPRESSED, "z"): [0] * len(codes),
        ("data", SUPPRESSED, "customdata"): names,
        ("data", SUPPRESSED, "text"): [reason] * len(codes),
    }


def _low_base(bases, count: int, flagged: bool) -> dict:
    """The areas below the minimum base (lighter) and, for a metric with a minimum base,
    each area's reason for the values' tooltip; none for other metrics (after a switch away
    the lighter areas go; a categorical metric keeps its names as the values' text)."""
    codes = list(bases.codes) if bases is not None else []
    found = {("data", LOW_BASE, "locations"): codes, ("data", LOW_BASE, "z"): [0] * len(codes)}
    if flagged:
        notes = list(bases.notes) if bases is not None and bases.notes else [""] * count
        found[("data", VALUES, "text")] = notes
    return found


# What a map update may change without plotly drawing the map anew: the values and their
# range, and which areas are suppressed. assets/gate.js (``ruhr.recolour``) applies these in
# the browser; every Patch of the figure carries them too (``map_update``), so the figure
# in the page is whole again after any Patch.
RESTYLE_ATTRIBUTES = {
    VALUES: ("z", "zmin", "zmax", "text", "colorscale"),  # text: why an area's base is small
    SUPPRESSED: ("locations", "z", "customdata", "text"),
    LOW_BASE: ("locations", "z"),
    CIRCLES: ("marker.size", "marker.color"),
}


def restyle_message(update: dict) -> dict | None:
    """``update`` as attributes per trace for the browser's recolouring, or None when it
    changes more (colour scale, legend, selected area): then it goes as a Patch and plotly
    draws the map anew. The values trace is named: the browser recolours it in place when
    the same areas have values as before and nothing else differs from what it shows."""
    traces: dict[str, dict] = {}
    for path, value in update.items():
        attribute = ".".join(path[2:])
        if path[0] != "data" or attribute not in RESTYLE_ATTRIBUTES.get(path[1], ()):
            return None
        traces.setdefault(str(path[1]), {})[attribute] = value
    return {"values": VALUES, "traces": traces}
