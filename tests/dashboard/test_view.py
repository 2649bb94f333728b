"""The functions behind the callbacks, without a browser."""

import pandas as pd
import plotly.colors
import pytest

from dashboard import charts, events, figures, state, view
from dashboard.figures import map_update
from layers.disclosure import Policy
from layers.queries import FlowFilter, Selection
from tests.helpers import (
    DORTMUND,
    DUISBURG,
    FLOW_ROWS,
    GALATI,
    GELSENKIRCHEN,
    PLOVDIV,
    TINY_RESPONDENTS,
    tiny_dataset,
)

DEFAULTS = dict(
    year_mode="range", year=2024, year_range=[2014, 2024],
    types=["immigrant", "return", "circular", "transnational"],
    country="both", metric="arrivals", selection=None, lang="de",
)  # fmt: skip
Z = ("data", figures.VALUES, "z")
POLICY = Policy()


def _state(**changes):
    values = {**DEFAULTS, "tab": "series", **changes}
    values["years"] = values.pop("year_range")
    return state.from_fields(values)


def test_valid_inputs_parse_without_notices():
    state = _state(year_mode="single", year=2016, types=["circular"], country="RO")
    assert (state.filter.year_from, state.filter.year_to) == (2016, 2016)
    assert state.filter.types == ("circular",) and state.filter.countries == ("RO",)
    assert state.notices == ()


def test_bad_inputs_fall_back_to_defaults_with_a_notice():
    state = _state(
        year_mode="both", year_range=["x", 2030], types=["tourist"], country={"a": 1},
        metric="<script>", selection={"side": "origin", "code": "../etc"}, lang="fr",
    )  # fmt: skip
    assert (state.filter.year_from, state.filter.year_to) == (2014, 2024)
    assert state.metric == "arrivals_per_1000"  # the default: a rate (16.4)
    assert state.selection is None and state.lang == "de"
    assert len(state.notices) == 6
    assert any("'type'" in n and "immigrant" in n for n in state.notices)


def test_cleared_types_show_zero_and_say_why():
    state = _state(types=[])
    out = view.view_outputs(tiny_dataset(), state, POLICY)
    assert set(out["ruhr_update"][Z]) == {0.0}
    assert out["notices"] == ["Bitte mindestens einen Migrationstyp wählen."]


def test_outputs_follow_the_migration_type_filter():
    ds = tiny_dataset()
    index = view.queries.MUNICIPALITY_CODES.index(DORTMUND)
    all_types = view.view_outputs(ds, _state(), POLICY)["ruhr_update"][Z]
    circular = view.view_outputs(ds, _state(types=["circular"]), POLICY)["ruhr_update"][Z]
    assert all_types[index] == 16 and circular[index] == 10


def test_selecting_a_municipality_recolours_the_origin_map():
    ds = tiny_dataset()
    selection = {"side": "municipality", "code": DUISBURG}
    out = view.view_outputs(ds, _state(selection=selection), POLICY)
    origin_z = out["origin_update"][Z]
    assert origin_z[view.queries.ORIGIN_CODES.index(PLOVDIV)] == 20
    assert origin_z[view.queries.ORIGIN_CODES.index(GALATI)] == 0
    assert out["ruhr_update"][("data", figures.HIGHLIGHT, "locations")] == [DUISBURG]
    assert out["origin_update"][("data", figures.HIGHLIGHT, "locations")] == []
    assert "Duisburg" in out["origin_title"] and out["selection_label"] == "Duisburg"


def test_country_filter_blanks_the_other_country():
    out = view.view_outputs(tiny_dataset(), _state(country="BG"), POLICY)
    origin_z = out["origin_update"][Z]
    assert origin_z[view.queries.ORIGIN_CODES.index(GALATI)] is None
    assert origin_z[view.queries.ORIGIN_CODES.index(PLOVDIV)] == 20


