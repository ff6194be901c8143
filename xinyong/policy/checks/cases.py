"""Cross-checks of a case kind (`cases/<kind>.yaml`): its states and transitions fit together,
and every step is authorised by an action `permissions.yaml` rules."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import Policy
from xinyong.policy.schemas.cases import CaseKind


def check_case_kind(kind: CaseKind, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.permissions`."""
    for path, reason in kind.problems():
        yield Problem(path, reason)
    if kind.view_action not in policy.permissions:
        yield Problem(("view_action",), _unruled(kind.view_action))
    for i, transition in enumerate(kind.transitions):
        if transition.action not in policy.permissions:
            yield Problem(("transitions", i, "action"), _unruled(transition.action))
    if kind.suspension and kind.suspension.action not in policy.permissions:
        yield Problem(("suspension", "action"), _unruled(kind.suspension.action))


def _unruled(action: str) -> str:
    return f"unknown permission action '{action}' (not in permissions.yaml)"
