"""Downloads: a filtered layer in GeoJSON, GeoPackage, CSV or GeoParquet, alone or zipped
with a Frictionless Data Package descriptor (``datapackage.json``).

Why Frictionless and not DCAT-AP: a download is one table, and researchers need what each
column means (type, unit, definition) in a form R (``frictionless``), Python and QGIS users
can read; Table Schema gives exactly that per field. DCAT-AP describes datasets in a
catalogue (publisher, distributions) but has no field-level schema; it fits a data portal
listing, which this is not (yet)."""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from layers import atomic, export, intervals, licences, provenance, small_bases, tidy
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset, data_status
from layers.disclosure import Policy
from layers.queries import FlowFilter, InvalidParameter

FORMATS = {  # format: (file extension, media type)
    "geojson": ("geojson", "application/geo+json"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
    "csv": ("csv", "text/csv"),
    "parquet": ("parquet", "application/vnd.apache.parquet"),
}
ZIP_MEDIA_TYPE = "application/zip"
LAYER_TITLES = {
    "municipalities": "Ruhr municipalities (53, RVR area)",
    "origin_regions": "Origin regions in Romania and Bulgaria (70, NUTS 3)",
    "flows": "Origin–destination flows between origin regions and Ruhr municipalities",
}
BASE_FIELDS = {  # descriptions of the non-indicator columns
    "ags": ("string", "Amtlicher Gemeindeschlüssel (8 digits)"),
    "name": ("string", "Official name"),
    "kreis": ("string", "Kreis or kreisfreie Stadt"),
    "kind": ("string", "kreisfreie Stadt or kreisangehörige Gemeinde"),
    "population": ("integer", "Population (municipalities 31 Dec 2022; regions 1 Jan 2023)"),
    "nuts3": ("string", "NUTS 2021 level 3 code"),
    "hasc": ("string", "HASC code (Natural Earth)"),
    "name_latin": ("string", "Name without diacritics"),
    "country": ("string", "RO or BG"),
    "origin_nuts3": ("string", "Origin region, NUTS 3 code"),
    "origin_name": ("string", "Origin region name"),
    "destination_ags": ("string", "Ruhr municipality, AGS"),
    "destination_name": ("string", "Ruhr municipality name"),
    "years": ("string", "Years the values cover"),
    "migration_types": ("string", "Migration types included"),
    "synthetic": ("boolean", "True where any value rests on synthetic demonstration data"),
    "synthetic_parts": ("string", "The parts (flows, survey) that are still modelled"),
    "data_note": ("string", "The origin of each part the values rest on"),
    "survey_suppressed": ("boolean", "Survey values of this area suppressed (< threshold)"),
    "remittance_use_suppressed": ("boolean", "Remittance-use values suppressed (< threshold "
                                             "remitters)"),
    "typology_name": ("string", "Name of the municipality's type (see the field typology; "
                                "empty for origin regions, which are not typed)"),
    "geometry": ("geojson", "Boundary or flow line, WGS 84 (EPSG:4326)"),
}  # fmt: skip
TABLE_SCHEMA_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


def parse_format(value) -> str:
    if value not in FORMATS:
        raise InvalidParameter("format", value, ", ".join(FORMATS))
    return value


def layer_frame(
    ds: Dataset, f: FlowFilter, layer: str, indicators=None, policy: Policy | None = None
) -> gpd.GeoDataFrame:
    return export.build_layer(ds, f, layer, indicators, policy)


def layer_bytes(frame: gpd.GeoDataFrame, fmt: str, layer: str) -> bytes:
    """The layer file in one format, written by GDAL (GeoJSON, GeoPackage) or Arrow."""
    parse_format(fmt)
    with tempfile.TemporaryDirectory(prefix="layer-") as tmp:
        path = Path(tmp) / f"{layer}.{FORMATS[fmt][0]}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False, schema_version="1.1.0")
        elif fmt == "gpkg":  # gpkg_contents: identifier and description (QGIS shows them)
            options = {
                "IDENTIFIER": LAYER_TITLES[layer],
                "DESCRIPTION": gpkg_description(frame, layer),
            }
            pyogrio.write_dataframe(frame, path, driver="GPKG", layer=layer, layer_options=options)
        else:
            export.write_layer(frame, path, fmt, layer)
        return path.read_bytes()


def gpkg_description(frame: gpd.GeoDataFrame, layer: str) -> str:
    """What a GeoPackage layer holds, in one paragraph: title, filters, which parts are
    synthetic, the origin of each part and the boundaries' attribution."""
    first = frame.iloc[0] if len(frame) else None
    modelled = first["synthetic_parts"].replace(",", ", ") if first is not None else ""
    lines = [
        f"{LAYER_TITLES[layer]}: Ruhr ⇄ Romania/Bulgaria migration dashboard, filtered export.",
        f"Years {first['years']}; migration types {first['migration_types'].replace(',', ', ')}."
        if first is not None
        else "No features in the filter.",
        f"SYNTHETIC DEMONSTRATION DATA: {modelled} modelled, not measured." if modelled else "",
        f"Sources: {first['data_note']}." if first is not None else "",
        f"Boundaries: {export.BOUNDARY_ATTRIBUTION[layer]}.",
    ]
    return " ".join(line for line in lines if line)


SHARES = tuple(key for key, indicator in CATALOGUE.items() if indicator.has_interval)
INTERVAL_NOTE = (
    f"{intervals.METHOD['en']}, computed from the published counts (the share's numerator and "
    "base); assumes simple random sampling within the published cell, so it is indicative. "
    "Empty where either count is withheld."
)


def _indicator_field(name: str, share: str, suffix: str, manifest: dict) -> dict:
    """An indicator's column, or (``suffix``) a column of a share's interval: its bounds in
    the share's unit, its base n in persons."""
    indicator = CATALOGUE[share]
    used = provenance.parts_of([share])
    title, unit, text = indicator.label["en"], indicator.unit["en"], indicator.definition("en")
    if suffix == intervals.BASE:
        title, unit = f"{title}: base n", "persons"
        text = f"Base n of {share}: the {indicator.base} it is a share of (exact, as published)."
    elif suffix:
        bound = "lower" if suffix == intervals.LOW else "upper"
        title = f"{title}: 95 % interval, {bound} bound"
        text = f"{bound.capitalize()} bound of {share}'s {INTERVAL_NOTE}"
    return {
        "name": name,
        "type": "integer" if indicator.categorical else "number",
        "title": title,
        "description": f"{text.rstrip('.')}. Source: {provenance.note(manifest, used)}.",
        "unit": unit,
        "parts": list(used),
        "synthetic": bool(provenance.synthetic_parts(manifest, used)),
    }


LOW_BASE_NOTE = (
    "The value is published as it is but rests on few persons, so it is uncertain (flagged, "
    "not suppressed, as Eurostat's flag 'u' and Destatis' '( )'); false where the base is "
    "reached or the value is empty. See data/README.md, 'Minimum bases'."
)


def _flag_field(name: str, indicator: str) -> dict:
    """``<id>_low_base``: whether the indicator's value is below its minimum base."""
    entry = CATALOGUE[indicator]
    rule = entry.min_base.text("en").split(";")[0]
    return {
        "name": name,
        "type": "boolean",
        "title": f"{entry.label['en']}: small base",
        "description": f"True where {indicator} is below its {rule}. {LOW_BASE_NOTE}",
    }


def _field(name: str, dtype, manifest: dict) -> dict:
    if name in CATALOGUE:
        return _indicator_field(name, name, "", manifest)
    interval = intervals.interval_part(name, SHARES)
    if interval is not None:
        return _indicator_field(name, *interval, manifest)
    flagged = small_bases.flag_part(name)
    if flagged is not None:
        return _flag_field(name, flagged)
    kind, description = BASE_FIELDS.get(name, (None, ""))
    return {"name": name, "type": kind or TABLE_SCHEMA_TYPES.get(dtype.kind, "string"),
            "description": description}  # fmt: skip


def _disclosure(policy: Policy) -> dict:
    return {
        "method": "fixed publication tables (area × migration type × country), primary "
        "suppression below the threshold, secondary suppression with an LP interval "
        "audit (see data/README.md, 'Disclosure control')",
        "threshold_respondents": policy.threshold,
        "applies_to": "every value derived from survey microdata; flows and official "
        "statistics are not suppressed",
        "suppressed_cells": "empty; survey_suppressed / remittance_use_suppressed flag an "
        "area whose respondent / remitter count itself is not published",
        "intervals": "each survey share is followed by <share>_ci_low and <share>_ci_high "
        f"({INTERVAL_NOTE}) and <share>_n (its base in "
        "persons); they are computed from published counts only and reveal nothing new",
    }


SIDES = {"municipalities": ("municipality",), "origin_regions": ("origin",),
         "flows": ("municipality", "origin")}  # fmt: skip


def _head(name: str, title: str, modelled: list[str], f: FlowFilter, country: str,
          ds: Dataset, policy: Policy, created: dt.datetime | None) -> dict:  # fmt: skip
    """Everything of a descriptor but its resources."""
    created = created or dt.datetime.now(dt.UTC).replace(microsecond=0)
    synthetic = f"SYNTHETIC DEMONSTRATION DATA: {', '.join(modelled)} modelled, not measured. "
    return {
        "profile": "data-package",
        "name": name,
        "title": title,
        "description": "Filtered export of the Ruhr ⇄ Romania/Bulgaria migration dashboard. "
        + (synthetic if modelled else "")
        + "Boundaries and populations are real.",
        "created": created.isoformat().replace("+00:00", "Z"),
        "synthetic": bool(modelled),
        "synthetic_parts": modelled,
        "filters": {**f.describe(), "country": country},
        "disclosure": _disclosure(policy),
        "small_bases": "every rate, variance, index and share is followed by <id>_low_base, "
        "true where its value rests on fewer persons than its minimum base (in each field's "
        "description and in GET /api/v1/layers); such values are published but uncertain",
        **licences.package_meta(data_status(ds).sources),
        "data_status": {
            n: {"status": p.status, "source": p.source}
            for n, p in provenance.parts(ds.manifest).items()
        },
    }


def _modelled(frame) -> list[str]:
    parts = frame["synthetic_parts"].iloc[0].split(",") if len(frame) else []
    return [p for p in parts if p]


def summed_resource(frame: gpd.GeoDataFrame, layer: str, fmt: str, ds: Dataset) -> dict:
    """The resource of a (summed) layer: one row per area or pair over the chosen years."""
    columns = [c for c in frame.columns if not (fmt == "csv" and c == "geometry")]
    used = provenance.parts_of([c for c in frame.columns if c in CATALOGUE], layer)
    return {
        "profile": "tabular-data-resource" if fmt == "csv" else "data-resource",
        "name": layer.replace("_", "-"),
        "path": f"{layer}.{FORMATS[fmt][0]}",
        "format": FORMATS[fmt][0],
        "mediatype": FORMATS[fmt][1],
        "encoding": "utf-8",
        **licences.resource_meta(used, SIDES[layer]),
        "schema": {
            "fields": [_geometry(_field(c, frame[c].dtype, ds.manifest), fmt) for c in columns]
        },
    }


def _geometry(field: dict, fmt: str) -> dict:
    """GeoParquet stores the geometry as WKB, which no Table Schema type describes."""
    if field["name"] != "geometry" or fmt != "parquet":
        return field
    return {**field, "type": "any", "description": "Boundary or flow line, WGS 84 (EPSG:4326), "
            "as WKB (GeoParquet 1.1, see the file's 'geo' metadata)"}  # fmt: skip


def descriptor(
    frame: gpd.GeoDataFrame, layer: str, fmt: str, f: FlowFilter, country: str,
    ds: Dataset, policy: Policy, created: dt.datetime | None = None,
) -> dict:  # fmt: skip
    """Frictionless Data Package descriptor for one downloaded layer."""
    name = f"ruhr-eu2-{layer.replace('_', '-')}"
    head = _head(name, LAYER_TITLES[layer], _modelled(frame), f, country, ds, policy, created)
    return {**head, "resources": [summed_resource(frame, layer, fmt, ds)]}


def long_resource(layer: str, f: FlowFilter) -> dict:
    """The long table's resource, with a foreign key into the summed layer beside it."""
    return {
        "profile": "tabular-data-resource",
        "name": f"{layer.replace('_', '-')}-long",
        "title": f"{LAYER_TITLES[layer]}: one row per "
        + " × ".join(tidy.KEYS[layer]).replace("_", " "),
        "description": tidy.DESCRIPTION[layer],
        "path": f"{layer}_long.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **licences.resource_meta((*tidy.PARTS, "codes"), SIDES[layer]),
        "schema": tidy.schema(layer, f, layer.replace("_", "-")),
    }


def long_parts(ds: Dataset, long: pd.DataFrame, frame: gpd.GeoDataFrame) -> list[str]:
    """The modelled parts of a long package: the long table's (also when no row is left)
    and the summed layer's."""
    own = provenance.synthetic_parts(ds.manifest, tidy.PARTS)
    return [p for p in provenance.PARTS if p in {*own, *_modelled(long), *_modelled(frame)}]


def long_descriptor(long: pd.DataFrame, frame: gpd.GeoDataFrame, layer: str, f: FlowFilter,
                    country: str, ds: Dataset, policy: Policy,
                    created: dt.datetime | None = None) -> dict:  # fmt: skip
    """The long table and the summed layer (CSV) it adds up to, in one tabular package."""
    modelled = long_parts(ds, long, frame)
    name = f"ruhr-eu2-{layer.replace('_', '-')}-long"
    head = _head(name, f"{LAYER_TITLES[layer]} (long form)", modelled, f, country, ds, policy,
                 created)  # fmt: skip
    resources = [long_resource(layer, f), summed_resource(frame, layer, "csv", ds)]
    return {**head, "profile": "tabular-data-package", "resources": resources}


def zip_bytes(
    frame: gpd.GeoDataFrame, layer: str, fmt: str, f: FlowFilter, country: str,
    ds: Dataset, policy: Policy,
) -> bytes:  # fmt: skip
    """The layer file and its ``datapackage.json`` in one zip."""
    meta = descriptor(frame, layer, fmt, f, country, ds, policy)
    return _zip({f"{layer}.{FORMATS[fmt][0]}": layer_bytes(frame, fmt, layer)}, meta)


def long_zip_bytes(
    long: pd.DataFrame, frame: gpd.GeoDataFrame, layer: str, f: FlowFilter, country: str,
    ds: Dataset, policy: Policy,
) -> bytes:  # fmt: skip
    """``<layer>_long.csv``, the summed ``<layer>.csv`` and ``datapackage.json``."""
    files = {f"{layer}_long.csv": tidy.csv_bytes(long),
             f"{layer}.csv": layer_bytes(frame, "csv", layer)}  # fmt: skip
    return _zip(files, long_descriptor(long, frame, layer, f, country, ds, policy))


def _zip(files: dict[str, bytes], meta: dict) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("datapackage.json", json.dumps(meta, indent=2, ensure_ascii=False))
    return buffer.getvalue()


def write_file(data: bytes, path: Path) -> Path:
    atomic.write_bytes(Path(path), data)
    return Path(path)
