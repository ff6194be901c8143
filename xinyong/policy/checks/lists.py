"""Cross-checks of `lists.yaml` against the catalog: every entry of a list is a record of a
catalog item, and the listing procedure makes entries of one of the list's items."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.schemas import ListsFile, Policy


def check_lists(lists: ListsFile, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.items`."""
    seen: set[str] = set()
    for i, list_type in enumerate(lists.list_types):
        owner = f"list type {list_type.code}"
        if list_type.code in seen:
            yield Problem(("list_types", i, "code"), "duplicate list type code", owner=owner)
        seen.add(list_type.code)
        for j, item in enumerate(list_type.items):
            if item not in policy.items:
                at: YamlPath = ("list_types", i, "items", j)
                yield Problem(at, f"unknown catalog item '{item}'", owner=owner)
        procedure = list_type.procedure
        if procedure is not None and procedure.item not in list_type.items:
            at = ("list_types", i, "procedure", "item")
            yield Problem(at, "not one of the list's items", owner=owner)
