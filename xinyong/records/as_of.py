"""A record's state at a past moment, as SQL: what the publication view and evaluation runs
read the past by. Status changes and objections are undone by the first event after the
moment; the version in force is the newest one created by then."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, case, exists, func, select
from sqlalchemy.orm import aliased

from xinyong.records.models import Record, RecordEvent


def state_as_of(moment: datetime | ColumnElement[Any] | None) -> tuple[Any, Any, Any]:
    """(status, objection flag, version-current condition) as SQL, as of `moment`: now, the
    record's own columns; in the past, undone by the first event after that moment."""
    if moment is None:
        return Record.status, Record.in_objection, Record.is_current
    later = select(RecordEvent).where(RecordEvent.record_id == Record.id, RecordEvent.at > moment)
    first_status = (
        later.where(RecordEvent.event == "status")
        .with_only_columns(RecordEvent.from_status)
        .order_by(RecordEvent.at, RecordEvent.id)
        .limit(1)
        .scalar_subquery()
    )
    first_objection = (
        later.where(RecordEvent.event.in_(("objection.open", "objection.close")))
        .with_only_columns(RecordEvent.event)
        .order_by(RecordEvent.at, RecordEvent.id)
        .limit(1)
        .scalar_subquery()
    )
    objection = case(
        (first_objection == "objection.close", True),
        (first_objection == "objection.open", False),
        else_=Record.in_objection,
    )
    newer = aliased(Record)
    version = and_(
        Record.created_at <= moment,
        ~exists().where(
            newer.item_code == Record.item_code,
            newer.natural_key == Record.natural_key,
            newer.version > Record.version,
            newer.created_at <= moment,
        ),
    )
    return func.coalesce(first_status, Record.status), objection, version
