"""The rooms of the house and the arrows between them, as docs/architecture.md draws them.

Read from the source with ``ast`` (imports inside functions count too), so that a
shortcut taken in a hurry fails here rather than in the next reader's head.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ROOMS = (
    "protocol",
    "catalogue",
    "schemas",
    "mappings",
    "ingest",
    "oai",
    "resourcesync",
    "pages",
    "harvester",
    "checks",
    "navette",
)
#: Floors from the ground up: a room imports only rooms on lower floors or its own.
FLOORS = {
    "protocol": 0,
    "catalogue": 1,
    "schemas": 1,
    "mappings": 2,
    "ingest": 3,
    "oai": 4,
    "resourcesync": 4,
    "harvester": 4,
    "pages": 5,
    "checks": 5,
    "navette": 6,
}
LONGEST_MODULE = 450


def _modules() -> list[Path]:
    return [
        path
        for room in ROOMS
        if (ROOT / room).is_dir()
        for path in sorted((ROOT / room).rglob("*.py"))
        if "migrations" not in path.parts
    ]


def _imports(path: Path) -> set[str]:
    """The dotted names a module imports, wherever in it the import stands."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def _text(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _room(path: Path) -> str:
    return path.relative_to(ROOT).parts[0]


def _arrows() -> set[tuple[str, str, str]]:
    """(from room, to room, module) for every import between two rooms."""
    found = set()
    for path in _modules():
        for name in _imports(path):
            target = name.split(".")[0]
            if target in FLOORS and target != _room(path):
                found.add((_room(path), target, str(path.relative_to(ROOT))))
    return found


def test_every_import_between_rooms_points_to_a_lower_floor():
    upward = sorted(
        f"{module} imports {target}"
        for room, target, module in _arrows()
        if FLOORS[target] >= FLOORS[room]
    )
    assert upward == []


def test_the_provider_and_the_harvester_never_import_each_other():
    crossing = {(room, target) for room, target, _ in _arrows()} & {
        ("oai", "harvester"),
        ("harvester", "oai"),
    }
    assert crossing == set()


def test_crosswalks_know_of_the_catalogue_only_its_model_and_codec():
    allowed = ("catalogue.model", "catalogue.codec")
    found = sorted(
        f"{path.name}: {name}"
        for path in _modules()
        if _room(path) == "mappings"
        for name in _imports(path)
        if name.split(".")[0] == "catalogue" and ".".join(name.split(".")[:2]) not in allowed
    )
    assert found == []


def test_no_module_reads_the_environment_but_the_settings():
    readers = sorted(
        str(path.relative_to(ROOT))
        for path in _modules()
        if {"os.environ", "os.getenv"} & _imports(path) or "os.environ" in _text(path)
    )
    assert readers == ["navette/config.py"]


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_longer_than_a_reader_can_hold(path):
    lines = len(_text(path).splitlines())
    assert lines <= LONGEST_MODULE, f"{lines} lines"


def test_every_room_is_packaged_with_its_data():
    """A room left out of pyproject.toml works from the checkout and is missing once
    installed; a package-data folder that does not exist ships nothing."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    packages = set(setuptools["packages"])
    found = {
        ".".join(init.parent.relative_to(ROOT).parts)
        for room in ROOMS
        for init in (ROOT / room).rglob("__init__.py")
    }
    assert found - packages == set()
    for package, patterns in setuptools["package-data"].items():
        for pattern in patterns:
            assert list((ROOT / package).glob(pattern)), f"{package}: {pattern} matches nothing"


def test_every_file_a_room_reads_is_installed_with_it():
    """A template or a message catalogue that no package-data pattern names works from
    the checkout and is missing once installed (`pip install .`): a page that 500s, a
    site that is English only."""
    import tomllib

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    setuptools = project["tool"]["setuptools"]
    shipped = {
        path
        for package, patterns in setuptools["package-data"].items()
        for pattern in patterns
        for path in (ROOT / package.replace(".", "/")).glob(pattern)
    }
    rooms = {name.split(".")[0] for name in setuptools["packages"]}
    unshipped = [
        str(path.relative_to(ROOT))
        for room in rooms
        for path in (ROOT / room).rglob("*")
        if path.is_file()
        and path.suffix not in (".py", ".pyc")
        and "__pycache__" not in path.parts
        and path not in shipped
    ]
    assert sorted(unshipped) == []
