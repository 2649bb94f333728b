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

from layers import atomic, export, intervals, l10n, licences, provenance, small_bases, tidy
from layers.catalogue import CATALOGUE
from layers.dataset import Dataset, data_status
from layers.disclosure import Policy
from layers.package_text import BASES, FIELDS, LANG_ALLOWED, PERSONS, TITLES, say
from layers.queries import FlowFilter, InvalidParameter

FORMATS = {  # format: (file extension, media type)
    "geojson": ("geojson", "application/geo+json"),
    "gpkg": ("gpkg", "application/geopackage+sqlite3"),
    "csv": ("csv", "text/csv"),
    "parquet": ("parquet", "application/vnd.apache.parquet"),
}
ZIP_MEDIA_TYPE = "application/zip"
LAYER_TITLES = {layer: title["en"] for layer, title in TITLES.items()}  # the API's catalogue
FIELD_TYPES = {  # the Table Schema types of the non-indicator columns (their text: FIELDS)
    "ags": "string", "name": "string", "kreis": "string", "kind": "string",
    "population": "integer", "nuts3": "string", "hasc": "string", "name_latin": "string",
    "country": "string", "origin_nuts3": "string", "origin_name": "string",
    "destination_ags": "string", "destination_name": "string", "years": "string",
    "migration_types": "string", "synthetic": "boolean", "synthetic_parts": "string",
    "data_note": "string", "survey_suppressed": "boolean",
    "remittance_use_suppressed": "boolean", "typology_name": "string", "geometry": "geojson",
}  # fmt: skip
TABLE_SCHEMA_TYPES = {"i": "integer", "u": "integer", "f": "number", "b": "boolean"}


def parse_format(value) -> str:
    if value not in FORMATS:
        raise InvalidParameter("format", value, ", ".join(FORMATS))
    return value


def parse_lang(value) -> str:
    """``lang``: the language of the metadata's text (default English, as before)."""
    if value is None:
        return "en"
    if value not in l10n.LANGUAGES:
        raise InvalidParameter("lang", value, LANG_ALLOWED)
    return value


def layer_frame(
    ds: Dataset, f: FlowFilter, layer: str, indicators=None, policy: Policy | None = None
) -> gpd.GeoDataFrame:
    return export.build_layer(ds, f, layer, indicators, policy)


def layer_bytes(frame: gpd.GeoDataFrame, fmt: str, layer: str, lang: str = "en",
                manifest: dict | None = None) -> bytes:  # fmt: skip
    """The layer file in one format, written by GDAL (GeoJSON, GeoPackage) or Arrow; a
    GeoPackage describes itself in ``lang`` (the sources from ``manifest`` when given)."""
    parse_format(fmt)
    with tempfile.TemporaryDirectory(prefix="layer-") as tmp:
        path = Path(tmp) / f"{layer}.{FORMATS[fmt][0]}"
        if fmt == "parquet":
            frame.to_parquet(path, index=False, schema_version="1.1.0")
        elif fmt == "gpkg":  # gpkg_contents: identifier and description (QGIS shows them)
            options = {
                "IDENTIFIER": TITLES[layer][lang],
                "DESCRIPTION": gpkg_description(frame, layer, lang, manifest),
            }
            pyogrio.write_dataframe(frame, path, driver="GPKG", layer=layer, layer_options=options)
        else:
            export.write_layer(frame, path, fmt, layer)
        return path.read_bytes()


def _used(frame: gpd.GeoDataFrame, layer: str) -> tuple[str, ...]:
    """The parts a layer's values rest on, as layers/export.py names them in data_note."""
    if layer == "flows":
        return provenance.parts_of(layer="flows")
    return provenance.parts_of([c for c in frame.columns if c in CATALOGUE], layer)


def gpkg_description(frame: gpd.GeoDataFrame, layer: str, lang: str = "en",
                     manifest: dict | None = None) -> str:  # fmt: skip
    """What a GeoPackage layer holds, in one paragraph: title, filters, which parts are
    synthetic, the origin of each part and the boundaries' attribution."""
    first = frame.iloc[0] if len(frame) else None
    modelled = first["synthetic_parts"].replace(",", ", ") if first is not None else ""
    used = first["data_note"] if first is not None else ""  # the column keeps the English
    if manifest is not None:
        used = provenance.note(manifest, _used(frame, layer), lang)
    lines = [
        say("gpkg_head", lang, title=TITLES[layer][lang]),
        say("gpkg_filter", lang, years=first["years"],
            types=first["migration_types"].replace(",", ", "))
        if first is not None else say("gpkg_empty", lang),
        say("synthetic", lang, parts=modelled) if modelled else "",
        say("sources", lang, note=used) if first is not None else "",
        say("boundaries", lang, attribution=export.BOUNDARY_ATTRIBUTION[layer]),
    ]  # fmt: skip
    return " ".join(line for line in lines if line)


