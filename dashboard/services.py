"""The tab "KOSMATI services": the dimensions covered per municipality (map and table) and,
for the selected municipality, the support needs its respondents name beside the services
that address each life area and migration type, the gaps marked (layers/kosmati.py,
layers/services_layer.py). The demo inventory is labelled illustrative wherever it shows."""

from __future__ import annotations

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from babel import Locale
from dash import html

from dashboard import ids
from dashboard.charts import _chart_layout
from dashboard.figures import GeoLayer, all_areas, geo_layout
from dashboard.flowmap import RUHR_BOUNDS
from dashboard.i18n import LANGUAGE_LABELS, LOCALES, format_number, join_names, t
from layers import kosmati, services_layer, vocab
from layers.dataset import Dataset
from layers.disclosure import Policy

# ColorBrewer YlGnBu, 5 classes: 0–4 dimensions covered, light to dark.
DIMENSION_COLOURS = ("#ffffcc", "#a1dab4", "#41b6c4", "#2c7fb8", "#253494")
STATUS_CLASS = {
    kosmati.GAP: "badge bg-danger",
    kosmati.OFFERED: "badge bg-success",
    kosmati.NOT_NAMED: "badge bg-light text-dark border",
    kosmati.WITHHELD: "badge bg-secondary",
    kosmati.NO_RESPONDENTS: "badge bg-light text-dark border",
}
BADGE = "badge bg-warning text-dark me-1"
COMPARE_COLOURS = ("#0072B2", "#E69F00", "#009E73")  # Okabe–Ito; bars differ by pattern too


def panel(lang: str, graph) -> list:
    """The tab's layout (``graph``: panels.graph); the callback fills it."""
    return [
        html.P(id=ids.SERVICES_LABEL, className="small mb-2", **{"aria-live": "polite"}),
        dbc.Row([
            dbc.Col([html.H3(t("services_map_title", lang), className="h6"),
                     graph(ids.SERVICES_MAP, lang, className="services-graph")], xl=4),
            dbc.Col([html.H3(t("services_table_title", lang), className="h6"),
                     html.Div(id=ids.SERVICES_TABLE, className="services-scroll")], xl=8),
        ], className="mb-3"),
        html.H3(t("services_needs_title", lang), className="h6 mt-2"),
        html.Div(id=ids.SERVICES_NEEDS, **{"aria-live": "polite"}),
    ]  # fmt: skip


def label(inv: kosmati.Inventory, lang: str) -> list:
    """The badge and where the inventory comes from."""
    if not inv.illustrative:
        return [t("services_imported", lang), " ", inv.source]
    return [html.Span(t("services_illustrative_badge", lang), className=BADGE),
            t("services_illustrative", lang)]  # fmt: skip


def dimension_name(dimension: str, lang: str) -> str:
    return t(f"services_dim_{dimension}", lang)


def coverage_map(table, lang: str, geo: dict[str, GeoLayer], selected: str | None = None):
    """The 53 municipalities coloured by dimensions covered (0–4), a legend of five steps."""
    scale = [[(i + step) / 5, c] for i, c in enumerate(DIMENSION_COLOURS) for step in (0, 1)]
    hover = [
        t("services_hover", lang).format(name=row.name, dims=row.dimensions_covered,
                                         services=row.services)
        for row in table.itertuples()
    ]  # fmt: skip
    figure = go.Figure([all_areas(geo["ruhr_context"], "#ffffff", "#c8c8c8", 0.6, "context")])
    figure.add_choropleth(
        geojson=geo["ruhr_municipalities"].url, featureidkey=geo["ruhr_municipalities"].id_key,
        locations=list(table.index), z=list(table["dimensions_covered"]), zmin=-0.5, zmax=4.5,
        colorscale=scale, text=hover, hovertemplate="%{text}<extra></extra>",
        marker={"line": {"width": [2.5 if c == selected else 0.6 for c in table.index],
                         "color": ["#000000" if c == selected else "#6b6b6b"
                                   for c in table.index]}},
        colorbar={"orientation": "h", "x": 0.5, "y": 0, "yanchor": "top", "len": 0.9,
                  "thickness": 12, "tickvals": list(range(5)),
                  "ticktext": [str(i) for i in range(5)],
                  "title": {"text": t("services_legend", lang), "side": "top"}},
        name="services",
    )  # fmt: skip
    geo_layout(figure, lang, RUHR_BOUNDS, "services")
    figure.update_layout(height=440, margin={"l": 0, "r": 0, "t": 0, "b": 10},
                         geo_domain={"y": [0.14, 1]})  # fmt: skip
    return figure


