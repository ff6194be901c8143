"""Which catalog items' records are red-list (守信激励) or black-list (失信惩戒) entries: read from
the `kind` of each list type in lists.yaml and nowhere else, so the portal's list pages, the
archive badges and the checks agree by construction, and a city adds a red list in YAML."""

from __future__ import annotations

from collections import defaultdict

from xinyong.policy.loader import load_policy
from xinyong.policy.schemas import Policy

RED = "red"  # 守信激励
BLACK = "black"  # 失信惩戒


def kinds_by_item(policy: Policy | None = None) -> dict[str, frozenset[str]]:
    """Catalog item code → the kinds of the lists its records are entries of."""
    found: dict[str, set[str]] = defaultdict(set)
    for list_type in (policy or load_policy()).list_types.values():
        for item in list_type.items:
            found[item].add(list_type.kind)
    return {item: frozenset(kinds) for item, kinds in found.items()}


def items_of_kind(kind: str, policy: Policy | None = None) -> list[str]:
    """The catalog items whose records are entries of a list of this kind, in catalog order."""
    policy = policy or load_policy()
    kinds = kinds_by_item(policy)
    return [code for code in policy.items if kind in kinds.get(code, ())]
