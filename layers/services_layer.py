"""The KOSMATI services as an API layer and as the explorer's needs against offers
(layers/kosmati.py holds the inventory and the arithmetic; this module joins it to the
dataset: boundaries, the protected survey publication, the layer's metadata).

``GET /api/v1/layers/services.geojson`` (or ``.csv``): one feature per municipality with its
services per dimension and the dimensions covered; ``shape=long`` (CSV) gives the inventory
itself, one row per service. Both say in every row and in the file's metadata whether the
inventory is illustrative, and where it comes from."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyogrio

from layers import boundaries, kosmati, l10n, package, package_text
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.export import BOUNDARY_ATTRIBUTION
from layers.indicators import support_needs_by_type
from layers.queries import FlowFilter, InvalidParameter, Selection

LAYER = "services"
FORMATS = {"geojson": "application/geo+json", "csv": "text/csv",
           "gpkg": "application/geopackage+sqlite3"}  # fmt: skip
PARAMETERS = ("shape", "lang")
SHAPES = ("summed", "long")
# The metadata's human text in every interface language (``lang=``, default English).
TEXT = l10n.texts("services_layer", {
    "title": {"de": "KOSMATI-Angebote je Ruhr-Kommune (Abdeckung der vier Dimensionen)",
              "en": "KOSMATI services per Ruhr municipality (coverage of the four dimensions)"},
    "illustrative": {
        "de": "ILLUSTRATIVES Demonstrationsinventar, keine Erhebung realer Angebote",
        "en": "ILLUSTRATIVE demonstration inventory, not a survey of real services"},
    "imported": {"de": "Importiertes Inventar", "en": "Imported inventory"},
    "note": {"de": "Dimensionen der Tabelle 5.1 (ZuSudo-Bericht): unabhängig, keine Stufen. "
                   "dimensions_covered zählt die mit mindestens einem Angebot (0–4).",
             "en": "Dimensions of Tabelle 5.1 (ZuSudo report): independent, not stages. "
                   "dimensions_covered counts those with at least one service (0-4)."},
})  # fmt: skip
TITLE = TEXT["title"]["en"]  # the API catalogue's and OpenAPI's (English) title
ILLUSTRATIVE_LABEL = TEXT["illustrative"]["en"]


def inventory(ds: Dataset) -> kosmati.Inventory:
    """The dataset's inventory (a dataset made without one: the illustrative demo)."""
    return ds.services if ds.services is not None else kosmati.read_inventory(None)


def metadata(inv: kosmati.Inventory, lang: str = "en") -> dict:
    """What the layer says about itself (API catalogue, GeoJSON description)."""
    return {
        "illustrative": inv.illustrative,
        "label": TEXT["illustrative" if inv.illustrative else "imported"][lang],
        "source": inv.source,
        "dimensions": list(kosmati.DIMENSIONS),
        "note": TEXT["note"][lang],
        "attribution": BOUNDARY_ATTRIBUTION["municipalities"],
        "language": lang,
    }


def _labelled(frame: pd.DataFrame, inv: kosmati.Inventory) -> pd.DataFrame:
    return frame.assign(illustrative=inv.illustrative, source_note=inv.source)


def coverage_frame(ds: Dataset) -> gpd.GeoDataFrame:
    inv = inventory(ds)
    table = kosmati.coverage(inv).reset_index()
    shapes = boundaries.load_municipalities()[["ags", "geometry"]]
    merged = shapes.merge(_labelled(table, inv), on="ags", how="inner")
    return gpd.GeoDataFrame(merged, geometry="geometry", crs="EPSG:4326")


def inventory_frame(ds: Dataset) -> pd.DataFrame:
    """The inventory, one row per service, lists joined by ';' again."""
    inv = inventory(ds)
    table = inv.table.copy()
    for column in kosmati.LIST_COLUMNS:
        table[column] = table[column].map(";".join)
    return _labelled(table, inv)


def _csv(frame: pd.DataFrame) -> bytes:
    return frame.to_csv(index=False, lineterminator="\n").encode("utf-8")


def notice(inv: kosmati.Inventory, lang: str = "en") -> str:
    """One paragraph on what the layer is and where its inventory comes from (the OGC
    collection's and the GeoPackage layer's description)."""
    meta = metadata(inv, lang)
    boundaries_note = package_text.say(
        "boundaries", lang, attribution=BOUNDARY_ATTRIBUTION["municipalities"]
    )
    return f"{TEXT['title'][lang]}. {meta['label']}: {inv.source}. {meta['note']} {boundaries_note}"


