"""Plain functions behind the callbacks: compute what to show for an explorer state.

Nothing here needs a browser or a running app, so it is tested directly."""

from __future__ import annotations

from dash import html

from dashboard import charts, classes, figures, flowmap, ids, low_base, needs, remittance_chart
from dashboard.i18n import format_number, join_names, t
from dashboard.state import ExplorerState
from dashboard.summary import map_summary
from layers import indicators, params, queries, regions, small_bases, typology, vocab
from layers.catalogue import CATALOGUE, survey_source
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import InvalidParameter, Selection

DEFAULT_METRIC = ExplorerState.metric
MUNICIPALITY_NAMES = {m.ags: m.name for m in regions.MUNICIPALITIES}
ORIGIN_NAMES = {r.nuts3: r.name for r in regions.ORIGIN_REGIONS}


def _map_values(ds: Dataset, state: ExplorerState, side: str, policy: Policy):
    """Values for every area of a side (None where not shown), the suppressed areas and
    the areas below the metric's minimum base (``low_base.MapBases``)."""
    codes = queries.ORIGIN_CODES if side == "origin" else queries.MUNICIPALITY_CODES
    reason = t("suppressed", state.lang).format(n=policy.threshold)
    # None (not NaN) so the JSON stays valid; those areas show the grey base layer.
    digits = CATALOGUE[state.metric].decimals + 2  # what the eye can use; keeps patches small
    metric, years = state.metric, len(state.filter.years)
    if metric in queries.FLOW_COLUMNS:  # the common case, without building the table
        wanted = (metric, *small_bases.base_indicators(metric))
        flows = queries.area_columns(ds, state.filter, side, wanted, state.linked)
        bases = low_base.map_bases(metric, codes, flows[metric], flows[wanted[-1]], years,
                                   state.lang)  # fmt: skip
        return [figures.compact_number(v, digits) for v in flows[metric]], ([], [], reason), bases
    wanted = (metric, *small_bases.base_indicators(metric))
    table = indicators.indicator_table(
        ds, state.filter, side, state.linked, wanted, policy
    ).reindex(list(codes))
    values = [figures.compact_number(v, digits) for v in table[metric].astype(float)]
    hidden_codes, hidden_names = [], []
    if CATALOGUE[metric].from_microdata:  # each value is published or not on its own
        hidden = table[metric].isna() & table["name"].notna()
        hidden_codes = [c for c in codes if hidden[c]]
        hidden_names = [regions.area_name(c, str(table.loc[c, "name"]), state.lang)
                        for c in hidden_codes]  # fmt: skip
    bases = low_base.NONE
    if CATALOGUE[metric].flagged:
        base = table[small_bases.base_column(metric)].astype(float)
        bases = low_base.map_bases(metric, codes, table[metric].astype(float), base, years,
                                   state.lang)  # fmt: skip
    return values, (hidden_codes, hidden_names, reason), bases


def _categories(ds: Dataset, state: ExplorerState, side: str) -> tuple[str, ...]:
    """The names of a categorical metric's values 1..k (the municipality types) in the
    page's language; none for other metrics and for origin regions (not typed)."""
    if not CATALOGUE[state.metric].categorical or side != "municipality":
        return ()
    types = typology.typology(ds, state.filter)
    return tuple(types.name(number, state.lang) for number in range(1, types.k + 1))


def selection_name(selection: Selection | None, lang: str = "de") -> str | None:
    """The selected area's name as a page in ``lang`` shows it (``regions.area_name``)."""
    if selection is None:
        return None
    names = ORIGIN_NAMES if selection.side == "origin" else MUNICIPALITY_NAMES
    return regions.area_name(selection.code, names[selection.code], lang)


def areas_name(state: ExplorerState) -> str | None:
    """The selected area, or the areas compared ("Gelsenkirchen + Duisburg + Dortmund")."""
    return " + ".join(selection_name(a, state.lang) for a in state.areas) or None


def map_title(side: str, state: ExplorerState) -> str:
    lang = state.lang
    title = t("origin_map" if side == "origin" else "ruhr_map", lang)
    metric = CATALOGUE[state.metric].text("label", lang)
    years = state.filter.years_text
    text = f"{title} · {metric} · {years}"
    if state.selection is not None and state.selection.side != side:
        text += f" · {t('linked_from', lang)} {areas_name(state)}"
    return text


