"""The one clock every service reads, so tests and `as_of` queries can set the time."""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

SHANGHAI = ZoneInfo("Asia/Shanghai")

_frozen: datetime | None = None


def now() -> datetime:
    """The current time in UTC (timezone-aware)."""
    return _frozen if _frozen is not None else datetime.now(UTC)


def today() -> date:
    """Today's date in China, where every deadline and decision date is counted."""
    return now().astimezone(SHANGHAI).date()


@contextlib.contextmanager
def frozen_at(moment: datetime) -> Iterator[None]:
    """Fix the clock at `moment` (must be timezone-aware) for the duration of the block."""
    global _frozen
    if moment.tzinfo is None:
        raise ValueError("frozen_at needs a timezone-aware datetime")
    previous, _frozen = _frozen, moment.astimezone(UTC)
    try:
        yield
    finally:
        _frozen = previous