SHARES = tuple(key for key, indicator in CATALOGUE.items() if indicator.has_interval)


def interval_note(lang: str) -> str:
    return say("interval_note", lang, method=intervals.METHOD[lang])


def _indicator_field(name: str, share: str, suffix: str, manifest: dict, lang: str) -> dict:
    """An indicator's column, or (``suffix``) a column of a share's interval: its bounds in
    the share's unit, its base n in persons."""
    indicator = CATALOGUE[share]
    used = provenance.parts_of([share])
    title, unit, text = indicator.label[lang], indicator.unit[lang], indicator.definition(lang)
    if suffix == intervals.BASE:
        title, unit = say("base_title", lang, title=title), PERSONS[lang]
        text = say("base_text", lang, share=share, base=BASES[indicator.base][lang])
    elif suffix:
        bound = "lower" if suffix == intervals.LOW else "upper"
        title = say(f"{bound}_title", lang, title=title)
        text = say(f"{bound}_text", lang, share=share, note=interval_note(lang))
    note = provenance.note(manifest, used, lang)
    return {
        "name": name,
        "type": "integer" if indicator.categorical else "number",
        "title": title,
        "description": say("with_source", lang, text=text.rstrip("."), note=note),
        "unit": unit,
        "parts": list(used),
        "synthetic": bool(provenance.synthetic_parts(manifest, used)),
    }


def _flag_field(name: str, indicator: str, lang: str) -> dict:
    """``<id>_low_base``: whether the indicator's value is below its minimum base."""
    entry = CATALOGUE[indicator]
    rule = entry.min_base.text(lang).split(";")[0]
    return {
        "name": name,
        "type": "boolean",
        "title": say("flag_title", lang, label=entry.label[lang]),
        "description": say("flag_text", lang, indicator=indicator, rule=rule,
                           note=say("low_base_note", lang)),
    }  # fmt: skip


def _field(name: str, dtype, manifest: dict, lang: str) -> dict:
    if name in CATALOGUE:
        return _indicator_field(name, name, "", manifest, lang)
    interval = intervals.interval_part(name, SHARES)
    if interval is not None:
        return _indicator_field(name, *interval, manifest, lang)
    flagged = small_bases.flag_part(name)
    if flagged is not None:
        return _flag_field(name, flagged, lang)
    kind = FIELD_TYPES.get(name) or TABLE_SCHEMA_TYPES.get(dtype.kind, "string")
    description = FIELDS[name][lang] if name in FIELDS else ""
    return {"name": name, "type": kind, "description": description}


def _disclosure(policy: Policy, lang: str) -> dict:
    return {
        "method": say("disclosure_method", lang),
        "threshold_respondents": policy.threshold,
        "applies_to": say("disclosure_applies", lang),
        "suppressed_cells": say("disclosure_cells", lang),
        "intervals": say("disclosure_intervals", lang, note=interval_note(lang)),
    }


SIDES = {"municipalities": ("municipality",), "origin_regions": ("origin",),
         "flows": ("municipality", "origin")}  # fmt: skip


def _head(name: str, title: str, modelled: list[str], f: FlowFilter, country: str,
          ds: Dataset, policy: Policy, created: dt.datetime | None, lang: str) -> dict:  # fmt: skip
    """Everything of a descriptor but its resources."""
    created = created or dt.datetime.now(dt.UTC).replace(microsecond=0)
    synthetic = say("synthetic", lang, parts=", ".join(modelled))
    return {
        "profile": "data-package",
        "name": name,
        "title": title,
        "description": " ".join(
            [say("description", lang), *([synthetic] if modelled else []), say("real", lang)]
        ),
        "language": lang,
        "created": created.isoformat().replace("+00:00", "Z"),
        "synthetic": bool(modelled),
        "synthetic_parts": modelled,
        "filters": {**f.describe(), "country": country},
        "disclosure": _disclosure(policy, lang),
        "small_bases": say("small_bases", lang),
        **licences.package_meta(data_status(ds).sources),
        "data_status": {
            n: {"status": p.status, "source": p.source}
            for n, p in provenance.parts(ds.manifest).items()
        },
    }


def _modelled(frame) -> list[str]:
    parts = frame["synthetic_parts"].iloc[0].split(",") if len(frame) else []
    return [p for p in parts if p]