def coverage_table(table, lang: str, selected: str | None = None) -> html.Table:
    """All 53 municipalities, most dimensions first, the selected one marked."""
    ordered = table.sort_values(["dimensions_covered", "services", "name"],
                                ascending=[False, False, True])  # fmt: skip
    titles = [dimension_name(d, lang) for d in kosmati.DIMENSIONS]
    titles += [t("services_count", lang), t("services_dimensions_covered", lang)]
    head = html.Tr([html.Th(t("area", lang), scope="col"),
                    *(html.Th(x, scope="col") for x in titles)])  # fmt: skip
    body = []
    for code, row in ordered.iterrows():
        values = [*(row[d] for d in kosmati.DIMENSIONS), row["services"], row["dimensions_covered"]]
        mark = {"className": "table-primary", "aria-current": "true"} if code == selected else {}
        body.append(html.Tr([html.Th(row["name"], scope="row"),
                             *(html.Td(str(v), **{"data-label": x})
                               for v, x in zip(values, titles, strict=True))],
                            **{"data-code": code}, **mark))  # fmt: skip
    return html.Table([html.Caption(t("services_table_caption", lang)), html.Thead(head),
                       html.Tbody(body)], id=ids.SERVICES_GRID,
                      className="table table-sm table-striped small stack-on-phone")  # fmt: skip


def _cell(row, lang: str) -> html.Td:
    """One life area × type: the share named (or why none is shown), the services, the mark."""
    if row.status == kosmati.WITHHELD:
        share = t("services_withheld", lang)
    elif row.status == kosmati.NO_RESPONDENTS:
        share = t("services_no_respondents", lang)
    else:
        share = f"{format_number(row.share, 0, lang)} %"
    offered = t("services_offers", lang).format(n=row.services)
    mark = html.Span(t(f"services_status_{row.status}", lang), className=STATUS_CLASS[row.status])
    title = "; ".join(row.service_names) or None
    # one block beside the label where a phone stacks the row (app.css, stack-on-phone)
    content = html.Div([share, " · ", html.Span(offered, title=title), " ", mark])
    return html.Td(content,
                   **{"data-label": vocab.MIGRATION_TYPE_LABELS[row.migration_type][lang],
                      "data-status": row.status})  # fmt: skip


def needs_table(table, lang: str) -> html.Table:
    types = list(dict.fromkeys(table["migration_type"]))
    head = html.Tr([html.Th(t("services_life_area", lang), scope="col"),
                    *(html.Th(vocab.MIGRATION_TYPE_LABELS[x][lang], scope="col")
                      for x in types)])  # fmt: skip
    body = []
    for area in kosmati.LIFE_AREAS:
        rows = table[table["life_area"] == area]
        body.append(html.Tr([html.Th(vocab.SUPPORT_NEED_LABELS[area][lang], scope="row"),
                             *(_cell(r, lang) for r in rows.itertuples())]))  # fmt: skip
    return html.Table([html.Caption(t("services_needs_caption", lang)), html.Thead(head),
                       html.Tbody(body)], id=ids.SERVICES_NEEDS_GRID,
                      className="table table-sm small stack-on-phone")  # fmt: skip


