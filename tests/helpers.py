"""Tiny hand-made datasets whose expected numbers can be written out by hand."""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from layers import demo
from layers.dataset import Dataset, flows_to_array

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


def tiny_dataset(rows=TINY_FLOWS) -> Dataset:
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
        respondents=pd.DataFrame({"synthetic": [True]}),
        country_indicators=reference["country_indicators"],
        manifest={"dataset": "tiny"},
    )
