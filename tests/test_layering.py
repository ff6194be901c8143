"""The layering of issue 12, checked on the source: HTTP on top, plumbing below, parts apart."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "xinyong"
ROUTE_FILES = {"api.py", "pages.py"}
# The edge: modules that may use the HTTP plumbing (routes, their request/response shapes, the
# shared layout and the top).
EDGE_FILES = ROUTE_FILES | {"schemas.py"}
READS = {"get", "execute", "scalar", "scalars", "query", "add", "delete", "merge"}


def _modules() -> list[tuple[str, Path, ast.Module]]:
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        name = ".".join(path.relative_to(PACKAGE.parent).with_suffix("").parts)
        found.append((name.removesuffix(".__init__"), path, ast.parse(path.read_text())))
    return found


def _imports(tree: ast.Module) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
    return names


def _is_route_module(name: str) -> bool:
    return name.rsplit(".", 1)[-1] in {"api", "pages"} and name.count(".") >= 2


MODULES = _modules()


def test_only_the_app_imports_the_parts_routers():
    offenders = [
        (name, imported)
        for name, _path, tree in MODULES
        if name != "xinyong.app"
        for imported in _imports(tree)
        if _is_route_module(imported) and imported.split(".")[1] != "http"
    ]
    assert offenders == []


def test_nothing_imports_the_top():
    offenders = [name for name, _p, tree in MODULES if "xinyong.app" in _imports(tree)]
    assert offenders == []


@pytest.mark.parametrize(
    "name,path,tree",
    [
        m
        for m in MODULES
        if m[1].name not in EDGE_FILES
        and m[1].parent.name not in {"http", "web"}
        and m[0] != "xinyong.app"
    ],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_services_models_and_policy_do_not_import_http(name, path, tree):
    assert not [i for i in _imports(tree) if i.startswith("xinyong.http")], name


@pytest.mark.parametrize(
    "name,tree",
    [(n, t) for n, p, t in MODULES if p.name in ROUTE_FILES],
    ids=lambda value: value if isinstance(value, str) else "",
)
def test_routes_call_services_and_never_read_tables(name, tree):
    """A route parses, calls one service and renders: no query of its own."""
    calls = [
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Name)
        and node.func.value.id == "session"
        and node.func.attr in READS
    ]
    assert calls == [], name
    assert "sqlalchemy.select" not in _imports(tree), name


def test_every_name_the_benchmarks_import_exists():
    """Benchmarks import lazily (inside functions) and are not run by the suite: a move in the
    package must still be followed there."""
    import importlib

    missing = []
    for path in sorted((PACKAGE.parent / "benchmarks").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("xinyong"):
                module = importlib.import_module(node.module)
                missing += [
                    f"{path.name}: {node.module}.{alias.name}"
                    for alias in node.names
                    if not hasattr(module, alias.name)
                    and importlib.util.find_spec(f"{node.module}.{alias.name}") is None
                ]
    assert missing == []
