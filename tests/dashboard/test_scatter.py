"""Issue 15 without a browser: the scatter's points, the small multiples' common scale."""

from __future__ import annotations

from dashboard import events, scatter, state, timeplay
from layers import vocab
from layers.disclosure import Policy
from layers.queries import Selection
from tests.helpers import DORTMUND

POLICY = Policy()


def test_scatter_has_every_municipality_and_highlights_the_selection(demo_dataset):
    shown = state.ExplorerState(selection=Selection("municipality", DORTMUND))
    data = scatter.scatter_points(demo_dataset, shown, "arrivals_per_1000", "arrivals_cv",
                                  "municipality", POLICY)  # fmt: skip
    assert len(data["points"]["code"]) == 53 and data["hidden"] == 0
    assert data["selected"] == DORTMUND
    figure = scatter.scatter_figure(data, "en")
    trace = figure.data[0]
    at = list(trace.customdata).index(DORTMUND)
    assert trace.marker.size[at] == scatter.SELECTED_SIZE and trace.marker.line.width[at] == 3
    assert sorted(trace.marker.size).count(scatter.SELECTED_SIZE) == 1
    assert figure.layout.xaxis.title.text == "Arrival rate (per 1,000 inhabitants per year)"
    assert "Dortmund" in trace.text[at] and "per 1,000" in trace.text[at]
    assert "not published" not in figure.layout.title.text


def test_scatter_leaves_out_unpublished_survey_values_and_says_how_many(demo_dataset):
    shown = state.ExplorerState(lang="en")
    data = scatter.scatter_points(demo_dataset, shown, "arrivals_per_1000", "remitting_share",
                                  "municipality", POLICY)  # fmt: skip
    assert data["hidden"] > 0
    assert len(data["points"]["code"]) + data["hidden"] == 53
    assert all(v == v for v in data["points"]["y"])  # no NaN drawn
    title = scatter.scatter_figure(data, "en").layout.title.text
    assert f"{data['hidden']} areas not published" in title


def test_scatter_origin_side_and_bad_pickers_fall_back(demo_dataset):
    data = scatter.scatter_points(demo_dataset, state.ExplorerState(), "<x>", None, "origin",
                                  POLICY)  # fmt: skip
    assert (data["x_metric"], data["y_metric"]) == (scatter.DEFAULT_X, scatter.DEFAULT_Y)
    assert len(data["points"]["code"]) == 70 and data["selected"] is None


def test_a_scatter_click_selects_the_area_like_a_map_click():
    click = {"points": [{"x": 1, "y": 2, "customdata": DORTMUND}]}
    assert events.clicked_selection(click, None, "municipality") == Selection(
        "municipality", DORTMUND
    )
    again = events.clicked_selection(click, Selection("municipality", DORTMUND), "municipality")
    assert again is None


def test_small_multiples_share_one_scale_across_years(demo_dataset):
    found = timeplay.small_multiple_values(demo_dataset, "arrivals", vocab.MIGRATION_TYPES,
                                           "both", POLICY)  # fmt: skip
    assert list(found["values"]) == [str(y) for y in vocab.YEARS]
    every = [v for values in found["values"].values() for v in values.values() if v is not None]
    assert found["scale"] == [min(every), max(every)]
    yearly_max = [max(v for v in values.values() if v is not None)
                  for values in found["values"].values()]  # fmt: skip
    assert len(set(yearly_max)) > 1  # years differ, the scale does not
    assert all(len(values) == 53 for values in found["values"].values())


def test_small_multiple_routes(demo_dataset):
    from dashboard.app import create_app

    client = create_app(demo_dataset).server.test_client()
    one = client.get("/small-multiples/2016.svg?metric=arrivals&type=circular&country=RO&lang=en")
    assert one.status_code == 200 and one.mimetype == "image/svg+xml"
    assert b"Ruhr region, Arrivals, 2016" in one.data and one.data.count(b"<path") >= 53
    legend = client.get("/small-multiples/legend.svg?metric=arrivals_per_1000&lang=en")
    assert b"Arrival rate (per 1,000 inhabitants per year)" in legend.data
    assert client.get("/small-multiples/2016.svg?metric=nope").status_code == 400
    assert client.get("/small-multiples/2013.svg").status_code == 404


def test_scatter_types_are_named_in_the_page_language_and_coloured_as_on_the_map(demo_dataset):
    from dashboard.figures import CATEGORY_COLOURS
    from layers import typology

    german = state.ExplorerState(lang="de")
    data = scatter.scatter_points(demo_dataset, german, "arrivals_per_1000", "arrivals_cv",
                                  "municipality", Policy())  # fmt: skip
    figure = scatter.scatter_figure(data, "de")
    types = typology.typology(demo_dataset, german.filter)
    assert [trace.name for trace in figure.data] == [types.name(n, "de")
                                                     for n in range(1, types.k + 1)]  # fmt: skip
    assert [trace.marker.color for trace in figure.data] == list(CATEGORY_COLOURS[: types.k])
    assert not any(trace.name.startswith("Type ") for trace in figure.data)  # no English


def test_scatter_names_the_oblasts_in_cyrillic_on_bulgarian_pages(demo_dataset):
    capital = "BG411"  # data/reference/bg_oblast_names.csv: София (столица)
    named = {}
    for lang in ("bg", "de"):
        shown = state.ExplorerState(lang=lang)
        data = scatter.scatter_points(demo_dataset, shown, "arrivals_per_1000", "arrivals_cv",
                                      "origin", POLICY)  # fmt: skip
        trace = scatter.scatter_figure(data, lang).data[0]
        named[lang] = trace.text[list(trace.customdata).index(capital)]
    assert "София (столица)" in named["bg"] and "Sofia" not in named["bg"]
    assert "Sofia (stolitsa)" in named["de"] and "София" not in named["de"]
