"""Cross-checks of `repair.yaml` against the catalog and the list types: a repairable item is
a catalog item whose publication has a minimum period (repair is applied for after it), and an
item that removes a list entry is one of a list's items."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import Policy
from xinyong.policy.schemas.repair import RepairPolicy


def check_repair(repair: RepairPolicy, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.items` and `policy.list_types`."""
    listed = {item for list_type in policy.list_types.values() for item in list_type.items}
    seen: set[str] = set()
    for i, rule in enumerate(repair.items):
        at = ("items", i, "item")
        if rule.item in seen:
            yield Problem(at, f"duplicate item '{rule.item}'")
        seen.add(rule.item)
        item = policy.items.get(rule.item)
        if item is None:
            yield Problem(at, f"unknown catalog item '{rule.item}'")
            continue
        if rule.repairable and not _has_minimum(item.publication):
            yield Problem(at, f"'{rule.item}' has no minimum publication period to repair after")
        if rule.removes_list_entry and rule.item not in listed:
            yield Problem(("items", i, "removes_list_entry"), f"'{rule.item}' is on no list")


def _has_minimum(rule: object) -> bool:
    windows = [getattr(rule, name, None) for name in ("window", "minor", "general", "serious")]
    return any(w is not None and w.min is not None and w.publish for w in windows)
