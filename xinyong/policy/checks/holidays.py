"""Cross-checks of one holiday year: its dates lie in the year and do not contradict each other."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import HolidayYear, Policy


def check_year(year: HolidayYear, policy: Policy) -> Iterator[Problem]:
    """A year stands alone: `policy` is not consulted."""
    for path, reason in year.problems():
        yield Problem(path, reason)
