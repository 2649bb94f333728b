"""Small bases on the maps (issue 16.1): the areas below the minimum base are hatched
with the reason in their tooltip, the summaries leave them out and say how many; on the
hand-made flows of tests/helpers.py (2014–2015)."""

import dataclasses
import io

import pandas as pd
import pytest

from dashboard import compare, figures, ranking, state, view
from layers.disclosure import Policy
from layers.queries import Selection
from tests.helpers import BOCHUM, DORTMUND, DUISBURG, GELSENKIRCHEN, cell_text, small_base_dataset

POLICY = Policy()
VALUES, LOW_BASE = figures.VALUES, figures.LOW_BASE
CODES = view.queries.MUNICIPALITY_CODES


def _state(metric="arrivals_cv", lang="de", **changes):
    return state.from_fields({
        "year_mode": "range", "year": 2024, "years": [2014, 2015],
        "types": ["immigrant", "return", "circular", "transnational"], "country": "both",
        "metric": metric, "selection": None, "lang": lang, "tab": "series", **changes,
    })  # fmt: skip


@pytest.fixture(scope="module")
def ds():
    return small_base_dataset(survey=True)


def test_the_summary_skips_a_small_base_that_would_top_it_and_says_so(ds):
    # CV of arrivals: Duisburg 0.28 (5 arrivals) and Gelsenkirchen 0.04 (39) are below a
    # mean of 20 a year; Bochum 100 + 120 (CV 0.13) and Dortmund 140 + 160 (0.09) are not.
    out = view.view_outputs(ds, _state(), POLICY)
    assert out["ruhr_summary"] == (
        "Schwankung der Zuzüge (VK) (Variationskoeffizient): am höchsten Bochum (0,13), "
        "Dortmund (0,09); am niedrigsten Dortmund (0,09), Bochum (0,13) (2 Gebiete mit "
        "geringer Basis ausgelassen, schraffiert). Werte für 4 von 53 Gebieten."
    )
    english = view.view_outputs(ds, _state(lang="en"), POLICY)
    assert "Duisburg" not in english["ruhr_summary"]
    assert "(2 areas with a small base left out, hatched)" in english["ruhr_summary"]
    # origin regions: Galați's 259 + 300 arrivals count (CV 0.10), Plovdiv's 5 do not
    assert english["origin_summary"].startswith(
        "Variation of arrivals (CV) (coefficient of variation): highest Galați (0.10); lowest "
        "Galați (0.10) (1 area with a small base left out, hatched)."
    )


def test_without_a_small_base_the_summary_is_as_before():
    names = {"A": "Aa", "B": "Bb"}
    plain = view.map_summary({"A": 2.0, "B": 1.0}, names, "arrivals_cv", "en")
    assert plain == view.map_summary({"A": 2.0, "B": 1.0}, names, "arrivals_cv", "en", flagged=())
    assert "small base" not in plain
    only = view.map_summary({"A": 2.0, "B": None}, names, "arrivals_cv", "en", flagged=("A",))
    assert only == ("Variation of arrivals (CV): all 1 areas with values have a small base "
                    "(hatched) – no highest or lowest named.")  # fmt: skip


def test_the_map_draws_small_bases_lighter_with_the_reason_in_hover(ds):
    update = view.view_outputs(ds, _state(), POLICY)["ruhr_update"]
    assert set(update[("data", LOW_BASE, "locations")]) == {DUISBURG, GELSENKIRCHEN}
    text = dict(zip(CODES, update[("data", VALUES, "text")], strict=True))
    assert text[DUISBURG] == (
        "<br>geringe Basis: 5 Zuzüge in 2 Jahren (Mindestbasis: Ø 20 je Jahr)"
    )
    assert text[GELSENKIRCHEN] == (
        "<br>geringe Basis: 39 Zuzüge in 2 Jahren (Mindestbasis: Ø 20 je Jahr)"
    )
    assert text[DORTMUND] == "" and text[BOCHUM] == ""
    assert "%{text}" in update[("data", VALUES, "hovertemplate")]
    z = dict(zip(CODES, update[("data", VALUES, "z")], strict=True))
    assert z[DUISBURG] == pytest.approx(0.2828, abs=1e-4)  # the value stays on the map
    english = view.view_outputs(ds, _state(lang="en"), POLICY)["ruhr_update"]
    assert dict(zip(CODES, english[("data", VALUES, "text")], strict=True))[DUISBURG] == (
        "<br>small base: 5 arrivals in 2 years (minimum base: a mean of 20 a year)"
    )