def gap_summary(table, name: str, lang: str) -> str:
    gaps = kosmati.gaps(table)
    if gaps.empty:
        return t("services_no_gaps", lang).format(name=name)
    items = [f"{vocab.SUPPORT_NEED_LABELS[a][lang]} ({vocab.MIGRATION_TYPE_LABELS[x][lang]})"
             for a, x in zip(gaps["life_area"], gaps["migration_type"], strict=True)]  # fmt: skip
    return t("services_gaps", lang).format(name=name, n=len(gaps), gaps=join_names(items, lang))


def _languages(codes, lang: str) -> str:
    """The names of the 23 languages of the survey as elsewhere on the page, others from CLDR."""
    names = Locale.parse(LOCALES[lang]).languages
    return ", ".join(LANGUAGE_LABELS.get(c, {}).get(lang) or names.get(c, c) for c in codes)


def service_list(inv: kosmati.Inventory, ags: str, lang: str) -> html.Ul:
    mine = inv.table[inv.table["municipality_ags"] == ags]
    items = []
    for row in mine.itertuples():
        parts = [dimension_name(row.dimension, lang), _languages(row.languages, lang)]
        if not pd.isna(row.since):
            parts.append(t("services_since", lang).format(year=int(row.since)))
        # a service's own name, as the municipality gives it (German)
        items.append(html.Li([html.Span(row.service, lang="de"), " · " + " · ".join(parts)]))
    return html.Ul(items or [html.Li(t("services_none_listed", lang))], className="small")


def needs_component(ds: Dataset, shown, policy: Policy) -> list:
    """Needs against offers of the selected municipality, or how to choose one."""
    selection = shown.selection
    if selection is None or selection.side != "municipality":
        return [html.P(t("services_pick", shown.lang), className="small")]
    name = ds.municipalities.loc[selection.code, "name"]
    table = services_layer.needs_offers(ds, shown.filter, selection.code, policy)
    note = t("services_needs_note", shown.lang).format(k=policy.threshold)
    return [html.P(gap_summary(table, name, shown.lang), className="fw-semibold mb-1"),
            # a wide grid scrolls in its own box, not the page
            html.Div(needs_table(table, shown.lang), className="table-responsive"),
            html.P(note, className="small"),
            html.H4(t("services_list_title", shown.lang).format(name=name), className="h6"),
            service_list(services_layer.inventory(ds), selection.code, shown.lang)]  # fmt: skip


def outputs(ds: Dataset, shown, policy: Policy, geo: dict[str, GeoLayer]) -> dict:
    inv = services_layer.inventory(ds)
    table = kosmati.coverage(inv)
    selected = shown.selection.code if shown.selection and (
        shown.selection.side == "municipality") else None  # fmt: skip
    return {"label": label(inv, shown.lang),
            "map": coverage_map(table, shown.lang, geo, selected),
            "table": coverage_table(table, shown.lang, selected),
            "needs": needs_component(ds, shown, policy)}  # fmt: skip


def comparison_figure(ds: Dataset, codes, lang: str) -> go.Figure:
    """Services per dimension of a few municipalities side by side (a curated view's chart),
    its title saying whether the inventory is illustrative."""
    inv = services_layer.inventory(ds)
    table = kosmati.coverage(inv).loc[list(codes)]
    figure = go.Figure()
    dims = [dimension_name(d, lang) for d in kosmati.DIMENSIONS]
    styles = zip(COMPARE_COLOURS, ("", "/", "x"), strict=True)
    for row, (colour, dash) in zip(table.to_dict("records"), styles, strict=False):
        figure.add_bar(x=dims, y=[row[d] for d in kosmati.DIMENSIONS], name=row["name"],
                       marker={"color": colour, "pattern": {"shape": dash}},
                       hovertemplate=f"{row['name']}: %{{y}}<extra>%{{x}}</extra>")  # fmt: skip
    key = "services_chart_title_illustrative" if inv.illustrative else "services_chart_title"
    _chart_layout(figure, t(key, lang), lang, height=320)
    axis = {"title": {"text": t("services_count", lang)}, "dtick": 1}
    figure.update_layout(barmode="group", yaxis=axis)  # the legend: at the foot, as every chart
    return figure
