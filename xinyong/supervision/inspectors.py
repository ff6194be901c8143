"""Each department's inspector pool (执法人员: name, 执法证号, active) and the 回避 links that keep
an inspector from being drawn for a subject (a relative, a former employer…). Managed by the
department itself, or by the credit office and the administrator of its region."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.errors import DomainError, NotFound
from xinyong.subjects.models import Subject
from xinyong.supervision.models import Avoidance, Inspector


def department_for(session: Session, principal: Principal, department_id: int | None) -> Department:
    """The department acted for: the one named, else the principal's own."""
    chosen = department_id or principal.department_id
    department = session.get(Department, chosen) if chosen else None
    if department is None:
        raise NotFound("部门不存在", "supervision.department_not_found")
    return department


def acting_for(
    session: Session,
    principal: Principal,
    department_id: int | None,
    action: str = "supervision.manage",
) -> Department:
    """The department acted for (`department_for`), once the principal may do `action` on it:
    by role first, so that a caller who may not act at all learns nothing of which ids exist;
    then on the department, so that an id of another region or department is refused."""
    permissions.require(session, principal, action)
    department = department_for(session, principal, department_id)
    permissions.require(session, principal, action, department)
    return department


def managed_departments(session: Session, principal: Principal) -> list[Department]:
    """The active departments a principal of regional scope may manage 双随机抽查 for (the
    console's chooser); empty for one that acts for its own department only."""
    if permissions.scope(principal, "supervision.manage") is not permissions.Scope.REGION:
        return []
    where = permissions.departments_where(principal, "supervision.manage", Department.id)
    query = select(Department).where(Department.active, where)
    return list(session.scalars(query.order_by(Department.region_code, Department.id)))


def add_inspector(
    session: Session,
    principal: Principal,
    name: str,
    badge_number: str,
    department_id: int | None = None,
) -> Inspector:
    department = acting_for(session, principal, department_id)
    name, badge_number = name.strip(), badge_number.strip()
    if not name or not badge_number:
        raise DomainError("请填写检查人员的姓名和执法证号", "supervision.inspector_incomplete")
    taken = select(Inspector.id).where(
        Inspector.department_id == department.id, Inspector.badge_number == badge_number
    )
    if session.scalar(taken):
        raise DomainError(f"执法证号 {badge_number} 已登记", "supervision.badge_taken")
    inspector = Inspector(
        department_id=department.id,
        name=name[:64],
        badge_number=badge_number[:64],
        active=True,
        created_at=clock.now(),
        created_by=principal.actor,
    )
    session.add(inspector)
    session.flush()
    audit.write(session, principal.actor, "supervision.inspector_added", "inspector", inspector.id)
    return inspector


def _inspector(
    session: Session, principal: Principal, inspector_id: int, department_id: int | None = None
) -> Inspector:
    """The inspector, when the principal may manage its department; with `department_id` (the
    department the console page acts for), only if it is that department's and the principal
    may manage that one too."""
    permissions.require(session, principal, "supervision.manage")  # by role first: ids unknown
    if department_id is not None:
        acting_for(session, principal, department_id)
    inspector = session.get(Inspector, inspector_id)
    unseen = NotFound("检查人员不存在", "supervision.inspector_not_found")
    if inspector is None or department_id not in (None, inspector.department_id):
        raise unseen
    permissions.require(session, principal, "supervision.manage", inspector, unseen=unseen)
    return inspector


def set_active(
    session: Session,
    principal: Principal,
    inspector_id: int,
    active: bool,
    department_id: int | None = None,
) -> Inspector:
    """Deactivate (调离、退休…) or reactivate: only active inspectors are drawn."""
    inspector = _inspector(session, principal, inspector_id, department_id)
    inspector.active = active
    action = "supervision.inspector_reactivated" if active else "supervision.inspector_deactivated"
    audit.write(session, principal.actor, action, "inspector", inspector.id)
    return inspector


def link(
    session: Session,
    principal: Principal,
    inspector_id: int,
    subject_id: int,
    reason: str,
    department_id: int | None = None,
) -> Avoidance:
    """回避: the inspector is not drawn for the subject from now on."""
    inspector = _inspector(session, principal, inspector_id, department_id)
    if session.get(Subject, subject_id) is None:
        raise NotFound("主体不存在", "subject.not_found")
    if not reason.strip():
        raise DomainError("请填写回避的理由", "supervision.reason_required")
    existing = session.scalar(
        select(Avoidance).where(
            Avoidance.inspector_id == inspector.id,
            Avoidance.subject_id == subject_id,
            Avoidance.ended_at.is_(None),
        )
    )
    if existing is not None:
        return existing
    avoidance = Avoidance(
        inspector_id=inspector.id,
        subject_id=subject_id,
        reason=reason.strip()[:500],
        created_at=clock.now(),
        created_by=principal.actor,
    )
    session.add(avoidance)
    session.flush()
    detail = {"inspector_id": inspector.id, "subject_id": subject_id}
    audit.write(
        session, principal.actor, "supervision.avoidance_added", "avoidance", avoidance.id, detail
    )
    return avoidance


def end_link(
    session: Session, principal: Principal, avoidance_id: int, department_id: int | None = None
) -> Avoidance:
    permissions.require(session, principal, "supervision.manage")  # by role first: ids unknown
    avoidance = session.get(Avoidance, avoidance_id)
    if avoidance is None:
        raise NotFound("回避关系不存在", "supervision.avoidance_not_found")
    _inspector(session, principal, avoidance.inspector_id, department_id)
    if avoidance.ended_at is None:
        avoidance.ended_at = clock.now()
        audit.write(
            session, principal.actor, "supervision.avoidance_ended", "avoidance", avoidance.id
        )
    return avoidance


@dataclass(frozen=True)
class Pool:
    department: Department
    inspectors: list[Inspector]
    links: list[tuple[Avoidance, str, str]]  # (link, inspector's name, subject's name)


def pool(session: Session, principal: Principal, department_id: int | None = None) -> Pool:
    """The department's inspectors (active first) and its current 回避 links."""
    department = acting_for(session, principal, department_id)
    inspectors = session.scalars(
        select(Inspector)
        .where(Inspector.department_id == department.id)
        .order_by(Inspector.active.desc(), Inspector.id)
    ).all()
    rows = session.execute(
        select(Avoidance, Inspector.name, Subject.name)
        .join(Inspector, Inspector.id == Avoidance.inspector_id)
        .join(Subject, Subject.id == Avoidance.subject_id)
        .where(Inspector.department_id == department.id, Avoidance.ended_at.is_(None))
        .order_by(Avoidance.id)
    )
    return Pool(department, list(inspectors), list(rows))


def drawable(
    session: Session, department_id: int, at: datetime
) -> tuple[list[int], dict[int, set[int]]]:
    """The department's active inspectors (ids, ascending) and, per subject, the inspectors
    linked to it at `at` (回避): what a draw reads, in two queries."""
    ids = session.scalars(
        select(Inspector.id)
        .where(Inspector.department_id == department_id, Inspector.active)
        .order_by(Inspector.id)
    ).all()
    links = session.execute(
        select(Avoidance.subject_id, Avoidance.inspector_id)
        .join(Inspector, Inspector.id == Avoidance.inspector_id)
        .where(
            Inspector.department_id == department_id,
            Avoidance.created_at <= at,
            (Avoidance.ended_at.is_(None)) | (Avoidance.ended_at > at),
        )
    )
    avoided: dict[int, set[int]] = {}
    for subject_id, inspector_id in links:
        avoided.setdefault(subject_id, set()).add(inspector_id)
    return list(ids), avoided
