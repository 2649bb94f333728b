"""Pages for council members: the list of curated views and one presentation page each.
Figures are computed when the page is rendered; there is nothing to click but links."""

from __future__ import annotations

import datetime as dt

import dash_bootstrap_components as dbc
import plotly.graph_objects as go
from dash import dcc, html

from dashboard import (
    charts,
    classes,
    embed,
    export,
    figures,
    ids,
    languages,
    layout,
    mapmarks,
    panels,
    view,
)
from dashboard import plain as plain_text
from dashboard.i18n import format_date, format_number, t
from dashboard.notice import notice
from dashboard.services import comparison_figure as services_chart
from dashboard.state import ExplorerState
from dashboard.updates import apply_update
from layers import (
    boundaries,
    indicators,
    provenance,
    queries,
    regions,
    small_bases,
    thumbnail,
    vocab,
)
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset, DataStatus, data_status
from layers.disclosure import Policy
from layers.views import CuratedView


def navbar(lang: str, here: str) -> dbc.Navbar:
    return dbc.Navbar(
        dbc.Container(
            [
                html.A(t("title", lang), href=f"/?lang={lang}" if lang != "de" else "/",
                       className="navbar-brand h4 mb-0 text-white text-wrap"),
                html.Div([
                    html.A(t("explorer", lang), href="/" if lang == "de" else f"/?lang={lang}",
                           className="btn btn-outline-light btn-sm me-2"),
                    html.A(t("views", lang), href=f"/views?lang={lang}",
                           className="btn btn-outline-light btn-sm me-2"),
                    languages.switch(
                        lang, lambda code: f"{here}{'&' if '?' in here else '?'}lang={code}"
                    ),
                ], className="no-print"),
            ],
            fluid=True,
        ),
        color="dark",
        dark=True,
    )  # fmt: skip


def _shell(lang: str, here: str, body: list, status: DataStatus | None = None) -> html.Div:
    return html.Div(
        [
            layout.skip_link(lang),
            navbar(lang, here),
            dbc.Container(
                [notice(lang, status), *body,
                 html.Footer(t("attribution", lang), className="small text-muted my-3")],
                fluid=True, tag="main", id=ids.MAIN,
            ),
        ],
        lang=lang,
    )  # fmt: skip


def views_index(
    lang: str, views: dict[str, CuratedView], errors: list[str], status: DataStatus | None = None
) -> html.Div:
    cards = [
        dbc.Col(
            dbc.Card(
                [
                    html.Img(src=f"/views/{v.slug}/thumbnail.svg", className="card-img-top p-2",
                             alt=f"{t('thumbnail_of', lang)}: {v.title[lang]}"),
                    dbc.CardBody([
                        html.H2(html.A(v.title[lang], href=f"/views/{v.slug}?lang={lang}",
                                       className="stretched-link"), className="h5"),
                        html.P(v.subtitle[lang], className="card-text"),
                    ]),
                ],
                className="h-100 view-card",
            ),
            md=6, xl=4, className="mb-4",
        )
        for v in views.values()
    ]  # fmt: skip
    body = [html.H1(t("views", lang), className="display-6"),
            html.P(t("views_intro", lang), className="lead"), dbc.Row(cards)]  # fmt: skip
    if errors:
        body.append(dbc.Alert([html.P(t("views_errors", lang)),
                               html.Ul([html.Li(e) for e in errors])], color="danger"))  # fmt: skip
    return _shell(lang, "/views", body, status)


def filters_text(v: CuratedView, lang: str) -> str:
    f = v.filter
    years = f.years_text
    types = (t("all_types", lang) if f.types == vocab.MIGRATION_TYPES
             else ", ".join(vocab.MIGRATION_TYPE_LABELS[x][lang] for x in f.types))  # fmt: skip
    country = t("both", lang) if v.country == "both" else t(v.country, lang)
    parts = [f"{t('year', lang)} {years}", types, f"{t('origin_country', lang)}: {country}"]
    if v.selection:
        parts.append(f"{t('linked_from', lang)} {view.selection_name(v.selection, lang)}")
    return f"{t('filters_applied', lang)}: " + " · ".join(parts)


# the map's box as high as its figure before plotly draws it: the first paint's map
# (dashboard/firstpaint.py) takes the same room
MAP_BOX = {"height": "480px"}


