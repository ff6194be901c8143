"""Chinese working days: weekends and the State Council's public holidays are days off, the
make-up working days (调休上班) are worked.

A year comes from the policy's holiday table (`policy/holidays.yaml`) when it lists it, else
from `chinesecalendar` (2004–2026). A year in neither has no official schedule yet: only its
weekends are days off, and a deadline that counts a day of it is provisional. Nothing here
raises for an uncovered year. Results are cached until `forget_policy()`.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import date, timedelta

import chinese_calendar

from xinyong.policy.loader import load_policy, on_forget

_ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class Deadline:
    """The last day something is due; `provisional` when it was counted through a year whose
    holidays are not yet known, so the State Council's notice may still move it."""

    on: date
    provisional: bool


@dataclass(frozen=True)
class _Year:
    working: frozenset[date]
    official: bool


def is_working_day(day: date) -> bool:
    return day in _year(day.year).working


def official(year: int) -> bool:
    """Whether the year's holidays are known (the policy's table or chinesecalendar)."""
    return _year(year).official


@functools.lru_cache(maxsize=65536)
def add_working_days(start: date, days: int) -> Deadline:
    """The `days`-th working day after `start` (`start` itself is not counted)."""
    if days < 0:
        raise ValueError(f"cannot count {days} working days")
    day, left, provisional = start, days, False
    while left:
        day += _ONE_DAY
        year = _year(day.year)
        provisional = provisional or not year.official
        if day in year.working:
            left -= 1
    return Deadline(day, provisional)


@functools.lru_cache(maxsize=65536)
def working_days_before(end: date, days: int) -> date:
    """The working day `days` working days before `end` (`end` itself for 0): the day a
    reminder "N working days before the deadline" falls on."""
    if days < 0:
        raise ValueError(f"cannot count {days} working days")
    day, left = end, days
    while left:
        day -= _ONE_DAY
        if day in _year(day.year).working:
            left -= 1
    return day


@functools.lru_cache(maxsize=65536)
def working_days_between(start: date, end: date) -> int:
    """Working days after `start` up to and including `end` (0 when `end` is not later)."""
    count, day = 0, start
    while day < end:
        day += _ONE_DAY
        if day in _year(day.year).working:
            count += 1
    return count


@functools.cache
def _year(year: int) -> _Year:
    days = [date(year, 1, 1) + timedelta(days=i) for i in range(366)]
    days = [day for day in days if day.year == year]
    table = load_policy().holidays.get(year)
    if table is not None:
        worked = set(table.workdays)
        off = table.days_off
        return _Year(
            frozenset(d for d in days if d in worked or (d.weekday() < 5 and d not in off)), True
        )
    try:
        return _Year(frozenset(d for d in days if chinese_calendar.is_workday(d)), True)
    except NotImplementedError:  # chinesecalendar raises for any year it does not cover
        return _Year(frozenset(d for d in days if d.weekday() < 5), False)


@on_forget
def forget_calendar() -> None:
    """Drop the cached years and counts (the policy's holiday table may have changed)."""
    _year.cache_clear()
    add_working_days.cache_clear()
    working_days_before.cache_clear()
    working_days_between.cache_clear()
