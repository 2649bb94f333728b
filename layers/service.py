"""The HTTP API's core, free of any web framework (the Flask adapter is dashboard/api.py):
parse query parameters, build the layer, return bytes with a media type. The same code
serves the dashboard's download links and ``python -m layers export``."""

from __future__ import annotations

from dataclasses import dataclass

from layers import (
    intervals,
    l10n,
    package,
    provenance,
    queries,
    services_layer,
    small_bases,
    tidy,
)
from layers.catalogue import CATALOGUE, GROUPS, survey_source
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.export import LAYERS
from layers.queries import InvalidParameter

API_FORMATS = (*package.FORMATS, "zip")
PARAMETERS = ("year", "years", "type", "country", "indicators", "file", "shape", "lang")
LONG_FORMATS = ("csv", "zip")
SHAPE_ALLOWED = (
    "summed (one row per area or pair over the chosen years; the default) or long (one row "
    "per area or pair × year × migration type × direction)"
)
TYPES_ALLOWED = "one or more of immigrant, return, circular, transnational"


class NotFound(LookupError):
    def __init__(self, what: str, allowed: list[str]):
        self.what, self.allowed = what, allowed
        super().__init__(f"Unknown {what}. Known: {', '.join(allowed)}.")


@dataclass(frozen=True)
class Download:
    content: bytes
    media_type: str
    filename: str
    synthetic_parts: str  # for X-Synthetic-Data: "flows, survey", "survey" or "none"


def _one(args: dict[str, list[str]], name: str) -> str | None:
    values = args.get(name)
    if not values:
        return None
    if len(values) > 1:
        raise InvalidParameter(name, values, "a single value")
    return values[0]


def parse_request(args: dict[str, list[str]]):
    """Query parameters (each a list, as in a parsed query string) → filter, country,
    indicators, inner file format. Unknown parameters are refused, not ignored."""
    unknown = sorted(set(args) - set(PARAMETERS))
    if unknown:
        raise InvalidParameter(unknown[0], args[unknown[0]], ", ".join(PARAMETERS))
    year, years = _one(args, "year"), _one(args, "years")
    if year is not None and years is not None:
        raise InvalidParameter("year", year, "either year or years, not both")
    types = [t for value in args.get("type", []) for t in value.split(",") if t] or None
    if "type" in args and not types:
        raise InvalidParameter("type", "", TYPES_ALLOWED)
    country = _one(args, "country") or "both"
    f = queries.parse_filter(
        years=year if year is not None else years, types=types, countries=country
    )
    raw_indicators = _one(args, "indicators")
    if raw_indicators == "all":
        indicators = tuple(CATALOGUE)
    elif raw_indicators:
        indicators = queries.parse_indicators(raw_indicators)
    else:
        indicators = None
    inner = _one(args, "file") or "gpkg"
    package.parse_format(inner)
    return f, country, indicators, inner


def layer_download(
    ds: Dataset, policy: Policy, layer: str, fmt: str, args: dict[str, list[str]]
) -> Download:
    if layer == services_layer.LAYER:  # not a filtered layer: its own formats and metadata
        return _services_download(ds, fmt, args)
    if layer not in LAYERS:
        raise NotFound("layer", [*LAYERS, services_layer.LAYER])
    if fmt not in API_FORMATS:
        raise NotFound("format", list(API_FORMATS))
    f, country, indicators, inner = parse_request(args)
    lang = package.parse_lang(_one(args, "lang"))  # the metadata's language
    if parse_shape(args, fmt) == "long":
        return _long_download(ds, policy, layer, fmt, (f, country, indicators), lang)
    frame = package.layer_frame(ds, f, layer, indicators, policy)
    modelled = frame["synthetic_parts"].iloc[0] if len(frame) else ""
    parts = modelled.replace(",", ", ") or "none"  # the file's own label, for the header
    if fmt == "zip":
        content = package.zip_bytes(frame, layer, inner, f, country, ds, policy, lang)
        return Download(content, package.ZIP_MEDIA_TYPE, f"{layer}.zip", parts)
    extension, media_type = package.FORMATS[fmt]
    content = package.layer_bytes(frame, fmt, layer, lang, ds.manifest)
    return Download(content, media_type, f"{layer}.{extension}", parts)


def _services_download(ds: Dataset, fmt: str, args: dict[str, list[str]]) -> Download:
    if fmt not in services_layer.FORMATS:
        raise NotFound("format", list(services_layer.FORMATS))
    content, media_type, filename = services_layer.layer_bytes(ds, fmt, args)
    illustrative = services_layer.inventory(ds).illustrative
    return Download(content, media_type, filename, "services" if illustrative else "none")


