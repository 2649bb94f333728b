"""Settings are declared once (layers/settings.py), documented in the README's table, and
read from the environment nowhere else."""

import ast
import re
from pathlib import Path

from layers.settings import SETTINGS, Settings, markdown_table

ROOT = Path(__file__).resolve().parents[1]
# Written, not read: pygeoapi takes its configuration from these (dashboard/ogc.py).
WRITES_FOR_PYGEOAPI = {
    ("dashboard/ogc.py", "PYGEOAPI_CONFIG"),
    ("dashboard/ogc.py", "PYGEOAPI_OPENAPI"),
}


def _configuration_table(readme: str) -> list[str]:
    section = readme.split("## Configuration\n", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `[A-Z_]+` \|.*$", section, flags=re.MULTILINE)
    first = section.index(rows[0])
    table = section[first:].split("\n\n", 1)[0]  # the first table: the settings
    return re.findall(r"^\| `([A-Z_]+)` \|", table, flags=re.MULTILINE)


def test_every_setting_is_in_the_readme_table_and_every_row_is_a_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert _configuration_table(readme) == [s.name for s in SETTINGS]
    assert markdown_table() in readme  # allowed values, defaults and meanings as declared


def test_every_setting_has_its_field_and_its_default_passes_its_own_check():
    assert {s.field for s in SETTINGS} == set(Settings.__dataclass_fields__)
    defaults = Settings.from_env({})
    for setting in SETTINGS:
        assert getattr(defaults, setting.field) == setting.default
        if setting.default != "":  # "" means unset, which no check sees
            assert setting.parse(str(setting.default)) == setting.default, setting.name


def _environment_reads(path: Path) -> tuple[list[int], list[tuple[int, str]]]:
    """Lines reading the environment (os.environ, os.getenv, ``from os import environ``), and
    (line, variable) of each write ``os.environ[NAME] = ...``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    targets = [
        target
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Subscript) and _is_environ(target.value)
    ]
    written = {id(target.value) for target in targets}
    reads = [
        node.lineno
        for node in ast.walk(tree)
        if (_is_environ(node) and id(node) not in written)
        or _is_getenv(node)
        or (
            isinstance(node, ast.ImportFrom)
            and node.module == "os"
            and {a.name for a in node.names} & {"environ", "getenv", "environb", "getenvb"}
        )
    ]
    return sorted(reads), [(t.lineno, t.slice.value) for t in targets]


def _is_environ(node) -> bool:
    return isinstance(node, ast.Attribute) and node.attr == "environ" and _is_os(node.value)


def _is_getenv(node) -> bool:
    return (
        isinstance(node, ast.Attribute)
        and node.attr in ("getenv", "getenvb")
        and _is_os(node.value)
    )


def _is_os(node) -> bool:
    return isinstance(node, ast.Name) and node.id == "os"


def test_only_layers_settings_reads_the_environment():
    files = [
        ROOT / "wsgi.py",
        *(ROOT / "dashboard").rglob("*.py"),
        *(ROOT / "layers").rglob("*.py"),
    ]
    reads, writes = {}, set()
    for path in files:
        name = path.relative_to(ROOT).as_posix()
        found, written = _environment_reads(path)
        if found and name != "layers/settings.py":
            reads[name] = found
        writes |= {(name, variable) for _, variable in written}
    assert reads == {}
    assert writes == WRITES_FOR_PYGEOAPI


def test_the_scan_sees_reads_and_writes(tmp_path):
    """The scan itself: each form of reading is found, a write is told apart."""
    sample = tmp_path / "sample.py"
    sample.write_text(
        "import os\n"
        "a = os.environ.get('A')\n"
        "b = os.environ['B']\n"
        "c = os.getenv('C')\n"
        "d = dict(os.environ)\n"
        "os.environ['E'] = 'written'\n"
        "from os import getenv\n"
    )
    found, written = _environment_reads(sample)
    assert found == [2, 3, 4, 5, 7]
    assert written == [(6, "E")]
