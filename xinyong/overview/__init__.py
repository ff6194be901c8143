"""Platform-wide counts for the home pages, cached briefly because they scan whole tables."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy.orm import Session

from xinyong.catalog import list_items
from xinyong.policy.enums import SubjectType
from xinyong.records.service import count_current_by_item
from xinyong.subjects.service import count_by_type

CACHE_SECONDS = 30.0


@dataclass(frozen=True)
class PlatformCounts:
    subjects: dict[SubjectType, int]
    records: dict[str, tuple[str, int]]  # item code → (Chinese name, current records)

    @property
    def total_subjects(self) -> int:
        return sum(self.subjects.values())

    @property
    def total_records(self) -> int:
        return sum(n for _, n in self.records.values())


_cache: dict[str, tuple[float, PlatformCounts]] = {}


def platform_counts(session: Session) -> PlatformCounts:
    key = str(session.get_bind().engine.url)
    hit = _cache.get(key)
    if hit and time.monotonic() - hit[0] < CACHE_SECONDS:
        return hit[1]
    per_item = count_current_by_item(session)
    counts = PlatformCounts(
        subjects=count_by_type(session),
        records={item.code: (item.name, per_item.get(item.code, 0)) for item in list_items()},
    )
    _cache[key] = (time.monotonic(), counts)
    return counts


def forget_counts() -> None:
    _cache.clear()