def parse_shape(args: dict[str, list[str]], fmt: str) -> str:
    """``shape``: summed (default) or long; the long table is a CSV without geometry, alone or
    zipped with the summed layer (which takes the indicators) and datapackage.json."""
    shape = _one(args, "shape") or "summed"
    if shape not in tidy.SHAPES:
        raise InvalidParameter("shape", shape, SHAPE_ALLOWED)
    if shape == "summed":
        return shape
    if fmt not in LONG_FORMATS:
        allowed = "csv or zip with shape=long (a table without geometry: join it by its codes)"
        raise InvalidParameter("format", fmt, allowed)
    inner = _one(args, "file")
    if inner not in (None, "csv"):
        raise InvalidParameter("file", inner, "csv with shape=long (or leave file out)")
    if fmt == "csv" and "indicators" in args:
        raise InvalidParameter("indicators", _one(args, "indicators"),
                               "none with shape=long and .csv (the long table holds persons); "
                               ".zip adds the summed layer with the indicators")  # fmt: skip
    return shape


def _long_download(ds: Dataset, policy: Policy, layer: str, fmt: str, request,
                   lang: str = "en") -> Download:  # fmt: skip
    f, country, indicators = request
    long = tidy.long_table(ds, f, layer)
    if fmt == "csv":
        parts = ", ".join(provenance.synthetic_parts(ds.manifest, tidy.PARTS)) or "none"
        return Download(tidy.csv_bytes(long), "text/csv", f"{layer}_long.csv", parts)
    frame = package.layer_frame(ds, f, layer, indicators, policy)
    content = package.long_zip_bytes(long, frame, layer, f, country, ds, policy, lang)
    parts = ", ".join(package.long_parts(ds, long, frame)) or "none"
    return Download(content, package.ZIP_MEDIA_TYPE, f"{layer}_long.zip", parts)


def catalogue_document(ds: Dataset, base_url: str = "") -> dict:
    """GET /api/v1/layers: layers, formats, parameters and every indicator."""
    survey = survey_source(ds.manifest)  # the imported survey's own count, not the demo's
    return {
        "synthetic": bool(provenance.synthetic_parts(ds.manifest)),
        "synthetic_parts": list(provenance.synthetic_parts(ds.manifest)),
        "notice": provenance.note(ds.manifest),
        "layers": [
            {
                "id": layer,
                "title": package.LAYER_TITLES[layer],
                "formats": list(API_FORMATS),
                "links": {fmt: f"{base_url}/api/v1/layers/{layer}.{fmt}" for fmt in API_FORMATS},
            }
            for layer in LAYERS
        ]
        + [services_layer.catalogue_entry(ds, base_url)],
        "parameters": {
            "year": "a single year 2014–2024",
            "years": "a range Y1-Y2 within 2014–2024",
            "type": "comma-separated: immigrant, return, circular, transnational",
            "country": "RO, BG or both",
            "indicators": "comma-separated catalogue ids, or all (area layers); each survey "
            "share comes with <id>_ci_low, <id>_ci_high (95 % interval) and <id>_n (base), "
            "each indicator with a minimum base with <id>_low_base (true: below it)",
            "file": "for .zip: the format inside (geojson, gpkg, csv, parquet; default gpkg)",
            "shape": SHAPE_ALLOWED + "; long comes as .csv, or as .zip with the summed layer "
            "(CSV) and a datapackage.json whose foreign key joins the two",
            "lang": "de, en, ro or bg: the language of datapackage.json's and the "
            "GeoPackage's text (default en)",
        },
        "indicators": [
            {
                "id": i.id,
                "group": GROUPS[i.group]["en"],
                # in each interface language (l10n.Text is a Mapping, not a dict: JSON needs one)
                "label": dict(i.label),
                "unit": dict(i.unit),
                "definition": {lang: i.definition(lang) for lang in l10n.LANGUAGES},
                "source": survey if i.from_microdata else i.source,
                "parts": list(provenance.parts_of([i.id])),
                "synthetic": bool(
                    provenance.synthetic_parts(ds.manifest, provenance.parts_of([i.id]))
                ),
                "disclosure_control": i.from_microdata,
                "interval": _interval(i),
                "min_base": _min_base(i),
            }
            for i in CATALOGUE.values()
        ],
    }


def _interval(indicator) -> dict | None:
    """Where a share's 95 % interval and base n are in a download, and how they are made."""
    if not indicator.has_interval:
        return None
    low, high, base = intervals.columns_of(indicator.id)
    return {
        "method": intervals.METHOD["en"] + " from the published counts; assumes simple random "
        "sampling within the published cell, so it is indicative",
        "confidence": intervals.CONFIDENCE,
        "columns": {"low": low, "high": high, "n": base},
        "unit": dict(indicator.unit),
        "base": indicator.base,
    }


def _min_base(indicator) -> dict | None:
    """An indicator's minimum base: what it counts, the minimum and the flag column in a
    download; None for a count (exact: its size is its base)."""
    rule = indicator.min_base
    if rule is None:
        return None
    if not rule.applies:  # the typology: none, and why
        return {"rule": rule.id, "minimum": None, "text": dict(rule.note)}
    return {
        "rule": rule.id,
        "counts": rule.of,  # arrivals | departures | moves | respondents | remitters
        "minimum": rule.minimum,
        "per_year": rule.per_year,  # a mean per selected year, else the sum (flows)
        "column": small_bases.flag_column(indicator.id),
        "base_column": small_bases.base_column(indicator.id),
        "text": {lang: rule.text(lang) for lang in l10n.LANGUAGES},
    }


