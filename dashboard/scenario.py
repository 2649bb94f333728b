"""The tab "3 × 1 scenario" (issue 18.2): the yearly fund a matching scheme like Mexico's
"Tres por Uno" would raise for one origin region, every step in a table with its unit,
source and kind (real, modelled, scenario), and a map of the fund over all 70 regions.
The arithmetic is ``layers.scenario``; this module only lays it out."""

from __future__ import annotations

import datetime as dt
import math

import plotly.graph_objects as go
from dash import Dash, Input, Output, dcc, html

from dashboard import figures, ids, state
from dashboard.i18n import format_date, format_number, t
from dashboard.stocks import REAL_CLASS, SYNTHETIC_CLASS
from dashboard.view import ORIGIN_NAMES
from layers import queries, scenario
from layers.queries import Selection

SCENARIO_CLASS = "badge bg-info text-dark me-1"
BADGES = {"real": REAL_CLASS, "modelled": SYNTHETIC_CLASS, "scenario": SCENARIO_CLASS}
MILLION = 1e6


def panel(lang: str, graph, share: int) -> list:
    """The tab's layout (``graph``: panels.graph; ``share``: the state's percentage)."""
    low, high = scenario.SHARE_RANGE
    return [
        html.P(t("scenario_intro", lang)),
        # the slider's handle and number box are named by assets/keyboard.js (no <input>)
        html.P(t("scenario_share_label", lang), className="form-label mb-1",
               id=ids.SCENARIO_SHARE_LABEL),
        html.Div(
            dcc.Slider(id=ids.SCENARIO_SHARE, min=low, max=high, step=1, value=share,
                       marks={v: f"{v} %" for v in range(low, high + 1, 5)},
                       tooltip={"always_visible": False}),
            className="px-2",  # the first and last marks' text inside the panel
            **{"data-input-labels": t("scenario_share_input", lang),
               "data-thumb-labels": t("scenario_share_input", lang)},
        ),
        html.P(t("scenario_share_reason", lang), className="small text-muted"),
        html.H3(id=ids.SCENARIO_HEADING, className="h6 mt-3", **{"aria-live": "polite"}),
        html.Div(id=ids.SCENARIO_TABLE, className="table-responsive"),
        html.P(id=ids.SCENARIO_NOTE, className="small"),
        html.H3(t("scenario_map_title", lang), className="h6 mt-3"),
        graph(ids.SCENARIO_MAP, lang),
        html.P(id=ids.SCENARIO_MAP_SUMMARY, className="small map-summary"),
        html.H3(t("scenario_mexico_title", lang), className="h6 mt-3"),
        html.P(t("scenario_mexico", lang), className="small"),
        html.P(t("scenario_mexico_source", lang), className="small text-muted"),
    ]  # fmt: skip


def region_of(selection: Selection | None) -> str:
    """The selected origin region, or the study's example (Galați)."""
    if selection is not None and selection.side == "origin":
        return selection.code
    return scenario.DEFAULT_REGION


def _usd(value: float, lang: str) -> str:
    if math.isnan(value):
        return t("scenario_withheld", lang)
    return t("scenario_usd", lang).format(value=format_number(value / MILLION, 2, lang))


def _vintage(steps: scenario.Steps, lang: str) -> str:
    if not steps.vintage:
        return ""
    day = format_date(dt.date.fromisoformat(steps.vintage), lang)
    return f", {t('vintage', lang)} {day}"


def step_rows(steps: scenario.Steps, lang: str) -> list[dict]:
    """The steps as rows: what, value (formatted), kind (real | modelled | scenario), source."""
    name, country = ORIGIN_NAMES[steps.region], t(steps.country, lang)
    share = (t("scenario_withheld", lang) if not steps.published else
             f"{format_number(100 * steps.regional_share, 2, lang)} % "
             + t("scenario_of_remitters", lang).format(
                 count=format_number(steps.region_remitters, 0, lang),
                 total=format_number(steps.country_remitters, 0, lang)))  # fmt: skip
    survey = t("scenario_source_survey", lang)
    rows = [
        (t("scenario_step_national", lang).format(country=country, year=steps.year),
         _usd(steps.national, lang), "real",
         t("scenario_source_worldbank", lang) + _vintage(steps, lang)),
        (t("scenario_step_share", lang).format(region=name, country=country), share,
         "modelled", survey),
        (t("scenario_step_regional", lang).format(region=name), _usd(steps.regional, lang),
         "modelled", t("scenario_source_regional", lang)),
        (t("scenario_step_channelled", lang).format(percent=steps.channelled_percent),
         _usd(steps.channelled, lang), "scenario", t("scenario_source_choice", lang)),
        *((t(f"scenario_step_match_{level}", lang), _usd(steps.match, lang), "scenario",
           t("scenario_source_match", lang)) for level in scenario.LEVELS),
        (t("scenario_step_fund", lang), _usd(steps.fund, lang), "scenario",
         t("scenario_source_fund", lang)),
    ]  # fmt: skip
    return [{"step": i, "what": w, "value": v, "kind": k, "source": s}
            for i, (w, v, k, s) in enumerate(rows, start=1)]  # fmt: skip