def test_net_rate_uses_diverging_classes_and_net_counts_circles_by_sign():
    update = map_update([-5.0, 20.0, 3.0, None], "net_per_1000", "en", [])
    values = ("data", figures.VALUES)
    # three values: a class each, [-5, 3), [3, 20), [20, 20]; orange below zero, purple above
    scale = update[(*values, "colorscale")]
    assert [stop[1] for stop in scale][::2] == [scale[0][1], scale[2][1], scale[4][1]]
    first, last = (plotly.colors.hex_to_rgb(c) for c in (scale[0][1], scale[-1][1]))
    assert first[0] > first[2] and last[2] > last[0]
    assert update[(*values, "zmin")] == -5 and update[(*values, "zmax")] == 20
    assert update[("data", figures.CIRCLES, "visible")] is False
    counts = map_update([-841.0, 3364.0, None], "net", "en", [])
    assert counts[("data", figures.CIRCLES, "visible")] is True
    assert counts[("data", figures.CIRCLES, "marker", "size")] == [18.0, 36.0, 0.0]
    assert counts[("data", figures.CIRCLES, "marker", "color")] == ["#D55E00", "#0072B2",
                                                                  "#0072B2"]  # fmt: skip
    assert counts[(*values, "colorscale")] == [[0, "#ffffff"], [1, "#ffffff"]]  # neutral
    assert "persons" in counts[(*values, "hovertemplate")]
    rate = map_update([1.0, 4.0], "arrivals_per_1000", "de", [])  # the classes span the data
    assert rate[(*values, "zmin")] == 1 and rate[(*values, "zmax")] == 4


def test_next_selection_toggles_and_ignores_garbage():
    click = {"points": [{"location": DORTMUND}]}
    first = events.clicked_selection(click, None, "municipality")
    assert first == Selection("municipality", DORTMUND)
    assert events.clicked_selection(click, first, "municipality") is None
    selected = state.ExplorerState(selection=first)
    assert events.next_state("clear", "", selected)[0].selection is None
    assert events.clicked_selection({"points": []}, first, "municipality") == first
    bad = {"points": [{"location": "99999999"}]}
    assert events.clicked_selection(bad, first, "municipality") == first


def test_linked_title_names_the_selection():
    state = _state(selection={"side": "origin", "code": GALATI}, lang="en")
    assert state.selection == Selection("origin", GALATI)
    assert view.map_title("municipality", state).endswith("linked to Galați")


def test_download_link_carries_the_explorer_state():
    shown = state.ExplorerState(year_mode="single", year=2019, types=("circular",),
                                country="RO", metric="need_housing")  # fmt: skip
    href = view.download_href(shown, "municipalities", "csv")
    assert href == (
        "/api/v1/layers/municipalities.zip?file=csv&year=2019&type=circular&country=RO"
        "&indicators=arrivals,departures,net,arrivals_per_1000,departures_per_1000,"
        "net_per_1000,need_housing&lang=de"
    )
    long = view.download_href(shown, "origin_regions", view.LONG_FORMAT)
    assert long.startswith("/api/v1/layers/origin_regions.zip?file=csv&shape=long&year=2019&")
    flows = view.download_href(state.ExplorerState(), "flows", "bogus")
    assert flows == (
        "/api/v1/layers/flows.zip?file=gpkg&years=2014-2024"
        "&type=immigrant,return,circular,transnational&lang=de"
    )
    # the metadata (datapackage.json, the GeoPackage's description) in the page's language
    for lang in ("en", "ro", "bg"):
        bulgarian = view.download_href(state.ExplorerState(lang=lang), "flows", "gpkg")
        assert bulgarian.endswith(f"&lang={lang}")


def test_series_update_patches_the_figure_it_was_built_for():

    ds = tiny_dataset()
    state = _state(year_range=[2015, 2018], types=["circular"])
    series = view.queries.yearly_series(ds, state.filter)
    update = view.series_outputs(ds, state)
    assert update[("data", charts.SERIES_ARRIVALS, "y")] == series["arrivals"].tolist()
    assert update[("data", charts.SERIES_NET, "y")] == series["net"].tolist()
    selected = series[series["year"].between(2015, 2018)]["arrivals"]
    mean, sd = selected.mean(), selected.std(ddof=1)
    assert update[("data", charts.SERIES_MEAN, "y")] == [round(mean, 1)] * 2
    assert update[("data", charts.SERIES_BAND, "y")][0] == round(mean + sd, 1)
    assert update[("layout", "shapes", 0, "x0")] == 2014.5
    # The whole figure is the same figure with the update applied: same traces, same values.
    figure = view.series_figure(ds, state)
    assert [trace.name for trace in figure.data] == [
        "Mittelwert ± 1 Standardabweichung (Zuzüge)", "Mittelwert", "Saldo", "Zuzüge", "Fortzüge"
    ]  # fmt: skip
    assert list(figure.data[charts.SERIES_ARRIVALS].y) == series["arrivals"].tolist()
    assert figure.layout.shapes[0].x1 == 2018.5


