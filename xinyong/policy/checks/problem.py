"""What a cross-check reports: a place in the YAML, a reason, and the field or entry it is in."""

from __future__ import annotations

from dataclasses import dataclass

YamlPath = tuple[str | int, ...]


@dataclass(frozen=True)
class Problem:
    """One problem, at `path` inside the checked value's YAML (the loader adds where the value
    sits in its document). `owner` overrides the value's own name in the message (a list type
    inside `lists.yaml`), `field` names the catalog field it is about."""

    path: YamlPath
    reason: str
    field: str | None = None
    owner: str | None = None
