"""The analysis charts (series, diversity, remittances, support needs): plotly figures that
carry no geometry and are rebuilt whole, or (the series) updated by ``{path: value}``."""

from __future__ import annotations

import datetime as dt
import textwrap

import numpy as np
import pandas as pd
import plotly.graph_objects as go

from dashboard.figures import (
    ARRIVAL_COLOUR,
    DEPARTURE_COLOUR,
    NET_COLOUR,
    SEQUENTIAL_SCALE,
    SUPPRESSED_COLOUR,
    TYPE_COLOURS,
    GeoLayer,
    all_areas,
    colorbar,
    geo_layout,
)
from dashboard.i18n import (
    COUNTRY_LABELS,
    LANGUAGE_LABELS,
    format_date,
    format_number,
    plotly_separators,
    t,
)
from dashboard.intervals import interval_errors, share_hover
from dashboard.updates import apply_update
from layers import l10n, vocab
from layers.catalogue import USE_LABELS

NOT_STATED = l10n.text("charts.not_stated", {"de": "keine Angabe", "en": "not stated"})
# The series chart's traces, in the order series_figure adds them.
SERIES_BAND, SERIES_MEAN, SERIES_NET, SERIES_ARRIVALS, SERIES_DEPARTURES = range(5)


LEGEND_BELOW = {
    "orientation": "h",
    "yref": "container",
    "y": 0,
    "yanchor": "bottom",
    "x": 0,
    "xanchor": "left",
}


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
        # the title and the legend push the plot aside instead of overlapping its labels
        # (a title wrapped on a phone by assets/fit.js grows upwards): the legend sits at
        # the figure's foot and reserves its height (container refs)
        title={
            "text": title,
            "font": {"size": 16},  # a subtitle (<sup>, 70 %) at 11 px
            "automargin": True,
            "yref": "paper",
            "y": 1,
            "yanchor": "bottom",
            "pad": {"b": 12},
        },
        margin={"l": 50, "r": 10, "t": 45, "b": 30},
        height=height,
        separators=plotly_separators(lang),
        plot_bgcolor="#ffffff",
        legend=LEGEND_BELOW,
    )
    # whole numbers with the language's separators ("20.000"), not SI suffixes ("20k");
    # four digits (the years) stay unseparated
    # the tick labels push the margins (the legend's reserved foot is added below them)
    figure.update_yaxes(gridcolor="#e5e5e5", zerolinecolor="#bdbdbd", showgrid=True,
                        exponentformat="none", separatethousands=True,
                        automargin=True)  # fmt: skip
    figure.update_xaxes(showline=True, linecolor="#bdbdbd", ticks="outside",
                        exponentformat="none", automargin=True)  # fmt: skip
    return figure


def in_lines(text: str, width: int) -> str:
    """``text`` in plotly's lines (<br>) of about ``width`` characters, words kept whole
    (a long word is its own line, never cut)."""
    return "<br>".join(textwrap.wrap(text, width, break_long_words=False))


def _vintage(value: str, lang: str) -> str:
    """A release date as the reader writes it ("1. Juli 2025", with no-break spaces: one
    date on one line); as stored if not a date."""
    try:
        return format_date(dt.date.fromisoformat(value), lang).replace(" ", "\u00a0")
    except ValueError:
        return value


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
        # whole years, as many as fit the width (every year ran together on a phone)
        xaxis={"tickformat": "d", "range": [years[0] - 0.5, years[-1] + 0.5]},
        hovermode="x unified",
        shapes=[{  # the selected years, shaded
            "type": "rect", "xref": "x", "yref": "paper", "y0": 0, "y1": 1,
            "fillcolor": "#0072B2", "opacity": 0.05, "line": {"width": 0}, "layer": "below",
        }],
        # the band's label above the plot, under the title: inside, the lines ran over it
        annotations=[{
            "xref": "x", "yref": "paper", "y": 1, "xanchor": "left", "yanchor": "bottom",
            "text": t("selected_years", lang), "showarrow": False,
        }],
        title={"pad": {"b": 30}},
    )  # fmt: skip
    return apply_update(figure, series_update(series, year_from, year_to, title))


def series_skeleton(lang: str) -> go.Figure:
    """The series chart as sent with the page: its traces without values yet, so that the
    first update can already be a patch."""
    zeros = pd.DataFrame({"year": vocab.YEARS, "arrivals": 0, "departures": 0, "net": 0})
    return series_figure(zeros, vocab.YEARS[0], vocab.YEARS[-1], "", lang)