def metric_definition(metric: str, lang: str, policy: Policy, manifest: dict | None = None) -> str:
    """The formula; for survey metrics also the survey's source line (``manifest``: the
    dataset's, so an imported survey shows its own respondent count) and the protection;
    last the minimum base (``low_base.legend``)."""
    indicator = CATALOGUE[metric]
    text = f"{indicator.text('formula', lang)} ({indicator.text('unit', lang)})."
    if indicator.picker:  # the picker shows a short name: the full one heads its definition
        text = f"{indicator.text('label', lang)}: {text}"
    if indicator.from_microdata:
        text += " " + survey_source(manifest or {}, protection=False)[lang] + "."
        text += " " + t("survey_years_note", lang)
        text += " " + t("suppressed_legend", lang).format(n=policy.threshold)
    if indicator.min_base is not None:  # its minimum base, and how the maps mark it
        text += " " + low_base.legend(metric, lang)
    return text


def view_outputs(
    ds: Dataset, state: ExplorerState, policy: Policy, style: bool = True, selection: bool = True
) -> dict:
    """What the explorer's maps and labels show for a state: map updates, titles, summaries.
    ``style``: also the metric's colour scale and legend (first call, metric changed);
    ``selection``: also the outline of the selected area (first call, selection changed)."""
    highlight = {"municipality": [], "origin": []}
    for area in state.areas:
        highlight[area.side].append(area.code)
    updates, summaries, legends = {}, {}, {}
    for side in ("municipality", "origin"):
        values, hidden, bases = _map_values(ds, state, side, policy)
        scale = classes.map_scale(values, state.metric, state.map_scheme, state.map_classes)
        updates[side] = figures.map_update(
            values,
            state.metric,
            state.lang,
            highlight[side],
            hidden,
            style,
            highlight_changed=style or selection,
            categories=_categories(ds, state, side),
            low_base=bases,
            scale=scale,
            labels=state.labels == "on",
        )
        notes = classes.notes(values, bases.codes, hidden[0], policy.threshold, state.lang)
        legends[side] = classes.legend(scale, state.metric, state.lang, notes,
                                       state.map_scheme)  # fmt: skip
        codes, names = _codes_and_names(side)
        summaries[side] = map_summary(dict(zip(codes, values, strict=True)), names,
                                      state.metric, state.lang,
                                      categories=_categories(ds, state, side),
                                      flagged=bases.codes)  # fmt: skip
    name = areas_name(state)
    return {
        "ruhr_update": updates["municipality"],
        "origin_update": updates["origin"],
        "ruhr_title": map_title("municipality", state),
        "origin_title": map_title("origin", state),
        "selection_label": name or t("selection_none", state.lang),
        "metric_definition": metric_definition(state.metric, state.lang, policy, ds.manifest),
        "notices": list(state.notices),
        "ruhr_summary": summaries["municipality"],
        "origin_summary": summaries["origin"],
        "ruhr_legend": legends["municipality"],
        "origin_legend": legends["origin"],
    }


# Where the texts of ``view_outputs`` are shown (component property); the callback's outputs
# and the page's first view both follow this.
VIEW_TEXTS = {
    "ruhr_title": f"{ids.RUHR_MAP_TITLE}.children",
    "origin_title": f"{ids.ORIGIN_MAP_TITLE}.children",
    "ruhr_summary": f"{ids.RUHR_SUMMARY}.children",
    "origin_summary": f"{ids.ORIGIN_SUMMARY}.children",
    "ruhr_legend": f"{ids.RUHR_LEGEND_DATA}.data",
    "origin_legend": f"{ids.ORIGIN_LEGEND_DATA}.data",
    "metric_definition": f"{ids.METRIC_DEFINITION}.children",  # when the metric changed
    "selection_label": f"{ids.SELECTION_LABEL}.children",  # when the selection changed
}
NOTICE, NOTICE_OPEN = f"{ids.INPUT_NOTICE}.children", f"{ids.INPUT_NOTICE}.is_open"
CLEAR_DISABLED = f"{ids.SELECTION_CLEAR}.disabled"
VIEW_PROPS = (*VIEW_TEXTS.values(), NOTICE, NOTICE_OPEN, CLEAR_DISABLED)


def view_props(out: dict, state: ExplorerState, style=True, selection=True) -> dict:
    """The texts of ``view_outputs`` keyed by the property that shows them. Without
    ``style`` (metric unchanged) or ``selection`` (selection unchanged) what did not change
    is left out."""
    left_out = {"metric_definition"} if not style else set()
    left_out |= {"selection_label"} if not selection else set()
    props = {prop: out[key] for key, prop in VIEW_TEXTS.items() if key not in left_out}
    props[NOTICE] = [html.Div(n) for n in out["notices"]]
    props[NOTICE_OPEN] = bool(out["notices"])
    if selection:
        props[CLEAR_DISABLED] = state.selection is None
    return props


