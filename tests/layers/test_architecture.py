"""layers/ stays framework-free: it never imports dash or flask."""

import ast
import subprocess
import sys
from pathlib import Path

LAYERS = Path(__file__).resolve().parents[2] / "layers"
FORBIDDEN = {"dash", "flask", "dash_bootstrap_components", "werkzeug"}


def _imported_modules(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module.split(".")[0])
    return names


def test_no_module_in_layers_imports_a_web_framework():
    offenders = {
        path.name: sorted(_imported_modules(path) & FORBIDDEN) for path in LAYERS.rglob("*.py")
    }
    assert {k: v for k, v in offenders.items() if v} == {}


def test_importing_every_layers_module_loads_no_web_framework():
    modules = [
        ".".join(p.relative_to(LAYERS.parent).with_suffix("").parts).removesuffix(".__init__")
        for p in LAYERS.rglob("*.py")
        if p.stem != "__main__"
    ]
    assert "layers.importers.genesis" in modules  # subpackages are imported too
    code = (
        "import importlib, sys\n"
        f"for m in {modules!r}: importlib.import_module(m)\n"
        f"print(sorted(m for m in sys.modules if m.split('.')[0] in {sorted(FORBIDDEN)!r}))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


# Modules allowed to touch respondent microdata or their unprotected counts: the survey cube,
# the publication that protects it, loading, generating and importing.
MICRODATA_MODULES = {"survey.py", "publication.py", "dataset.py", "demo.py"}
MICRODATA_NAMES = {"build_survey_cube", "channel_tables", "protect", ".respondents"}


def _names_used(path: Path) -> set[str]:
    """Functions of the unprotected path used, and ``<anything>.respondents`` read."""
    used = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute):
            used.update({f".{node.attr}", node.attr})
        elif isinstance(node, ast.Name):
            used.add(node.id)
        elif isinstance(node, ast.ImportFrom):
            used.update(alias.name for alias in node.names)
    return used


def test_no_path_computes_survey_numbers_around_the_publication():
    """Only the publication turns respondents into numbers: no other module of layers/ or
    dashboard/ builds the cube, reads the true tables or reads ``ds.respondents``
    (importers write respondents files, they compute no figure)."""
    roots = [LAYERS, LAYERS.parent / "dashboard"]
    offenders = {}
    for path in (p for root in roots for p in root.rglob("*.py")):
        if path.name in MICRODATA_MODULES or "importers" in path.parts:
            continue
        used = _names_used(path) & MICRODATA_NAMES
        if used:
            offenders[str(path.relative_to(LAYERS.parent))] = sorted(used)
    assert offenders == {}
