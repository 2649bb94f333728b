"""The explorer state <-> URL query string."""

from dashboard import address, events
from dashboard import state as explorer
from dashboard.state import ExplorerState
from layers.queries import Selection
from tests.helpers import DORTMUND, GALATI


def test_defaults_make_an_empty_query():
    assert address.to_query(ExplorerState()) == ""
    assert address.to_query(ExplorerState(lang="en")) == "?lang=en"


def test_round_trip_of_every_parameter():
    state = ExplorerState(
        year_mode="single", year=2019, years=(2019, 2019), types=("return", "circular"),
        country="RO", metric="need_housing", selection=Selection("municipality", DORTMUND),
        tab="needs", lang="en",
    )  # fmt: skip
    query = address.to_query(state)
    assert query == (
        "?lang=en&tab=needs&year=2019&type=return,circular&country=RO&metric=need_housing"
        f"&sel=m:{DORTMUND}"
    )
    assert address.from_query(query) == state
    ranged = ExplorerState(years=(2015, 2020), selection=Selection("origin", GALATI))
    assert address.from_query(address.to_query(ranged)) == ranged


def test_invalid_and_outdated_parameters_fall_back_with_a_notice():
    state = address.from_query(
        "?year=2031&type=circular,tourist&country=DE&metric=happiness&sel=m:99999999"
        "&tab=secret&colour=red&lang=fr"
    )
    assert state == ExplorerState()  # every field at its default
    text = " ".join(state.notices)
    for name in ("'year'", "'type'", "'country'", "'metric'", "'sel'", "'tab'", "'colour'"):
        assert name in text
    assert state.notices[0].startswith("Einige Angaben im Link")


def test_cleared_types_survive_the_round_trip():
    state = ExplorerState(types=())
    assert address.to_query(state) == "?type="
    assert address.from_query("?type=").types == ()


def test_control_changes_are_pushed_and_urls_clicks_and_buttons_applied():
    current = ExplorerState(types=("circular",))
    assert address.push_for(current, "") == "?type=circular"
    assert address.push_for(current, "?type=circular") is None  # no second history entry
    state, change = events.next_state("url", "?year=2016", current)
    assert change and state.year == 2016 and state.types == ExplorerState().types
    click = ("municipality", {"points": [{"location": DORTMUND}]})
    state, change = events.next_state("click", "", ExplorerState(), click)
    assert change and address.push_for(state, "") == f"?sel=m:{DORTMUND}"
    state, change = events.next_state("clear", f"?sel=m:{DORTMUND}", state)
    assert change and state.selection is None
    assert address.push_for(state, f"?sel=m:{DORTMUND}") == ""
    state, change = events.next_state("show_cv", "", ExplorerState())
    assert state.metric == "arrivals_cv" and address.push_for(state, "") == "?metric=arrivals_cv"


def test_language_link_keeps_the_view():
    assert address.language_link("?year=2019&type=circular", "en") == (
        "?lang=en&year=2019&type=circular"
    )


def test_push_for_pushes_only_what_the_address_does_not_already_say():
    state = address.from_query("?type=circular,return")
    assert address.push_for(state, "?type=circular,return") is None
    assert address.push_for(state, "?type=return,circular&junk=1") is None  # same meaning
    assert address.push_for(state, "") == address.to_query(state)
    assert address.push_for(ExplorerState(), "?metric=<script>") is None  # fell back to defaults


def test_share_url_follows_the_query_the_app_wrote_not_the_page_load():
    loaded = "http://127.0.0.1:8050/prefix/?lang=en#maps"
    assert address.share_url(loaded, "?lang=en&type=circular&country=BG") == (
        "http://127.0.0.1:8050/prefix/?lang=en&type=circular&country=BG"
    )
    assert address.share_url(loaded, "") == "http://127.0.0.1:8050/prefix/"
    assert address.share_url("http://h/", "year=2019") == "http://h/?year=2019"
    assert address.share_url(None, None) == ""


def test_every_field_has_one_control_and_round_trips_through_the_controls():
    from dataclasses import fields

    from dashboard.state import CONTROLS, LANG

    declared = [c.field for c in CONTROLS]
    assert len(declared) == len(set(declared))
    assert {*declared, LANG.field} == {f.name for f in fields(ExplorerState)} - {"notices"}
    shown = ExplorerState(year_mode="single", year=2017, types=("return",), country="BG",
                          metric="churn", selection=Selection("origin", GALATI), tab="flows",
                          lang="en")  # fmt: skip
    again = ExplorerState.from_props({**shown.props(), LANG.key: "en"})
    assert again == shown and again.notices == ()


def test_the_callbacks_take_the_state_by_its_declared_controls(demo_dataset):
    from dashboard.app import create_app
    from dashboard.state import CONTROLS, LANG

    callbacks = create_app(demo_dataset).callback_map
    wanted = {(c.component, c.prop) for c in CONTROLS}
    view = next(cb for key, cb in callbacks.items() if "url.search" in key and "ruhr-map" in key)
    assert {(i["id"], i["property"]) for i in view["inputs"]} == wanted
    assert (LANG.component, LANG.prop) in {(s["id"], s["property"]) for s in view["state"]}
    gate = next(cb for key, cb in callbacks.items() if "gate-diversity" in key)
    assert wanted <= {(i["id"], i["property"]) for i in gate["inputs"]}


def test_the_panels_choices_round_trip_through_the_address_and_bad_ones_say_so():
    link = ("?tab=ranking&measure=net&scale=absolute&rank_side=origin&cols=net,arrivals"
            "&sort=-net&x=churn&y=net&scatter_side=origin")  # fmt: skip
    shown = address.from_query(link)
    assert (shown.rank_columns, shown.rank_sort, shown.scatter_x) == (
        ("net", "arrivals"),
        "-net",
        "churn",
    )
    assert address.from_query(address.to_query(shown)) == shown and not shown.notices
    assert address.to_query(ExplorerState()) == ""  # defaults are left out
    # The ranking's default columns follow the metric; ticking exactly them is the default.
    defaults = explorer.default_rank_columns("churn")
    props = {**ExplorerState(metric="churn").props(), "ranking-columns.value": list(defaults)}
    assert ExplorerState.from_props(props).rank_columns == ()
    bad = address.from_query("?sort=-<script>&x=nothing&cols=net,zzz&measure=all&scale=1")
    assert bad == ExplorerState(notices=bad.notices)  # every choice at its default
    named = " ".join(bad.notices)
    assert all(f"'{name}'" in named for name in ("sort", "x", "cols", "measure", "scale"))
    # A change of a panel's choice alone draws no new maps (only the address changes); the
    # maps' own choices (classes, place names) are in the address too, and redraw the maps.
    panels = {c.key for c in explorer.PANEL_CONTROLS} - explorer.MAP_CONTROLS
    assert panels < explorer.ADDRESS_ONLY and not explorer.MAP_CONTROLS & explorer.ADDRESS_ONLY
    assert len(explorer.MAP_CONTROLS) == 3