def series_title(state: ExplorerState) -> str:
    name = areas_name(state) or t("whole_ruhr", state.lang)
    return f"{t('series', state.lang)}: {name}"


SERIES_YEAR_KEYS = {"x", "x0", "x1"}  # where the selected years are drawn


def series_outputs(
    ds: Dataset, state: ExplorerState, years: bool = True, title: bool = True
) -> dict:
    """The time series update for a state (the page carries the figure's traces). Without
    ``years`` (the selected years did not change) their position is left out, without
    ``title`` (the selection did not change) the title."""
    series = queries.yearly_series(ds, state.filter, state.linked)
    update = charts.series_update(
        series, state.filter.year_from, state.filter.year_to, series_title(state)
    )
    return {
        path: value
        for path, value in update.items()
        if (years or path[-1] not in SERIES_YEAR_KEYS) and (title or path[-2:] != ("title", "text"))
    }


def series_figure(ds: Dataset, state: ExplorerState):
    series = queries.yearly_series(ds, state.filter, state.linked)
    return charts.series_figure(
        series, state.filter.year_from, state.filter.year_to, series_title(state), state.lang
    )


def _codes_and_names(side: str) -> tuple[list[str], dict[str, str]]:
    if side == "origin":
        return list(queries.ORIGIN_CODES), ORIGIN_NAMES
    return list(queries.MUNICIPALITY_CODES), MUNICIPALITY_NAMES


def area_table_component(ds: Dataset, state: ExplorerState, side: str, policy: Policy):
    """The map as an accessible table: every area with its value, highest first."""
    values, (hidden_codes, _, reason), bases = _map_values(ds, state, side, policy)
    small = set(bases.codes)
    codes, names = _codes_and_names(side)
    indicator = CATALOGUE[state.metric]
    rows = sorted(zip(codes, values, strict=True),
                  key=lambda cv: (cv[1] is None, -(cv[1] or 0), names[cv[0]]))  # fmt: skip
    hidden = set(hidden_codes)
    categories = _categories(ds, state, side)

    def cell(code, value):
        if code in hidden:
            return reason
        if value is None:
            return t("not_in_filter", state.lang)
        if categories:
            return categories[int(value) - 1]
        text = format_number(value, indicator.decimals, state.lang)
        return t("low_base_cell", state.lang).format(value=text) if code in small else text

    header = f"{indicator.text('label', state.lang)} ({indicator.text('unit', state.lang)})"
    return html.Table(
        [
            html.Caption(map_title(side, state)),
            html.Thead(html.Tr([html.Th(t("area", state.lang), scope="col"),
                                html.Th(header, scope="col")])),
            html.Tbody([html.Tr([html.Th(names[c], scope="row"), html.Td(cell(c, v))])
                        for c, v in rows]),
        ],
        className="table table-sm table-striped small",
    )  # fmt: skip


def diversity_outputs(
    ds: Dataset, state: ExplorerState, policy: Policy, world: figures.GeoLayer
) -> dict:
    f, sel, lang = state.filter, state.selection, state.lang
    languages = indicators.category_counts(ds, f, sel, "lang", policy)
    countries = indicators.category_counts(ds, f, sel, "prior", policy)
    return {
        "languages": charts.category_bars(languages, "lang", lang, policy.threshold),
        "countries": charts.category_bars(countries, "prior", lang, policy.threshold),
        "countries_map": charts.countries_map(countries, world, lang, policy.threshold),
    }


def remittance_outputs(ds: Dataset, state: ExplorerState, policy: Policy) -> dict:
    # The chart shows the study's period; an imported full series may start in the 1960s.
    usd = indicators.national_series(ds, "BX.TRF.PWKR.CD.DT").query("year >= 2010")
    gdp = indicators.national_series(ds, "BX.TRF.PWKR.DT.GD.ZS").query("year >= 2010")
    uses = indicators.remittance_uses(ds, state.filter, state.selection, policy)
    return {
        "national": remittance_chart.remittance_figure(usd, gdp, state.lang),
        "uses": charts.uses_figure(uses, state.lang, policy.threshold),
    }


def needs_outputs(ds: Dataset, state: ExplorerState, policy: Policy) -> dict:
    frame, tests = indicators.support_needs_by_type(ds, state.filter, state.selection, policy)
    return {
        "figure": charts.needs_figure(frame, state.lang, policy.threshold),
        "test": needs.needs_test_children(tests, state.lang),
        "table": frame,
        "tests": tests,
    }