def test_a_single_year_has_no_band():
    update = view.series_outputs(tiny_dataset(), _state(year_mode="single", year=2016))
    assert update[("data", 0, "y")] == [] and update[("data", 1, "y")] == []
    assert update[("layout", "shapes", 0, "x0")] == 2015.5


def test_a_type_change_sends_the_series_values_only():
    ds = tiny_dataset()
    full = view.series_outputs(ds, _state(types=["circular"]))
    values_only = view.series_outputs(ds, _state(types=["circular"]), years=False, title=False)
    left_out = set(full) - set(values_only)
    assert {path[-1] for path in left_out} == {"x", "x0", "x1", "text"}
    assert all(full[path] == value for path, value in values_only.items())


def test_a_malformed_forwarded_state_gives_the_defaults_and_says_so():
    forwarded = {**_state(year_mode="single", year=2016, types=["circular"], country="RO",
                          metric="net", lang="en").props(), "lang-store.data": "en"}  # fmt: skip
    good = state.ExplorerState.from_props(forwarded)
    assert good.filter.years == (2016,) and good.metric == "net" and good.notices == ()
    for bad in (None, "x", [1, 2], {"a": 1}):
        shown = state.ExplorerState.from_props(bad)
        assert shown.filter == FlowFilter() and shown.metric == view.DEFAULT_METRIC
        assert len(shown.notices) == 1 and "'state'" in shown.notices[0]


def test_uses_chart_adds_up_to_100_percent_and_names_its_base():
    from layers import indicators

    nan = float("nan")
    shares = indicators.use_shares([1200, nan, 300, nan, 0, 100], 2000.0)
    bars = charts.uses_figure(shares, "de", 5).data[0]
    assert sum(bars.x[i] for i in range(len(bars.x)) if bars.x[i] is not None) == 100.0
    assert bars.y[-1] == "nicht veröffentlicht"
    assert bars.marker.color[-1] == figures.SUPPRESSED_COLOUR
    title = charts.uses_figure(shares, "de", 5).layout.title.text
    assert "Anteil an den Überweisenden (n = 2.000)" in title and "unter 5" in title
    complete = indicators.use_shares([5, 3, 1, 1, 0, 0], 10.0)
    english = charts.uses_figure(complete, "en", 5)
    assert "not published" not in english.data[0].y
    assert "share of remitters (n = 10)" in english.layout.title.text
    hidden = charts.uses_figure(indicators.use_shares([nan] * 6, nan), "en", 5)
    assert "not published: fewer than 5" in hidden.layout.title.text


def test_typology_map_has_a_categorical_legend_naming_the_types(demo_dataset):
    out = view.view_outputs(demo_dataset, _state(metric="typology", lang="en"), POLICY)
    update, values = out["ruhr_update"], ("data", figures.VALUES)
    types = view.typology.typology(demo_dataset, _state().filter)
    k = types.k
    assert update[(*values, "zmin")] == 0.5 and update[(*values, "zmax")] == k + 0.5
    assert update[(*values, "colorbar", "tickvals")] == list(range(1, k + 1))
    ticks = update[(*values, "colorbar", "ticktext")]
    assert [tick.replace("<br>", " ") for tick in ticks] == [
        types.name(n, "en").replace(", ", " ") for n in range(1, k + 1)
    ]
    assert update[(*values, "showscale")] is True
    assert out["origin_update"][(*values, "showscale")] is False  # origin regions: not typed
    assert out["ruhr_summary"].count("Type ") == k
    scale = update[(*values, "colorscale")]
    assert [colour for _, colour in scale[::2]] == list(figures.CATEGORY_COLOURS[:k])
    assert set(update[Z]) == set(range(1, k + 1))
    first = update[Z][0]
    assert update[(*values, "text")][0] == types.name(first, "en")
    assert "%{text}" in update[(*values, "hovertemplate")]
    # a filter change keeps the legend current; another metric clears it
    again = view.view_outputs(demo_dataset, _state(metric="typology"), POLICY, style=False)
    assert again["ruhr_update"][(*values, "colorbar", "ticktext")][0].startswith("Typ 1:")
    back = map_update([1.0], "arrivals", "en", [])
    assert back[(*values, "colorbar", "tickvals")] is None and back[(*values, "text")] is None
    assert figures.restyle_message(again["ruhr_update"]) is None  # drawn anew: names change
    table = view.area_table_component(demo_dataset, _state(metric="typology", lang="en"),
                                      "municipality", POLICY)  # fmt: skip
    assert "Type 1:" in str(table)


