"""Layering: the report contract and the app core run without Qt and without the server stack.

Everything is discovered at test time (``pkgutil``), so modules added later are covered too:
``sync`` and every module below it, every module under ``informant_app/core``, and
``informant_app.commands.main`` / ``informant_app.__main__`` when they exist.  The imports run in
a fresh interpreter whose ``sys.meta_path`` refuses PySide6 and shiboken6.
"""

from __future__ import annotations

import ast
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import TypedDict

import pytest

ROOT = Path(__file__).resolve().parents[1]

#: Packages whose whole tree must import without Qt.
QT_FREE_PACKAGES = ("sync", "informant_app.core")
#: Single modules that must import without Qt, when they exist.
QT_FREE_MODULES = ("informant_app.commands.main", "informant_app.__main__")
#: Source folders that must not import the server stack, and what counts as that stack.
SERVER_FREE_DIRS = ("sync", "informant_app/core")
SERVER_PACKAGES = frozenset({"fastapi", "starlette", "uvicorn"})
#: Sub-folders exempt from the server check: the city server may import FastAPI (never Qt).
SERVER_EXEMPT_DIRS: tuple[str, ...] = ("sync/server",)
QT_PACKAGES = frozenset({"PySide6", "shiboken6"})

_PROBE = r"""
import importlib
import importlib.util
import json
import os
import pkgutil
import sys
import traceback

QT = ("PySide6", "shiboken6")
PACKAGES, MODULES = json.loads(sys.argv[1]), json.loads(sys.argv[2])
EXCLUDE = set(json.loads(sys.argv[3]))


class QtBlocked(ImportError):
    pass


class BlockQt:
    # A meta-path finder that refuses Qt outright.
    def find_spec(self, name, path=None, target=None):
        if name.partition(".")[0] in QT:
            raise QtBlocked(f"Qt import blocked: {name}")
        return None


sys.meta_path.insert(0, BlockQt())
result = {"imported": [], "skipped": [], "failed": [], "missing": []}


def is_script(name):
    # Alembic's env.py and revision scripts run inside Alembic, not standalone.
    return ".migrations." in name


def caused_by_qt(exc):
    seen = set()
    while exc is not None and id(exc) not in seen:
        seen.add(id(exc))
        if isinstance(exc, QtBlocked):
            return True
        exc = exc.__cause__ or exc.__context__
    return False


def try_import(name):
    try:
        importlib.import_module(name)
    except BaseException as exc:  # noqa: BLE001 - report everything, including SystemExit
        if is_script(name) and not caused_by_qt(exc):
            result["skipped"].append([name, repr(exc)])
        else:
            result["failed"].append([name, traceback.format_exc()])
        return False
    result["imported"].append(name)
    return True


def walk(name):
    if name in EXCLUDE or not try_import(name):
        return
    module = sys.modules[name]
    paths = list(getattr(module, "__path__", []))
    for info in pkgutil.iter_modules(paths, name + "."):
        if info.ispkg:
            walk(info.name)
        else:
            try_import(info.name)
    # pkgutil skips folders without __init__.py (Alembic's versions/): walk them as namespaces.
    for folder in paths:
        for sub in sorted(os.listdir(folder)):
            full = os.path.join(folder, sub)
            if (sub.isidentifier() and os.path.isdir(full)
                    and not os.path.exists(os.path.join(full, "__init__.py"))
                    and any(f.endswith(".py") for f in os.listdir(full))):
                walk(f"{name}.{sub}")


def exists(name):
    try:
        return importlib.util.find_spec(name) is not None
    except ImportError as exc:
        if caused_by_qt(exc):
            result["failed"].append([name, traceback.format_exc()])
        return False


for package in PACKAGES:
    if exists(package):
        walk(package)
    else:
        result["missing"].append(package)
for module in MODULES:
    if exists(module):
        try_import(module)
    else:
        result["missing"].append(module)

result["loaded"] = sorted(sys.modules)
print(json.dumps(result))
"""


class Probe(TypedDict):
    """What the probe printed: modules by outcome (failures and skips with their reason)."""

    imported: list[str]
    skipped: list[list[str]]  # [module, reason]
    failed: list[list[str]]  # [module, traceback]
    missing: list[str]
    loaded: list[str]


