"""Ending publication on time: records whose window has closed become 已过公示期, and records
that say themselves they are no longer valid (catalog `invalid_when`, e.g. a licence whose
当前状态 is 无效) become 无效.

The publication view already hides a record past its window on the day it closes; this job
makes the status say so too, through the records' one transition table (`records.status`),
with an event per record, in set-based statements. Storing gives new records their 无效 status
already; the job brings records stored before the rule up to it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ColumnElement, and_
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.catalog import list_items
from xinyong.policy import load_policy
from xinyong.records import status
from xinyong.records.models import Record, RecordStatus
from xinyong.records.windows import condition_codes

ACTOR = "job:expire"
REASON = "公示期满，自动停止公示"
INVALID_REASON = "信息本身标明已无效（如许可当前状态为无效），停止公示"


def expire_due(session: Session, now: datetime | None = None) -> int:
    """Mark every current, valid record whose window ended by today, or whose values declare it
    invalid; returns how many. Records never published (an empty window) keep their status.
    Idempotent."""
    now = now or clock.now()
    today = now.astimezone(clock.SHANGHAI).date()
    due = and_(
        Record.is_current,
        Record.publish_until <= today,
        Record.publish_until > Record.publish_from,
    )
    valid, expired, invalid = RecordStatus.VALID, RecordStatus.EXPIRED, RecordStatus.INVALID
    ended = status.apply(session, due, valid, expired, ACTOR, REASON, now)
    return ended + sum(
        status.apply(session, declared, valid, invalid, ACTOR, INVALID_REASON, now)
        for declared in _declared_invalid()
    )


def _declared_invalid() -> list[ColumnElement[bool]]:
    """Per item with `invalid_when`: its current records whose field holds such a code."""
    policy = load_policy()
    found = []
    for item in list_items(policy):
        rule = item.publication
        codelists = item.codelists or policy.codelists
        declared = condition_codes(item, rule.invalid_when if rule else None, codelists)
        if declared is not None:
            field, codes = declared
            found.append(
                and_(
                    Record.is_current,
                    Record.item_code == item.code,
                    Record.payload[field].as_string().in_(sorted(codes)),
                )
            )
    return found
