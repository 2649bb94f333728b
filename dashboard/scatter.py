"""The scatter tab (issue 15): two catalogue indicators against each other, one point per
area (the 53 municipalities or the 70 origin regions), the selected area highlighted. A click
on a point selects the area as a map click does (callbacks.apply_event, ``customdata``)."""

from __future__ import annotations

import math

import dash_bootstrap_components as dbc
import pandas as pd
import plotly.graph_objects as go
from dash import Dash, Input, Output, html

from dashboard import ids, low_base, state
from dashboard.charts import _chart_layout
from dashboard.figures import CATEGORY_COLOURS  # the types' colours on the map
from dashboard.i18n import format_number, t, tn
from layers import indicators, regions, small_bases
from layers import typology as typology_module
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset
from layers.disclosure import Policy

DEFAULT_X, DEFAULT_Y = state.ExplorerState.scatter_x, state.ExplorerState.scatter_y
POINT_COLOUR, SELECTED_SIZE, SIZE = "#0072B2", 16, 9
LOW_BASE_SYMBOL = "circle-open"  # a value below its minimum base: the ring, not the disc


def _finite(value) -> bool:
    return value is not None and not (isinstance(value, float) and math.isnan(value))


def _float(value) -> float:
    """A cell as a float; NaN for a missing one (also pandas' NA of an integer column)."""
    try:
        return float(value)
    except (TypeError, ValueError):
        return math.nan


def _group(row) -> int:
    """The municipality type's number (1..k), 0 for none."""
    value = row.get("typology")
    return 0 if pd.isna(value) else int(value)


def _pick(value, default: str) -> str:
    return value if isinstance(value, str) and value in CATALOGUE else default


def scatter_points(ds: Dataset, explorer: state.ExplorerState, x: str, y: str, side: str,
                   policy: Policy) -> dict:  # fmt: skip
    """Each area with both values (codes, names, x, y, group), the selected area's code and
    how many areas have a survey value that is not published (left out)."""
    x, y = _pick(x, DEFAULT_X), _pick(y, DEFAULT_Y)
    side = side if side in ("municipality", "origin") else "municipality"
    wanted = tuple(dict.fromkeys((x, y)))
    typology = "typology" in CATALOGUE and side == "municipality"
    bases = tuple(b for i in wanted for b in small_bases.base_indicators(i))
    shown = tuple(dict.fromkeys(wanted + bases + (("typology",) if typology else ())))
    table = indicators.indicator_table(ds, explorer.filter, side, explorer.selection, shown,
                                       policy)  # fmt: skip
    points = {"code": [], "name": [], "x": [], "y": [], "group": [], "low_base": []}
    hidden = 0
    for code, row in table.iterrows():
        values = (_float(row[x]), _float(row[y]))
        if all(_finite(v) for v in values):
            points["code"].append(code)
            points["name"].append(regions.area_name(code, str(row["name"]), explorer.lang))
            points["x"].append(values[0])
            points["y"].append(values[1])
            points["group"].append(_group(row) if typology else 0)
            points["low_base"].append(_low_base_notes(row, wanted, explorer))
        elif any(CATALOGUE[i].from_microdata and not _finite(_float(row[i])) for i in wanted):
            hidden += 1
    selection = explorer.selection
    selected = selection.code if selection is not None and selection.side == side else None
    names = {}  # the types' names in the page's language, as on the map
    if typology:
        types = typology_module.typology(ds, explorer.filter)
        names = {n: types.name(n, explorer.lang) for n in range(1, types.k + 1)}
    return {"x_metric": x, "y_metric": y, "side": side, "points": points, "hidden": hidden,
            "selected": selected, "group_names": names}  # fmt: skip


def _low_base_notes(row, wanted: tuple, explorer: state.ExplorerState) -> list[str]:
    """Why the point's x or y value rests on a small base (``low_base.reason``), or []."""
    years = len(explorer.filter.years)
    return [
        low_base.reason(i, _float(row[small_bases.base_column(i)]), years, explorer.lang)
        for i in wanted
        if CATALOGUE[i].flagged and bool(row.get(small_bases.flag_column(i), False))
    ]


def _axis_title(metric: str, lang: str) -> str:
    indicator = CATALOGUE[metric]
    return f"{indicator.text('label', lang)} ({indicator.text('unit', lang)})"


def _hover(data: dict, i: int, lang: str) -> str:
    lines = [f"<b>{data['points']['name'][i]}</b>"]
    for axis in ("x", "y"):
        indicator = CATALOGUE[data[f"{axis}_metric"]]
        value = format_number(data["points"][axis][i], indicator.decimals, lang)
        lines.append(f"{indicator.text('label', lang)}: {value} {indicator.text('unit', lang)}")
    return "<br>".join(lines + data["points"]["low_base"][i])


def _colour(group: int) -> str:
    return CATEGORY_COLOURS[(group - 1) % len(CATEGORY_COLOURS)] if group else POINT_COLOUR


