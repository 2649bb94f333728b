"""Flask adapter for the HTTP API (/api/v1); the logic lives in layers/service.py."""

from __future__ import annotations

import flask

from dashboard.deployment import Deployment
from layers import provenance, service
from layers.dataset import Dataset
from layers.disclosure import Policy
from layers.queries import InvalidParameter

SYNTHETIC_HEADER = "X-Synthetic-Data"


def register(
    server: flask.Flask, dataset: Dataset, policy: Policy, deployment: Deployment | None = None
) -> None:
    deployment = deployment or Deployment()
    api = flask.Blueprint("api_v1", __name__, url_prefix="/api/v1")

    def base_url() -> str:  # never the Host header alone (dashboard/deployment.py)
        return deployment.base_url(flask.request.host_url)

    synthetic = provenance.header_value(dataset.manifest)  # the modelled parts, or "none"

    @api.errorhandler(InvalidParameter)
    def bad_parameter(error: InvalidParameter):
        body = {"error": "Bad Request", "message": str(error), "parameter": error.name,
                "allowed": error.allowed}  # fmt: skip
        return flask.jsonify(body), 400

    @api.errorhandler(service.NotFound)
    def not_found(error: service.NotFound):
        body = {"error": "Not Found", "message": str(error), "allowed": ", ".join(error.allowed)}
        return flask.jsonify(body), 404

    @api.get("/", strict_slashes=False)  # /api/v1 and /api/v1/, no redirect
    def index():
        return flask.jsonify(service.api_index(base_url()))

    @api.get("/layers")
    def layers():
        response = flask.jsonify(service.catalogue_document(dataset, base_url()))
        response.headers[SYNTHETIC_HEADER] = synthetic
        return response

    @api.get("/openapi.json")
    def openapi():
        return flask.jsonify(service.openapi_document())

    @api.get("/layers/<name>")
    def layer(name: str):
        layer_id, _, fmt = name.rpartition(".")
        args = flask.request.args.to_dict(flat=False)
        download = service.layer_download(dataset, policy, layer_id or name, fmt, args)
        response = flask.Response(download.content, mimetype=download.media_type)
        response.headers["Content-Disposition"] = f'attachment; filename="{download.filename}"'
        response.headers[SYNTHETIC_HEADER] = download.synthetic_parts
        return response

    @api.get("/<path:rest>")
    def unknown(rest: str):
        raise service.NotFound("path", ["/api/v1", "/api/v1/layers",
                                        "/api/v1/layers/<layer>.<format>",
                                        "/api/v1/openapi.json"])  # fmt: skip

    server.register_blueprint(api)
