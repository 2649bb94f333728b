"""Synthetic, seeded demonstration data that follows the structure of the ZuSudo study.

No public table gives arrivals and departures of Romanian and Bulgarian citizens by origin
region and Ruhr municipality, and the study's survey microdata are not public. The demo
therefore *models* flows (``layers.demo_flows``) and survey answers (``layers.demo_survey``);
this module puts them together with the real reference tables and writes the dataset.
Everything modelled is flagged ``synthetic=true``. Real figures enter only as calibration
targets and denominators (``layers.regions``) and are listed in ``data/README.md``.

The same seed always yields the same bytes.
"""

from __future__ import annotations

import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from layers import publication, regions, store
from layers.demo_flows import (
    ANCHORS,
    CITY_PROFILES,
    DEFAULT_SEED,
    NET_ANCHORS,
    cube_to_flows,
    generate_flow_cube,
)
from layers.demo_survey import SURVEY_FIELDWORK, SURVEY_RESPONDENTS, generate_respondents
from layers.disclosure import DEFAULT_POLICY, Policy
from layers.progress import QUIET, Progress

# The calibration values belong to the demo's interface: data/sources.md lists them and the
# tests check the two against each other.
__all__ = [
    "ANCHORS",
    "CITY_PROFILES",
    "DEFAULT_SEED",
    "NET_ANCHORS",
    "SURVEY_FIELDWORK",
    "SURVEY_RESPONDENTS",
    "DemoTables",
    "generate",
    "generate_flow_cube",
    "reference_tables",
    "write_dataset",
]

GENERATOR_VERSION = "demo-1"


@dataclass(frozen=True)
class DemoTables:
    flows: pd.DataFrame
    respondents: pd.DataFrame


def generate(seed: int = DEFAULT_SEED) -> DemoTables:
    cube = generate_flow_cube(seed)
    return DemoTables(flows=cube_to_flows(cube), respondents=generate_respondents(cube, seed))


def _csv_bytes(frame: pd.DataFrame) -> bytes:
    buffer = io.StringIO()
    frame.to_csv(buffer, index=False, lineterminator="\n")
    return buffer.getvalue().encode("utf-8")


def reference_tables() -> dict[str, pd.DataFrame]:
    """The real tables shipped with the demo: areas with populations, remittance series."""
    municipalities = pd.DataFrame(
        {
            "ags": m.ags,
            "name": m.name,
            "kreis": m.kreis,
            "kind": m.kind,
            "population": m.population,
            "population_date": regions.MUNICIPAL_POPULATION_DATE,
            "population_source": regions.MUNICIPAL_POPULATION_SOURCE,
            "synthetic": False,
        }
        for m in regions.MUNICIPALITIES
    )
    origins = pd.DataFrame(
        {
            "nuts3": r.nuts3,
            "hasc": r.hasc,
            "name": r.name,
            "country": r.country,
            "population": r.population,
            "population_date": regions.ORIGIN_POPULATION_DATE,
            "population_source": regions.ORIGIN_POPULATION_SOURCE,
            "synthetic": False,
        }
        for r in regions.ORIGIN_REGIONS
    )
    indicators = pd.read_csv(REFERENCE_DIR / "world_bank_remittances.csv", dtype={"year": int})
    return {
        "municipalities": municipalities,
        "origin_regions": origins,
        "country_indicators": indicators,
    }


REFERENCE_DIR = Path(__file__).resolve().parent.parent / "data" / "reference"
TABLE_NOTES = {
    "flows": "Modelled arrivals and departures (persons) by year, origin region, municipality, "
    "migration type and direction. Synthetic demonstration data.",
    "respondents": "Modelled survey microdata (3,000 modelled respondents, modelled survey "
    "dates 2021/22: not the study's metadata). Synthetic demonstration data; never leaves the "
    "server unaggregated.",
    "municipalities": "53 RVR municipalities with official population. Real data.",
    "origin_regions": "42 Romanian counties and 28 Bulgarian oblasts with population. Real data.",
    "country_indicators": "World Bank remittance series for RO and BG with vintage. Real data.",
}


def write_dataset(
    out_dir: Path,
    seed: int = DEFAULT_SEED,
    if_missing: bool = False,
    policy: Policy = DEFAULT_POLICY,
    progress: Progress = QUIET,
) -> dict | None:
    """Generate all tables as a new snapshot of ``out_dir`` and return the manifest. With
    ``if_missing``, do nothing (return None) when the folder holds any dataset."""
    with store.writer(Path(out_dir)) as writer:
        if if_missing and not store.is_empty(writer.root):
            return None
        manifest, payloads = _demo_files(seed, policy, progress)

        def fill(staging: Path) -> None:
            for name, payload in payloads.items():
                (staging / name).write_bytes(payload)

        with progress.stage("writing the snapshot"):
            writer.commit(fill)
    return manifest


def _demo_files(seed: int, policy: Policy, progress: Progress) -> tuple[dict, dict[str, bytes]]:
    with progress.stage("generating the synthetic flows and survey"):
        tables = generate(seed)
    frames = {"flows": tables.flows, "respondents": tables.respondents, **reference_tables()}
    payloads = {name: _csv_bytes(frame) for name, frame in frames.items()}
    pub = publication.build_publication(tables.respondents, policy, progress)
    survey = publication.to_frame(pub)
    payloads["survey_publication"] = _csv_bytes(survey)
    manifest = {
        "dataset": "ruhr-eu2-demo",
        "generator": GENERATOR_VERSION,
        "seed": seed,
        "synthetic_tables": sorted(n for n, f in frames.items() if bool(f["synthetic"].any())),
        "tables": {
            name: {
                "file": f"{name}.csv",
                "rows": len(frames[name]),
                "synthetic": bool(frames[name]["synthetic"].any()),
                "sha256": hashlib.sha256(payload).hexdigest(),
                "note": TABLE_NOTES[name],
            }
            for name, payload in payloads.items()
            if name in frames
        },
    }
    manifest["tables"]["survey_publication"] = {
        **publication.file_entry(payloads["respondents"], policy, synthetic=True),
        "rows": len(survey),
        "sha256": hashlib.sha256(payloads["survey_publication"]).hexdigest(),
    }
    manifest["synthetic_tables"].append("survey_publication")
    manifest["synthetic_tables"].sort()

    files = {f"{name}.csv": payload for name, payload in payloads.items()}
    files["manifest.json"] = (json.dumps(manifest, indent=2, ensure_ascii=False) + "\n").encode()
    return manifest, files