FLOW_TOP_N = (10, 25, 50, 100)


def parse_flow_controls(direction, top_n, min_persons) -> tuple[str, int, int, list[str]]:
    notices = []
    if isinstance(top_n, str) and top_n.isdigit():  # a <select> sends strings
        top_n = int(top_n)
    if direction not in vocab.DIRECTIONS:
        notices.append(str(InvalidParameter("direction", direction, ", ".join(vocab.DIRECTIONS))))
        direction = "arrival"
    if top_n not in FLOW_TOP_N:
        notices.append(str(InvalidParameter("top_n", top_n, ", ".join(map(str, FLOW_TOP_N)))))
        top_n = 25
    if (
        isinstance(min_persons, bool)
        or not isinstance(min_persons, (int, float))
        or not (0 <= min_persons <= 100_000)
    ):
        notices.append(str(InvalidParameter("min_persons", min_persons, "a number 0–100000")))
        min_persons = 0
    return direction, int(top_n), int(min_persons), notices


def flows_whose(state: ExplorerState, direction: str) -> str:
    """Whose flows the tab shows: the Ruhr's, or those of the selected areas, by name."""
    if not state.areas:
        return t(f"flows_whose_{direction}", state.lang)
    names = join_names([selection_name(a, state.lang) for a in state.areas], state.lang)
    return t(f"flows_whose_{direction}_{state.selection.side}", state.lang).format(names=names)


def flow_summary(flows, top_n: int, min_persons: int, whose: str, lang: str) -> str:
    """Whose flows, how many (the largest ``top_n``, or fewer) and their persons; the
    minimum size when one is set (the controls do not print)."""
    minimum = f" {t('flows_summary_min', lang).format(min=format_number(min_persons, 0, lang))}"
    minimum = minimum if min_persons > 1 else ""  # every flow shown has one person or more
    if flows.empty:
        return t("flows_none_for", lang).format(whose=whose) + minimum
    count = len(flows)
    key = {1: "flows_summary_one", top_n: "flows_summary"}.get(count, "flows_summary_some")
    persons = format_number(flows["persons"].sum(), 0, lang)
    return t(key, lang).format(whose=whose, count=count, persons=persons) + minimum


def flow_outputs(
    ds: Dataset, state: ExplorerState, controls, geo: dict[str, figures.GeoLayer]
) -> dict:
    """The flows of the selection (or of the whole Ruhr) for the flows tab: the big map,
    its legend, the Ruhr's detail map and the summary."""
    direction, top_n, min_persons, notices = parse_flow_controls(*controls)
    flows = indicators.top_flows(ds, state.filter, direction, top_n, min_persons, state.linked)
    selected = (state.selection.side, [a.code for a in state.areas]) if state.areas else ()
    return {
        "figure": flowmap.flow_map(flows, direction, state.lang, geo, selected),
        "ruhr": flowmap.ruhr_flow_map(flows, direction, state.lang, geo, selected),
        "legend": flowmap.flow_legend(flows, direction, state.lang),
        "summary": flow_summary(
            flows, top_n, min_persons, flows_whose(state, direction), state.lang
        ),
        "notices": notices,
        "flows": flows,
    }


DOWNLOAD_FORMATS = {"gpkg": "GeoPackage", "geojson": "GeoJSON", "csv": "CSV",
                    "parquet": "GeoParquet"}  # fmt: skip
LONG_FORMAT = "long"  # the download control's long table: CSV with the summed layer beside it


def download_href(state: ExplorerState, layer: str, fmt: str) -> str:
    """The API address of the zip (layer + datapackage.json) for what the explorer shows:
    same filters, the map's metric next to the flow counts, the metadata in the page's
    language. ``long``: the long table (one row
    per area or pair × year × type × direction) with the summed layer as CSV."""
    from layers.export import DEFAULT_AREA_INDICATORS, LAYERS

    layer = layer if layer in LAYERS else "municipalities"
    fmt = fmt if fmt in (*DOWNLOAD_FORMATS, LONG_FORMAT) else "gpkg"
    found = {
        **({"file": "csv", "shape": "long"} if fmt == LONG_FORMAT else {"file": fmt}),
        **params.filter_params(
            state.filter_years,
            state.year_mode == "single",
            state.types,
            state.country,
            complete=True,
        ),
    }
    if layer != "flows":
        found["indicators"] = ",".join(dict.fromkeys((*DEFAULT_AREA_INDICATORS, state.metric)))
    found["lang"] = state.lang  # the metadata in the page's language
    return f"/api/v1/layers/{layer}.zip{params.query_string(found)}"
