"""The tab "Register stocks": real stocks of Romanian and Bulgarian nationals (GENESIS
12521-0041, when imported) per kreisfreie Stadt and Kreis beside the modelled net migration
of the same units (``layers.stocks``). Without an import it says how to import, and shows
nothing else."""

from __future__ import annotations

import datetime
import math
import textwrap

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import ids
from dashboard.charts import _chart_layout
from dashboard.figures import ARRIVAL_COLOUR, NET_COLOUR
from dashboard.i18n import format_date, format_number, t
from layers import regions, stocks
from layers.dataset import Dataset

REAL_CLASS = "badge bg-success me-1"
SYNTHETIC_CLASS = "badge bg-warning text-dark me-1"


def panel(lang: str, graph) -> list:
    """The tab's layout (``graph``: panels.graph); the callback fills it."""
    options = [{"label": m.label[lang], "value": m.id} for m in stocks.METRICS.values()]
    return [
        html.Fieldset([
            html.Legend(t("stocks_metric", lang), className="form-label fs-6"),
            dbc.RadioItems(id=ids.STOCK_METRIC, options=options, value=stocks.DEFAULT,
                           inline=True),
        ], className="no-print"),
        html.P(id=ids.STOCK_LABEL, className="fw-semibold mb-1", **{"aria-live": "polite"}),
        graph(ids.STOCK_CHART, lang),
        html.Div(id=ids.STOCK_TABLE, className="table-responsive"),
        html.P(id=ids.STOCK_NOTE, className="small"),
        html.Button(t("download_csv", lang), id=ids.STOCK_CSV, type="button",
                    className="btn btn-outline-primary btn-sm no-print"),
        dcc.Download(id=ids.STOCK_DOWNLOAD),
    ]  # fmt: skip


def _years(years: tuple[int, int] | None) -> str:
    if years is None:
        return "–"
    return str(years[0]) if years[0] == years[1] else f"{years[0]}–{years[1]}"


def stock_date(date: str, lang: str) -> str:
    """A reference date as the page's locale writes it (31.12.2022, 31 Dec 2022,
    31 dec. 2022, 31.12.2022 г.); a year alone as it is."""
    if len(date) != 10:
        return date
    return format_date(datetime.date.fromisoformat(date), lang, "medium")


def column_titles(result: stocks.Comparison, lang: str) -> dict[str, str]:
    """The table's headers (and the chart's traces): what each number is, and from when."""
    first, last = stock_date(result.first, lang), stock_date(result.last, lang)
    net = "stocks_net" if result.changes else "stocks_net_cumulated"
    return {
        "value": result.metric.title(lang, last),
        "change": t("stocks_change", lang).format(first=first, last=last),
        "last": t("stocks_level", lang).format(last=last),
        "net": t(net, lang).format(years=_years(result.years)),
        "difference": t("stocks_difference", lang),
    }


def _cell(value: float, decimals: int, marker: str, lang: str) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        if not marker:  # no row in the imported table, not a withheld value
            return t("stocks_not_in_table", lang)
        return t("stocks_missing", lang).format(marker=marker)
    return format_number(value, decimals, lang)


def _row_name(code: str, row, lang: str) -> str:
    kind = "stocks_kreis" if row["level"] == stocks.KREIS else "stocks_city"
    return f"{row['name']} ({t(kind, lang)})"


def table_component(result: stocks.Comparison, lang: str, selected: str | None = None):
    """The units as rows (``selected``: the unit of the selected municipality, marked)."""
    titles = column_titles(result, lang)
    base = "change" if result.changes else "last"
    columns = ("value", base, "net", "difference")
    head = [html.Th(t("area", lang), scope="col"),
            *(html.Th(titles[c], scope="col") for c in columns)]  # fmt: skip
    body = []
    for code, row in result.table.iterrows():
        decimals = {"value": result.metric.decimals}
        # data-label: each value's header beside it where a phone stacks the row (app.css)
        cells = [html.Td(_cell(row[c], decimals.get(c, 0), row["marker"] if c != "net" else "",
                               lang), **{"data-label": titles[c]}) for c in columns]  # fmt: skip
        mark = {"className": "table-primary", "aria-current": "true"} if code == selected else {}
        body.append(html.Tr([html.Th(_row_name(code, row, lang), scope="row"), *cells],
                            **{"data-code": code}, **mark))  # fmt: skip
    caption = f"{t('stocks_caption', lang)} · {result.source(lang)}"
    parts = [html.Caption(caption), html.Thead(html.Tr(head)), html.Tbody(body)]
    return html.Table(
        parts, className="table table-sm table-striped small stack-on-phone", id=ids.STOCK_GRID
    )


