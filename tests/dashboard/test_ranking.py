"""The ranking tab's table data (dashboard/ranking.py), without a browser."""

import pytest

from dashboard import ranking, state
from layers import indicators, regions
from layers.disclosure import Policy
from layers.queries import Selection
from tests.helpers import DORTMUND, DUISBURG, GALATI, tiny_dataset

POLICY = Policy()


def _rows(ds, side="municipality", columns=None, **fields):
    return ranking.ranking_rows(ds, state.ExplorerState(**fields), side, columns, POLICY)


def test_rows_are_in_rank_order_with_absolute_and_per_1000_values():
    ds = tiny_dataset()
    rows = _rows(ds)
    assert [r["name"] for r in rows[:2]] == ["Duisburg", "Dortmund"]
    assert [r["rank"] for r in rows[:3]] == [1, 2, 3]
    assert len(rows) == 53 and {r["rank"] for r in rows[2:]} == {3}  # ties share a rank
    duisburg = rows[0]
    population = ds.municipalities.loc[DUISBURG, "population"]
    assert duisburg["arrivals"] == 20 and duisburg["arrivals__text"] == "20"
    assert duisburg["net"] == 15
    assert duisburg["arrivals_per_1000"] == pytest.approx(20 / 11 / population * 1000)
    assert duisburg["net_per_1000"] == pytest.approx(15 / 11 / population * 1000)


def test_the_first_column_ranks_and_the_selection_is_marked():
    ds = tiny_dataset()
    rows = _rows(ds, columns=["departures", "arrivals"],
                 selection=Selection("municipality", DORTMUND))  # fmt: skip
    assert [(r["name"], r["rank"], r["departures"]) for r in rows[:2]] == [
        ("Duisburg", 1, 5), ("Dortmund", 2, 4)
    ]  # fmt: skip
    assert [r["name"] for r in rows if r["selected"]] == ["Dortmund"]


def test_a_selection_on_the_other_side_links_the_values_as_on_the_maps():
    ds = tiny_dataset()
    explorer = state.ExplorerState(selection=Selection("origin", GALATI), lang="en")
    out = ranking.grid_outputs(ds, explorer, "municipality", None, POLICY)
    assert [(r["name"], r["arrivals"]) for r in out["rows"][:2]] == [
        ("Dortmund", 16), ("Duisburg", 0)
    ]  # fmt: skip
    assert not any(r["selected"] for r in out["rows"])
    assert "linked to" in out["caption"] and "Galați" in out["caption"]


def test_origin_regions_follow_the_country_filter():
    ds = tiny_dataset()
    romanian = [r.nuts3 for r in regions.ORIGIN_REGIONS if r.nuts3.startswith("RO")]
    rows = _rows(ds, side="origin", country="RO")
    assert sorted(r["code"] for r in rows) == sorted(romanian)
    assert rows[0]["code"] == GALATI and rows[0]["arrivals"] == 16
    assert len(_rows(ds, side="origin")) == 70


def test_suppressed_survey_values_are_not_published_not_zero_and_come_last(demo_dataset):
    explorer = state.ExplorerState(types=("transnational",), lang="en")
    columns = ("respondents", "arrivals")
    rows = ranking.ranking_rows(demo_dataset, explorer, "municipality", columns, POLICY)
    table = indicators.indicator_table(demo_dataset, explorer.filter, "municipality", None,
                                       columns, POLICY)  # fmt: skip
    hidden = set(table.index[table[indicators.SURVEY_FLAG]])
    assert hidden and len(hidden) < 53
    shown = [r for r in rows if r["code"] not in hidden]
    assert rows[len(shown) :] == [r for r in rows if r["code"] in hidden]  # last
    for row in rows[len(shown) :]:
        assert (row["respondents"], row["respondents__text"], row["rank"]) == (
            None, "not published", None)  # fmt: skip
    published = [r["respondents"] for r in shown]
    assert published == sorted(published, reverse=True)
    assert published == sorted(table.loc[[r["code"] for r in shown], "respondents"],
                               reverse=True)  # fmt: skip


