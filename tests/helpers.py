"""Tiny hand-made datasets whose expected numbers can be written out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from layers import demo
from layers.dataset import Dataset, area_points, flows_to_array
from layers.disclosure import Policy
from layers.publication import build_publication

DORTMUND, DUISBURG, GELSENKIRCHEN = "05913000", "05112000", "05513000"
GALATI, PLOVDIV = "RO224", "BG421"

# year, origin, destination, type, direction, persons
TINY_FLOWS = [
    (2014, GALATI, DORTMUND, "circular", "arrival", 10),
    (2014, GALATI, DORTMUND, "circular", "departure", 4),
    (2015, GALATI, DORTMUND, "immigrant", "arrival", 6),
    (2015, PLOVDIV, DUISBURG, "immigrant", "arrival", 20),
    (2016, PLOVDIV, DUISBURG, "return", "departure", 5),
]
# Four arrival pairs for the flows tab: Plovdiv→Duisburg 20, Galați→Dortmund 16 (10 + 6),
# Plovdiv→Dortmund 7, Galați→Gelsenkirchen 3; departures Dortmund→Galați 4, Duisburg→Plovdiv 5.
FLOW_ROWS = [
    *TINY_FLOWS,
    (2014, PLOVDIV, DORTMUND, "immigrant", "arrival", 7),
    (2016, GALATI, GELSENKIRCHEN, "return", "arrival", 3),
]


def tiny_dataset(rows=TINY_FLOWS, respondents: pd.DataFrame | None = None) -> Dataset:
    flows = pd.DataFrame(
        rows,
        columns=["year", "origin_nuts3", "destination_ags", "migration_type", "direction",
                 "persons"],
    )  # fmt: skip
    reference = demo.reference_tables()
    return Dataset(
        flows=flows_to_array(flows, Path("tiny-flows.csv")),
        flows_synthetic=True,
        municipalities=reference["municipalities"].set_index("ags"),
        origin_regions=reference["origin_regions"].set_index("nuts3"),
        respondents=respondents if respondents is not None else pd.DataFrame(),
        country_indicators=reference["country_indicators"],
        manifest={"dataset": "tiny"},
        publication=build_publication(
            respondents if respondents is not None else pd.DataFrame(), Policy()
        ),
        area_points=area_points(),
    )


def respondent(rid, ags, nuts3, mtype, languages, prior, needs, remits, use=""):
    return {
        "respondent_id": rid, "municipality_ags": ags, "origin_nuts3": nuts3,
        "migration_type": mtype, "languages": languages, "prior_countries": prior,
        "support_needs": needs, "remits": remits, "remittance_use": use,
        "synthetic": True,
    }  # fmt: skip


# Six respondents in Dortmund (from Galați) and two in Duisburg (from Plovdiv).
TINY_RESPONDENTS = pd.DataFrame(
    [
        respondent(
            "R1", DORTMUND, GALATI, "circular", "ro;de", "IT", "work;housing", True, "household"
        ),
        respondent(
            "R2", DORTMUND, GALATI, "circular", "ro;it", "IT;ES", "housing", True, "housing"
        ),
        respondent("R3", DORTMUND, GALATI, "immigrant", "ro;rom", "", "children_education", False),
        respondent("R4", DORTMUND, GALATI, "immigrant", "ro", "ES", "work", True, "household"),
        respondent("R5", DORTMUND, GALATI, "return", "ro;de;en", "GB", "none", False),
        respondent(
            "R6", DORTMUND, GALATI, "circular", "ro", "IT", "health;work", True, "savings_debt"
        ),
        respondent("R7", DUISBURG, PLOVDIV, "immigrant", "bg;tr", "GR", "work", True, "household"),
        respondent("R8", DUISBURG, PLOVDIV, "return", "bg", "", "housing", False),
    ]
)


BOCHUM = "05911000"
# Minimum bases (tests/layers/test_small_bases.py), for the years 2014–2015:
SMALL_BASE_FLOWS = [
    (2014, GALATI, DORTMUND, "circular", "arrival", 140),  # 300 arrivals: mean 150 a year
    (2015, GALATI, DORTMUND, "circular", "arrival", 160),
    (2014, GALATI, DORTMUND, "circular", "departure", 10),
    (2014, PLOVDIV, DUISBURG, "immigrant", "arrival", 2),  # 5 arrivals: mean 2.5 a year
    (2015, PLOVDIV, DUISBURG, "immigrant", "arrival", 3),
    (2014, GALATI, GELSENKIRCHEN, "return", "arrival", 19),  # 39: mean 19.5, just below 20
    (2015, GALATI, GELSENKIRCHEN, "return", "arrival", 20),
    (2014, GALATI, BOCHUM, "immigrant", "arrival", 100),  # 220: mean 110 a year
    (2015, GALATI, BOCHUM, "immigrant", "arrival", 120),
]


def small_base_dataset(survey: bool = False) -> Dataset:
    """``SMALL_BASE_FLOWS``; with ``survey`` 40 respondents in Dortmund (10 name housing, 25
    remit, 8 of them mainly for housing) and 12 in Duisburg (6 name housing): every cell at
    least 5, so all is published."""
    people = [
        respondent(f"D{i}", DORTMUND, GALATI, "immigrant", "ro", "",
                   "housing" if i < 10 else "work", i < 25,
                   ("housing" if i < 8 else "household") if i < 25 else "")
        for i in range(40)
    ] + [
        respondent(f"U{i}", DUISBURG, PLOVDIV, "immigrant", "bg", "",
                   "housing" if i < 6 else "work", False)
        for i in range(12)
    ]  # fmt: skip
    return tiny_dataset(SMALL_BASE_FLOWS, respondents=pd.DataFrame(people) if survey else None)


def edited_catalogue(folder: Path, old: str, new: str) -> Path:
    """A copy of layers/catalogue.toml in ``folder`` with the first ``old`` replaced."""
    from layers import catalogue

    text = Path(catalogue.__file__).with_name("catalogue.toml").read_text("utf-8")
    assert old in text, old  # an edit that changes nothing would test nothing
    edited = folder / "catalogue.toml"
    edited.write_text(text.replace(old, new, 1), "utf-8")
    return edited


def cell_text(cell, medium: str = "screen") -> str:
    """A comparison table cell's (``html.Td``) text as read on ``medium``, "screen" or
    "paper" (assets/app.css shows an interval's ci-screen or ci-paper form), without the
    column name each cell carries for the phone's stacked layout."""
    hidden = {"cell-label", "ci-paper" if medium == "screen" else "ci-screen"}

    def text(node) -> str:
        if isinstance(node, str):
            return node
        if getattr(node, "className", None) in hidden:
            return ""
        children = node.children if isinstance(node.children, list) else [node.children]
        return "".join(text(child) for child in children)

    return text(cell)