def test_rates_and_shares_say_their_own_base(ds):
    rate = view.view_outputs(ds, _state(metric="arrivals_per_1000"), POLICY)["ruhr_update"]
    low = rate[("data", LOW_BASE, "locations")]
    assert DUISBURG in low and GELSENKIRCHEN not in low  # 5 arrivals; 39 are enough
    assert len(low) == 53 - 3  # a rate of 0 from no arrivals is a small base too
    text = dict(zip(CODES, rate[("data", VALUES, "text")], strict=True))
    assert text[DUISBURG] == "<br>geringe Basis: 5 Zuzüge in 2 Jahren (Mindestbasis: 20)"
    share = view.view_outputs(ds, _state(metric="need_housing", lang="en"), POLICY)
    update = share["ruhr_update"]
    assert update[("data", LOW_BASE, "locations")] == [DUISBURG]  # 12 asked; Dortmund 40
    text = dict(zip(CODES, update[("data", VALUES, "text")], strict=True))
    assert text[DUISBURG] == "<br>small base: 12 respondents (minimum base: 30)"


def test_a_filter_change_sends_the_small_bases_and_a_switch_away_clears_them(ds):
    update = view.view_outputs(ds, _state(), POLICY, style=False, selection=False)["ruhr_update"]
    message = figures.restyle_message(update)  # still a recolouring, no new figure
    assert message is not None
    assert set(message["traces"][str(LOW_BASE)]["locations"]) == {DUISBURG, GELSENKIRCHEN}
    assert len(message["traces"][str(VALUES)]["text"]) == 53
    back = view.view_outputs(ds, _state(metric="arrivals"), POLICY)["ruhr_update"]
    assert back[("data", LOW_BASE, "locations")] == [] and back[("data", VALUES, "text")] is None
    counts = view.view_outputs(ds, _state(metric="arrivals"), POLICY, style=False,
                               selection=False)  # fmt: skip
    assert ("data", LOW_BASE, "locations") not in counts["ruhr_update"]  # a count: none


def test_the_area_table_and_the_definition_name_a_small_base(ds):
    table = str(view.area_table_component(ds, _state(), "municipality", POLICY))
    assert "0,28 (geringe Basis)" in table and "0,09 (geringe Basis)" not in table
    definition = view.metric_definition("arrivals_cv", "de", POLICY)
    assert "Mindestbasis: im Mittel 20 Zuzüge je Jahr" in definition
    assert definition.endswith(
        "(Variationskoeffizient). Mindestbasis: im Mittel 20 Zuzüge je Jahr. Schraffiert und "
        "grau umrandet: darunter (geringe Basis) – der Wert ist gezeigt, aber unsicher, und "
        "zählt nicht bei „am höchsten/niedrigsten“."
    )
    assert "base" not in view.metric_definition("arrivals", "en", POLICY)  # a count: none
    typology = view.metric_definition("typology", "en", POLICY)
    assert "(type 1–k). No minimum base: a type is not an estimate" in typology


def _cells(table) -> dict[str, list]:
    """Each row's header text → its cells (props of html.Td: children and className)."""
    rows = table.children[2].children
    return {row.children[0].children: [(cell_text(td), td.className)
                                       for td in row.children[1:]] for row in rows}  # fmt: skip


def test_the_ranking_marks_a_small_base_and_explains_the_mark(ds):
    explorer = _state(rank_columns=["arrivals", "arrivals_cv"])
    out = ranking.grid_outputs(ds, explorer, "municipality", ["arrivals", "arrivals_cv"], POLICY)
    rows = {r["code"]: r for r in out["rows"]}
    assert (rows[DUISBURG]["arrivals_cv__text"], rows[DUISBURG]["arrivals_cv__low"]) == (
        "0,28 *", True)  # fmt: skip
    assert (rows[DORTMUND]["arrivals_cv__text"], rows[DORTMUND]["arrivals_cv__low"]) == (
        "0,09", False)  # fmt: skip
    assert rows[DUISBURG]["arrivals__text"] == "5" and not rows[DUISBURG]["arrivals__low"]
    assert rows[DUISBURG]["arrivals_cv"] == pytest.approx(0.2828, abs=1e-4)  # still ranked
    cv = next(c for c in out["columns"] if c["field"] == "arrivals_cv")
    assert cv["cellClassRules"] == {"low-base": "params.data && params.data['arrivals_cv__low']"}
    assert out["note"].startswith("* geringe Basis: der Wert beruht auf weniger Personen")
    plain = ranking.grid_outputs(ds, explorer, "municipality", ["arrivals"], POLICY)
    assert plain["note"] == ""  # no mark, no note


