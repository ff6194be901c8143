"""Cross-checks of `reports.yaml` against the catalog and the permissions: every section names
catalog items that exist, every kind's action is ruled in permissions.yaml, and each subject
type has at most one default kind."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.schemas import Policy
from xinyong.policy.schemas.reports import ReportsPolicy


def check_reports(reports: ReportsPolicy, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.items` and `policy.permissions`."""
    defaults: dict[str, str] = {}
    for k, kind in enumerate(reports.kinds):
        owner = f"report kind {kind.code}"
        if kind.action not in policy.permissions:
            yield Problem(
                ("kinds", k, "action"), f"'{kind.action}' is in no permission rule", owner=owner
            )
        if kind.default:
            for who in ("organisation", "person") if kind.subjects == "any" else (kind.subjects,):
                if who in defaults:
                    yield Problem(
                        ("kinds", k, "default"),
                        f"{defaults[who]} is already the default for {who}",
                        owner=owner,
                    )
                defaults.setdefault(who, kind.code)
        for s, section in enumerate(kind.sections):
            for i, code in enumerate(section.items):
                if code not in policy.items:
                    at: YamlPath = ("kinds", k, "sections", s, "items", i)
                    yield Problem(at, f"unknown catalog item '{code}'", owner=owner)