def _texts(children) -> list[str]:
    """The visible strings of a component tree, in document order."""
    if isinstance(children, str):
        return [children]
    if isinstance(children, list | tuple):
        return [s for child in children for s in _texts(child)]
    inner = getattr(children, "children", None)
    return _texts(inner) if inner is not None else []


def _rows(children) -> list[list[str]]:
    table = next(c for c in children if type(c).__name__ == "Table")
    body = table.children[2]
    return [[s for cell in row.children for s in _texts(cell)] for row in body.children]


def test_needs_panel_names_the_method_and_lists_each_area_in_persons():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    out = view.needs_outputs(ds, _state(), Policy(threshold=1))
    text = " ".join(_texts(out["test"]))
    assert "Je Lebensbereich ein χ²-Test" in text and "nach Holm" in text
    assert "Personen, nicht Nennungen" in text
    rows = _rows(out["test"])
    # five areas tested ("andere" is named by nobody); work: χ² = 8/3, df 2, n = 8 persons
    assert len(rows) == 5
    assert rows[0][:4] == ["Arbeit/Weiterbildung (auch Sprache)", "2,7 *", "2", "8"]
    assert all(len(r) == 6 for r in rows)  # area, χ², df, n, p (Holm), Cramér's V
    assert "Nicht getestet, weil in den verglichenen Gruppen niemand" in text
    assert "andere" in text.split("Nicht getestet")[-1]
    assert "χ²-Näherung ist hier unsicher" in text  # 8 persons: expected counts under 5
    assert "In keinem getesteten Lebensbereich p < 0,05" in text
    english = " ".join(_texts(view.needs_outputs(ds, _state(lang="en"), Policy(1))["test"]))
    assert "Per life area a chi-square test" in english and "Holm" in english


def test_needs_panel_with_one_type_compares_it_with_all_other_respondents():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    out = view.needs_outputs(ds, _state(types=["circular"]), Policy(threshold=1))
    text = " ".join(_texts(out["test"]))
    assert "des Typs „Zirkulär Migrierende“ gegen alle übrigen Befragten" in text
    assert "mindestens zwei" in text
    assert _rows(out["test"])[0][1:4] == ["0,5 *", "1", "8"]  # χ² = 8/15 by hand
    assert out["tests"].groups == ("circular", "others")


def test_needs_panel_lists_withheld_areas_and_tests_none_of_them():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    out = view.needs_outputs(ds, _state(), POLICY)  # k = 5: 2–3 respondents per type
    text = " ".join(_texts(out["test"]))
    assert not any(type(c).__name__ == "Table" for c in out["test"])
    assert "nicht veröffentlicht" in text and "Wohnen" in text and "in keinen" in text
    assert view.needs.needs_test_children(None, "en")[0].children.startswith("No test possible")


def test_needs_panel_on_the_demo_survey_formats_numbers_per_language(demo_dataset):
    for lang, n, below in (("de", "3.000", "< 0,001"), ("en", "3,000", "< 0.001")):
        out = view.needs_outputs(demo_dataset, _state(lang=lang), POLICY)
        rows = {r[0]: r for r in _rows(out["test"])}
        housing = rows[view.vocab.SUPPORT_NEED_LABELS["housing"][lang]]
        assert housing[2:5] == ["3", n, below]  # df 3 for four types; p after Holm
        assert "= <" not in " ".join(_texts(out["test"]))
    assert view.needs.format_p(0.0412, "de") == "0,041"
    assert view.needs.format_p(0.0412, "en") == "0.041"


