"""Timeliness (及时率) of 双公示 and 十公示 records: the day each is due on the platform under
its catalog item's rule, and whether it was received by then (counted in Beijing dates)."""

from __future__ import annotations

import functools
from datetime import date, datetime, timedelta

from xinyong import clock
from xinyong.policy.loader import on_forget
from xinyong.policy.schemas import TimelinessRule
from xinyong.workdays import Deadline, add_working_days


@functools.lru_cache(maxsize=65536)
def due_date(rule: TimelinessRule, decided: date) -> Deadline:
    """The last day a record decided on `decided` may reach the platform: `days` working days
    after the decision, or `day` of the month after the decision."""
    if rule.kind == "working_days":
        if rule.days is None:
            raise ValueError("a working_days timeliness rule needs 'days'")
        return add_working_days(decided, rule.days)
    if rule.day is None:
        raise ValueError("a monthly timeliness rule needs 'day'")
    next_month = decided.replace(day=1) + timedelta(days=31)
    return Deadline(next_month.replace(day=rule.day), provisional=False)


on_forget(due_date.cache_clear)  # working-day deadlines follow the policy's holiday table


def on_time(rule: TimelinessRule | None, decided: date | None, received: datetime) -> bool | None:
    """Whether a record received at `received` (timezone-aware) came by its due date, compared
    as Beijing dates; None when there is no rule or no decision date to count from."""
    if rule is None or decided is None:
        return None
    return _beijing_date(received) <= due_date(rule, decided).on


@functools.lru_cache(maxsize=1024)  # a batch's records share one received time
def _beijing_date(moment: datetime) -> date:
    if moment.tzinfo is None:
        raise ValueError("on_time needs a timezone-aware datetime")
    return moment.astimezone(clock.SHANGHAI).date()
