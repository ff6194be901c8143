"""Correcting a record linked to the wrong subject (重错码, seed 001 二(一)2): every version of
it moves to the right subject, with an event on each, a change-feed row on the current one and
an audit entry. Relinking it back undoes it."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.errors import DomainError, NotFound
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record, RecordChange, RecordEvent, RecordStatus
from xinyong.subjects.merging import clean_reason, correctable
from xinyong.subjects.models import Subject


def relink(
    session: Session, viewer: Principal, record_id: int, subject_id: int, reason: str
) -> int:
    """Move a record linked to the wrong subject (every version of it) to the right one;
    returns the number of versions moved. Relinking it back undoes it."""
    reason = clean_reason(reason)
    missing = NotFound(f"记录不存在：{record_id}", "record.not_found")
    permissions.require(session, viewer, "subjects.merge")  # by role first: ids stay unknown
    record = session.get(Record, record_id)
    if record is None:
        raise missing
    on = Target("record", record.id, record.department_id, record.region_code)
    permissions.require(session, viewer, "subjects.merge", on, unseen=missing)
    target = correctable(session, viewer, subject_id)
    if target.merged_into is not None:
        raise DomainError(
            f"主体 {target.id} 已并入主体 {target.merged_into}，请关联到后者", "subject.merged"
        )
    if record.subject_id == target.id:
        raise DomainError("该记录已关联到这一主体", "record.same_subject")
    person = SubjectType.NATURAL_PERSON.value
    before = session.get_one(Subject, record.subject_id)
    if (before.subject_type == person) != (target.subject_type == person):
        raise DomainError("不能把自然人的记录关联到组织，反之亦然", "subject.merge_kinds")
    versions = list(
        session.scalars(
            select(Record).where(
                Record.item_code == record.item_code, Record.natural_key == record.natural_key
            )
        )
    )
    now = clock.now()
    note = f"由主体 {before.id}（{before.name}）更正为主体 {target.id}（{target.name}）：{reason}"
    for version in versions:
        version.subject_id = target.id
        status = RecordStatus(version.status).value
        session.add(
            RecordEvent(
                record_id=version.id,
                at=now,
                event="subject.relink",
                from_status=status,
                to_status=status,
                actor=viewer.actor,
                reason=note,
            )
        )
        if version.is_current:
            session.add(
                RecordChange(
                    at=now,
                    record_id=version.id,
                    subject_id=target.id,
                    item_code=version.item_code,
                    change="subject_relinked",
                    from_status=status,
                    to_status=status,
                    reason=reason,
                )
            )
    audit.write(
        session,
        viewer.actor,
        "subjects.relink",
        "record",
        record.id,
        {"from": before.id, "to": target.id, "versions": [v.id for v in versions]},
        note=reason,
    )
    return len(versions)
