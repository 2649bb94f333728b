"""The "3 × 1" scenario tab (dashboard/scenario.py): every step in the table with its kind,
the address's share, the map of all 70 regions (no browser)."""

from __future__ import annotations

import pytest

from dashboard import address
from dashboard import scenario as tab
from dashboard.state import ExplorerState
from layers import scenario
from layers.disclosure import Policy
from layers.queries import Selection
from tests.dashboard.test_stocks import _text


@pytest.fixture(scope="module")
def geo():
    from dashboard.app import geo_layers

    return geo_layers()[0]


def test_the_share_is_in_the_address_and_a_bad_one_falls_back_with_a_notice():
    shown = address.from_query("?tab=scenario&share=5")
    assert (shown.tab, shown.scenario_share) == ("scenario", 5)
    assert address.to_query(shown) == "?tab=scenario&share=5"
    assert address.to_query(ExplorerState(tab="scenario")) == "?tab=scenario"  # 1 %: default
    bad = address.from_query("?tab=scenario&share=50&lang=en")
    assert bad.scenario_share == scenario.DEFAULT_SHARE
    assert any("share" in n and "0–20" in n for n in bad.notices)


def test_the_steps_table_names_each_step_its_kind_and_source(demo_dataset, geo):
    shown = ExplorerState(lang="de", tab="scenario", scenario_share=10,
                          selection=Selection("origin", "BG411"))  # fmt: skip
    out = tab.outputs(demo_dataset, shown, Policy(5), geo)
    steps = out["steps"]
    rows = out["table"].children[2].children
    assert len(rows) == 8
    kinds = [getattr(r, "data-kind") for r in rows]
    assert kinds == ["real", "modelled", "modelled", *["scenario"] * 5]
    text = _text(out["table"])
    # Bulgaria 2024: US$ 2,672.2 million (World Bank, vintage 1 July 2025).
    assert "Rücküberweisungen nach Bulgarien, 2024" in text and "2.672,20 Mio. US$" in text
    assert "Stand 1. Juli 2025" in text and "echt" in text and "modelliert" in text
    assert "Szenario" in text and "10\u00a0%" in text  # the percentage not broken off
    # The fund is 4 × the channelled tenth of the regional amount, as the heading says.
    assert steps.fund == pytest.approx(4 * 0.10 * 2_672_200_000 * steps.regional_share)
    assert tab._usd(steps.fund, "de") in out["heading"]
    assert "Sofia" in out["heading"] and "Beispiel Galați" not in out["note"]
    # Vidin has fewer than 5 remitters in the demo survey: withheld, no share, no fund.
    vidin = ExplorerState(lang="de", selection=Selection("origin", "BG311"))
    out = tab.outputs(demo_dataset, vidin, Policy(5), geo)
    values = [row["value"] for row in tab.step_rows(out["steps"], "de")]
    assert values[0] == "2.672,20 Mio. US$" and set(values[1:]) == {"geheim gehalten"}


def test_without_an_origin_selected_galati_is_the_example_and_the_map_has_70_regions(
    demo_dataset, geo
):
    out = tab.outputs(demo_dataset, ExplorerState(lang="en", tab="scenario"), Policy(5), geo)
    assert out["steps"].region == "RO224" and "Example Galați" in out["note"]
    figure = out["map"]
    by_name = {trace.name: trace for trace in figure.data}
    assert len(by_name["fund"].locations) + len(by_name["withheld"].locations) == 70
    assert list(by_name["chosen"].locations) == ["RO224"]
    assert "fewer than 5 remitters" in out["note"]
    assert out["summary"].startswith("Largest scenario fund: ")
