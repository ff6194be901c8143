"""The case engine: open a case of a kind, take its steps, stop and resume its deadline.

Every step is allowed only from the states the kind's policy names, authorised by the
permission action the policy gives it (against the case's department), written to the case's
log and once to the audit log, and sets or ends the case's deadline (in working or natural
days, via `xinyong.workdays`). A kind's own service (e.g. `xinyong.lists.service`) checks what
its rule adds before a step and does what the rule says happens on it. Callers own the
transaction, as with every service here."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.cases import deadlines, kinds
from xinyong.cases.models import Case, CaseStep
from xinyong.errors import DomainError
from xinyong.policy.schemas import Transition
from xinyong.subjects.models import Subject

SUSPEND, RESUME = "suspend", "resume"


def open(
    session: Session,
    kind_code: str,
    subject: Subject,
    department: Department,
    principal: Principal,
    details: dict[str, Any] | None = None,
    *,
    record_id: int | None = None,
    note: str | None = None,
    days: int | None = None,
) -> Case:
    """Open a case of `kind_code` for `subject`, decided by `department`, by the kind's
    opening transition (authorised on the department)."""
    kind = kinds.kind(kind_code)
    opening = kind.opening
    on = permissions.Target(
        "department", department.id, department.id, department.region_code, subject_id=subject.id
    )
    permissions.require(session, principal, opening.action, on)
    model = Case.__mapper__.polymorphic_map[kind.code].class_
    case = model(
        kind=kind.code,
        subject_id=subject.id,
        department_id=department.id,
        record_id=record_id,
        state=opening.to,
        opened_at=clock.now(),
        suspended_days=0,
        details=dict(details or {}),
    )
    if kind.answer_within is not None:
        case.answer_due = deadlines.answer_due(kind.answer_within, days)
    session.add(case)
    session.flush()
    _record(session, case, opening, None, principal.actor, note, {}, days)
    return case


def allow(
    session: Session,
    case: Case,
    transition: str,
    principal: Principal,
    *,
    unseen: DomainError | None = None,
) -> Transition:
    """The transition `transition` of the case's kind, once the principal may take it on this
    case (refusals audited; `unseen` answers a principal who may not see the case) and the
    case's state allows it. Raises DomainError `cases.transition_refused` otherwise."""
    kind = kinds.kind(case.kind)
    found = kind.transition(transition)
    if found is None or found.opens:
        raise DomainError(f"{kind.noun}没有“{transition}”这一步骤", "cases.unknown_transition")
    permissions.require(session, principal, found.action, case, unseen=unseen)
    if case.state not in found.from_:
        current = kind.state(case.state).label
        raise DomainError(
            f"案件当前为“{current}”，不能进行“{found.label}”", "cases.transition_refused"
        )
    return found


def step(
    session: Session,
    case: Case,
    transition: str,
    principal: Principal,
    note: str | None = None,
    data: dict[str, Any] | None = None,
    *,
    days: int | None = None,
    unseen: DomainError | None = None,
) -> CaseStep:
    """Take `transition` on the case: its new state, its deadline, its log entry and audit.
    `days` is the deadline's length when the policy says it comes from elsewhere."""
    found = allow(session, case, transition, principal, unseen=unseen)
    from_state = case.state
    case.state = found.to
    if kinds.kind(case.kind).state(found.to).terminal:
        case.closed_at = clock.now()
    return _record(session, case, found, from_state, principal.actor, note, data or {}, days)


def suspend(session: Session, case: Case, principal: Principal, note: str) -> CaseStep:
    """Stop the case's deadline from running (time for 检验、检测、鉴定 … is not counted)."""
    _authorise_suspension(session, case, principal)
    if case.due is None or case.closed_at is not None:
        raise DomainError("该案件没有正在计算的期限", "cases.no_deadline")
    if case.suspended_on is not None:
        raise DomainError(f"期限已于 {case.suspended_on} 中止", "cases.already_suspended")
    case.suspended_on = clock.today()  # its reminders wait while it is stopped
    return _log(session, case, SUSPEND, principal.actor, note, {"due": str(case.due)})


def resume(session: Session, case: Case, principal: Principal, note: str) -> CaseStep:
    """Let the deadline run again: what was left of it when it stopped counts from today."""
    action = _authorise_suspension(session, case, principal)
    if case.suspended_on is None or case.due is None:
        raise DomainError("该案件的期限未中止", "cases.not_suspended")
    excluded = deadlines.resume(session, case)
    detail = {"due": str(case.due), "excluded_days": excluded, "action": action}
    return _log(session, case, RESUME, principal.actor, note, detail)


def _record(
    session: Session,
    case: Case,
    transition: Transition,
    from_state: str | None,
    actor: str,
    note: str | None,
    data: dict[str, Any],
    days: int | None,
) -> CaseStep:
    detail = dict(data)
    if transition.deadline is not None:
        deadline = deadlines.start(session, case, transition.deadline, days)
        detail |= {"due": str(deadline.on)} | (
            {"provisional": True} if deadline.provisional else {}
        )
    elif not transition.keeps_deadline and case.due is not None:
        deadlines.end(session, case)
    audited: dict[str, Any] = {"transition": transition.name, "from": from_state, "to": case.state}
    audited |= {"subject_id": case.subject_id, **detail}
    step = _write(session, case, transition.name, from_state, actor, note, detail)
    _audit(session, case, actor, transition.action, audited, note)
    return step


def _log(
    session: Session, case: Case, name: str, actor: str, note: str, detail: dict[str, Any]
) -> CaseStep:
    """A suspension or resumption: the state stays, the step is logged and audited."""
    step = _write(session, case, name, case.state, actor, note, detail)
    _audit(session, case, actor, f"cases.{name}", detail, note)
    return step


def _write(
    session: Session,
    case: Case,
    name: str,
    from_state: str | None,
    actor: str,
    note: str | None,
    data: dict[str, Any],
) -> CaseStep:
    step = CaseStep(
        case_id=case.id,
        transition=name,
        from_state=from_state,
        to_state=case.state,
        at=clock.now(),
        actor=actor,
        note=note,
        data=data,
    )
    session.add(step)
    return step


def _audit(
    session: Session,
    case: Case,
    actor: str,
    action: str,
    detail: dict[str, Any],
    note: str | None,
) -> None:
    kind = permissions.target_of(session, case).kind
    audit.write(session, actor, action, kind, case.id, {"kind": case.kind, **detail}, note)


def _authorise_suspension(session: Session, case: Case, principal: Principal) -> str:
    kind = kinds.kind(case.kind)
    if kind.suspension is None:
        raise DomainError(f"{kind.noun}的期限不能中止", "cases.no_suspension")
    permissions.require(session, principal, kind.suspension.action, case)
    return kind.suspension.action