def table_component(steps: scenario.Steps, lang: str) -> html.Table:
    columns = ("step", "what", "value", "kind", "source")
    head = [html.Th(t(f"scenario_col_{c}", lang), scope="col") for c in columns]
    titles = {c: t(f"scenario_col_{c}", lang) for c in columns}
    body = []
    for row in step_rows(steps, lang):
        # 12 px: a badge is 0.75 em, too small in the table's small print
        badge = html.Span(
            t(f"scenario_kind_{row['kind']}", lang),
            className=BADGES[row["kind"]],
            style={"fontSize": "0.75rem"},
        )
        # data-label: each value's header beside it where a phone stacks the row (app.css)
        cells = [html.Td(row["what"], **{"data-label": titles["what"]}),
                 html.Td(row["value"], className="text-end text-nowrap",
                         **{"data-label": titles["value"]}),
                 html.Td(badge, **{"data-label": titles["kind"]}),
                 html.Td(row["source"], **{"data-label": titles["source"]})]  # fmt: skip
        body.append(html.Tr([html.Th(str(row["step"]), scope="row"), *cells],
                            **{"data-kind": row["kind"]}))  # fmt: skip
    return html.Table([html.Caption(t("scenario_caption", lang)), html.Thead(html.Tr(head)),
                       html.Tbody(body)], id=ids.SCENARIO_GRID,
                      className="table table-sm small stack-on-phone")  # fmt: skip


def map_figure(table, region: str, geo: dict, lang: str) -> go.Figure:
    """The fund (US$ million) of every region; withheld ones grey, the chosen one outlined."""
    from dashboard.layout import map_specs  # the explorer's origin map: same frame, context

    spec = map_specs(geo)["origin"]
    codes = list(queries.ORIGIN_CODES)
    shown = [c for c in codes if not math.isnan(table.loc[c, "fund"])]
    hidden = [c for c in codes if c not in shown]
    unit = t("scenario_million_usd", lang)
    values = go.Choropleth(
        geojson=spec.areas.url, featureidkey=spec.areas.id_key, locations=shown,
        z=[round(table.loc[c, "fund"] / MILLION, 3) for c in shown],
        customdata=[ORIGIN_NAMES[c] for c in shown], colorscale=figures.SEQUENTIAL_SCALE,
        marker={"line": {"width": 0.6, "color": "#ffffff"}},
        colorbar=figures.colorbar(0.7, f"{t('scenario_fund', lang)} ({unit})"),
        hovertemplate=f"<b>%{{customdata}}</b><br>%{{z:,.2f}} {unit}<extra></extra>",
        name="fund")  # fmt: skip
    withheld = go.Choropleth(
        geojson=spec.areas.url, featureidkey=spec.areas.id_key, locations=hidden,
        z=[0] * len(hidden), customdata=[ORIGIN_NAMES[c] for c in hidden], showscale=False,
        colorscale=[[0, figures.SUPPRESSED_COLOUR], [1, figures.SUPPRESSED_COLOUR]],
        marker={"line": {"width": 0.6, "color": "#ffffff"}}, name="withheld",
        hovertemplate=f"<b>%{{customdata}}</b><br>{t('scenario_withheld', lang)}<extra></extra>",
    )  # fmt: skip
    chosen = go.Choropleth(
        geojson=spec.areas.url, featureidkey=spec.areas.id_key, locations=[region], z=[0],
        colorscale=figures.TRANSPARENT, showscale=False, hoverinfo="skip", name="chosen",
        marker={"line": {"width": 3, "color": figures.HIGHLIGHT_COLOUR}})  # fmt: skip
    figure = go.Figure([
        figures.all_areas(spec.outline, figures.BASE_COLOUR, "#ffffff", 0, "outline"),
        values, withheld,
        figures.all_areas(spec.context, "rgba(0,0,0,0)", figures.CONTEXT_LINE, 1, "context"),
        chosen,
    ])  # fmt: skip
    figures.geo_layout(figure, lang, spec.bounds, "scenario")
    figure.update_layout(height=460)
    return figure


def map_summary(table, lang: str) -> str:
    """The map in words: the largest fund, and how many regions are withheld."""
    funds = table["fund"].dropna()
    if funds.empty:
        return t("scenario_map_none", lang)
    top = funds.idxmax()
    return t("scenario_map_summary", lang).format(
        region=ORIGIN_NAMES[top], value=_usd(funds[top], lang),
        shown=len(funds), withheld=len(table) - len(funds))  # fmt: skip


def outputs(ds, shown, policy, geo: dict) -> dict:
    """The tab's heading, steps table, note, map and summary for ``shown`` (the state)."""
    lang, region = shown.lang, region_of(shown.selection)
    steps = scenario.steps_for(ds, shown.filter, region, shown.scenario_share, policy)
    table = scenario.all_regions(ds, shown.filter, shown.scenario_share, policy)
    heading = t("scenario_heading", lang).format(
        region=ORIGIN_NAMES[region], value=_usd(steps.fund, lang), year=steps.year
    )
    chosen = shown.selection is not None and shown.selection.side == "origin"
    hint = "" if chosen else t("scenario_default", lang)
    note = t("scenario_note", lang).format(threshold=policy.threshold)
    note = f"{hint} {note}" if hint else note
    return {"heading": heading, "table": table_component(steps, lang), "note": note,
            "map": map_figure(table, region, geo, lang), "summary": map_summary(table, lang),
            "steps": steps}  # fmt: skip


def register(app: Dash, dataset, policy, geo: dict) -> None:
    """The tab follows its gate (a closed tab gets no request; assets/gate.js)."""

    @app.callback(
        Output(ids.SCENARIO_HEADING, "children"),
        Output(ids.SCENARIO_TABLE, "children"),
        Output(ids.SCENARIO_NOTE, "children"),
        Output(ids.SCENARIO_MAP, "figure"),
        Output(ids.SCENARIO_MAP_SUMMARY, "children"),
        Input(ids.gate("scenario"), "data"),
        prevent_initial_call=True,
    )
    def update_scenario(state_values):
        out = outputs(dataset, state.ExplorerState.from_props(state_values), policy, geo)
        return out["heading"], out["table"], out["note"], out["map"], out["summary"]