def view_map(ds: Dataset, v: CuratedView, lang: str, policy: Policy, geo: dict):
    """The view's map with its fixed colour scale, the text summary for screen readers and
    the legend's data (drawn as the explorer's, assets/legend.js)."""
    spec = layout.map_specs(geo)[v.side]
    if v.side == "origin":
        codes = list(queries.ORIGIN_CODES)
        names = {r.nuts3: regions.area_name(r.nuts3, r.name, lang) for r in regions.ORIGIN_REGIONS}
    else:
        codes = list(queries.MUNICIPALITY_CODES)
        names = {m.ags: m.name for m in regions.MUNICIPALITIES}
    state = ExplorerState.of_filter(v.filter, metric=v.metric, selection=v.selection, lang=lang)
    values, hidden, bases = view._map_values(ds, state, v.side, policy)
    highlight = [c for c in v.highlight if c in codes]
    figure = figures.base_map(spec, codes, [names[c] for c in codes], v.metric, lang)
    # the view's fixed scale in five equal classes, the top one open ("≥")
    scale = classes.map_scale(values, v.metric, "equal_interval", 5, fixed=v.scale)
    updates = figures.map_update(values, v.metric, lang, highlight, hidden, low_base=bases,
                                 scale=scale)  # fmt: skip
    figure = go.Figure(apply_update(figure.to_plotly_json(), updates))
    figure.update_layout(height=480)
    summary = view.map_summary(dict(zip(codes, values, strict=True)), names, v.metric, lang,
                               flagged=bases.codes)  # fmt: skip
    notes = classes.notes(values, bases.codes, hidden[0], policy.threshold, lang)
    return figure, summary, classes.legend(scale, v.metric, lang, notes)


def view_chart(ds: Dataset, v: CuratedView, lang: str, policy: Policy) -> go.Figure:
    if v.chart == "needs":
        return view.needs_outputs(ds, ExplorerState.of_filter(v.filter, lang=lang), policy)[
            "figure"
        ]
    if v.chart == "remittances":
        return view.remittance_outputs(ds, ExplorerState.of_filter(v.filter, lang=lang),
                                       policy)["national"]  # fmt: skip
    if v.chart == "services":  # the highlighted municipalities' KOSMATI services
        return services_chart(ds, v.highlight, lang)
    if v.chart == "languages":
        table = indicators.category_counts(ds, v.filter, None, "lang", policy)
        return charts.category_bars(table, "lang", lang, policy.threshold)
    series = queries.yearly_series(ds, v.filter, v.selection)
    name = view.selection_name(v.selection, lang) or t("whole_ruhr", lang)
    return charts.series_figure(series, v.filter.year_from, v.filter.year_to,
                                 f"{t('series', lang)}: {name}", lang)  # fmt: skip


def data_as_of(ds: Dataset, v: CuratedView, lang: str) -> str:
    """The dates of the data a view rests on (not today's): the years of the flows, the
    populations' reference days, the World Bank release; each modelled part says so."""
    used = provenance.parts_of([v.metric])
    parts = provenance.parts(ds.manifest)
    modelled = lambda part: f" ({t('modelled', lang)})" if parts[part].synthetic else ""  # noqa: E731
    day = lambda iso: format_date(dt.date.fromisoformat(iso), lang, "medium")  # noqa: E731
    found = []
    if "flows" in used:
        found.append(
            f"{t('flows_years', lang)} {vocab.YEARS[0]}–{vocab.YEARS[-1]}{modelled('flows')}"
        )
    if "survey" in used:
        found.append(t("survey_part", lang) + modelled("survey"))
    if "populations" in used:
        found.append(
            t("populations_as_of", lang).format(
                ruhr=day(regions.MUNICIPAL_POPULATION_DATE),
                origin=day(regions.ORIGIN_POPULATION_DATE),
            )
        )
    if CATALOGUE[v.metric].group == "remittances" and len(ds.country_indicators):
        release = max(ds.country_indicators["vintage"])
        found.append(t("worldbank_as_of", lang).format(date=day(release)))
    return "; ".join(found)


