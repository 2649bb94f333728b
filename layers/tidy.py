"""Long ("tidy") tables: one row per area (or origin→destination pair) × year × migration
type × direction with the persons who moved, names beside the codes and the origin country,
as R, pandas or a spreadsheet expect them. The summed layers (one row per area or pair over
the chosen years) are these rows added up; tests/layers/test_tidy.py checks it.

Shapes (``KEYS``; filters: years, migration types, origin country):

* ``municipalities``: ags × country × year × migration_type × direction, every combination,
  zeros included (country: that of the origin regions the persons came from or went to);
* ``origin_regions``: nuts3 × year × migration_type × direction, every combination, for the
  regions in the country filter;
* ``flows``: origin_nuts3 × destination_ags × year × migration_type × direction, only the
  rows with persons (a missing row is 0: of the 70 × 53 pairs most never see a move).

Rows are sorted by the key columns (text order). ``direction`` is seen from the Ruhr, as in
the flow data: an arrival comes from the origin region, a departure goes to it."""

from __future__ import annotations

import numpy as np
import pandas as pd

from layers import l10n, provenance, queries, regions, vocab
from layers.dataset import Dataset
from layers.queries import FlowFilter

SHAPES = ("summed", "long")
KEYS = {
    "municipalities": ("ags", "country", "year", "migration_type", "direction"),
    "origin_regions": ("nuts3", "year", "migration_type", "direction"),
    "flows": ("origin_nuts3", "destination_ags", "year", "migration_type", "direction"),
}
PROVENANCE = ("synthetic", "synthetic_parts", "data_note")
COLUMNS = {
    "municipalities": ("ags", "name", "kreis", "country", "year", "migration_type",
                       "direction", "persons", *PROVENANCE),
    "origin_regions": ("nuts3", "name", "country", "year", "migration_type", "direction",
                       "persons", *PROVENANCE),
    "flows": ("origin_nuts3", "origin_name", "country", "destination_ags", "destination_name",
              "year", "migration_type", "direction", "persons", *PROVENANCE),
}  # fmt: skip
# The summed layer each long table adds up to: the fields that join them.
SUMMED_KEY = {
    "municipalities": ("ags",),
    "origin_regions": ("nuts3",),
    "flows": ("origin_nuts3", "destination_ags"),
}
PARTS = ("flows",)  # what the persons rest on (names and codes are official, not a part)


def _cube(ds: Dataset, f: FlowFilter) -> tuple[np.ndarray, list[str]]:
    """Persons [year, origin, municipality, type, direction] inside the filter, and the
    codes of the origin regions kept (those of the filter's countries)."""
    years = slice(vocab.YEARS.index(f.year_from), vocab.YEARS.index(f.year_to) + 1)
    types = [vocab.MIGRATION_TYPES.index(t) for t in f.types]
    kept = [i for i, r in enumerate(regions.ORIGIN_REGIONS) if r.country in f.countries]
    cube = ds.flows[years][:, kept][:, :, :, types, :]
    return cube, [queries.ORIGIN_CODES[i] for i in kept]


def _dense(values: np.ndarray, labels: dict[str, list]) -> pd.DataFrame:
    """Every combination of the labels (one list per axis of ``values``) with its persons."""
    index = pd.MultiIndex.from_product(list(labels.values()), names=list(labels))
    return index.to_frame(index=False).assign(persons=values.ravel())


def _counts(ds: Dataset, f: FlowFilter, layer: str) -> pd.DataFrame:
    cube, origins = _cube(ds, f)
    axes = {"year": list(f.years), "migration_type": list(f.types),
            "direction": list(vocab.DIRECTIONS)}  # fmt: skip
    if layer == "origin_regions":  # [origin, year, type, direction]
        return _dense(cube.sum(axis=2).transpose(1, 0, 2, 3), {"nuts3": origins, **axes})
    if layer == "municipalities":  # [municipality, country, year, type, direction]
        country = np.array([code[:2] for code in origins])
        by_country = np.stack([cube[:, country == c].sum(axis=1) for c in f.countries])
        labels = {"ags": list(queries.MUNICIPALITY_CODES), "country": list(f.countries), **axes}
        return _dense(by_country.transpose(2, 0, 1, 3, 4), labels)
    year, origin, municipality, mtype, direction = np.nonzero(cube)
    return pd.DataFrame({
        "origin_nuts3": np.array(origins, dtype=object)[origin],
        "destination_ags": np.array(queries.MUNICIPALITY_CODES, dtype=object)[municipality],
        "year": np.array(f.years)[year],
        "migration_type": np.array(f.types, dtype=object)[mtype],
        "direction": np.array(vocab.DIRECTIONS, dtype=object)[direction],
        "persons": cube[year, origin, municipality, mtype, direction],
    })  # fmt: skip