def test_needs_chart_draws_each_interval_as_an_error_bar_and_names_n(demo_dataset):
    from layers import vocab

    out = view.needs_outputs(demo_dataset, _state(), POLICY)
    figure, frame = out["figure"], out["table"]
    assert "Fehlerbalken: 95-%-Konfidenzintervall (Wilson)" in figure.layout.title.text
    for trace, (mtype, row) in zip(figure.data, frame.iterrows(), strict=True):
        assert trace.name.startswith(vocab.MIGRATION_TYPE_LABELS[mtype]["de"])
        assert trace.error_x.symmetric is False and trace.error_x.type == "data"
        for i, area in enumerate(vocab.SUPPORT_NEEDS):  # the bar's ends are the interval
            assert trace.x[i] + trace.error_x.array[i] == pytest.approx(row[f"{area}_ci_high"])
            assert trace.x[i] - trace.error_x.arrayminus[i] == pytest.approx(row[f"{area}_ci_low"])
    returning = figure.data[vocab.MIGRATION_TYPES.index("return")]
    assert returning.name == "Rückkehrorientierte (n = 586)"
    assert figure.data[0].name == "Einwanderer (n = 1.047)"  # German grouping
    # housing: 309 of 586 return-oriented respondents, p = 0.527304, z = 1.959964:
    # centre (618 + 3.841459) / (2 · 589.841459) = 0.527126,
    # half 1.959964 / 1179.682918 · √(2344 · 0.527304 · 0.472696 + 3.841459) = 0.040291
    # → 0.486835 … 0.567417 (scipy: binomtest(309, 586).proportion_ci(method="wilson"))
    housing = vocab.SUPPORT_NEEDS.index("housing")
    assert returning.x[housing] == pytest.approx(52.7304, abs=1e-4)
    assert returning.x[housing] + returning.error_x.array[housing] == pytest.approx(
        56.7417, abs=1e-4
    )
    assert returning.x[housing] - returning.error_x.arrayminus[housing] == pytest.approx(
        48.6835, abs=1e-4
    )
    assert returning.hovertext[housing] == "52,7 % (95-%-KI 48,7–56,7 %)<br>n = 586"
    assert "%{hovertext}" in returning.hovertemplate
    english = view.needs_outputs(demo_dataset, _state(lang="en"), POLICY)["figure"]
    assert english.data[1].hovertext[housing] == "52.7 % (95 % CI 48.7–56.7 %)<br>n = 586"
    assert english.data[0].name == "Immigrant (n = 1,047)"
    assert "Error bars: 95 % confidence interval (Wilson)" in english.layout.title.text


def test_needs_chart_draws_no_error_bar_for_a_withheld_share():
    ds = tiny_dataset(respondents=TINY_RESPONDENTS)
    figure = view.needs_outputs(ds, _state(), POLICY)["figure"]  # k = 5: every type withheld
    for trace in figure.data:
        assert set(trace.x) == {None} and set(trace.error_x.array) == {None}
        assert set(trace.hovertext) == {""}


def test_uses_chart_draws_each_published_use_with_its_interval():
    from layers import indicators

    nan = float("nan")
    shares = indicators.use_shares([1200, nan, 300, nan, 0, 100], 2000.0, with_intervals=True)
    bars = charts.uses_figure(shares, "de", 5).data[0]
    # household: 1200 of 2000 remitters, Wilson 57.836 … 62.126 % (scipy binomtest)
    assert bars.x[0] + bars.error_x.array[0] == pytest.approx(62.1259, abs=1e-4)
    assert bars.x[0] - bars.error_x.arrayminus[0] == pytest.approx(57.8358, abs=1e-4)
    assert bars.hovertext[0] == "Haushalt/Konsum: 60,0 % (95-%-KI 57,8–62,1 %)<br>n = 2.000"
    # business: 0 of 2000, 0 … 0.19 %: a bar of length 0 with an error bar up to 0.19 %
    assert bars.error_x.arrayminus[4] == 0.0
    assert bars.error_x.array[4] == pytest.approx(0.1917, abs=1e-4)
    assert bars.error_x.array[1] is None and bars.hovertext[1] == "Wohnen/Hausbau"
    assert bars.error_x.array[-1] is None  # the grey remainder: no interval
    assert bars.hovertext[-1] == "nicht veröffentlicht: 20,0 %"  # 2000 − 1600 remitters
    title = charts.uses_figure(shares, "de", 5).layout.title.text
    assert "(n = 2.000)" in title and "95-%-Konfidenzintervall" in title


# --- the flows tab ---------------------------------------------------------------------------

FLOW_GEO = {name: figures.GeoLayer(f"/geo/{name}.geojson", "properties.code", ())
            for name in ("context_countries", "origin_regions", "ruhr_municipalities",
                         "ruhr_context")}  # fmt: skip


def _area(side, code):
    return {"side": side, "code": code}


def _flows(selection=None, compare=(), direction="arrival", min_persons=0, lang="de"):
    shown = _state(selection=selection, compare=list(compare), lang=lang, tab="flows")
    return view.flow_outputs(tiny_dataset(FLOW_ROWS), shown, (direction, "25", min_persons),
                             FLOW_GEO)  # fmt: skip


def _line_ends(figure) -> set[tuple[float, float]]:
    """Where each drawn line ends: the point before each gap (None) of the line traces."""
    ends = set()
    for trace in figure.data:
        if trace.type == "scattergeo" and trace.mode == "lines" and trace.name != "frame":
            points = list(zip(trace.lon, trace.lat, strict=True))
            ends |= {points[i - 1] for i, p in enumerate(points) if p[0] is None}
    return ends