def test_the_comparison_marks_a_small_base_in_the_table_and_the_csv(ds):
    compared = dataclasses.replace(_state(), selection=Selection("municipality", DORTMUND),
                                   compare=(Selection("municipality", DUISBURG),))  # fmt: skip
    frame, bounds = compare.compare_tables(ds, compared, POLICY)
    assert bounds["low_base"].loc["arrivals_cv"].tolist() == [False, True]  # Dortmund, Duisburg
    assert bounds["low_base"].loc["need_housing"].tolist() == [False, True]  # 40 and 12 asked
    assert "arrivals" not in bounds["low_base"].index  # a count: none
    table = compare.table_component(frame, compared, bounds)
    cells = _cells(table)
    cv = cells["Schwankung der Zuzüge (VK) (Variationskoeffizient)"]
    assert cv[0] == ("0,09", "text-end")
    assert cv[1] == ("0,28 *", "text-end low-base")
    assert cv[2][1] == "text-end"  # the average has no base of its own
    assert "* geringe Basis" in str(table.children[0])
    csv = pd.read_csv(io.StringIO(compare.csv_text(ds, compared, POLICY))).set_index("indicator")
    assert list(csv.columns[2:8]) == ["Dortmund", "Dortmund_ci_low", "Dortmund_ci_high",
                                      "Dortmund_n", "Dortmund_low_base", "Duisburg"]  # fmt: skip
    assert csv.loc["arrivals_cv", "Duisburg_low_base"] == True  # noqa: E712 (read as object)
    assert csv.loc["arrivals_cv", "Dortmund_low_base"] == False  # noqa: E712
    assert pd.isna(csv.loc["arrivals", "Duisburg_low_base"])


def test_the_scatter_draws_a_small_base_as_a_ring_with_its_reason(ds):
    from dashboard import scatter

    # CV of arrivals against arrivals: Duisburg (5 arrivals in 2 years) and Gelsenkirchen
    # (39) are below a mean of 20 a year, Bochum (220) and Dortmund (300) are not
    shown = _state(lang="en")
    data = scatter.scatter_points(ds, shown, "arrivals", "arrivals_cv", "municipality", POLICY)
    low = dict(zip(data["points"]["code"], data["points"]["low_base"], strict=True))
    assert low[DORTMUND] == [] and low[BOCHUM] == []
    assert low[DUISBURG] == [
        "small base: 5 arrivals in 2 years (minimum base: a mean of 20 a year)"
    ]
    assert low[GELSENKIRCHEN] and "39 arrivals" in low[GELSENKIRCHEN][0]
    figure = scatter.scatter_figure(data, "en")

    def by_code(values_of) -> dict:
        pairs = (zip(trace.customdata, values_of(trace), strict=True) for trace in figure.data)
        return {code: value for pair in pairs for code, value in pair}

    symbols = by_code(lambda trace: trace.marker.symbol)
    assert symbols[DUISBURG] == symbols[GELSENKIRCHEN] == "circle-open"
    assert symbols[DORTMUND] == symbols[BOCHUM] == "circle"
    hover = by_code(lambda trace: trace.text)
    assert "small base: 5 arrivals" in hover[DUISBURG] and "small base" not in hover[DORTMUND]
    legend = str(scatter.legend_component(data, "en"))
    assert "Ring: small base" in legend
    # a pair of counts has no minimum base: no ring, nothing in the legend about it
    counts = scatter.scatter_points(ds, shown, "arrivals", "departures", "municipality", POLICY)
    assert not any(counts["points"]["low_base"])
    assert "Ring" not in str(scatter.legend_component(counts, "en"))


def test_the_small_multiples_hatch_a_small_base_year_by_year(ds):
    from dashboard import timeplay
    from layers import boundaries, thumbnail, vocab

    # arrival rate, minimum 20 arrivals in the year: 2014 Duisburg 2 and Gelsenkirchen 19
    # are below it, Dortmund 140 and Bochum 100 are not; 2015 Gelsenkirchen has 20: enough
    found = timeplay.small_multiple_values(ds, "arrivals_per_1000", vocab.MIGRATION_TYPES,
                                           "both", POLICY)  # fmt: skip
    low_2014, low_2015 = set(found["low_base"]["2014"]), set(found["low_base"]["2015"])
    assert {DUISBURG, GELSENKIRCHEN} <= low_2014 and not {DORTMUND, BOCHUM} & low_2014
    assert DUISBURG in low_2015 and GELSENKIRCHEN not in low_2015
    areas = boundaries.load_municipalities()
    svg = thumbnail.area_svg(areas, "ags", found["values"]["2014"], tuple(found["scale"]),
                             hatched=tuple(low_2014))  # fmt: skip
    assert svg.count('class="low-base"') == len(low_2014) and 'id="hatch"' in svg
    plain = thumbnail.area_svg(areas, "ags", found["values"]["2014"], tuple(found["scale"]))
    assert "low-base" not in plain and 'id="hatch"' not in plain
    legend = timeplay.legend_svg("0", "1", "x", hatched="hatched: small base")
    assert "url(#hatch)" in legend and "hatched: small base" in legend
    assert "hatch" not in timeplay.legend_svg("0", "1", "x")
    # a count has no minimum base: nothing hatched
    counts = timeplay.small_multiple_values(ds, "arrivals", vocab.MIGRATION_TYPES, "both", POLICY)
    assert not any(counts["low_base"].values())