def _names(ds: Dataset, frame: pd.DataFrame, layer: str) -> pd.DataFrame:
    municipalities, origins = ds.municipalities, ds.origin_regions
    if layer == "municipalities":
        frame["name"] = frame["ags"].map(municipalities["name"])
        frame["kreis"] = frame["ags"].map(municipalities["kreis"])
    elif layer == "origin_regions":
        frame["name"] = frame["nuts3"].map(origins["name"])
        frame["country"] = frame["nuts3"].map(origins["country"])
    else:
        frame["origin_name"] = frame["origin_nuts3"].map(origins["name"])
        frame["country"] = frame["origin_nuts3"].map(origins["country"])
        frame["destination_name"] = frame["destination_ags"].map(municipalities["name"])
    return frame


def long_table(ds: Dataset, f: FlowFilter, layer: str) -> pd.DataFrame:
    """The long table of one layer for the filter (see the module's docstring)."""
    if layer not in KEYS:
        raise queries.InvalidParameter("layer", layer, ", ".join(KEYS))
    frame = _names(ds, _counts(ds, f, layer), layer)
    frame["persons"] = frame["persons"].astype("int64")
    frame["year"] = frame["year"].astype("int64")
    modelled = provenance.synthetic_parts(ds.manifest, PARTS)
    frame["synthetic"] = bool(modelled)
    frame["synthetic_parts"] = ",".join(modelled)
    frame["data_note"] = provenance.note(ds.manifest, PARTS)
    frame = frame.sort_values(list(KEYS[layer]), ignore_index=True)
    return frame[list(COLUMNS[layer])]


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """UTF-8, comma-separated, one header line, newline line ends, booleans True/False."""
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


CODE_PATTERNS = {"ags": r"^05\d{6}$", "nuts3": r"^(RO|BG)\d{3}$"}
FIELD_TEXT = l10n.texts("tidy.field", {  # each column's description, in every language
    "ags": {"de": "Ruhr-Kommune, Amtlicher Gemeindeschlüssel (8 Ziffern)",
            "en": "Ruhr municipality, Amtlicher Gemeindeschlüssel (8 digits)"},
    "nuts3": {"de": "Herkunftsregion, NUTS-2021-Code der Ebene 3",
              "en": "Origin region, NUTS 2021 level 3 code"},
    "destination_ags": {"de": "Ruhr-Kommune, AGS (8 Ziffern)",
                        "en": "Ruhr municipality, AGS (8 digits)"},
    "name": {"de": "Amtlicher Name des Gebiets", "en": "Official name of the area"},
    "origin_name": {"de": "Name der Herkunftsregion", "en": "Origin region name"},
    "destination_name": {"de": "Name der Ruhr-Kommune", "en": "Ruhr municipality name"},
    "kreis": {"de": "Kreis oder kreisfreie Stadt der Kommune",
              "en": "Kreis or kreisfreie Stadt of the municipality"},
    "country": {"de": "Land der Herkunftsregion (RO Rumänien, BG Bulgarien): woher die "
                      "Personen kamen (Zuzug) oder wohin sie gingen (Fortzug)",
                "en": "Country of the origin region (RO Romania, BG Bulgaria): where the "
                      "persons came from (arrival) or went to (departure)"},
    "year": {"de": "Kalenderjahr der Wanderungen", "en": "Calendar year of the moves"},
    "migration_type": {"de": "Migrationstyp der Personen (die vier Typen der Studie)",
                       "en": "Migration type of the persons (the study's four types)"},
    "direction": {"de": "Aus Sicht des Ruhrgebiets: arrival (Zuzug aus der Herkunftsregion) "
                        "oder departure (Fortzug dorthin)",
                  "en": "Seen from the Ruhr: arrival (from the origin region) or departure "
                        "(to it)"},
    "persons": {"de": "Personen, die umgezogen sind (Zählung wie im Melderegister; exakt, "
                      "nicht unterdrückt)",
                "en": "Persons who moved (registry-style count; exact, not suppressed)"},
    "synthetic": {"de": "Wahr, wo die Personen auf synthetischen Demonstrationsdaten beruhen",
                  "en": "True where the persons rest on synthetic demonstration data"},
    "synthetic_parts": {"de": "Die Teile (flows), die noch modelliert sind; leer, wenn "
                              "importiert",
                        "en": "The parts (flows) that are still modelled; empty when "
                              "imported"},
    "data_note": {"de": "Die Herkunft des Teils, auf dem die Personen beruhen",
                  "en": "The origin of the part the persons rest on"},
})  # fmt: skip
PATTERNS = {"ags": "ags", "nuts3": "nuts3", "origin_nuts3": "nuts3", "destination_ags": "ags"}
TYPES = {"year": "integer", "persons": "integer", "synthetic": "boolean"}
FIELDS = {  # name: Table Schema type, description, pattern of the codes
    name: (TYPES.get(name, "string"), FIELD_TEXT["nuts3" if name == "origin_nuts3" else name],
           PATTERNS.get(name))
    for name in (*FIELD_TEXT, "origin_nuts3")
}  # fmt: skip


