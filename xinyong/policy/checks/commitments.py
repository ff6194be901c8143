"""Cross-checks of `commitments.yaml` against the catalog, the lists and the code lists: a bar
names items and lists that exist, a template's type is a `commitment_type` label, its bars are
declared and its text names only placeholders the service fills."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import Policy
from xinyong.policy.schemas.commitments import PLACEHOLDERS, CommitmentsPolicy

TYPES = "commitment_type"


def check_commitments(commitments: CommitmentsPolicy, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.items`, `policy.list_types` and `policy.codelists`."""
    bars: set[str] = set()
    for i, bar in enumerate(commitments.bars):
        owner = f"bar {bar.code}"
        if bar.code in bars:
            yield Problem(("bars", i, "code"), "duplicate bar code", owner=owner)
        bars.add(bar.code)
        for j, item in enumerate(bar.items):
            if item not in policy.items:
                yield Problem(
                    ("bars", i, "items", j), f"unknown catalog item '{item}'", owner=owner
                )
        for j, code in enumerate(bar.list_types):
            if code not in policy.list_types:
                yield Problem(
                    ("bars", i, "list_types", j), f"unknown list type '{code}'", owner=owner
                )
    types = policy.codelists.get(TYPES)
    seen: set[str] = set()
    for i, template in enumerate(commitments.templates):
        owner = f"template {template.code}"
        if template.code in seen:
            yield Problem(("templates", i, "code"), "duplicate template code", owner=owner)
        seen.add(template.code)
        if types is not None and types.resolve(template.type) is None:
            yield Problem(("templates", i, "type"), f"not a {TYPES} label", owner=owner)
        for j, code in enumerate(template.bars):
            if code not in bars:
                yield Problem(("templates", i, "bars", j), f"unknown bar '{code}'", owner=owner)
        if unknown := sorted(template.placeholders - PLACEHOLDERS):
            yield Problem(
                ("templates", i, "text"), f"unknown placeholder {{{unknown[0]}}}", owner=owner
            )