def scatter_figure(data: dict, lang: str) -> go.Figure:
    """One trace per municipality type (one trace without types); the selected area larger,
    outlined in black. ``customdata`` is the area code (what a click selects). The types'
    legend is HTML below the chart (``legend_component``): plotly's does not wrap and ran
    off a phone's screen."""
    points, figure = data["points"], go.Figure()
    names = data.get("group_names", {})
    for group in sorted(set(points["group"])):
        rows = [i for i, g in enumerate(points["group"]) if g == group]
        chosen = [points["code"][i] == data["selected"] for i in rows]
        figure.add_trace(go.Scatter(
            x=[points["x"][i] for i in rows], y=[points["y"][i] for i in rows], mode="markers",
            name=names.get(group, t("all_areas", lang)), showlegend=False,
            customdata=[points["code"][i] for i in rows],
            text=[_hover(data, i, lang) for i in rows], hovertemplate="%{text}<extra></extra>",
            marker={"color": _colour(group), "symbol": [
                        LOW_BASE_SYMBOL if points["low_base"][i] else "circle" for i in rows],
                    "size": [SELECTED_SIZE if c else SIZE for c in chosen], "opacity": 0.85,
                    "line": {"color": ["#000000" if c else "#ffffff" for c in chosen],
                             "width": [3 if c else 2 if points["low_base"][i] else 0.5
                                       for i, c in zip(rows, chosen, strict=True)]}},
        ))  # fmt: skip
    x_label = CATALOGUE[data["x_metric"]].text("label", lang)
    y_label = CATALOGUE[data["y_metric"]].text("label", lang)
    title = t("scatter_title", lang).format(x=x_label, y=y_label)
    if data["hidden"]:
        title += f"<br><sup>{tn('scatter_hidden', data['hidden'], lang)}</sup>"
    top = 85 if data["hidden"] else 70
    _chart_layout(figure, title, lang, height=380)
    figure.update_layout(margin={"l": 60, "r": 10, "t": top, "b": 50}, hovermode="closest",
                         clickmode="event", showlegend=False)  # fmt: skip
    figure.update_xaxes(title={"text": _axis_title(data["x_metric"], lang)}, automargin=True)
    # The y title in two lines (label, unit): whole on a 390 px phone too.
    y = CATALOGUE[data["y_metric"]]
    y_title = f"{y.text('label', lang)}<br>({y.text('unit', lang)})"
    figure.update_yaxes(title={"text": y_title}, automargin=True)
    return figure


def legend_component(data: dict, lang: str) -> list:
    """The types' colours and names as a list that wraps at any width, and what a ring
    means where a point's value rests on a small base (empty when neither is drawn)."""
    names = data.get("group_names", {})
    swatch = {"display": "inline-block", "width": "0.8em", "height": "0.8em",
              "borderRadius": "50%", "marginRight": "0.4em", "flex": "0 0 auto",
              "marginTop": "0.25em"}  # fmt: skip
    shown, hidden = set(data["points"]["group"]), {"aria-hidden": "true"}
    item = "d-flex align-items-start me-3 mb-1"
    items = [
        html.Li([html.Span(style={**swatch, "backgroundColor": _colour(n)}, **hidden),
                 html.Span(names[n])], className=item)
        for n in sorted(names) if n in shown
    ]  # fmt: skip
    if any(data["points"]["low_base"]):
        ring = {**swatch, "border": f"2px solid {POINT_COLOUR}"}
        items.append(html.Li([html.Span(style=ring, **hidden),
                              html.Span(t("scatter_low_base", lang))], className=item))  # fmt: skip
    if not items:
        return []
    title = [html.P(CATALOGUE["typology"].text("label", lang),
                    className="small fw-semibold mb-1")] if names else []  # fmt: skip
    return [*title, html.Ul(items, className="list-unstyled small d-flex flex-wrap mb-2")]


def _picker(label: str, component_id: str, value: str, lang: str):
    from dashboard.controls import metric_options  # controls imports view: no cycle here

    return dbc.Col([
        html.Label(label, htmlFor=component_id, className="form-label"),
        dbc.Select(id=component_id, options=metric_options(lang), value=value, size="sm"),
    ], md=6, xl=4)  # fmt: skip


def panel(lang: str) -> list:
    """The tab's controls and graph (filled by ``register``'s callback while open)."""
    from dashboard.panels import graph

    side = dbc.Col([
        html.Label(t("scatter_side", lang), htmlFor=ids.SCATTER_SIDE, className="form-label"),
        dbc.RadioItems(id=ids.SCATTER_SIDE, value="municipality", inline=True, options=[
            {"label": t("ruhr_group", lang), "value": "municipality"},
            {"label": t("origin_group", lang), "value": "origin"},
        ]),
    ], md=12, xl=4)  # fmt: skip
    return [
        dbc.Row(
            [
                _picker(t("scatter_x", lang), ids.SCATTER_X, DEFAULT_X, lang),
                _picker(t("scatter_y", lang), ids.SCATTER_Y, DEFAULT_Y, lang),
                side,
            ],
            className="mb-2 g-2",
        ),
        graph(ids.SCATTER_CHART, lang),
        html.Div(id=ids.SCATTER_LEGEND),
        html.P(t("scatter_hint", lang), className="small text-muted"),
    ]


def register(app: Dash, dataset: Dataset, policy: Policy) -> None:
    @app.callback(
        Output(ids.SCATTER_CHART, "figure"),
        Output(ids.SCATTER_LEGEND, "children"),
        Input(ids.gate("scatter"), "data"),
        prevent_initial_call=True,
    )
    def update_scatter(state_values):
        shown = state.ExplorerState.from_props(state_values)
        x, y, side = shown.scatter_x, shown.scatter_y, shown.scatter_side
        data = scatter_points(dataset, shown, x, y, side, policy)
        return scatter_figure(data, shown.lang), legend_component(data, shown.lang)