def _run_probe(
    tmp_path: Path,
    root: Path = ROOT,
    packages: tuple[str, ...] = QT_FREE_PACKAGES,
    modules: tuple[str, ...] = QT_FREE_MODULES,
    exclude: tuple[str, ...] = (),
) -> Probe:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(root), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    # Keep any import-time side effects (config or data folders) out of the real home.
    for var in ("HOME", "XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        env[var] = str(tmp_path / var.lower())
    env.pop("QT_QPA_PLATFORM", None)
    proc = subprocess.run(
        [
            sys.executable,
            "-c",
            _PROBE,
            json.dumps(packages),
            json.dumps(modules),
            json.dumps(exclude),
        ],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    result: Probe = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


@pytest.fixture(scope="module")
def probe(tmp_path_factory: pytest.TempPathFactory) -> Probe:
    return _run_probe(tmp_path_factory.mktemp("layering"))


@pytest.fixture(scope="module")
def client_probe(tmp_path_factory: pytest.TempPathFactory) -> Probe:
    """Everything the desktop app may load: the Qt-free packages without the city server."""
    return _run_probe(
        tmp_path_factory.mktemp("layering-client"),
        exclude=tuple(d.replace("/", ".") for d in SERVER_EXEMPT_DIRS),
    )


def test_the_probe_catches_qt(tmp_path: Path) -> None:
    """The probe itself works: a module that needs Qt fails, a migration script is skipped."""
    pkg = tmp_path / "src" / "fakecore"
    (pkg / "migrations" / "versions").mkdir(parents=True)
    (pkg / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "fine.py").write_text("import json\n", encoding="utf-8")
    (pkg / "window.py").write_text("from PySide6 import QtWidgets\n", encoding="utf-8")
    (pkg / "lazy.py").write_text("from fakecore import window\n", encoding="utf-8")
    (pkg / "migrations" / "__init__.py").write_text("", encoding="utf-8")
    (pkg / "migrations" / "env.py").write_text(
        "raise RuntimeError('alembic only')\n", encoding="utf-8"
    )
    (pkg / "migrations" / "versions" / "0001_x.py").write_text("import PySide6\n", encoding="utf-8")
    result = _run_probe(tmp_path, tmp_path / "src", ("fakecore",), ("fakecore.nothing",))
    failed = {name for name, _ in result["failed"]}
    assert failed == {"fakecore.window", "fakecore.lazy", "fakecore.migrations.versions.0001_x"}
    assert {name for name, _ in result["skipped"]} == {"fakecore.migrations.env"}
    assert "fakecore.fine" in result["imported"]
    assert result["missing"] == ["fakecore.nothing"]


def test_everything_imports_without_qt(probe: Probe) -> None:
    failures = "\n\n".join(f"{name}:\n{trace}" for name, trace in probe["failed"])
    assert not probe["failed"], f"modules that cannot be imported without Qt:\n{failures}"


def test_the_contract_was_covered(probe: Probe) -> None:
    imported = set(probe["imported"])
    expected = {"sync", "sync.contract.resources", "sync.contract"} | {
        f"sync.contract.{p.stem}"
        for p in (ROOT / "sync" / "contract").glob("*.py")
        if p.stem != "__init__"
    }
    assert expected <= imported, sorted(expected - imported)


def test_the_core_was_covered(probe: Probe) -> None:
    core = ROOT / "informant_app" / "core"
    if not (core / "__init__.py").exists():
        pytest.skip("informant_app/core does not exist yet")
    imported = set(probe["imported"]) | {name for name, _ in probe["skipped"]}
    expected = {"informant_app.core"} | {
        f"informant_app.core.{p.stem}" for p in core.glob("*.py") if p.stem != "__init__"
    }
    assert expected <= imported, sorted(expected - imported)
    for module in QT_FREE_MODULES:
        if (ROOT / (module.replace(".", "/") + ".py")).exists():
            assert module in probe["imported"]


def test_no_qt_module_was_loaded(probe: Probe) -> None:
    loaded_roots = {name.partition(".")[0] for name in probe["loaded"]}
    assert not loaded_roots & QT_PACKAGES


def test_the_client_side_loads_no_server_stack(client_probe: Probe) -> None:
    assert not client_probe["failed"]
    assert "sync.server" not in client_probe["imported"]
    loaded_roots = {name.partition(".")[0] for name in client_probe["loaded"]}
    assert not loaded_roots & QT_PACKAGES
    assert not loaded_roots & SERVER_PACKAGES, sorted(loaded_roots & SERVER_PACKAGES)


def _imported_roots(path: Path) -> set[tuple[str, int]]:
    """Return the top-level packages ``path`` imports anywhere (also inside functions)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: set[tuple[str, int]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found |= {(alias.name.partition(".")[0], node.lineno) for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            found.add((node.module.partition(".")[0], node.lineno))
        elif (
            isinstance(node, ast.Call)
            and (
                (isinstance(node.func, ast.Name) and node.func.id == "__import__")
                or (isinstance(node.func, ast.Attribute) and node.func.attr == "import_module")
            )
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            found.add((node.args[0].value.partition(".")[0], node.lineno))
    return found


def _sources(folder: str) -> list[Path]:
    base = ROOT / folder
    exempt = [ROOT / e for e in SERVER_EXEMPT_DIRS]
    return sorted(
        p
        for p in base.rglob("*.py")
        if not any(p.is_relative_to(e) for e in exempt) and "__pycache__" not in p.parts
    )


@pytest.mark.parametrize("folder", SERVER_FREE_DIRS)
def test_no_source_imports_the_server_stack_or_qt(folder: str) -> None:
    if not (ROOT / folder).is_dir():
        pytest.skip(f"{folder} does not exist yet")
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {root}"
        for path in _sources(folder)
        for root, line in sorted(_imported_roots(path))
        if root in SERVER_PACKAGES or root in QT_PACKAGES
    ]
    assert not offenders, "\n".join(offenders)


def test_the_static_check_sees_lazy_imports(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "def f():\n    import fastapi.routing\n"
        "def g():\n    from PySide6 import QtCore\n"
        "h = __import__('uvicorn')\n",
        encoding="utf-8",
    )
    assert {root for root, _ in _imported_roots(sample)} == {"fastapi", "PySide6", "uvicorn"}


def test_the_desktop_app_never_imports_the_server_stack() -> None:
    """The desktop bundle must not contain the server: no FastAPI and no sync.server in it."""
    offenders = [
        f"{path.relative_to(ROOT)}:{line} imports {root}"
        for path in sorted((ROOT / "informant_app").rglob("*.py"))
        for root, line in sorted(_imported_roots(path))
        if root in SERVER_PACKAGES
    ]
    offenders += [
        f"{path.relative_to(ROOT)}:{number} imports sync.server"
        for path in sorted((ROOT / "informant_app").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if line.lstrip().startswith(("from sync.server", "import sync.server"))
    ]
    assert not offenders, "\n".join(offenders)


# --- Which feature may use which -------------------------------------------------------------
#
# The folder tree is the architecture: every module below ``informant_app`` and ``sync`` belongs
# to a *room* (a feature package such as ``informant_app.core.review``, or a lone module such
# as ``informant_app.core.paths``).  The tables say which rooms each room may import; any
# import not written here fails ``test_every_import_follows_the_tables``.  Every room's plain
# values (its ``types`` module) are shared vocabulary that any core room may import.
# See docs/architecture.md.

#: Rooms of the Qt-free core and the rooms (besides its own) each may import.  ``paths``,
#: ``clock``, ``divisions`` and ``private_files`` are leaves anyone may use; ``diagnostics``
#: reads everything and nothing reads it.
CORE_RULES: dict[str, frozenset[str]] = {
    "store": frozenset(),
    "reports": frozenset({"store"}),
    "account": frozenset({"store"}),
    "review": frozenset({"store", "account", "township"}),
    "township": frozenset({"store", "account"}),
    "duty": frozenset({"store", "account"}),
    "admin": frozenset({"store", "account"}),
    "dashboard": frozenset({"store", "account", "township"}),
    "sync": frozenset({"store", "account", "review"}),
    "diagnostics": frozenset({"store", "account", "sync"}),
}
CORE_LEAVES = frozenset({"paths", "clock", "divisions", "private_files"})

#: Rooms of the Qt interface and the interface rooms each may import (every UI room may use
#: the whole core).  ``window`` puts the features together into the main window.
UI_RULES: dict[str, frozenset[str]] = {
    "tasks": frozenset(),
    "common": frozenset({"tasks"}),
    "help": frozenset({"common", "tasks"}),
    "account": frozenset({"common", "tasks", "sync"}),
    "sync": frozenset({"common", "tasks"}),
    "duty": frozenset({"common", "tasks", "sync"}),
    "reports": frozenset({"common", "tasks", "duty"}),
    "review": frozenset({"common", "tasks", "duty", "reports", "sync"}),
    "township": frozenset({"common", "tasks", "review", "sync"}),
    "admin": frozenset({"common", "tasks", "duty"}),
    "dashboard": frozenset({"common", "tasks", "township"}),
    "window": frozenset(
        {
            "common",
            "tasks",
            "help",
            "account",
            "sync",
            "duty",
            "reports",
            "review",
            "township",
            "admin",
            "dashboard",
        }
    ),
}

#: The top-level rooms and what each may import (``informant_app.core`` and ``.ui`` are checked
#: in detail by the tables above).  ``sync.contract`` is the one definition of a report and its
#: wire messages: it needs nothing else.  ``sync.shared`` is code both ends run (migrations).
TOP_RULES: dict[str, frozenset[str]] = {
    "sync.contract": frozenset(),
    "sync.shared": frozenset(),
    "sync.client": frozenset({"sync.contract"}),
    "sync.server": frozenset({"sync.contract", "sync.shared"}),
    "informant_app.core": frozenset(
        {"informant_app", "sync.contract", "sync.client", "sync.shared"}
    ),
    "informant_app.commands": frozenset(
        {"informant_app.core", "sync.contract", "sync.client", "informant_app.app"}
    ),
    "informant_app.ui": frozenset(
        {"informant_app", "informant_app.core", "sync.contract", "sync.client", "informant_app.app"}
    ),
    "informant_app.app": frozenset(
        {"informant_app.core", "informant_app.ui", "sync.contract", "informant_app"}
    ),
    "informant_app.demo": frozenset({"informant_app.app", "informant_app.ui", "sync.contract"}),
    "informant_app": frozenset({"informant_app.commands"}),
}


def _modules() -> dict[str, Path]:
    """Every module of ``informant_app`` and ``sync`` (not Alembic's scripts), by name."""
    found: dict[str, Path] = {}
    for top in ("informant_app", "sync"):
        for path in sorted((ROOT / top).rglob("*.py")):
            rel = path.relative_to(ROOT)
            if "__pycache__" in rel.parts or "migrations" in rel.parts[:-1]:
                continue
            parts = list(rel.with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            found[".".join(parts)] = path
    return found


def _module_imports(path: Path, known: dict[str, Path]) -> set[str]:
    """Return the project modules ``path`` imports, also inside functions and TYPE_CHECKING."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            for alias in node.names:
                full = f"{node.module}.{alias.name}"
                targets.add(full if full in known else node.module)
        elif isinstance(node, ast.Import):
            targets |= {alias.name for alias in node.names}
    return {t for t in targets if t in known}


def _top_room(module: str) -> str:
    for room in sorted(TOP_RULES, key=len, reverse=True):
        if module == room or module.startswith(room + "."):
            return room
    return module


def _sub_room(module: str, layer: str) -> str | None:
    """Return the room of ``module`` inside ``informant_app.<layer>`` (``core`` or ``ui``)."""
    prefix = f"informant_app.{layer}."
    if not module.startswith(prefix):
        return None
    first = module[len(prefix) :].split(".")[0]
    return first


def _import_errors(modules: dict[str, Path]) -> list[str]:
    errors: list[str] = []
    for module, path in sorted(modules.items()):
        here = _top_room(module)
        for target in sorted(_module_imports(path, modules)):
            there = _top_room(target)
            shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path
            where = f"{shown}: {module} imports {target}"
            if here != there and there not in TOP_RULES[here]:
                errors.append(f"{where} ({here} may not use {there})")
                continue
            for layer, rules in (("core", CORE_RULES), ("ui", UI_RULES)):
                a, b = _sub_room(module, layer), _sub_room(target, layer)
                if a is None or b is None or a == b:
                    continue
                if layer == "core" and (b in CORE_LEAVES or target.endswith(".types")):
                    continue
                if a not in rules or b not in rules[a]:
                    errors.append(f"{where} (core/ui room {a} may not use {b})")
    return errors


def test_every_room_is_in_the_tables() -> None:
    """A new feature package must be placed in the tables, with what it may use."""
    modules = _modules()
    core = {room for m in modules if (room := _sub_room(m, "core"))}  # not None, not ""
    ui = {room for m in modules if (room := _sub_room(m, "ui"))}
    assert core <= set(CORE_RULES) | CORE_LEAVES, sorted(core - set(CORE_RULES) - CORE_LEAVES)
    assert ui <= set(UI_RULES), sorted(ui - set(UI_RULES))


def test_every_import_follows_the_tables() -> None:
    errors = _import_errors(_modules())
    assert not errors, "imports the layering tables do not allow:\n" + "\n".join(errors)


def test_the_tables_catch_a_wrong_import(tmp_path: Path) -> None:
    """The check itself works: the store reaching up into review logic is refused."""
    modules = _modules()
    bad = tmp_path / "bad.py"
    bad.write_text("from informant_app.core.review import service\n", encoding="utf-8")
    fake = dict(modules)
    fake["informant_app.core.store.bad"] = bad
    errors = _import_errors(fake)
    assert any("room store may not use review" in e for e in errors), errors
    ok = tmp_path / "ok.py"
    ok.write_text("from informant_app.core.review import types\n", encoding="utf-8")
    fake = dict(modules)
    fake["informant_app.core.store.ok"] = ok
    assert not [e for e in _import_errors(fake) if "store.ok" in e]


def _cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Return the strongly connected components of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(graph[node]):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def test_no_import_circle() -> None:
    """No two modules import each other, directly or round about (lazy imports count too)."""
    modules = _modules()
    graph = {m: _module_imports(p, modules) - {m} for m, p in modules.items()}
    assert not _cycles(graph)


def test_the_circle_check_finds_a_circle() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(graph) == [["a", "b", "c"]]


# --- The store owns its sessions -----------------------------------------------------------
#
# Only ``informant_app/core/store`` opens sessions on the database: every other core room asks
# the store's functions (issue 14, "the store owns its rules").

STORE_DIR = ROOT / "informant_app" / "core" / "store"


def _session_uses(path: Path) -> list[str]:
    """Return where ``path`` touches the store's engine or opens a session (``file:line``)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and node.attr == "engine":
            found.append(f"{path}:{node.lineno} uses .engine")
        elif isinstance(node, ast.Call):
            func = node.func
            name = (
                func.id
                if isinstance(func, ast.Name)
                else func.attr
                if isinstance(func, ast.Attribute)
                else None
            )
            if name in ("write_session", "Session"):
                found.append(f"{path}:{node.lineno} calls {name}()")
    return found


def test_only_the_store_opens_sessions() -> None:
    core = ROOT / "informant_app" / "core"
    offenders = [
        use
        for path in sorted(core.rglob("*.py"))
        if not path.is_relative_to(STORE_DIR) and "__pycache__" not in path.parts
        for use in _session_uses(path)
    ]
    assert not offenders, "sessions opened outside informant_app/core/store:\n" + "\n".join(
        offenders
    )


def test_the_session_check_finds_a_session(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text(
        "from sqlalchemy.orm import Session\n"
        "from informant_app.core.sync import engine\n"
        "def f(store):\n"
        "    with Session(store.engine) as s:\n"
        "        pass\n"
        "    with store.write_session() as s:\n"
        "        pass\n",
        encoding="utf-8",
    )
    found = sorted(use.split(" ", 1)[1] for use in _session_uses(sample))
    assert found == ["calls Session()", "calls write_session()", "uses .engine"]
