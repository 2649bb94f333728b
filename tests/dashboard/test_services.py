"""The services tab's plain functions (dashboard/services.py) on hand-made tables."""

from __future__ import annotations

import numpy as np

from dashboard import services
from dashboard.state import ExplorerState
from layers import kosmati
from layers.disclosure import Policy
from tests.layers.test_kosmati import HAND, NEEDS, inventory

DORTMUND = "05913000"


def _texts(component) -> list[str]:
    found = []
    if isinstance(component, str):
        return [component]
    children = getattr(component, "children", None)
    for child in children if isinstance(children, list) else [children]:
        if child is not None:
            found += _texts(child)
    return found


def test_gap_summary_names_each_gap_in_the_page_language():
    table = kosmati.needs_against_offers(NEEDS, inventory(HAND[:2]), DORTMUND)
    assert services.gap_summary(table, "Dortmund", "de") == (
        "Lücken in Dortmund (1): andere (Einwanderer)."
    )
    assert (
        services.gap_summary(table, "Dortmund", "en") == "Gaps in Dortmund (1): Other (Immigrant)."
    )
    covered = table.assign(status=kosmati.OFFERED)
    assert services.gap_summary(covered, "Dortmund", "en").startswith("Dortmund: every need")


def test_cells_say_withheld_not_a_number():
    table = kosmati.needs_against_offers(NEEDS, inventory(HAND[:2]), DORTMUND)
    rows = {(r.life_area, r.migration_type): r for r in table.itertuples()}
    withheld = services._cell(rows[("housing", "immigrant")], "de")
    assert withheld.to_plotly_json()["props"]["data-status"] == "withheld"
    assert "".join(_texts(withheld)) == "zurückgehalten · Angebote: 1 unbekannt"
    gap = services._cell(rows[("other", "immigrant")], "en")
    assert "".join(_texts(gap)) == "10 % · Services: 0 Gap"
    assert np.isnan(rows[("housing", "immigrant")].share)


def test_coverage_table_puts_most_dimensions_first_and_marks_the_selection():
    table = kosmati.coverage(inventory(HAND))
    component = services.coverage_table(table, "en", selected=DORTMUND)
    rows = component.children[2].children
    assert [r.to_plotly_json()["props"]["data-code"] for r in rows[:3]] == [
        "05911000", DORTMUND, "05914000"]  # Bochum 4, Dortmund 2, Hagen 1  # fmt: skip
    assert rows[1].to_plotly_json()["props"]["aria-current"] == "true"


def test_without_a_municipality_the_panel_says_how_to_choose_one(demo_dataset):
    out = services.needs_component(demo_dataset, ExplorerState(lang="en"), Policy())
    assert _texts(out[0])[0].startswith("Select a municipality on the Ruhr map")