def _geofile(frame: gpd.GeoDataFrame, inv: kosmati.Inventory, fmt: str, lang: str) -> bytes:
    """GeoJSON (its description the metadata as JSON) or GeoPackage (gpkg_contents'
    identifier and description, which QGIS shows, say whether it is illustrative)."""
    with tempfile.TemporaryDirectory(prefix="services-") as tmp:
        path = Path(tmp) / f"services.{fmt}"
        if fmt == "gpkg":
            options = {"IDENTIFIER": TEXT["title"][lang], "DESCRIPTION": notice(inv, lang)}
            pyogrio.write_dataframe(frame, path, driver="GPKG", layer=LAYER,
                                    layer_options=options)  # fmt: skip
        else:
            description = json.dumps(metadata(inv, lang), ensure_ascii=False)
            pyogrio.write_dataframe(frame, path, driver="GeoJSON", layer=LAYER, RFC7946="YES",
                                    WRITE_NAME="YES", DESCRIPTION=description,
                                    COORDINATE_PRECISION=6)  # fmt: skip
        return path.read_bytes()


def feature_frame(ds: Dataset) -> gpd.GeoDataFrame:
    """The OGC API collection: one feature per municipality, its id the AGS."""
    frame = coverage_frame(ds)
    frame.insert(0, "id", frame["ags"])
    return frame.sort_values("id", ignore_index=True)


def layer_bytes(ds: Dataset, fmt: str, args: dict[str, list[str]]) -> tuple[bytes, str, str]:
    """(content, media type, file name) of the layer; bad parameters raise InvalidParameter."""
    unknown = sorted(set(args) - set(PARAMETERS))
    if unknown:
        raise InvalidParameter(unknown[0], args[unknown[0]],
                               "shape or lang (the services layer takes no filter)")  # fmt: skip
    shape = (args.get("shape") or ["summed"])[-1]
    lang = package.parse_lang((args.get("lang") or [None])[-1])
    if shape not in SHAPES:
        raise InvalidParameter("shape", shape, "summed (per municipality) or long (per service)")
    if shape == "long":
        if fmt != "csv":
            raise InvalidParameter("format", fmt, "csv with shape=long")
        return _csv(inventory_frame(ds)), FORMATS["csv"], "services_long.csv"
    frame = coverage_frame(ds)
    if fmt == "csv":
        return _csv(pd.DataFrame(frame.drop(columns="geometry"))), FORMATS[fmt], "services.csv"
    return _geofile(frame, inventory(ds), fmt, lang), FORMATS[fmt], f"services.{fmt}"


def catalogue_entry(ds: Dataset, base_url: str = "") -> dict:
    """The layer in GET /api/v1/layers."""
    return {
        "id": LAYER,
        "title": TITLE,
        "formats": list(FORMATS),
        "links": {fmt: f"{base_url}/api/v1/layers/{LAYER}.{fmt}" for fmt in FORMATS},
        "parameters": {
            "shape": "summed (per municipality, default) or long (CSV, one row per service)",
            "lang": package_text.LANG_ALLOWED,
        },
        **metadata(inventory(ds)),
    }


def openapi_path(error: dict) -> dict:
    """The layer's entry in the OpenAPI document (its own formats and parameter)."""
    media = {m: {"schema": {"type": "string", "format": "binary"}} for m in FORMATS.values()}
    return {"get": {
        "summary": TITLE + "; the metadata say whether the inventory is illustrative",
        "parameters": [
            {"name": "format", "in": "path", "required": True,
             "schema": {"type": "string", "enum": list(FORMATS)}},
            {"name": "shape", "in": "query", "schema": {"type": "string", "enum": list(SHAPES)},
             "description": "summed: per municipality; long: per service (csv only)"},
            {"name": "lang", "in": "query", "description": package_text.LANG_ALLOWED,
             "schema": {"type": "string", "enum": list(l10n.LANGUAGES)}},
        ],
        "responses": {"200": {"description": "The file", "content": media},
                      "400": error, "404": error},
    }}  # fmt: skip


def needs_offers(ds: Dataset, f: FlowFilter, ags: str, policy: Policy) -> pd.DataFrame:
    """Needs against offers of one municipality (kosmati.needs_against_offers), the needs
    read from the protected publication for the filter's types and countries."""
    needs, _ = support_needs_by_type(ds, f, Selection("municipality", ags), policy)
    return kosmati.needs_against_offers(needs, inventory(ds), ags)
