"""Cross-checks of `permissions.yaml`: each action is ruled once, in the `part.verb` form, and a
refusal names the scope only with `{where}`."""

from __future__ import annotations

import re
from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.schemas import PermissionsFile, Policy
from xinyong.policy.schemas.permissions import ACTION_PATTERN


def check_permissions(permissions: PermissionsFile, policy: Policy) -> Iterator[Problem]:
    seen: dict[str, str] = {}
    for i, rule in enumerate(permissions.rules):
        owner = f"permission rule {rule.name}"
        for j, action in enumerate(rule.actions):
            at: YamlPath = ("rules", i, "actions", j)
            if not re.match(ACTION_PATTERN, action):
                yield Problem(at, f"action '{action}' is not part.verb", owner=owner)
            elif action in seen:
                yield Problem(
                    at, f"action '{action}' is already ruled by {seen[action]}", owner=owner
                )
            seen.setdefault(action, rule.name)
        unknown = set(re.findall(r"\{(\w*)\}", rule.scope_refusal)) - {"where"}
        if unknown:
            at = ("rules", i, "scope_refusal")
            yield Problem(at, f"unknown placeholder {{{sorted(unknown)[0]}}}", owner=owner)