def view_page(
    ds: Dataset,
    v: CuratedView,
    lang: str,
    policy: Policy,
    geo: dict,
    embedded: bool = False,
    problem: str | None = None,
    plain: bool = False,
):
    """A view's page; ``embedded``: for an <iframe> (dashboard/embed.py), without navbar
    and controls; ``problem``: the notice for a bad address parameter; ``plain``: the
    plain-language version instead of the narrative (dashboard/plain.py)."""
    figure, summary, legend = view_map(ds, v, lang, policy, geo)
    legend_ids = ((ids.RUHR_LEGEND, ids.RUHR_LEGEND_DATA) if v.side == "municipality"
                  else (ids.ORIGIN_LEGEND, ids.ORIGIN_LEGEND_DATA))  # fmt: skip
    indicator = CATALOGUE[v.metric]
    text = [
        html.H1(v.title[lang], className="h2 view-title"),
        html.P(v.subtitle[lang], className="lead"),
        *plain_text.text_block(ds, v, lang, policy, plain, embedded),
        html.P(filters_text(v, lang), className="small"),
        html.P(f"{indicator.text('label', lang)}: {indicator.text('formula', lang)} "
               f"({indicator.text('unit', lang)}).", className="small"),
        html.P(f"{t('data_as_of', lang)}: {data_as_of(ds, v, lang)} · {v.source[lang]}",
               className="small text-muted"),
        embed.full_view_link(v, lang) if embedded else
        html.A(t("open_in_explorer", lang), href="/" + v.explorer_query(lang),
               className="btn btn-primary no-print"),
        *embed.locator(v, lang),
        *([] if embedded else [embed.share_controls(v, lang)]),
    ]  # fmt: skip
    map_export, chart_export = export.view_buttons(v, lang, filters_text(v, lang), legend_ids[0])
    graphs = [
        map_export,
        html.Div(dcc.Graph(figure=figure, config=panels.graph_config(lang), style=MAP_BOX,
                           className=f"view-map {export.VIEW_MAP}"),
                 role="figure", **{"aria-label": summary}),
        dcc.Store(id=legend_ids[1], data=legend),
        html.Div(id=legend_ids[0], className="map-legend no-print px-2"),
        # On paper: the same map drawn by the server at a fixed size, legend included.
        html.Img(src=f"/views/{v.slug}/thumbnail.svg?size=large&lang={lang}", alt=summary,
                 className="print-only print-map"),
        html.P(summary, className="small map-summary"),
        chart_export,
        dcc.Graph(figure=view_chart(ds, v, lang, policy), config=panels.graph_config(lang),
                  className=f"{export.VIEW_CHART} view-chart view-chart-{v.chart}"),
        export.texts(lang, v.source[lang]),
    ]  # fmt: skip
    body = [dbc.Row([dbc.Col(text, lg=5, className="view-text"),
                     dbc.Col(graphs, lg=7, className="view-graphs")],
                    className="view-page")]  # fmt: skip
    if problem:
        body.insert(0, dbc.Alert([html.Strong(t("embed_invalid", lang) + ": "), problem],
                                 color="danger", className="address-problem"))  # fmt: skip
    if embedded:
        return embed.embedded_shell(lang, body, data_status(ds))
    here = f"/views/{v.slug}" + ("?plain=1" if plain else "")  # the other language: the same text
    return _shell(lang, here, body, data_status(ds))


def not_found(lang: str) -> html.Div:
    """An unknown /views/<slug> (answered with 404): the ways on, in the page's language."""
    heading = html.H1(t("view_not_found", lang), className="h3")
    ways_on = html.P([
        html.A(t("views", lang), href=f"/views?lang={lang}", className="btn btn-primary me-2"),
        html.A(t("explorer", lang), href="/" if lang == "de" else f"/?lang={lang}",
               className="btn btn-outline-primary"),
    ])  # fmt: skip
    return _shell(lang, "/views", [heading, ways_on])


def view_svg(ds: Dataset, v: CuratedView, lang: str, policy: Policy, large: bool) -> str:
    """The view's map drawn by the server (its card's thumbnail; ``large``: on paper, with
    its legend), classed as its live map."""
    table = indicators.indicator_table(ds, v.filter, v.side, v.selection, (v.metric,), policy)
    areas = boundaries.load_origin_regions() if v.side == "origin" else (
        boundaries.load_municipalities())  # fmt: skip
    values = {code: float(value) for code, value in table[v.metric].items()}
    flag = small_bases.flag_column(v.metric)  # below the minimum base: hatched, as on screen
    hatched = tuple(str(c) for c in table.index[table[flag].astype(bool)]) if flag in table else ()
    fills, legend = classes.fills_and_legend(values, v.metric, v.scale, lang)
    if legend is None:  # a count or a type: the ramp between the scale's ends
        indicator = CATALOGUE[v.metric]
        unit = f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})"
        legend = (*(format_number(end, indicator.decimals, lang) for end in v.scale), unit)
    names = ()
    if large:  # on paper: the place names with room at 8 pt, as the live map's
        points = mapmarks.points_of(v.side)
        names = tuple((name, *points[code], position) for code, name, position in
                      mapmarks.labelled(v.side, areas.total_bounds, (760, 440),
                                        thumbnail.NAME_SIZE))  # fmt: skip
    return thumbnail.area_svg(
        areas, "nuts3" if v.side == "origin" else "ags", values, v.scale, v.highlight,
        v.title[lang], *((760, 440) if large else (320, 200)),
        legend=legend if large else None, fills=fills, hatched=hatched, labels=names,
    )  # fmt: skip
