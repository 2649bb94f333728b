"""Peak memory of ``python -m layers import`` on large and hostile inputs (issue 13).

    python -m tests.perf.import_memory [MB]     # default 200 MB World Bank CSV and a ZIP bomb

Writes a World Bank API CSV of about MB megabytes (every indicator block lists 266
countries and aggregates, Romania and Bulgaria among them) and a 1 MB ZIP that expands to
1 GiB, imports each into a fresh demo dataset in its own process and prints the peak
resident memory (``ru_maxrss`` of that process, from ``os.wait4``) and the wall time.
The tests use the same functions with smaller files.
"""

from __future__ import annotations

import struct
import subprocess
import sys
import tempfile
import time
import zlib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
YEARS = range(1960, 2025)
FINAL_BLOCK = b"\x03\x00"  # an empty last deflate block
PREAMBLE = (
    '\ufeff"Data Source","World Development Indicators",\r\n\r\n'
    '"Last Updated Date","2025-07-01",\r\n\r\n'
)


def _quoted(fields) -> str:
    return ",".join(f'"{f}"' for f in fields) + ",\r\n"


def write_worldbank_csv(path: Path, target_bytes: int) -> int:
    """A World Bank API CSV of at least ``target_bytes``; returns the number of indicators."""
    others = [f"{chr(65 + i // 26 % 26)}{chr(65 + i % 26)}Z" for i in range(264)]
    countries = [("Romania", "ROU"), ("Bulgaria", "BGR"), *((f"Area {c}", c) for c in others)]
    written, indicators = 0, 0
    with open(path, "w", encoding="utf-8", newline="") as out:
        written += out.write(PREAMBLE)
        written += out.write(_quoted(["Country Name", "Country Code", "Indicator Name",
                                      "Indicator Code", *map(str, YEARS)]))  # fmt: skip
        while written < target_bytes:
            code, name = f"GEN.{indicators:05d}.CD", f"Generated series {indicators} (current US$)"
            for country, iso3 in countries:
                values = ["" if (y + indicators) % 3 == 0 else f"{y * 1000.5 + indicators:.1f}"
                          for y in YEARS]  # fmt: skip
                written += out.write(_quoted([country, iso3, name, code, *values]))
            indicators += 1
    return indicators


def write_zip_bomb(path: Path, member: str, expanded_bytes: int) -> None:
    """A ZIP with one member of ``expanded_bytes`` zeros at about 1000:1 (deflate's limit),
    written in well under a second: after a full flush deflate output is byte-aligned and
    refers to nothing before it, so one compressed MiB can be repeated."""
    chunk = b"0" * 2**20
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    block = deflate.compress(chunk) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = expanded_bytes // len(chunk)
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(chunk, crc)
    name = member.encode()
    size = len(block) * count + len(FINAL_BLOCK)
    fields = (20, 0, 8, 0, 0x21, crc, size, count * len(chunk), len(name))  # version … name
    local = struct.pack("<4s5H3LHH", b"PK\x03\x04", *fields, 0) + name
    central = struct.pack("<4sH5H3L5H2L", b"PK\x01\x02", 20, *fields, 0, 0, 0, 0, 0, 0) + name
    with open(path, "wb") as out:
        out.write(local)
        for _ in range(count):
            out.write(block)
        out.write(FINAL_BLOCK)
        out.write(central)
        offset = len(local) + size
        out.write(struct.pack("<4s4H2LH", b"PK\x05\x06", 0, 0, 1, 1, len(central), offset, 0))


def build_demo(folder: Path) -> Path:
    out = folder / "dataset"
    subprocess.run([sys.executable, "-m", "layers", "build", "--out", str(out)], cwd=ROOT,
                   check=True, capture_output=True)  # fmt: skip
    return out


# A small parent for the import: the peak memory the kernel reports for a child includes the
# memory of the process it was forked from (before exec), so it must not be forked from pytest.
WRAPPER = (
    "import os, subprocess, sys; child = subprocess.Popen(sys.argv[1:], stdout=subprocess.DEVNULL);"
    " _, status, usage = os.wait4(child.pid, 0); print(usage.ru_maxrss);"
    " sys.exit(os.waitstatus_to_exitcode(status))"
)


def measure(args: list[str]) -> tuple[int, str, int, float]:
    """(exit status, stderr, peak resident memory in KiB, seconds) of ``python -m layers``."""
    start = time.perf_counter()
    result = subprocess.run([sys.executable, "-c", WRAPPER, sys.executable, "-m", "layers", *args],
                            cwd=ROOT, capture_output=True, text=True)  # fmt: skip
    seconds = time.perf_counter() - start
    return result.returncode, result.stderr, int(result.stdout), seconds


def main(megabytes: int = 200) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        data_dir = build_demo(folder)
        csv_path = folder / "API_GEN_DS2_en_csv_v2_1.csv"
        n = write_worldbank_csv(csv_path, megabytes * 10**6)
        size = csv_path.stat().st_size
        status, err, kib, seconds = measure(["import", "worldbank", str(csv_path),
                                             "--data-dir", str(data_dir)])  # fmt: skip
        print(
            f"worldbank CSV {size / 1e6:.0f} MB ({n} indicators): exit {status}, "
            f"peak {kib / 1024:.0f} MiB, {seconds:.1f} s {err.strip()[:200]}"
        )
        bomb = folder / "API_BOMB_DS2_en_csv_v2_1.zip"
        write_zip_bomb(bomb, "API_BOMB_DS2_en_csv_v2_1.csv", 1 << 30)
        status, err, kib, seconds = measure(["import", "worldbank", str(bomb),
                                             "--data-dir", str(data_dir)])  # fmt: skip
        print(
            f"ZIP bomb {bomb.stat().st_size / 1e6:.1f} MB → 1 GiB: exit {status}, "
            f"peak {kib / 1024:.0f} MiB, {seconds:.1f} s {err.strip()[:200]}"
        )
        status, err, kib, seconds = measure(["import", "worldbank", "--help"])
        print(f"baseline (import --help): peak {kib / 1024:.0f} MiB, {seconds:.1f} s")


if __name__ == "__main__":
    main(*(int(a) for a in sys.argv[1:]))
