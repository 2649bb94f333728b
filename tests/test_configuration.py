"""Every environment variable the code reads is documented in the README's table."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
INTERNAL = {"PYGEOAPI_CONFIG", "PYGEOAPI_OPENAPI"}  # written by the app for pygeoapi itself


def test_environment_variables_are_documented():
    code = "\n".join(
        p.read_text(encoding="utf-8")
        for d in ("dashboard", "layers")
        for p in (ROOT / d).rglob("*.py")
    )
    names = set(re.findall(r'_ENV = "([A-Z_]+)"', code))
    names |= set(re.findall(r"os\.environ(?:\.get)?[\(\[][\"']([A-Z_]+)[\"']", code))
    names -= INTERNAL
    assert {"RUHR_DATA_DIR", "RUHR_DISCLOSURE_THRESHOLD", "RUHR_PUBLIC_URL", "PORT"} <= names
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    documented = set(re.findall(r"^\| `([A-Z_]+)` \|", readme, flags=re.MULTILINE))
    assert sorted(names - documented) == []
