"""Short files and functions (issue 14): no module over MAX_MODULE_LINES lines and no function
over MAX_FUNCTION_LINES lines in the packages listed below."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
MAX_MODULE_LINES = 400
MAX_FUNCTION_LINES = 60
PACKAGES = ["layers", "dashboard"]


def oversized(package: Path) -> list[str]:
    """'path: N lines' for every long module and 'path:line name(): N lines' for every long
    function (methods and nested functions included) of ``package``."""
    offenders = []
    for path in sorted(package.rglob("*.py")):
        source = path.read_text(encoding="utf-8")
        where = path.relative_to(ROOT)
        lines = len(source.splitlines())
        if lines > MAX_MODULE_LINES:
            offenders.append(f"{where}: {lines} lines")
        for node in ast.walk(ast.parse(source, filename=str(path))):
            if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                length = node.end_lineno - node.lineno + 1
                if length > MAX_FUNCTION_LINES:
                    offenders.append(f"{where}:{node.lineno} {node.name}(): {length} lines")
    return offenders


@pytest.mark.parametrize("package", PACKAGES)
def test_modules_and_functions_are_short(package):
    offenders = oversized(ROOT / package)
    assert not offenders, (
        f"over {MAX_MODULE_LINES} lines per module or {MAX_FUNCTION_LINES} per function:\n"
        + "\n".join(offenders)
    )


def test_oversized_finds_long_modules_and_functions(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.test_code_size.ROOT", tmp_path)
    package = tmp_path / "pkg"
    package.mkdir()
    body = "".join(f"    x{i} = {i}\n" for i in range(MAX_FUNCTION_LINES))
    (package / "long.py").write_text("def f():\n" + body + "\n" * MAX_MODULE_LINES)
    (package / "short.py").write_text("def g():\n    return 1\n")
    assert oversized(package) == [
        f"pkg/long.py: {MAX_FUNCTION_LINES + 1 + MAX_MODULE_LINES} lines",
        f"pkg/long.py:1 f(): {MAX_FUNCTION_LINES + 1} lines",
    ]
