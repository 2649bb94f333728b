"""Plotly figures. Area maps are built once with their geometry as a URL; later changes are
small updates (``map_update``) applied with ``dash.Patch`` so geometry never travels again.
The analysis charts carry no geometry and are rebuilt whole."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd
import plotly.colors
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from dashboard.i18n import COUNTRY_LABELS, LANGUAGE_LABELS, format_number, t
from layers import palette, vocab
from layers.catalogue import CATALOGUE, USE_LABELS

NOT_STATED = {"de": "keine Angabe", "en": "not stated"}

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
SUPPRESSED_COLOUR = "#bdbdbd"
HIGHLIGHT_COLOUR = "#000000"
BASE_COLOUR = "#e6e6e6"  # areas outside the filter
CONTEXT_LINE = "#7a7a7a"  # neighbouring areas and country borders
SEPARATORS = {"de": ",.", "en": ".,"}
BASE, VALUES, SUPPRESSED, CONTEXT, HIGHLIGHT = range(5)  # trace order of the area maps
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
    indicator = CATALOGUE[indicator_id]
    return (
        f"<b>%{{customdata}}</b><br>{indicator.text('label', lang)}: "
        f"%{{z:{number_format(indicator_id)}}} {indicator.text('unit', lang)}<extra></extra>"
    )


def _geo_layout(figure: go.Figure, lang: str, bounds, revision, projection="mercator") -> None:
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
        separators=SEPARATORS[lang],
        hoverlabel={"bgcolor": "#ffffff"},
        paper_bgcolor="#ffffff",
    )


def _all_areas(layer: GeoLayer, fill: str, line: str, width: float, name: str):
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


def _colorbar(length: float, title: str | None = None) -> dict:
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
    key = spec.areas.id_key
    values = go.Choropleth(
        geojson=spec.areas.url,
        featureidkey=key,
        locations=codes,
        z=[0] * len(codes),
        customdata=names,
        colorscale=SEQUENTIAL_SCALE,
        marker={"line": {"width": 0.6, "color": "#ffffff"}},
        hovertemplate=_hovertemplate(metric_id, lang),
        colorbar=_colorbar(0.7),
        name="values",
    )
    suppressed = go.Choropleth(
        geojson=spec.areas.url,
        featureidkey=key,
        locations=[],
        z=[],
        customdata=[],
        colorscale=[[0, SUPPRESSED_COLOUR], [1, SUPPRESSED_COLOUR]],
        showscale=False,
        marker={"line": {"width": 0.6, "color": "#ffffff"}},
        hovertemplate="<b>%{customdata}</b><br>%{text}<extra></extra>",
        name="suppressed",
    )
    highlight = go.Choropleth(
        geojson=spec.areas.url,
        featureidkey=key,
        locations=[],
        z=[],
        colorscale=TRANSPARENT,
        showscale=False,
        marker={"line": {"width": 3, "color": HIGHLIGHT_COLOUR}},
        hoverinfo="skip",
        name="selection",
    )
    figure = go.Figure(
        [
            _all_areas(spec.outline, BASE_COLOUR, "#ffffff", 0, "outside the filter"),
            values,
            suppressed,
            _all_areas(spec.context, "rgba(0,0,0,0)", CONTEXT_LINE, 1, "context"),
            highlight,
        ]
    )
    _geo_layout(figure, lang, spec.bounds, spec.side)
    figure.update_layout(clickmode="event")
    return figure


def compact_number(value: float, digits: int = 6) -> float | int | None:
    """A value as short as JSON can say it: None for NaN, whole numbers without ".0"."""
    if math.isnan(value):
        return None
    rounded = round(float(value), digits)
    return int(rounded) if rounded.is_integer() else rounded


def map_update(
    values: list[float | None],
    metric_id: str,
    lang: str,
    highlight: list[str],
    suppressed: tuple[list[str], list[str], str] = ([], [], ""),
    style: bool = True,
    highlight_changed: bool = True,
):
    """Only what changes on a filter change: values, their range and the suppressed areas
    (codes, names, the reason shown in their tooltip). With ``style`` also what depends on
    the metric alone (colour scale, hover text, legend title); with ``highlight_changed``
    the selected area's outline. Each is left out when it cannot have changed: every byte
    of a filter change is waited for."""
    indicator = CATALOGUE[metric_id]
    finite = [abs(v) for v in values if v is not None and math.isfinite(v)]
    top = max(finite, default=0.0) or 1.0
    if indicator.diverging:
        scale, zmin, zmax = DIVERGING_SCALE, -top, top
    else:
        scale, zmin, zmax = SEQUENTIAL_SCALE, 0.0, top
    hidden_codes, hidden_names, reason = suppressed
    metric_style = {
        ("data", VALUES, "colorscale"): scale,
        ("data", VALUES, "hovertemplate"): _hovertemplate(metric_id, lang),
        ("data", VALUES, "colorbar", "title", "text"): (
            f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})"
        ),
    }
    # Only survey metrics suppress areas; after a switch away (style) the grey goes.
    suppression = {
        ("data", SUPPRESSED, "locations"): hidden_codes,
        ("data", SUPPRESSED, "z"): [0] * len(hidden_codes),
        ("data", SUPPRESSED, "customdata"): hidden_names,
        ("data", SUPPRESSED, "text"): [reason] * len(hidden_codes),
    }
    outline = {
        ("data", HIGHLIGHT, "locations"): highlight,
        ("data", HIGHLIGHT, "z"): [1] * len(highlight),
    }
    return {
        ("data", VALUES, "z"): values,
        ("data", VALUES, "zmin"): compact_number(zmin),
        ("data", VALUES, "zmax"): compact_number(zmax),
        **(metric_style if style else {}),
        **(suppression if style or indicator.from_microdata else {}),
        **(outline if highlight_changed else {}),
    }


# What a map update may change without plotly drawing the map anew: the values and their
# range, and which areas are suppressed. assets/gate.js (``ruhr.recolour``) applies these in
# the browser; every Patch of the figure carries them too (``map_update``), so the figure
# in the page is whole again after any Patch.
RESTYLE_ATTRIBUTES = {
    VALUES: ("z", "zmin", "zmax"),
    SUPPRESSED: ("locations", "z", "customdata", "text"),
}


def restyle_message(update: dict) -> dict | None:
    """``update`` as attributes per trace for the browser's recolouring, or None when it
    changes more (colour scale, legend, selected area): then it goes as a Patch and plotly
    draws the map anew. The values trace is named: the browser recolours it in place when
    the same areas have values as before and nothing else differs from what it shows."""
    traces: dict[str, dict] = {}
    for path, value in update.items():
        if len(path) != 3 or path[2] not in RESTYLE_ATTRIBUTES.get(path[1], ()):
            return None
        traces.setdefault(str(path[1]), {})[path[2]] = value
    return {"values": VALUES, "traces": traces}


def _chart_layout(figure: go.Figure, title: str, lang: str, height: int = 320) -> go.Figure:
    figure.update_layout(
        # The empty template: charts are re-sent on filter changes, and Plotly's default
        # template alone is ~8 KB of JSON. What we need of it is set here explicitly.
        template="none",
        font={
            "family": "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif",
            "color": "#212529",
            "size": 12,
        },
        colorway=[ARRIVAL_COLOUR, DEPARTURE_COLOUR, "#009E73", "#CC79A7", "#E69F00"],
        title={"text": title, "font": {"size": 14}},
        margin={"l": 50, "r": 10, "t": 45, "b": 30},
        height=height,
        separators=SEPARATORS[lang],
        plot_bgcolor="#ffffff",
        legend={"orientation": "h", "y": -0.18},
    )
    figure.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bdbdbd", showgrid=True)
    figure.update_xaxes(showline=True, linecolor="#bdbdbd", ticks="outside")
    return figure


SERIES_BAND, SERIES_MEAN, SERIES_NET, SERIES_ARRIVALS, SERIES_DEPARTURES = range(5)


def series_update(series, year_from: int, year_to: int, title: str) -> dict:
    """What changes in the time series with the filters: the yearly values, the mean ±1 SD
    band of arrivals over the selected years (empty for a single year), the shaded years and
    the title. Trace and shape positions are those of ``series_figure``."""
    selected = series[(series["year"] >= year_from) & (series["year"] <= year_to)]
    band_x, band_y, mean_x, mean_y = [], [], [], []
    if len(selected) >= 2:
        mean, sd = float(selected["arrivals"].mean()), float(selected["arrivals"].std(ddof=1))
        mean_x = [year_from - 0.5, year_to + 0.5]
        band_x = mean_x + mean_x[::-1]
        band_y = [round(mean + sd, 1)] * 2 + [round(max(mean - sd, 0.0), 1)] * 2
        mean_y = [round(mean, 1)] * 2
    values = {
        column: [int(v) for v in series[column]] for column in ("net", "arrivals", "departures")
    }
    return {
        ("data", SERIES_BAND, "x"): band_x,
        ("data", SERIES_BAND, "y"): band_y,
        ("data", SERIES_MEAN, "x"): mean_x,
        ("data", SERIES_MEAN, "y"): mean_y,
        ("data", SERIES_NET, "y"): values["net"],
        ("data", SERIES_ARRIVALS, "y"): values["arrivals"],
        ("data", SERIES_DEPARTURES, "y"): values["departures"],
        ("layout", "shapes", 0, "x0"): year_from - 0.5,
        ("layout", "shapes", 0, "x1"): year_to + 0.5,
        ("layout", "annotations", 0, "x"): year_from - 0.5,
        ("layout", "title", "text"): title,
    }


def series_figure(series, year_from: int, year_to: int, title: str, lang: str) -> go.Figure:
    """Arrivals and departures as lines, net as bars, the selected years shaded, and the
    mean ±1 SD band of arrivals over the selected years (recurring new arrival at a glance).
    Always the same traces in the same order, so filter changes can patch the values."""
    years = [int(y) for y in series["year"]]
    figure = go.Figure()
    figure.add_scatter(
        mode="lines",  # the band alone: no markers at its corners
        fill="toself",
        fillcolor="rgba(0,114,178,0.12)",
        line_width=0,
        name=t("mean_sd_band", lang),
        hoverinfo="skip",
    )
    figure.add_scatter(
        mode="lines",
        name=t("mean", lang),
        line={"color": ARRIVAL_COLOUR, "dash": "dot", "width": 1.5},
        hovertemplate="%{y:,.0f}<extra>" + t("mean", lang) + "</extra>",
    )
    figure.add_bar(
        x=years,
        name=t("net", lang),
        marker_color=NET_COLOUR,
        hovertemplate="%{x}: %{y:,.0f}<extra>" + t("net", lang) + "</extra>",
    )
    for column, colour, dash in (
        ("arrivals", ARRIVAL_COLOUR, "solid"),
        ("departures", DEPARTURE_COLOUR, "dash"),  # dashed: not told apart by colour alone
    ):
        figure.add_scatter(
            x=years,
            name=t(column, lang),
            mode="lines+markers",
            line={"color": colour, "dash": dash, "width": 2.5},
            marker={"symbol": "circle" if dash == "solid" else "square"},
            hovertemplate="%{x}: %{y:,.0f}<extra>" + t(column, lang) + "</extra>",
        )
    _chart_layout(figure, title, lang, height=330)
    figure.update_layout(
        yaxis={"title": {"text": t("persons", lang)}},
        xaxis={"dtick": 1, "range": [years[0] - 0.5, years[-1] + 0.5]},
        hovermode="x unified",
        shapes=[{  # the selected years, shaded
            "type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
            "fillcolor": "#0072B2", "opacity": 0.05, "line": {"width": 0}, "layer": "below",
        }],
        annotations=[{
            "xref": "x", "yref": "paper", "y": 1, "xanchor": "left", "yanchor": "top",
            "text": t("selected_years", lang), "showarrow": False,
        }],
    )  # fmt: skip
    return apply_update(figure, series_update(series, year_from, year_to, title))


def series_skeleton(lang: str) -> go.Figure:
    """The series chart as sent with the page: its traces without values yet, so that the
    first update can already be a patch."""
    zeros = pd.DataFrame({"year": vocab.YEARS, "arrivals": 0, "departures": 0, "net": 0})
    return series_figure(zeros, vocab.YEARS[0], vocab.YEARS[-1], "", lang)


def apply_update(figure: go.Figure | dict, update: dict) -> go.Figure | dict:
    """``figure`` (a figure or its JSON) with a ``{path: value}`` update applied in place,
    as a Patch would."""
    for path, value in update.items():
        target = figure
        for key in path[:-1]:
            target = target[key]
        target[path[-1]] = value
    return figure


def category_bars(table: pd.DataFrame, kind: str, lang: str, threshold: int) -> go.Figure:
    """Horizontal bars of respondents per language or prior country; categories under the
    threshold are summed into one 'others' bar (never shown one by one)."""
    labels = LANGUAGE_LABELS if kind == "lang" else COUNTRY_LABELS
    shown = table[~table["suppressed"] & (table["count"] > 0)]
    names = [labels[c][lang] for c in shown["code"]]
    counts = shown["count"].tolist()
    hidden = int(table["suppressed"].sum())
    if hidden:
        names.append(f"{hidden} {t('others_suppressed', lang)}")  # why: in the legend text
        counts.append(None)
    figure = go.Figure(
        go.Bar(
            x=counts,
            y=names,
            orientation="h",
            marker_color=ARRIVAL_COLOUR,
            text=["" if c is not None else "–" for c in counts],
            textposition="outside",
            hovertemplate="%{y}: %{x:,.0f} " + t("respondents", lang) + "<extra></extra>",
        )
    )
    title = t("languages_chart" if kind == "lang" else "countries_chart", lang)
    richness = table.attrs.get("richness", 0)
    _chart_layout(
        figure,
        f"{title}<br><sup>{richness} {t('distinct', lang).format(n=threshold)}</sup>",
        lang,
        height=max(260, 22 * len(names) + 80),
    )
    figure.update_layout(
        yaxis={"autorange": "reversed", "automargin": True},  # long names stay whole
        xaxis={"title": t("respondents", lang)},
    )
    return figure


def countries_map(table: pd.DataFrame, world: GeoLayer, lang: str, threshold: int) -> go.Figure:
    """World map of the prior destination countries coloured by respondents."""
    shown = table[~table["suppressed"] & (table["count"] > 0)]
    hidden = table[table["suppressed"]]
    figure = go.Figure(_all_areas(world, "#f2f2f2", "#ffffff", 0.5, "countries"))
    figure.add_choropleth(
        geojson=world.url,
        featureidkey="properties.iso_a2",
        locations=shown["code"].tolist(),
        z=shown["count"].tolist(),
        colorscale=SEQUENTIAL_SCALE,
        zmin=0,
        customdata=[COUNTRY_LABELS[c][lang] for c in shown["code"]],
        hovertemplate="<b>%{customdata}</b><br>%{z:,.0f} "
        + t("respondents", lang)
        + "<extra></extra>",
        marker={"line": {"width": 0.5, "color": "#ffffff"}},
        colorbar=_colorbar(0.6, t("respondents", lang)),
    )
    figure.add_choropleth(
        geojson=world.url,
        featureidkey="properties.iso_a2",
        locations=hidden["code"].tolist(),
        z=[0] * len(hidden),
        colorscale=[[0, SUPPRESSED_COLOUR], [1, SUPPRESSED_COLOUR]],
        showscale=False,
        customdata=[COUNTRY_LABELS[c][lang] for c in hidden["code"]],
        hovertemplate="<b>%{customdata}</b><br>"
        + t("suppressed", lang).format(n=threshold)
        + "<extra></extra>",
        marker={"line": {"width": 0.5, "color": "#ffffff"}},
    )
    _geo_layout(figure, lang, (-125.0, -45.0, 150.0, 72.0), "countries", "natural earth")
    figure.update_layout(height=420)
    return figure


def remittance_figure(usd: pd.DataFrame, gdp: pd.DataFrame, lang: str) -> go.Figure:
    """The real World Bank series for RO and BG, with source and vintage on the chart."""
    figure = make_subplots(
        rows=1,
        cols=2,
        horizontal_spacing=0.1,
        subplot_titles=(t("national_usd", lang), t("national_gdp", lang)),
    )
    for col, frame, scale, fmt in ((1, usd, 1e-6, ",.0f"), (2, gdp, 1.0, ",.2f")):
        for iso2, rows in frame.groupby("country_iso2", sort=False):
            figure.add_scatter(
                x=rows["year"],
                y=rows["value"] * scale,
                mode="lines+markers",
                row=1,
                col=col,
                name=t(iso2, lang),
                legendgroup=iso2,
                showlegend=col == 1,
                line={"color": COUNTRY_COLOURS[iso2], "dash": "solid" if iso2 == "RO" else "dash"},
                marker={"symbol": "circle" if iso2 == "RO" else "diamond"},
                hovertemplate=f"%{{x}}: %{{y:{fmt}}}<extra>{t(iso2, lang)}</extra>",
            )
    vintages = "; ".join(
        f"{code}: {', '.join(sorted(set(f['vintage'])))}"
        for code, f in (("BX.TRF.PWKR.CD.DT", usd), ("BX.TRF.PWKR.DT.GD.ZS", gdp))
    )
    source = usd["source"].iloc[0] if len(usd) else ""
    note = f"{source}. {'Stand' if lang == 'de' else 'Vintage'} {vintages}."
    if (usd["note"] != "").any():
        note += " RO: " + ("Reihenbruch 2012/2013." if lang == "de" else "series break 2012/2013.")
    if set(usd["vintage"]) != set(gdp["vintage"]):  # releases revise: the panels disagree
        note += "<br>" + t("vintage_mismatch", lang)
    figure.add_annotation(
        text=note,
        xref="paper",
        yref="paper",
        x=0,
        y=-0.22,
        yanchor="top",
        align="left",
        showarrow=False,
        font={"size": 10, "color": "#555555"},
        xanchor="left",
    )
    _chart_layout(figure, "", lang, height=380)
    figure.update_layout(margin={"b": 100, "t": 40}, legend={"y": -0.12})
    return figure


NOT_PUBLISHED = {"de": "nicht veröffentlicht", "en": "not published"}


def uses_subtitle(shares: pd.Series, lang: str, threshold: int) -> str:
    """The denominator, and why bars are missing: the reader can check the bars make 100 %."""
    remitters = shares.attrs.get("remitters", np.nan)
    if np.isnan(remitters):
        return t("suppressed", lang).format(n=threshold)
    if remitters == 0:
        return t("uses_no_remitters", lang)
    text = t("uses_base", lang).format(n=format_number(remitters, 0, lang))
    if shares.isna().any():
        text += " · " + t("uses_some_hidden", lang).format(n=threshold)
    return text


def uses_figure(shares: pd.Series, lang: str, threshold: int) -> go.Figure:
    """Main use of remittances: the published shares, "not stated", and one grey bar for the
    remitters in suppressed cells, so that the bars add up to 100 % of the remitters."""
    values = [None if np.isnan(v) else v for v in shares]
    labels = [USE_LABELS.get(u, NOT_STATED)[lang] for u in shares.index]
    colours = [ARRIVAL_COLOUR] * len(values)
    hidden = shares.attrs.get("not_published", np.nan)
    if shares.isna().any() and not np.isnan(hidden):
        values.append(hidden)
        labels.append(NOT_PUBLISHED[lang])
        colours.append(SUPPRESSED_COLOUR)
    figure = go.Figure(
        go.Bar(
            x=values,
            y=labels,
            orientation="h",
            marker_color=colours,
            hovertemplate="%{y}: %{x:.1f} %<extra></extra>",
        )
    )
    subtitle = uses_subtitle(shares, lang, threshold)
    _chart_layout(figure, f"{t('uses_chart', lang)}<br><sup>{subtitle}</sup>", lang, height=280)
    figure.update_layout(
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"range": [0, 100], "ticksuffix": " %"},
        margin={"t": 60},
    )
    return figure


def needs_figure(frame: pd.DataFrame, lang: str, threshold: int) -> go.Figure:
    """Grouped bars: share naming each support area, one bar per migration type."""
    figure = go.Figure()
    areas = [vocab.SUPPORT_NEED_LABELS[a][lang] for a in vocab.SUPPORT_NEEDS]
    for mtype, row in frame.iterrows():
        colour, pattern = TYPE_COLOURS[mtype]
        label = vocab.MIGRATION_TYPE_LABELS[mtype][lang]
        respondents = row["respondents"]
        suffix = (
            f" (n≈{respondents:,.0f})"
            if not np.isnan(respondents)
            else " – " + t("suppressed", lang).format(n=threshold)
        )
        figure.add_bar(
            x=areas,
            y=[None if np.isnan(v) else v for v in row[list(vocab.SUPPORT_NEEDS)]],
            name=label + suffix,
            marker={"color": colour, "pattern": {"shape": pattern}},
            hovertemplate="%{x}: %{y:.1f} %<extra>" + label + "</extra>",
        )
    _chart_layout(figure, t("needs_chart", lang), lang, height=380)
    figure.update_layout(barmode="group", yaxis={"ticksuffix": " %", "rangemode": "tozero"})
    return figure


def _arc(lon0, lat0, lon1, lat1, steps: int = 24) -> tuple[list[float], list[float]]:
    """A gentle curve between two points so overlapping flows stay apart."""
    s = np.linspace(0.0, 1.0, steps)
    mid_lon, mid_lat = (lon0 + lon1) / 2, (lat0 + lat1) / 2
    bend_lon, bend_lat = mid_lon - (lat1 - lat0) * 0.15, mid_lat + (lon1 - lon0) * 0.15
    lon = (1 - s) ** 2 * lon0 + 2 * (1 - s) * s * bend_lon + s**2 * lon1
    lat = (1 - s) ** 2 * lat0 + 2 * (1 - s) * s * bend_lat + s**2 * lat1
    return lon.tolist(), lat.tolist()


def flow_map(flows: pd.DataFrame, direction: str, lang: str, geo: dict[str, GeoLayer]):
    """Romania, Bulgaria and the Ruhr on one map with origin→destination lines whose width
    follows persons (five width classes); hovering a line names both ends and the number."""
    figure = go.Figure([  # for orientation, under the lines
        _all_areas(geo["context_countries"], "#f7f7f7", CONTEXT_LINE, 0.8, "countries"),
        _all_areas(geo["origin_regions"], BASE_COLOUR, "#ffffff", 0.5, "origin regions"),
        _all_areas(geo["ruhr_municipalities"], BASE_COLOUR, "#9e9e9e", 0.5, "Ruhr"),
    ])  # fmt: skip
    colour = ARRIVAL_COLOUR if direction == "arrival" else DEPARTURE_COLOUR
    if len(flows):
        edges = np.unique(np.quantile(flows["persons"], [0, 0.5, 0.75, 0.9, 0.97, 1.0]))
        classes = np.clip(
            np.searchsorted(edges, flows["persons"], side="right") - 1, 0, max(len(edges) - 2, 0)
        )
        for width_class in sorted(set(classes)):
            lon, lat, text = [], [], []
            for row in flows[classes == width_class].itertuples():
                start = (row.origin_lon, row.origin_lat)
                end = (row.destination_lon, row.destination_lat)
                if direction == "departure":
                    start, end = end, start
                arc_lon, arc_lat = _arc(*start, *end)
                label = (
                    f"{row.origin_name} → {row.destination_name}"
                    if direction == "arrival"
                    else f"{row.destination_name} → {row.origin_name}"
                )
                label += f": {format_number(row.persons, 0, lang)} {t('persons', lang)}"
                lon += [*arc_lon, None]
                lat += [*arc_lat, None]
                text += [label] * len(arc_lon) + [None]
            figure.add_scattergeo(
                lon=lon,
                lat=lat,
                mode="lines",
                text=text,
                hoverinfo="text",
                line={"width": 1 + 2 * int(width_class), "color": colour},
                opacity=0.75,
                showlegend=False,
            )
    _geo_layout(figure, lang, (4.5, 40.5, 30.5, 53.5), "flows")
    figure.update_layout(height=520)
    return figure
