"""Cross-checks of `measures.yaml`: each measure names known list types and matters, and a legal
basis limited to some items names items whose records are entries of the measure's lists."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.schemas import MeasuresFile, Policy


def check_measures(measures: MeasuresFile, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.list_types` (so `lists.yaml` is registered before this file)."""
    list_types = policy.list_types
    matters = {matter.code for matter in measures.matters}
    seen: set[str] = set()
    for i, measure in enumerate(measures.measures):
        owner = f"measure {measure.code}"
        if measure.code in seen:
            yield Problem(("measures", i, "code"), "duplicate measure code", owner=owner)
        seen.add(measure.code)
        for j, code in enumerate(measure.list_types):
            if code not in list_types:
                at: YamlPath = ("measures", i, "list_types", j)
                yield Problem(at, f"unknown list type '{code}'", owner=owner)
        for j, code in enumerate(measure.matters):
            if code not in matters:
                at = ("measures", i, "matters", j)
                yield Problem(at, f"unknown matter '{code}'", owner=owner)
        entries = {
            item for t in measure.list_types if t in list_types for item in list_types[t].items
        }
        for j, basis in enumerate(measure.bases):
            for k, item in enumerate(basis.items):
                if item not in entries:
                    at = ("measures", i, "legal_basis", j, "items", k)
                    reason = f"'{item}' is not an item of the measure's lists"
                    yield Problem(at, reason, owner=owner)