def summed_resource(frame: gpd.GeoDataFrame, layer: str, fmt: str, ds: Dataset,
                    lang: str = "en") -> dict:  # fmt: skip
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
            "fields": [
                _geometry(_field(c, frame[c].dtype, ds.manifest, lang), fmt, lang) for c in columns
            ]
        },
    }


def _geometry(field: dict, fmt: str, lang: str) -> dict:
    """GeoParquet stores the geometry as WKB, which no Table Schema type describes."""
    if field["name"] != "geometry" or fmt != "parquet":
        return field
    return {**field, "type": "any", "description": FIELDS["geometry_wkb"][lang]}


def descriptor(
    frame: gpd.GeoDataFrame, layer: str, fmt: str, f: FlowFilter, country: str,
    ds: Dataset, policy: Policy, created: dt.datetime | None = None, lang: str = "en",
) -> dict:  # fmt: skip
    """Frictionless Data Package descriptor for one downloaded layer, its text in ``lang``."""
    name = f"ruhr-eu2-{layer.replace('_', '-')}"
    head = _head(name, TITLES[layer][lang], _modelled(frame), f, country, ds, policy, created,
                 lang)  # fmt: skip
    return {**head, "resources": [summed_resource(frame, layer, fmt, ds, lang)]}


def long_resource(layer: str, f: FlowFilter, lang: str = "en") -> dict:
    """The long table's resource, with a foreign key into the summed layer beside it."""
    return {
        "profile": "tabular-data-resource",
        "name": f"{layer.replace('_', '-')}-long",
        "title": say(
            "long_title",
            lang,
            title=TITLES[layer][lang],
            keys=" × ".join(tidy.KEYS[layer]).replace("_", " "),
        ),
        "description": tidy.DESCRIPTION[layer][lang],
        "path": f"{layer}_long.csv",
        "format": "csv",
        "mediatype": "text/csv",
        "encoding": "utf-8",
        **licences.resource_meta((*tidy.PARTS, "codes"), SIDES[layer]),
        "schema": tidy.schema(layer, f, layer.replace("_", "-"), lang),
    }


def long_parts(ds: Dataset, long: pd.DataFrame, frame: gpd.GeoDataFrame) -> list[str]:
    """The modelled parts of a long package: the long table's (also when no row is left)
    and the summed layer's."""
    own = provenance.synthetic_parts(ds.manifest, tidy.PARTS)
    return [p for p in provenance.PARTS if p in {*own, *_modelled(long), *_modelled(frame)}]


def long_descriptor(long: pd.DataFrame, frame: gpd.GeoDataFrame, layer: str, f: FlowFilter,
                    country: str, ds: Dataset, policy: Policy,
                    created: dt.datetime | None = None, lang: str = "en") -> dict:  # fmt: skip
    """The long table and the summed layer (CSV) it adds up to, in one tabular package."""
    modelled = long_parts(ds, long, frame)
    name = f"ruhr-eu2-{layer.replace('_', '-')}-long"
    title = say("long_form", lang, title=TITLES[layer][lang])
    head = _head(name, title, modelled, f, country, ds, policy, created, lang)
    resources = [long_resource(layer, f, lang), summed_resource(frame, layer, "csv", ds, lang)]
    return {**head, "profile": "tabular-data-package", "resources": resources}


def zip_bytes(
    frame: gpd.GeoDataFrame, layer: str, fmt: str, f: FlowFilter, country: str,
    ds: Dataset, policy: Policy, lang: str = "en",
) -> bytes:  # fmt: skip
    """The layer file and its ``datapackage.json`` in one zip, their text in ``lang``."""
    meta = descriptor(frame, layer, fmt, f, country, ds, policy, lang=lang)
    data = layer_bytes(frame, fmt, layer, lang, ds.manifest)
    return _zip({f"{layer}.{FORMATS[fmt][0]}": data}, meta)


def long_zip_bytes(
    long: pd.DataFrame, frame: gpd.GeoDataFrame, layer: str, f: FlowFilter, country: str,
    ds: Dataset, policy: Policy, lang: str = "en",
) -> bytes:  # fmt: skip
    """``<layer>_long.csv``, the summed ``<layer>.csv`` and ``datapackage.json``."""
    files = {f"{layer}_long.csv": tidy.csv_bytes(long),
             f"{layer}.csv": layer_bytes(frame, "csv", layer)}  # fmt: skip
    meta = long_descriptor(long, frame, layer, f, country, ds, policy, lang=lang)
    return _zip(files, meta)


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
