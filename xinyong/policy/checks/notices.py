"""Cross-checks of `notices.yaml`: the notice's activation code has a purpose applicants.yaml
allows, so a code printed on a notice is one the activation accepts."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import NoticesPolicy, Policy


def check_notices(notices: NoticesPolicy, policy: Policy) -> Iterator[Problem]:
    purpose = notices.repair_notice.activation_code.purpose
    allowed = policy.applicants.activation_code.purposes
    if purpose not in allowed:
        at = ("repair_notice", "activation_code", "purpose")
        yield Problem(at, f"purpose '{purpose}' is not one of applicants.yaml's: {allowed}")