def test_columns_default_to_flows_and_the_current_metric():
    assert ranking.chosen_columns(None, "churn") == (*ranking.DEFAULT_COLUMNS, "churn")
    assert ranking.chosen_columns([], "net") == ranking.DEFAULT_COLUMNS
    assert ranking.chosen_columns(["<script>"], "arrivals") == ranking.DEFAULT_COLUMNS
    assert ranking.chosen_columns(["churn", "net"], "arrivals") == ("churn", "net")


def test_grid_outputs_name_the_csv_and_label_the_columns_in_the_page_language():
    ds = tiny_dataset()
    explorer = state.ExplorerState(year_mode="single", year=2015, lang="en")
    out = ranking.grid_outputs(ds, explorer, "origin", ["arrivals"], POLICY)
    assert out["export"] == {"fileName": "ranking-origin-2015-2015.csv", "onlySelected": False,
                             "allColumns": True, "columnSeparator": ","}  # fmt: skip
    assert [c["headerName"] for c in out["columns"] if not c.get("hide")] == [
        "Rank (Arrivals)", "Area", "Arrivals (persons)"
    ]  # fmt: skip
    # The CSV (all columns) ends with what the numbers rest on, as the API's CSV does.
    hidden = [c["field"] for c in out["columns"] if c.get("hide")]
    assert hidden == ["synthetic_parts", "data_note"] == [c["field"] for c in out["columns"]][-2:]
    assert {r["synthetic_parts"] for r in out["rows"]} == {"flows"}  # arrivals: flows only
    assert all("flows" in r["data_note"].lower() for r in out["rows"])
    assert out["chosen"] == ["arrivals"] and out["caption"].startswith("Origin regions: 70")
    german = ranking.grid_outputs(ds, state.ExplorerState(), "nowhere", None, POLICY)
    assert german["export"]["fileName"] == "ranking-municipality-2014-2024.csv"
    assert german["export"]["columnSeparator"] == ";"


def test_a_share_shows_its_interval_and_sorts_by_its_value(demo_dataset):
    explorer = state.ExplorerState()
    out = ranking.grid_outputs(demo_dataset, explorer, "municipality", ["need_housing"], POLICY)
    rows = {r["code"]: r for r in out["rows"]}
    # Dortmund: 97 of 320 respondents, Wilson 25.535 … 35.557 % (scipy binomtest)
    assert rows[DORTMUND]["need_housing"] == pytest.approx(30.3125)
    assert rows[DORTMUND]["need_housing__text"] == "30,3 (25,5–35,6)"
    header = [c["headerName"] for c in out["columns"] if c["field"] == "need_housing"]
    assert header == ["Bedarf: Wohnen (% der Befragten, mit 95-%-KI)"]
    withheld = [r for r in out["rows"] if r["need_housing"] is None]
    assert withheld and {r["need_housing__text"] for r in withheld} == {"nicht veröffentlicht"}
    shown = [r["need_housing"] for r in out["rows"] if r["need_housing"] is not None]
    assert shown == sorted(shown, reverse=True)  # the number ranks, not the text
    english = state.ExplorerState(lang="en")
    rows = ranking.ranking_rows(demo_dataset, english, "municipality", ["need_housing"], POLICY)
    dortmund = next(r for r in rows if r["code"] == DORTMUND)
    assert dortmund["need_housing__text"] == "30.3 (25.5–35.6)"


def test_the_grid_speaks_the_page_language_with_the_same_keys_in_each():
    def texts(lang):
        return ranking.grid(lang).dashGridOptions["localeText"]

    assert texts("en") == {}  # AG Grid's own English
    assert texts("de")["noRowsToShow"] == "Keine Zeilen zum Anzeigen"
    assert texts("ro")["sortAscending"] == "Sortare Ascendentă"
    assert texts("ro")["ariaSortableColumn"] == "Apăsați ENTER pentru a sorta"
    assert texts("bg")["noMatchingRows"] == "Няма съответстващи редове"
    assert texts("bg")["page"] == "Страница"
    assert set(texts("ro")) == set(texts("bg")) == set(texts("de")) and len(texts("de")) == 115
    texts("bg")["page"] = "changed"  # each grid its own dict: the cache keeps the file's text
    assert texts("bg")["page"] == "Страница"
