"""Ending publication on time: records whose window has closed become 已过公示期.

The publication view already hides a record past its window on the day it closes; this job
makes the status say so too, with an event per record, in two set-based statements."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import and_, insert, literal, select, update
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.records.models import Record, RecordEvent, RecordStatus

ACTOR = "job:expire"
REASON = "公示期满，自动停止公示"


def expire_due(session: Session, now: datetime | None = None) -> int:
    """Mark every current, valid record whose window ended by today; returns how many.
    Records never published (an empty window) keep their status. Idempotent."""
    now = now or clock.now()
    today = now.astimezone(clock.SHANGHAI).date()
    due = and_(
        Record.is_current,
        Record.status == RecordStatus.VALID.value,
        Record.publish_until <= today,
        Record.publish_until > Record.publish_from,
    )
    events = select(
        Record.id,
        literal(now, RecordEvent.at.type),
        literal("status"),
        literal(RecordStatus.VALID.value),
        literal(RecordStatus.EXPIRED.value),
        literal(ACTOR),
        literal(REASON),
    ).where(due)
    columns = ["record_id", "at", "event", "from_status", "to_status", "actor", "reason"]
    session.execute(insert(RecordEvent).from_select(columns, events))
    result = session.execute(
        update(Record).where(due).values(status=RecordStatus.EXPIRED.value),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]
