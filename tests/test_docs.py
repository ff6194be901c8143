"""The docs name everything a user or an operator meets (issue 12 item 7): every CLI command,
every setting, every error code a refusal can carry and every /api/v1 route has an entry under
docs/. A new one without an entry fails here, so the docs cannot fall behind the code."""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import typer
from fastapi.routing import APIRoute

from xinyong import errors
from xinyong.app import API_ROUTERS
from xinyong.cli import app as cli_app
from xinyong.config import Settings
from xinyong.http.errors import HTTP_MESSAGES
from xinyong.policy import load_policy

ROOT = Path(__file__).resolve().parents[1]
DOCS = "\n".join(path.read_text() for path in sorted((ROOT / "docs").rglob("*.md")))
# Refusals whose code is built from a status (`http.404`) are listed by their family.
BUILT_CODES = {"http.{status}"}


def _commands(command: object, prefix: str = "xinyong") -> Iterator[str]:
    if hasattr(command, "commands"):  # a group (typer vendors its own click)
        for name, sub in command.commands.items():
            yield from _commands(sub, f"{prefix} {name}")
    else:
        yield prefix


def _error_classes() -> set[str]:
    found, todo = set(), [errors.DomainError]
    while todo:
        cls = todo.pop()
        found.add(cls.__name__)
        todo.extend(cls.__subclasses__())
    # `refused`: http.errors' refusal that renders the public site's page where there is one.
    return found | {"DomainError", "refusal", "refused", "Missing", "FileRefused"}


def _error_codes() -> set[str]:
    """Every code a refusal can carry: the constant (or module-constant) code passed to a
    DomainError, a refusal or a Missing anywhere in the package, the one an error class gives
    itself (`super().__init__(message, "auth.throttled")`), and each permission rule's code."""
    makers, codes = _error_classes(), set()
    for path in (ROOT / "xinyong").rglob("*.py"):
        tree = ast.parse(path.read_text())
        constants = _module_strings(tree)
        for node in ast.walk(tree):
            if isinstance(node, ast.ClassDef) and node.name in makers:
                codes.update(_own_codes(node))
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
            if name not in makers:
                continue
            at = 2 if name in {"refusal", "refused"} else 1
            arg = node.args[at] if len(node.args) > at else None
            arg = arg or next((k.value for k in node.keywords if k.arg == "code"), None)
            if isinstance(arg, ast.Name) and arg.id in constants:
                codes.add(constants[arg.id])
            elif isinstance(arg, ast.Constant) and isinstance(arg.value, str):
                codes.add(arg.value)
            elif isinstance(arg, ast.JoinedStr):
                codes.add(re.sub(r"\{[^}]*\}", "{status}", ast.unparse(arg)[2:-1]))
    return codes | {rule.code for rule in load_policy().permissions.values()}


def _module_strings(tree: ast.Module) -> dict[str, str]:
    """A module's top-level `NAME = "text"` constants (codes named once, used several times)."""
    return {
        target.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant)
        if isinstance(node.value.value, str)
        for target in node.targets
        if isinstance(target, ast.Name)
    }


def _own_codes(cls: ast.ClassDef) -> set[str]:
    """The code an error class passes to its base: `super().__init__(message, "code")`."""
    return {
        node.args[1].value
        for node in ast.walk(cls)
        if isinstance(node, ast.Call) and getattr(node.func, "attr", None) == "__init__"
        if len(node.args) > 1 and isinstance(node.args[1], ast.Constant)
        if isinstance(node.args[1].value, str)
    }


def _api_routes() -> list[str]:
    return [
        f"{method} /api/v1{route.path}"
        for router in API_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute)
        for method in sorted(route.methods)
    ]


COMMANDS = sorted(_commands(typer.main.get_command(cli_app)))
SETTINGS = sorted(f"XINYONG_{name.upper()}" for name in Settings.model_fields)
CODES = sorted(_error_codes())


@pytest.mark.parametrize("command", COMMANDS)
def test_every_cli_command_is_documented(command):
    assert f"`{command}" in DOCS


@pytest.mark.parametrize("setting", SETTINGS)
def test_every_setting_is_documented(setting):
    assert f"`{setting}`" in DOCS


@pytest.mark.parametrize("code", CODES)
def test_every_error_code_is_documented(code):
    assert f"`{code}`" in DOCS


@pytest.mark.parametrize("status", sorted(HTTP_MESSAGES))
def test_every_built_http_code_is_documented(status):
    """The `http.{status}` family, one code per status the platform words in Chinese."""
    assert f"`http.{status}`" in DOCS


@pytest.mark.parametrize("route", _api_routes())
def test_every_api_route_is_documented(route):
    assert f"`{route}`" in DOCS


def test_the_scan_finds_what_it_looks_for():
    """The collectors are not empty (a scan that finds nothing would pass everything)."""
    assert "xinyong users add" in COMMANDS and "XINYONG_SECRET_KEY" in SETTINGS
    assert {"uscc.checksum", "auth.required", "http.{status}"} <= set(CODES)
    assert "GET /api/v1/subjects/{subject_id}" in _api_routes()


def _documented_codes() -> list[str]:
    """The codes in the first column of the tables in docs/errors.md (a backticked code)."""
    text = (ROOT / "docs" / "errors.md").read_text()
    return re.findall(r"^\| `([^`]+)` \|", text, flags=re.MULTILINE)


def _built_http_code(code: str) -> bool:
    """`http.404`: a status Starlette refuses with and the platform words in Chinese."""
    status = code.removeprefix("http.")
    return status.isdigit() and int(status) in HTTP_MESSAGES


def test_no_documented_code_is_stale():
    """Every code docs/errors.md lists can still be raised: a renamed or removed code leaves
    no entry behind that clerks and client systems would look for in vain."""
    documented = _documented_codes()
    assert len(documented) > 100 and len(set(documented)) == len(documented)
    stale = [
        code
        for code in documented
        if code not in CODES and not (_built_http_code(code) and "http.{status}" in CODES)
    ]
    assert stale == []
