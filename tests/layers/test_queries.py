"""Filters and aggregations on a hand-made dataset, expected numbers written out."""

import pytest

from layers import queries
from layers.queries import InvalidParameter, Selection
from tests.helpers import DORTMUND, DUISBURG, GALATI, PLOVDIV, tiny_dataset


@pytest.fixture(scope="module")
def ds():
    return tiny_dataset()


def test_municipal_totals_for_a_year_range(ds):
    table = queries.area_table(ds, queries.parse_filter(years="2014-2015"), "municipality")
    assert len(table) == 53
    assert table.loc[DORTMUND, ["arrivals", "departures", "net"]].tolist() == [16, 4, 12]
    assert table.loc[DUISBURG, ["arrivals", "departures", "net"]].tolist() == [20, 0, 20]
    # per 1,000 inhabitants per year: 16 persons / 2 years / 593,317 inhabitants * 1,000
    assert table.loc[DORTMUND, "arrivals_per_1000"] == pytest.approx(16 / 2 / 593317 * 1000)
    assert table.loc[DORTMUND, "net_per_1000"] == pytest.approx(12 / 2 / 593317 * 1000)
    assert table["arrivals"].sum() == 36


def test_single_year_and_type_filter(ds):
    table = queries.area_table(
        ds, queries.parse_filter(years=2014, types=["circular"]), "municipality"
    )
    assert table.loc[DORTMUND, ["arrivals", "departures"]].tolist() == [10, 4]
    assert table.loc[DUISBURG, "arrivals"] == 0
    all_but_circular = ["immigrant", "return", "transnational"]
    table = queries.area_table(ds, queries.parse_filter(types=all_but_circular), "municipality")
    assert table.loc[DORTMUND, ["arrivals", "departures"]].tolist() == [6, 0]
    assert table.loc[DUISBURG, ["arrivals", "departures"]].tolist() == [20, 5]


@pytest.mark.parametrize("side", queries.SIDES)
@pytest.mark.parametrize(
    "f, selection",
    [
        (queries.parse_filter(), None),
        (queries.parse_filter(years="2014-2015", types=["circular"], countries="RO"), None),
        (queries.parse_filter(countries="BG"), Selection("origin", PLOVDIV)),
        (queries.parse_filter(years=2014), Selection("municipality", DORTMUND)),
    ],
)
def test_area_values_are_the_area_tables_columns_for_every_area(ds, side, f, selection):
    """The map's shortcut: the same numbers as the table, in code order, NaN where the
    table leaves an area out (origin regions outside the country filter)."""
    codes = queries.ORIGIN_CODES if side == "origin" else queries.MUNICIPALITY_CODES
    table = queries.area_table(ds, f, side, selection).reindex(list(codes))
    for column in queries.FLOW_COLUMNS:
        values = queries.area_values(ds, f, side, column, selection)
        assert values.tolist() == pytest.approx(table[column].astype(float).tolist(), nan_ok=True)
        assert (values == table[column].astype(float).to_numpy()).sum() == table[
            column
        ].notna().sum()
    if f.countries == ("BG",) and side == "origin":
        assert sum(v == v for v in values) == 28  # NaN != NaN: 42 Romanian counties left out
    with pytest.raises(InvalidParameter):
        queries.area_values(ds, f, side, "language_richness")


def test_country_filter_drops_other_origin_regions(ds):
    f = queries.parse_filter(countries="RO")
    origins = queries.area_table(ds, f, "origin")
    assert len(origins) == 42 and set(origins["country"]) == {"RO"}
    assert origins.loc[GALATI, ["arrivals", "departures"]].tolist() == [16, 4]
    munis = queries.area_table(ds, f, "municipality")
    assert munis.loc[DUISBURG, "arrivals"] == 0
    assert len(queries.area_table(ds, queries.parse_filter(), "origin")) == 70


def test_linking_narrows_the_other_map_to_the_selected_area(ds):
    f = queries.parse_filter()
    by_origin = queries.area_table(ds, f, "municipality", Selection("origin", PLOVDIV))
    assert by_origin.loc[DUISBURG, ["arrivals", "departures"]].tolist() == [20, 5]
    assert by_origin.loc[DORTMUND, "arrivals"] == 0
    by_muni = queries.area_table(ds, f, "origin", Selection("municipality", DORTMUND))
    assert by_muni.loc[GALATI, ["arrivals", "departures"]].tolist() == [16, 4]
    assert by_muni.loc[PLOVDIV, "arrivals"] == 0
    # the selected side itself keeps its values (the selection is only highlighted)
    same_side = queries.area_table(ds, f, "municipality", Selection("municipality", DORTMUND))
    assert same_side.loc[DUISBURG, "arrivals"] == 20


def test_yearly_series_covers_all_years_and_follows_the_selection(ds):
    series = queries.yearly_series(ds, queries.parse_filter()).set_index("year")
    assert series.index.tolist() == list(range(2014, 2025))
    assert series.loc[2014].tolist() == [10, 4, 6]
    assert series.loc[2015].tolist() == [26, 0, 26]
    assert series.loc[2016].tolist() == [0, 5, -5]
    assert series.loc[2020].tolist() == [0, 0, 0]
    duisburg = queries.yearly_series(
        ds, queries.parse_filter(), Selection("municipality", DUISBURG)
    )
    assert duisburg.set_index("year").loc[2015, "arrivals"] == 20
    assert duisburg["arrivals"].sum() == 20


def test_flow_table_lists_pairs_with_moves(ds):
    table = queries.flow_table(ds, queries.parse_filter())
    pairs = {
        (r.origin_nuts3, r.destination_ags): (r.arrivals, r.departures) for r in table.itertuples()
    }
    assert pairs == {(GALATI, DORTMUND): (16, 4), (PLOVDIV, DUISBURG): (20, 5)}
    assert table.set_index("origin_nuts3").loc[GALATI, "origin_name"] == "Galați"


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"years": "2013"}, "year"),
        ({"years": "2020-2016"}, "years"),
        ({"years": "abc"}, "year"),
        ({"years": [2014]}, "years"),
        ({"types": ["tourist"]}, "type"),
        ({"types": []}, "type"),
        ({"countries": "DE"}, "country"),
        ({"countries": 7}, "country"),
    ],
)
def test_bad_filter_values_name_the_parameter_and_allowed_values(kwargs, name):
    with pytest.raises(InvalidParameter) as caught:
        queries.parse_filter(**kwargs)
    assert caught.value.name == name
    assert "Allowed" in str(caught.value)


def test_selection_and_metric_validation():
    assert queries.parse_selection(None) is None
    assert queries.parse_selection({"side": "origin", "code": GALATI}) == Selection(
        "origin", GALATI
    )
    for bad in ({"side": "origin", "code": "XX999"}, {"side": "moon", "code": GALATI}, "RO224"):
        with pytest.raises(InvalidParameter):
            queries.parse_selection(bad)
    with pytest.raises(InvalidParameter, match="metric"):
        queries.parse_metric("happiness")
