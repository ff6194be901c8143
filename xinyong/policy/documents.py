"""Reading one YAML policy file with its node tree, and the one-line `PolicyError` that names
the file, the line and the entry (`file:line: item X, field Y: reason`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

from xinyong.errors import PolicyError
from xinyong.policy.checks import YamlPath

_Model = TypeVar("_Model", bound=BaseModel)
_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass(frozen=True)
class Document:
    """One parsed YAML file: its data and node tree (for line numbers)."""

    path: Path
    data: Any
    node: yaml.Node | None

    def fail(self, path: YamlPath, reason: str, owner: str, field: str | None = None) -> NoReturn:
        """Raise the one-line PolicyError for a problem at `path` in this document."""
        line = _line_of(self.node, path)
        where = f"{display(self.path)}:{line}" if line else display(self.path)
        subject = f"{owner}, field {field}" if field else owner
        raise PolicyError(f"{where}: {subject}: {reason}")

    def validate(
        self, model: type[_Model], name: Callable[[YamlPath], tuple[str, str | None]]
    ) -> _Model:
        """The document as a `model`; a problem is named by `name(place)`: (owner, field)."""
        try:
            return model.model_validate(self.data)
        except ValidationError as exc:
            loc, reason = _first_error(exc)
            owner, field = name(loc)
            self.fail(loc, reason, owner, field)


def parse(path: Path) -> Document:
    """The file's data and node tree; unreadable files and bad YAML fail with file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise PolicyError(f"{display(path)}: cannot read: {exc}") from None
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        data = loader.construct_document(node) if node is not None else None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{display(path)}:{mark.line + 1}" if mark else display(path)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise PolicyError(f"{where}: bad YAML: {problem}") from None
    finally:
        loader.dispose()
    return Document(path, data, node)


def _first_error(exc: ValidationError) -> tuple[YamlPath, str]:
    """Where pydantic's first error is, and a short reason in the words policy authors use."""
    error = exc.errors(include_url=False)[0]
    loc: YamlPath = tuple(error["loc"])
    key = next((part for part in reversed(loc) if isinstance(part, str)), "value")
    kind, value = error["type"], error.get("input")
    if kind in ("enum", "literal_error"):
        reason = f"unknown {key} '{value}'"
    elif kind == "union_tag_invalid":
        reason = f"unknown kind '{error.get('ctx', {}).get('tag', value)}'"
    elif kind == "extra_forbidden":
        reason = f"unknown key '{key}'"
    elif kind == "missing":
        reason = f"missing '{key}'"
    else:
        reason = f"{key}: {error['msg'].removeprefix('Value error, ')}"
    return loc, reason


def _line_of(node: yaml.Node | None, path: YamlPath) -> int | None:
    """1-based line of the YAML node at `path`, or of its deepest existing ancestor."""
    if node is None:
        return None
    for part in path:
        child = _child(node, part)
        if child is not None:  # parts that are not in the YAML (union tags) are skipped
            node = child
    return node.start_mark.line + 1


def _child(node: yaml.Node, part: str | int) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        return next((v for k, v in node.value if k.value == part), None)
    if isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
        return node.value[part]
    return None


def display(path: Path) -> str:
    """A path relative to the working folder when it lies under it, else as is."""
    try:
        return str(path.resolve().relative_to(Path.cwd()))
    except ValueError:
        return str(path)
