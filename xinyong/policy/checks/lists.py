"""Cross-checks of `lists.yaml` against the catalog: every entry of a list is a record of a
catalog item, and the listing procedure makes entries of one of the list's items."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.schemas import Category, ListsFile, ListType, Policy

# A list kind and the catalog category it contradicts: 守信激励 is never a black-list entry.
_KIND_AGAINST = {"red": Category.DISHONESTY_DISCIPLINE, "black": Category.TRUST_INCENTIVE}
_OPPOSITE = {"red": "black", "black": "red"}


def check_lists(lists: ListsFile, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.items`. The lists' kinds are the one definition of 守信激励 and 失信惩戒
    (`policy.list_kinds`), so no item is on a red and a black list, nor against its category."""
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
        for j, item in enumerate(list_type.items):
            if (clash := _kind_clash(policy, lists.list_types[:i], list_type, item)) is not None:
                yield Problem(("list_types", i, "items", j), clash, owner=owner)


def _kind_clash(
    policy: Policy, earlier: list[ListType], list_type: ListType, item: str
) -> str | None:
    found = policy.items.get(item)
    if found is not None and found.category is _KIND_AGAINST.get(list_type.kind):
        return f"a {list_type.kind} list cannot hold '{item}' ({found.category.value})"
    opposite = _OPPOSITE.get(list_type.kind)
    for other in earlier:
        if other.kind == opposite and item in other.items:
            return f"'{item}' is already on the {opposite} list {other.code}"
    return None