def test_flow_tab_shows_only_the_selected_municipalitys_flows():
    ds = tiny_dataset(FLOW_ROWS)
    out = _flows(_area("municipality", DORTMUND))
    assert out["flows"][["origin_nuts3", "destination_ags", "persons"]].values.tolist() == [
        [GALATI, DORTMUND, 16], [PLOVDIV, DORTMUND, 7]]  # fmt: skip
    assert out["summary"] == "Zuzüge nach Dortmund: 2 Ströme, zusammen 23 Personen."
    assert _line_ends(out["figure"]) == {tuple(ds.area_points.loc[DORTMUND])}
    heads = out["figure"].data[0]  # first: plotly.js gives only the first trace the projection
    assert heads.name == "arrowheads" and heads.marker.symbol == "triangle-up"
    assert list(zip(heads.lon, heads.lat, strict=True)) == [tuple(ds.area_points.loc[DORTMUND])] * 2
    ruhr_ends = [t for t in out["ruhr"].data if t.name == "Ruhr ends"]
    assert [list(t.customdata) for t in ruhr_ends] == [
        ["<b>Dortmund</b><br>Zuzüge: 23 Personen<br>Gezeigte Ströme: 2"]]  # fmt: skip
    origin_ends = next(t for t in out["figure"].data if t.name == "origin ends")
    assert list(origin_ends.customdata) == [
        "<b>Galați</b><br>Zuzüge: 16 Personen<br>Gezeigte Ströme: 1",
        "<b>Plovdiv</b><br>Zuzüge: 7 Personen<br>Gezeigte Ströme: 1"]  # fmt: skip


def test_flow_tab_follows_an_origin_region_several_areas_and_the_direction():
    ds = tiny_dataset(FLOW_ROWS)
    galati = _flows(_area("origin", GALATI))
    assert galati["summary"] == "Zuzüge aus Galați: 2 Ströme, zusammen 19 Personen."
    assert _line_ends(galati["figure"]) == {tuple(ds.area_points.loc[c])
                                            for c in (DORTMUND, GELSENKIRCHEN)}  # fmt: skip
    pair = _flows(_area("municipality", DUISBURG), [_area("municipality", GELSENKIRCHEN)],
                  lang="en")  # fmt: skip
    assert (
        pair["summary"] == "Arrivals in Duisburg and Gelsenkirchen: 2 flows, together 23 persons."
    )
    away = _flows(_area("origin", GALATI), direction="departure")
    assert away["summary"] == "Fortzüge nach Galați: ein Strom, 4 Personen."
    # A departure's line goes from the Ruhr to the origin region, its arrowhead there.
    assert _line_ends(away["figure"]) == {tuple(ds.area_points.loc[GALATI])}
    assert 90 < away["figure"].data[0].marker.angle[0] < 180  # pointing down and right
    ruhr = _flows()
    assert ruhr["summary"] == "Zuzüge ins Ruhrgebiet: 4 Ströme, zusammen 46 Personen."
    none = _flows(_area("municipality", "05911000"), min_persons=5)  # Bochum
    assert none["summary"] == (
        "Zuzüge nach Bochum: keine Ströme für diese Auswahl. Nur Ströme ab 5 Personen."
    )
    assert none["legend"] == [] and len(none["figure"].data[0].lon) == 0


def test_flow_summary_says_whether_the_flows_are_the_largest_of_more_and_the_minimum():
    frame = pd.DataFrame({"persons": [1500] * 25})
    assert view.flow_summary(frame, 25, 1000, "Zuzüge ins Ruhrgebiet", "de") == (
        "Zuzüge ins Ruhrgebiet: die größten 25 Ströme, zusammen 37.500 Personen. "
        "Nur Ströme ab 1.000 Personen."
    )
    assert view.flow_summary(frame[:1], 25, 0, "Arrivals in the Ruhr", "en") == (
        "Arrivals in the Ruhr: one flow, 1,500 persons."
    )


def test_chart_names_break_between_words_never_inside_one():
    from dashboard.charts import in_lines

    assert in_lines("Arbeit/Weiterbildung (auch Sprache)", 18) == (
        "Arbeit/Weiterbildung<br>(auch Sprache)"
    )
    assert in_lines("Bildung der Kinder", 18) == "Bildung der Kinder"
