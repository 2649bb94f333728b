"""OGC API – Features (Part 1: Core, GeoJSON) under /ogc, served by pygeoapi.

Why pygeoapi: it is the OSGeo reference implementation of OGC API – Features; landing
page, conformance, collections, items, paging links, bbox/limit/offset validation and
exceptions come from code that the OGC test suite exercises, not from us. We add a provider
(our feature tables, ``datetime`` mapped onto their years) and stricter rules: unknown query
parameters get a 400 (pygeoapi ignores them), and so do values the provider cannot answer
correctly (NaN in ``bbox``, a range in ``year``, a malformed ``datetime``), which pygeoapi
lets through. Each message repeats at most ~100 characters of the value.

pygeoapi reads its configuration once, when ``pygeoapi.flask_app`` is imported, from the
files named in PYGEOAPI_CONFIG / PYGEOAPI_OPENAPI; ``mount`` writes both (from the running
dataset) into a private temporary folder first."""

from __future__ import annotations

import functools
import json
import logging
import os
import sys
import tempfile
from pathlib import Path

import yaml
from pygeoapi.provider.base import (
    BaseProvider,
    ProviderInvalidQueryError,
    ProviderItemNotFoundError,
)
from werkzeug.exceptions import HTTPException
from werkzeug.middleware.dispatcher import DispatcherMiddleware
from werkzeug.wrappers import Request, Response

from layers import features, kosmati, provenance, services_layer
from layers.dataset import load_dataset
from layers.disclosure import DEFAULT_POLICY, Policy
from layers.queries import InvalidParameter, echo

PREFIX = "/ogc"
# Query parameters of OGC API – Features Part 1 (and what pygeoapi adds) that are always known.
RESERVED = {
    "f", "lang", "bbox", "bbox-crs", "limit", "offset", "datetime", "properties",
    "sortby", "skipGeometry", "resulttype", "crs", "q", "filter", "filter-lang",
}  # fmt: skip


@functools.lru_cache(maxsize=2)
def _dataset(data_dir: str, threshold: int):
    """One read of the data for all collections' tables (each read takes ~0.4 s)."""
    return load_dataset(Path(data_dir), Policy(threshold))


@functools.lru_cache(maxsize=8)
def _table(data_dir: str, collection: str, threshold: int) -> features.FeatureTable:
    """Pygeoapi builds a provider per request: memoise the read-only tables per process."""
    return features.build(_dataset(data_dir, threshold), collection)


class RuhrFeatureProvider(BaseProvider):
    """pygeoapi feature provider over ``layers.features`` tables."""

    def __init__(self, provider_def):
        super().__init__(provider_def)
        self.collection = provider_def["options"]["collection"]
        threshold = provider_def["options"]["threshold"]  # the app's, as loaded there
        self.table = _table(str(self.data), self.collection, threshold)
        self._fields = {
            name: {"type": kind} for name, kind in features.FILTERABLE[self.collection].items()
        }
        for name in features.COUNTS.get(self.collection, ("arrivals", "departures", "net")):
            self._fields[name] = {"type": "integer"}

    def get_fields(self):
        return self._fields

    def _collection(self, rows, skip_geometry: bool, select_properties) -> list[dict]:
        out = []
        columns = [c for c in rows.columns if c not in ("geometry", "id")]
        if select_properties:
            columns = [c for c in columns if c in select_properties]
        records = json.loads(rows[columns].to_json(orient="records"))
        geometries = rows.geometry.__geo_interface__["features"] if not skip_geometry else None
        for i, (identifier, properties) in enumerate(zip(rows["id"], records, strict=True)):
            geometry = geometries[i]["geometry"] if geometries is not None else None
            out.append({"type": "Feature", "id": identifier, "geometry": geometry,
                        "properties": properties})  # fmt: skip
        return out

    def query(self, offset=0, limit=10, resulttype="results", bbox=None, datetime_=None,
              properties=None, sortby=None, select_properties=None, skip_geometry=False,
              q=None, **kwargs):  # fmt: skip
        try:  # pygeoapi passes bbox and datetime_ as it received them (checked: _check_query)
            box = features.parse_bbox(",".join(map(str, bbox))) if bbox else None
            years = features.parse_datetime(datetime_) if datetime_ else None
        except InvalidParameter as error:
            raise ProviderInvalidQueryError(str(error)) from None
        if years and self.collection in features.UNTIMED:
            raise ProviderInvalidQueryError(
                f"Invalid datetime: the {self.collection} collection has no time (leave it out)."
            )
        rows = self.table.query(box, dict(properties or []), years)
        page = rows.iloc[0:0] if resulttype == "hits" else rows.iloc[offset : offset + limit]
        found = self._collection(page, skip_geometry, select_properties)
        return {"type": "FeatureCollection", "features": found,
                "numberMatched": len(rows), "numberReturned": len(found)}  # fmt: skip

    def get(self, identifier, **kwargs):
        rows = self.table.frame[self.table.frame["id"] == str(identifier)]
        if rows.empty:
            raise ProviderItemNotFoundError(f"Item {echo(str(identifier))} not found")
        return self._collection(rows, False, None)[0]


