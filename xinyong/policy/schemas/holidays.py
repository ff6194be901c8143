"""`holidays.yaml`: public holidays and make-up working days for years `chinesecalendar` does
not cover."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

from pydantic import Field, PrivateAttr

from xinyong.policy.schemas.common import PolicyModel


class DateRange(PolicyModel):
    """Consecutive days off, `from` to `to` inclusive (a notice's "2月15日至23日放假")."""

    first: date = Field(alias="from")
    last: date = Field(alias="to")

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)


class HolidayYear(PolicyModel):
    """One year's public holidays and make-up working days (调休上班), as the State Council's
    notice lists them: the working-day calendar for a year `chinesecalendar` does not cover."""

    year: int = Field(ge=1900, le=2999)
    holidays: list[date | DateRange] = Field(min_length=1)
    workdays: list[date] = []
    source: str = Field(min_length=1)
    verified: bool

    _days_off: frozenset[date] = PrivateAttr(default_factory=frozenset)

    def model_post_init(self, context: Any, /) -> None:
        spans = (h.days() if isinstance(h, DateRange) else (h,) for h in self.holidays)
        self._days_off = frozenset(day for span in spans for day in span)

    @property
    def days_off(self) -> frozenset[date]:
        """Every holiday, ranges expanded (weekend days inside a range included)."""
        return self._days_off

    def problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(path in the entry, reason) for dates outside the year or contradicting each other."""
        for i, entry in enumerate(self.holidays):
            ends = (entry.first, entry.last) if isinstance(entry, DateRange) else (entry,)
            if isinstance(entry, DateRange) and entry.first > entry.last:
                yield ("holidays", i), f"range ends before it starts ({entry.first} > {entry.last})"
            for day in ends:
                if day.year != self.year:
                    yield ("holidays", i), f"{day} is not in {self.year}"
        for i, day in enumerate(self.workdays):
            if day.year != self.year:
                yield ("workdays", i), f"{day} is not in {self.year}"
            elif day in self._days_off:
                yield ("workdays", i), f"{day} is also listed as a holiday"
            elif day.weekday() < 5:
                yield ("workdays", i), f"{day} is a weekday: a make-up working day is a weekend day"


class HolidayFile(PolicyModel):
    years: list[HolidayYear]