def api_index(base_url: str = "") -> dict:
    """GET /api/v1: where the API's parts are, for a reader who starts at its root."""
    links = [
        ("self", "application/json", "/api/v1", "This index"),
        ("data", "application/json", "/api/v1/layers",
         "Catalogue of layers, formats, parameters and indicators"),
        ("service-desc", "application/vnd.oai.openapi+json;version=3.0", "/api/v1/openapi.json",
         "OpenAPI description of /api/v1"),
        ("alternate", "application/json", "/ogc",
         "OGC API – Features: the same layers as feature collections"),
    ]  # fmt: skip
    return {
        "title": "Ruhr ⇄ Romania/Bulgaria migration layers, API v1",
        "links": [
            {"rel": rel, "type": media_type, "href": base_url + path, "title": title}
            for rel, media_type, path, title in links
        ],
    }


def _query_parameters() -> list[dict]:
    """The filter parameters every layer download takes (PARAMETERS, in that order)."""
    return [
        {"name": "year", "in": "query", "schema": {"type": "integer", "minimum": 2014,
                                                   "maximum": 2024}},
        {"name": "years", "in": "query", "schema": {"type": "string",
                                                    "pattern": "^20[12][0-9]-20[12][0-9]$"}},
        {"name": "type", "in": "query", "schema": {"type": "string"},
         "description": TYPES_ALLOWED + ", comma-separated"},
        {"name": "country", "in": "query", "schema": {"type": "string",
                                                      "enum": ["RO", "BG", "both"]}},
        {"name": "indicators", "in": "query", "schema": {"type": "string"},
         "description": "comma-separated ids from GET /api/v1/layers, or all; a survey share "
                        "brings <id>_ci_low, <id>_ci_high and <id>_n, an indicator with a "
                        "minimum base <id>_low_base"},
        {"name": "file", "in": "query", "schema": {"type": "string",
                                                   "enum": list(package.FORMATS)},
         "description": "format inside the zip (only for .zip)"},
        {"name": "shape", "in": "query", "schema": {"type": "string", "enum": list(tidy.SHAPES)},
         "description": SHAPE_ALLOWED + "; long: .csv or .zip only"},
        {"name": "lang", "in": "query", "schema": {"type": "string", "enum": list(l10n.LANGUAGES)},
         "description": "language of the metadata's text (datapackage.json, the GeoPackage's "
                        "description; default en); column names and codes stay as they are"},
    ]  # fmt: skip


def _paths() -> dict:
    error = {"$ref": "#/components/responses/Error"}
    media_types = [m for _, m in package.FORMATS.values()] + [package.ZIP_MEDIA_TYPE]
    media = {m: {"schema": {"type": "string", "format": "binary"}} for m in media_types}
    return {
        "/api/v1": {
            "get": {"summary": "Index: links to the catalogue, this document and /ogc",
                    "responses": {"200": {"description": "Index",
                                          "content": {"application/json": {}}}}},
        },
        "/api/v1/layers": {
            "get": {"summary": "Catalogue of layers, formats and indicators",
                    "responses": {"200": {"description": "Catalogue",
                                          "content": {"application/json": {}}}}},
        },
        "/api/v1/layers/{layer}.{format}": {
            "get": {
                "summary": "A filtered layer as a file",
                "parameters": [
                    {"name": "layer", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(LAYERS)}},
                    {"name": "format", "in": "path", "required": True,
                     "schema": {"type": "string", "enum": list(API_FORMATS)}},
                    *_query_parameters(),
                ],
                "responses": {"200": {"description": "The file", "content": media},
                              "400": error, "404": error},
            },
        },
        "/api/v1/layers/services.{format}": services_layer.openapi_path(error),
    }  # fmt: skip


def _error_response() -> dict:
    return {
        "description": "Bad parameter or unknown layer",
        "content": {"application/json": {"schema": {
            "type": "object", "required": ["error", "message"],
            "properties": {"error": {"type": "string"},
                           "message": {"type": "string"},
                           "parameter": {"type": "string"},
                           "allowed": {"type": "string"}},
        }}},
    }  # fmt: skip


def openapi_document() -> dict:
    """OpenAPI 3.0 description of /api/v1 (a test checks it against the behaviour)."""
    return {
        "openapi": "3.0.3",
        "info": {
            "title": "Ruhr ⇄ Romania/Bulgaria migration layers",
            "version": "1",
            "description": "Filtered layers as files. Flows and survey answers are synthetic "
            "demonstration data unless imported. Survey-derived values pass disclosure control.",
        },
        "paths": _paths(),
        "components": {"responses": {"Error": _error_response()}},
    }