BBOX = {"municipalities": [6.4, 51.1, 8.0, 51.9], "origin_regions": [20.2, 41.2, 29.8, 48.3],
        "flows": [6.4, 41.2, 29.8, 51.9], "services": [6.4, 51.1, 8.0, 51.9]}  # fmt: skip


def _resources(data_dir: Path, policy: Policy) -> dict:
    """One pygeoapi collection per feature table, with its extents and its parts' origins."""
    bbox = BBOX
    begin, end = features.temporal_extent()
    manifest = json.loads((Path(data_dir) / "manifest.json").read_text(encoding="utf-8"))
    origins = provenance.note(manifest, ("flows", "populations", "boundaries"))
    resources = {
        name: {
            "type": "collection",
            "title": name.replace("_", " ").capitalize(),
            "description": f"{description}. Origin of each part: {origins}.",
            "keywords": ["migration", "Ruhr", "Romania", "Bulgaria"],
            "extents": {
                "spatial": {"bbox": bbox[name], "crs": features.CRS84},
                # datetimes, not strings: pygeoapi compares ?datetime= with them
                "temporal": {"begin": begin, "end": end,
                             "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian"},
            },
            "providers": [{
                "type": "feature",
                "name": f"{__name__}.RuhrFeatureProvider",
                "data": str(data_dir),
                "id_field": "id",
                "time_field": features.TIME_FIELD,
                "options": {"collection": name, "threshold": policy.threshold},
            }],
        }
        for name, description in features.COLLECTIONS.items()
        if name not in features.UNTIMED
    }  # fmt: skip
    return {**resources, services_layer.LAYER: _services_resource(data_dir, policy)}


def _services_resource(data_dir: Path, policy: Policy) -> dict:
    """The KOSMATI services: no time, and its notice (illustrative or imported, with the
    inventory's source) in the description."""
    notice = services_layer.notice(kosmati.read_inventory(Path(data_dir)))
    return {
        "type": "collection",
        "title": "KOSMATI services",
        "description": notice,
        "keywords": ["KOSMATI", "services", "integration", "Ruhr"],
        "extents": {"spatial": {"bbox": BBOX["services"], "crs": features.CRS84}},
        "providers": [{
            "type": "feature",
            "name": f"{__name__}.RuhrFeatureProvider",
            "data": str(data_dir),
            "id_field": "id",
            "options": {"collection": services_layer.LAYER, "threshold": policy.threshold},
        }],
    }  # fmt: skip


def config(data_dir: Path, public_url: str, policy: Policy = DEFAULT_POLICY) -> dict:
    """Pygeoapi's configuration for the running dataset."""
    return {
        "server": {
            "bind": {"host": "127.0.0.1", "port": 0},
            "url": f"{public_url.rstrip('/')}{PREFIX}",
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "languages": ["en-US"],
            "limits": {"default_items": 10, "max_items": 1000},
            "map": {"url": "", "attribution": "© GeoBasis-DE / BKG 2016; Natural Earth"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "Ruhr ⇄ Romania/Bulgaria migration",
                "description": "Arrivals and departures between the 53 Ruhr municipalities "
                "and 70 origin regions. Synthetic demonstration data unless imported.",
                "keywords": ["migration", "Ruhr"],
                "url": public_url,
                "terms_of_service": "https://www.govdata.de/dl-de/by-2-0",
            },
            "license": {
                "name": "dl-de/by-2-0 (boundaries); data: see datapackage metadata",
                "url": "https://www.govdata.de/dl-de/by-2-0",
            },
            "provider": {"name": "Ruhr EU2 dashboard", "url": public_url},
            "contact": {
                "name": "Ruhr EU2 dashboard team",
                "position": "",
                "address": "",
                "city": "",
                "stateorprovince": "",
                "postalCode": "",
                "country": "DE",
                "phone": "",
                "fax": "",
                "email": "",
                "url": public_url,
                "hours": "",
                "instructions": "",
                "role": "pointOfContact",
            },
        },
        "resources": _resources(data_dir, policy),
    }