def _horizontal_bars(values, labels, colours, hovertemplate: str, **bar) -> go.Figure:
    """One bar per label, read top to bottom (the diversity and remittance-use charts)."""
    return go.Figure(go.Bar(x=values, y=labels, orientation="h", marker_color=colours,
                            hovertemplate=hovertemplate, **bar))  # fmt: skip


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
    figure = _horizontal_bars(
        counts, names, ARRIVAL_COLOUR,
        "%{y}: %{x:,.0f} " + t("respondents", lang) + "<extra></extra>",
        text=["" if c is not None else "–" for c in counts], textposition="outside",
    )  # fmt: skip
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
    figure = go.Figure(all_areas(world, "#f2f2f2", "#ffffff", 0.5, "countries"))
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
        colorbar=colorbar(0.6, t("respondents", lang)),
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
    geo_layout(figure, lang, (-125.0, -45.0, 150.0, 72.0), "countries", "natural earth")
    figure.update_layout(height=420)
    return figure


NOT_PUBLISHED = l10n.text(
    "charts.not_published", {"de": "nicht veröffentlicht", "en": "not published"}
)


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
    """Main use of remittances: the published shares with their 95 % intervals, "not stated",
    and one grey bar for the remitters in suppressed cells, so that the bars add up to 100 %
    of the remitters (the base n, in the subtitle and the hover text)."""
    values = [None if np.isnan(v) else v for v in shares]
    labels = [USE_LABELS.get(u, NOT_STATED)[lang] for u in shares.index]
    colours = [ARRIVAL_COLOUR] * len(values)
    lows = list(shares.attrs.get("ci_low", [np.nan] * len(values)))
    highs = list(shares.attrs.get("ci_high", [np.nan] * len(values)))
    remitters = shares.attrs.get("remitters", np.nan)
    hover = [share_hover(v, lo, hi, remitters, lang, label)
             for label, v, lo, hi in zip(labels, values, lows, highs, strict=True)]  # fmt: skip
    hidden = shares.attrs.get("not_published", np.nan)
    if shares.isna().any() and not np.isnan(hidden):
        values.append(hidden)
        labels.append(NOT_PUBLISHED[lang])
        colours.append(SUPPRESSED_COLOUR)
        lows.append(np.nan)
        highs.append(np.nan)
        hover.append(f"{NOT_PUBLISHED[lang]}: {format_number(hidden, 1, lang)} %")
    errors = interval_errors(values, lows, highs)
    figure = _horizontal_bars(values, labels, colours, "%{hovertext}<extra></extra>",
                              hovertext=hover, error_x=errors)  # fmt: skip
    subtitle = uses_subtitle(shares, lang, threshold)
    title = f"{t('uses_chart', lang)}<br><sup>{subtitle}<br>{t('interval_bars', lang)}</sup>"
    _chart_layout(figure, title, lang, height=300)
    figure.update_layout(
        yaxis={"autorange": "reversed", "automargin": True},
        xaxis={"range": [0, 100], "ticksuffix": " %"},
        margin={"t": 75},
    )
    return figure


def needs_figure(frame: pd.DataFrame, lang: str, threshold: int) -> go.Figure:
    """Grouped bars: share naming each support area, one bar per migration type, with its
    95 % interval as an error bar; the base n of each type in the legend and the hover."""
    figure = go.Figure()
    areas = [vocab.SUPPORT_NEED_LABELS[a][lang] for a in vocab.SUPPORT_NEEDS]
    for mtype, row in frame.iterrows():
        colour, pattern = TYPE_COLOURS[mtype]
        label = vocab.MIGRATION_TYPE_LABELS[mtype][lang]
        respondents = row["respondents"]
        suffix = (
            f" ({t('base_n', lang).format(n=format_number(respondents, 0, lang))})"
            if not np.isnan(respondents)
            else " – " + t("suppressed", lang).format(n=threshold)
        )
        values = [row[a] for a in vocab.SUPPORT_NEEDS]
        lows = [row[f"{a}_ci_low"] for a in vocab.SUPPORT_NEEDS]
        highs = [row[f"{a}_ci_high"] for a in vocab.SUPPORT_NEEDS]
        figure.add_bar(
            y=areas,  # horizontal: the life areas' names stay whole on a phone
            x=[None if np.isnan(v) else v for v in values],
            orientation="h",
            error_x=interval_errors(values, lows, highs),
            name=label + suffix,
            marker={"color": colour, "pattern": {"shape": pattern}},
            hovertext=[
                share_hover(v, lo, hi, respondents, lang)
                for v, lo, hi in zip(values, lows, highs, strict=True)
            ],
            hovertemplate="%{y}: %{hovertext}<extra>" + label + "</extra>",
        )
    title = f"{t('needs_chart', lang)}<br><sup>{t('interval_bars', lang)}</sup>"
    _chart_layout(figure, title, lang, height=520)
    # at most five ticks: with their " %" more ran together on a phone
    figure.update_layout(barmode="group", xaxis={"ticksuffix": " %", "rangemode": "tozero",
                                                 "nticks": 5, "tickangle": 0},
                         # the names in lines of 18 characters: on a phone they left
                         # the bars no room
                         yaxis={"autorange": "reversed", "automargin": True, "tickvals": areas,
                                "ticktext": [in_lines(a, 18) for a in areas]},
                         legend={"traceorder": "normal"}, margin={"t": 60})  # fmt: skip
    return figure