def comparison_figure(result: stocks.Comparison, lang: str) -> go.Figure:
    """Per unit: the register's change (or stock) beside the modelled net, in persons."""
    titles = column_titles(result, lang)
    base = "change" if result.changes else "last"
    table = result.table.iloc[::-1]  # the first unit on top
    names = list(table["name"])  # a Kreis says so in its name
    figure = go.Figure()
    for column, colour, kind in ((base, ARRIVAL_COLOUR, "stock_real"),
                                 ("net", NET_COLOUR, "stock_synthetic")):  # fmt: skip
        label = f"{titles[column]} – {t(kind, lang)}"
        # the legend's entry on lines of its own width: plotly does not wrap it (a phone)
        entry = "<br>".join(textwrap.wrap(label, 34, break_long_words=False))
        figure.add_bar(y=names, x=table[column], orientation="h", name=entry,
                       marker_color=colour,
                       hovertemplate=f"%{{y}}: %{{x:,.0f}}<extra>{label}</extra>")  # fmt: skip
    title = t("stocks_chart_title", lang).format(metric=result.metric.name(lang))
    _chart_layout(figure, title, lang, height=560)
    figure.update_layout(barmode="group", margin={"l": 10, "r": 10, "t": 60, "b": 40},
                         legend={"orientation": "h", "y": -0.08, "font": {"size": 11}})  # fmt: skip
    figure.update_yaxes(automargin=True)
    return figure


def note(result: stocks.Comparison, lang: str) -> str:
    dates = stock_date(result.first, lang)
    if result.changes:
        dates += f", {stock_date(result.last, lang)}"
    return t("stocks_note", lang).format(dates=dates, years=_years(result.years))


def label(result: stocks.Comparison, lang: str) -> list:
    """The badge and the line: real · RO+BG nationals (persons, 31.12.2022) · Destatis, …"""
    title = result.metric.title(lang, stock_date(result.last, lang))
    return [html.Span(t("stock_real", lang), className=REAL_CLASS),
            f"{title} · {result.source(lang)}"]  # fmt: skip


def _selected(selection, lang: str) -> tuple[str | None, str]:
    """The unit of a selected municipality, and a sentence if it is a Kreis's town."""
    if selection is None or selection.side != "municipality":
        return None, ""
    unit = stocks.unit_of(selection.code)
    if unit == selection.code:
        return unit, ""
    town = regions.municipality_by_ags()[selection.code].name
    return unit, t("stocks_selected_town", lang).format(town=town, kreis=regions.KREISE[unit])


def outputs(ds: Dataset, metric_id: str | None, lang: str, selection=None) -> dict:
    """The tab's label, chart, table and note, and the metric choices (disabled without an
    import, with the import command in the label); the selected municipality's unit marked
    (a Kreis's town: its Kreis, and the note says so)."""
    options = [{"label": m.label[lang], "value": m.id} for m in stocks.METRICS.values()]
    if not stocks.available(ds.foreign_nationals):
        figure = _chart_layout(go.Figure(), "", lang, height=120)
        figure.update_layout(xaxis={"visible": False}, yaxis={"visible": False})
        return {"label": [html.Span(t("stocks_not_imported_badge", lang),
                                    className="badge bg-secondary me-1"),
                          t("stocks_not_imported", lang)],
                "figure": figure, "table": [], "note": "",
                "options": [{**o, "disabled": True} for o in options]}  # fmt: skip
    metric = metric_id if metric_id in stocks.METRICS else stocks.DEFAULT
    result = stocks.comparison(ds, ds.foreign_nationals, metric)
    unit, town = _selected(selection, lang)
    return {"label": label(result, lang), "figure": comparison_figure(result, lang),
            "table": table_component(result, lang, unit),
            "note": " ".join(filter(None, [town, note(result, lang)])),
            "options": options}  # fmt: skip


def download(ds: Dataset, metric_id: str | None) -> dict | None:
    """The comparison as CSV (``layers.stocks.export_table``); None without an import."""
    if not stocks.available(ds.foreign_nationals):
        return None
    metric = metric_id if metric_id in stocks.METRICS else stocks.DEFAULT
    result = stocks.comparison(ds, ds.foreign_nationals, metric)
    return {"content": stocks.export_table(result).to_csv(index=False), "type": "text/csv",
            "filename": f"register-stocks-{metric}-{result.last}.csv"}  # fmt: skip