def _exception(description: str) -> Response:
    body = {"code": "InvalidParameterValue", "type": "InvalidParameterValue",
            "description": description}  # fmt: skip
    return Response(json.dumps(body, ensure_ascii=False), status=400, mimetype="application/json")


def _check_query(request: Request, known: dict[str, set[str]]) -> Response | None:
    """The 400 for an items query pygeoapi would answer wrongly, or None to let it answer."""
    parts = request.path.strip("/").split("/")
    if not (len(parts) >= 3 and parts[0] == "collections" and parts[2] == "items"):
        return None
    if parts[1] in known:  # an unknown collection: pygeoapi's 404
        allowed = RESERVED | known[parts[1]]
        unknown = sorted(set(request.args) - allowed)
        if unknown:
            return _exception(f"Unknown query parameter {echo(unknown[0])}. Allowed: "
                              f"{', '.join(sorted(allowed))}.")  # fmt: skip
    try:
        features.check_query(request.args)
    except InvalidParameter as error:
        return _exception(str(error))
    return None


def _no_traceback(error):
    """Pygeoapi's Flask app answers an exception in a provider with werkzeug's HTML 500:
    an OGC exception instead, the details only in the server log."""
    if isinstance(error, HTTPException):
        return error
    logging.getLogger(__name__).exception("Unhandled error in pygeoapi")
    body = {"code": "NoApplicableCode", "type": "NoApplicableCode",
            "description": "Unexpected error."}  # fmt: skip
    return Response(json.dumps(body), status=500, mimetype="application/json")


class StrictQuery:
    """WSGI wrapper in front of pygeoapi: the 400s it does not give (see the docstring)."""

    def __init__(self, app, known: dict[str, set[str]]):
        self.app, self.known = app, known

    def __call__(self, environ, start_response):
        refusal = _check_query(Request(environ), self.known)
        if refusal is not None:
            return refusal(environ, start_response)
        return self.app(environ, start_response)


def _write_pygeoapi_files(data_dir: Path, public_url: str, policy: Policy) -> None:
    """This process's pygeoapi configuration and OpenAPI document, named in the environment
    as pygeoapi expects. Always written anew: a PYGEOAPI_CONFIG inherited from a parent
    process (a test run that starts servers) describes another server."""
    folder = Path(tempfile.mkdtemp(prefix="pygeoapi-"))
    config_path, openapi_path = folder / "config.yml", folder / "openapi.yml"
    config_path.write_text(yaml.safe_dump(config(Path(data_dir).resolve(), public_url, policy)))
    # Written, never read by us: pygeoapi takes its configuration from these two variables
    # only (tests/test_configuration.py allows exactly these writes).
    os.environ["PYGEOAPI_CONFIG"] = str(config_path)
    os.environ["PYGEOAPI_OPENAPI"] = str(openapi_path)
    from pygeoapi.openapi import generate_openapi_document

    openapi_path.write_text(generate_openapi_document(config_path, "yaml"))


def mount(server, data_dir: Path, public_url: str, policy: Policy = DEFAULT_POLICY) -> None:
    """Serve pygeoapi under /ogc beside the dashboard; its links start with ``public_url``."""
    first = "pygeoapi.flask_app" not in sys.modules  # pygeoapi reads its files once
    if first:
        _write_pygeoapi_files(data_dir, public_url, policy)
    from pygeoapi.flask_app import APP as pygeoapi_app  # reads the files above, once

    if first:  # before its first request, as Flask requires
        pygeoapi_app.register_error_handler(Exception, _no_traceback)
    known = {name: set(fields) for name, fields in features.FILTERABLE.items()}
    ogc = StrictQuery(pygeoapi_app.wsgi_app, known)
    server.wsgi_app = DispatcherMiddleware(server.wsgi_app, {PREFIX: ogc})
