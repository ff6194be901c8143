"""The 待核实 queue: subjects first named by a department's record, with no registration record
yet. Staff check them against the registration authority's data and verify them (their records
then reach the public as any other), or wait for the registration record, which verifies them
by itself (subjects.profiles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, exists, func, select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.db import in_region
from xinyong.errors import DomainError, NotFound
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

PER_PAGE = 50


@dataclass(frozen=True)
class Waiting:
    subject_id: int
    name: str
    subject_type: SubjectType
    uscc: str | None
    created_at: datetime
    records: int  # of the viewer's region


@dataclass(frozen=True)
class Queue:
    subjects: list[Waiting]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PER_PAGE))


def unverified(session: Session, viewer: Principal, page: int = 1) -> Queue:
    """The 待核实 subjects with a record sent from the viewer's region, oldest first."""
    permissions.require(session, viewer, "subjects.review")
    in_scope = in_region(Record.region_code, viewer.region_code)
    ours = and_(
        exists().where(Record.subject_id == Subject.id, in_scope), Subject.merged_into.is_(None)
    )
    total = session.scalar(
        select(func.count()).select_from(Subject).where(Subject.verified.is_(False), ours)
    )
    counted = (
        select(func.count())
        .where(Record.subject_id == Subject.id, Record.is_current, in_scope)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            Subject.id,
            Subject.name,
            Subject.subject_type,
            Subject.uscc,
            Subject.created_at,
            counted,
        )
        .where(Subject.verified.is_(False), ours)
        .order_by(Subject.id)
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    )
    waiting = [Waiting(r[0], r[1], SubjectType(r[2]), r[3], r[4], r[5]) for r in rows]
    # Subjects the public may not see yet: who looked at which is kept, as for any such view.
    shown = {"page": page, "subjects": [w.subject_id for w in waiting]}
    audit.write(session, viewer.actor, "subjects.review_queue", "subjects", None, shown)
    return Queue(waiting, total or 0, page)


def verify(session: Session, viewer: Principal, subject_id: int, basis: str) -> Subject:
    """Staff confirm the subject against the registration authority's data (basis: what they
    checked, e.g. 国家企业信用信息公示系统); audited. Unknown ids and subjects outside the
    viewer's region get the same 404."""
    permissions.require(session, viewer, "subjects.review")
    missing = NotFound(f"待核实主体不存在：{subject_id}", "subject.not_found")
    subject = session.get(Subject, subject_id)
    if subject is None or subject.merged_into is not None:
        raise missing
    region = session.scalar(
        select(Record.region_code)
        .where(Record.subject_id == subject_id)
        .order_by(Record.id)
        .limit(1)
    )
    target = Target("subject", subject_id, region_code=region, subject_id=subject_id)
    permissions.require(session, viewer, "subjects.review", target, unseen=missing)
    if subject.verified:
        raise DomainError("该主体已核实", "subject.already_verified")
    if not basis.strip():
        raise DomainError(
            "请写明核实依据（如：已对照国家企业信用信息公示系统）", "subject.verify_basis"
        )
    subject.verified, subject.updated_at = True, clock.now()
    audit.write(session, viewer.actor, "subjects.verify", "subject", subject_id, note=basis.strip())
    return subject