def _constraints(name: str, f: FlowFilter) -> dict:
    pattern = FIELDS[name][2]
    found: dict = {"required": True} if name not in PROVENANCE[1:] else {}
    if pattern:
        found["pattern"] = CODE_PATTERNS[pattern]
    enums = {"country": list(f.countries), "migration_type": list(f.types),
             "direction": list(vocab.DIRECTIONS)}  # fmt: skip
    if name in enums:
        found["enum"] = enums[name]
    if name == "year":
        found |= {"minimum": f.year_from, "maximum": f.year_to}
    if name == "persons":
        found["minimum"] = 0
    return found


def schema(layer: str, f: FlowFilter, summed_resource: str | None, lang: str = "en") -> dict:
    """Table Schema of a long table: types, constraints, the primary key and (when the
    package holds the summed layer as ``summed_resource``) the foreign key into it."""
    fields = []
    for name in COLUMNS[layer]:
        kind, description, _ = FIELDS[name]
        field = {"name": name, "type": kind, "description": description[lang]}
        if kind == "boolean":
            field |= {"trueValues": ["True"], "falseValues": ["False"]}
        constraints = _constraints(name, f)
        if constraints:
            field["constraints"] = constraints
        fields.append(field)
    found = {"fields": fields, "primaryKey": list(KEYS[layer]), "missingValues": [""]}
    if summed_resource:
        key = list(SUMMED_KEY[layer])
        found["foreignKeys"] = [
            {"fields": key, "reference": {"resource": summed_resource, "fields": key}}
        ]
    return found


DESCRIPTION = l10n.texts("tidy.description", {
    "municipalities": {
        "de": "Personen nach Ruhr-Kommune × Herkunftsland × Jahr × Migrationstyp × Richtung, "
              "jede Kombination (Nullen eingeschlossen). Summiert über Land, Jahr, Typ und je "
              "Richtung ergibt sie die Zu- und Fortzüge der summierten Tabelle daneben.",
        "en": "Persons by Ruhr municipality × origin country × year × migration type × "
              "direction, every combination (zeros included). Summed over country, year, type "
              "and each direction it gives arrivals and departures of the summed table beside "
              "it."},
    "origin_regions": {
        "de": "Personen nach Herkunftsregion × Jahr × Migrationstyp × Richtung, jede "
              "Kombination (Nullen eingeschlossen). Summiert über Jahr, Typ und je Richtung "
              "ergibt sie die Zu- und Fortzüge der summierten Tabelle daneben.",
        "en": "Persons by origin region × year × migration type × direction, every "
              "combination (zeros included). Summed over year, type and each direction it "
              "gives arrivals and departures of the summed table beside it."},
    "flows": {
        "de": "Personen nach Herkunftsregion × Ruhr-Kommune × Jahr × Migrationstyp × "
              "Richtung; nur Zeilen mit Personen (eine fehlende Zeile ist 0). Je Paar summiert "
              "über Jahr, Typ und je Richtung ergibt sie die Zu- und Fortzüge der summierten "
              "Tabelle daneben.",
        "en": "Persons by origin region × Ruhr municipality × year × migration type × "
              "direction; only rows with persons (a missing row is 0). Summed per pair over "
              "year, type and each direction it gives arrivals and departures of the summed "
              "table beside it."},
})  # fmt: skip
