"""build.spec against the code, without building: what the app imports is not excluded.

The spec excludes every PySide6 module but those in its ``QT_KEEP``; a module the app starts to
import (say ``QtSvgWidgets``) would be missing from the bundle and fail only when frozen.
"""

from __future__ import annotations

import ast
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
SPEC = REPO / "build.spec"


def spec_constant(name: str) -> object:
    for node in ast.parse(SPEC.read_text(encoding="utf-8")).body:
        if (
            isinstance(node, ast.Assign)
            and len(node.targets) == 1
            and isinstance(node.targets[0], ast.Name)
            and node.targets[0].id == name
        ):
            return ast.literal_eval(node.value)
    raise AssertionError(f"no {name} = … in build.spec")


def imported_modules(path: Path) -> set[str]:
    names: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def module_name(path: Path) -> str:
    return ".".join(path.relative_to(REPO).with_suffix("").parts).removesuffix(".__init__")


def app_sources() -> list[Path]:
    """The code that goes into the bundle: not what the spec excludes (server, demo)."""
    excluded = spec_constant("SERVER_AND_TOOLS")
    assert isinstance(excluded, list)
    return [
        path
        for path in [*(REPO / "informant_app").rglob("*.py"), *(REPO / "sync").rglob("*.py")]
        if not any(
            module_name(path) == e or module_name(path).startswith(e + ".") for e in excluded
        )
    ]


def test_every_qt_module_the_app_imports_is_kept() -> None:
    kept = spec_constant("QT_KEEP")
    assert isinstance(kept, set)
    used = {
        name.split(".")[1]: path.relative_to(REPO).as_posix()
        for path in app_sources()
        for name in imported_modules(path)
        if name.startswith("PySide6.Qt")
    }
    missing = {module: where for module, where in used.items() if module not in kept}
    assert not missing, f"add these to QT_KEEP in build.spec: {missing}"


def test_the_app_imports_nothing_the_spec_excludes() -> None:
    excluded = spec_constant("SERVER_AND_TOOLS")
    assert isinstance(excluded, list)
    offending = {
        path.relative_to(REPO).as_posix(): name
        for path in app_sources()
        for name in imported_modules(path)
        if any(name == e or name.startswith(e + ".") for e in excluded)
    }
    assert not offending
