"""Cases for staff to read: a filtered, paged listing and one case with its steps, across
every kind. A principal sees a case when its role may do the kind's `view_action` on the
case's department (`queues.visible_to`); a case it may not see answers as one that does not
exist, since ids are guessable. Open cases are not public, so every answer that shows some is
audited, as `lists.service.recent_cases` is."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import Select, case, func, or_, select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.cases import kinds
from xinyong.cases.models import Case, CaseStep
from xinyong.cases.queues import visible_to
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.policy.schemas import Transition
from xinyong.subjects.models import Subject

PAGE_SIZE = 50
VIEW = "cases.view"  # the audit action of a reading (the kind's own view action authorises it)


@dataclass(frozen=True)
class CaseRow:
    case: Case
    subject_name: str
    department_name: str

    @property
    def kind_name(self) -> str:
        return kinds.kind(self.case.kind).name

    @property
    def state_label(self) -> str:
        return kinds.kind(self.case.kind).state(self.case.state).label

    def overdue(self, today: date) -> bool:
        case = self.case
        running = case.closed_at is None and case.suspended_on is None
        late = (case.due is not None and case.due < today) or (
            case.answer_due is not None and case.answer_due < today
        )
        return running and late


@dataclass(frozen=True)
class CasePage:
    rows: list[CaseRow]
    total: int
    page: int
    page_size: int


@dataclass(frozen=True)
class CaseView:
    row: CaseRow
    steps: Sequence[CaseStep]

    def step_values(self, step: CaseStep) -> list[tuple[str, str]]:
        """What the step's form asked, as (label, value) — a choice by its label."""
        transition = kinds.kind(self.row.case.kind).transition(step.transition)
        shown = []
        for field in transition.fields if transition else []:
            value = (step.data or {}).get(field.name)
            if value in (None, ""):
                continue
            labels = {c.code: c.label for c in field.choices}
            shown.append((field.label, labels.get(str(value), str(value))))
        return shown

    def step_label(self, step: CaseStep) -> str:
        transition = kinds.kind(self.row.case.kind).transition(step.transition)
        return (
            transition.label
            if transition
            else {"suspend": "中止期限", "resume": "恢复期限"}.get(step.transition, step.transition)
        )


def list_cases(
    session: Session,
    principal: Principal,
    *,
    kind: str | None = None,
    state: str | None = None,
    overdue: bool = False,
    open_only: bool = False,
    page: int = 1,
) -> CasePage:
    """The cases the principal may see, filtered by kind, state, whether their deadline has
    passed and whether they are still open. Newest first; overdue ones the longest overdue
    first; open ones as a work queue: overdue first, then by the nearest deadline."""
    _require_some_view(session, principal, kind)
    if state is not None:
        _check_state(kind, state)
    query = _visible(principal)
    if kind is not None:
        query = query.where(Case.kind == kind)
    if state is not None:
        query = query.where(Case.state == state)
    if overdue:
        today = clock.today()
        query = query.where(
            Case.closed_at.is_(None),
            Case.suspended_on.is_(None),
            or_(Case.due < today, Case.answer_due < today),
        )
    if open_only:
        query = query.where(Case.closed_at.is_(None))
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    nearest = func.coalesce(Case.due, Case.answer_due)
    if overdue:
        order: tuple[Any, ...] = (nearest, Case.id)
    elif open_only:
        late = or_(Case.due < clock.today(), Case.answer_due < clock.today())
        order = (case((late, 0), else_=1), nearest.is_(None), nearest, Case.id)
    else:
        order = (Case.id.desc(),)
    found = session.execute(
        query.order_by(*order).offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)
    ).all()
    rows = [CaseRow(row, name, department) for row, name, department in found]
    if rows:
        filters: dict[str, object] = {"kind": kind, "state": state, "overdue": overdue}
        filters |= {"open": open_only, "page": page}
        with committing(session):
            detail = {"cases": [r.case.id for r in rows], **filters}
            audit.write(session, principal.actor, VIEW, "case", None, detail)
    return CasePage(rows, total, page, PAGE_SIZE)


def show_case(session: Session, principal: Principal, case_id: int) -> CaseView:
    """One case the principal may see, with its step log; the reading is audited."""
    missing = NotFound(f"案件不存在：{case_id}", "cases.not_found")
    case = session.get(Case, case_id)
    if case is None:
        _require_some_view(session, principal, None)
        raise missing
    permissions.require(session, principal, kinds.kind(case.kind).view_action, case, unseen=missing)
    name = session.scalar(select(Subject.name).where(Subject.id == case.subject_id)) or ""
    department = session.get_one(Department, case.department_id).name
    steps = session.scalars(
        select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id)
    ).all()
    with committing(session):
        target = permissions.target_of(session, case)
        audit.write(session, principal.actor, VIEW, target.kind, case.id, {"kind": case.kind})
    return CaseView(CaseRow(case, name, department), steps)


def next_steps(
    session: Session, principal: Principal, case: Case, *, by_applicant: bool = False
) -> list[Transition]:
    """The steps the principal may take on the case now, in the policy's order: the staff's
    (or, with `by_applicant`, the applicant's own), each allowed from the case's state and to
    the principal by its permission action."""
    if case.closed_at is not None:
        return []
    target = permissions.target_of(session, case)
    return [
        t
        for t in kinds.kind(case.kind).next_steps(case.state)
        if t.by_applicant == by_applicant and permissions.may(principal, t.action, target)
    ]


def may_suspend(session: Session, principal: Principal, case: Case) -> bool:
    """Whether the principal may stop or restart the case's deadline (the kind allows it)."""
    suspension = kinds.kind(case.kind).suspension
    if suspension is None or case.closed_at is not None or case.due is None:
        return False
    return permissions.may(principal, suspension.action, permissions.target_of(session, case))


def _visible(principal: Principal) -> Select[Case, str, str]:
    return (
        select(Case, Subject.name, Department.name)
        .join(Subject, Subject.id == Case.subject_id)
        .join(Department, Department.id == Case.department_id)
        .where(visible_to(principal))
    )


def _require_some_view(session: Session, principal: Principal, kind: str | None) -> None:
    """Refuse (audited) a principal whose role may see no cases at all (of `kind`, if given)."""
    wanted = [kinds.kind(kind)] if kind is not None else list(kinds.all_kinds().values())
    if not any(permissions.may(principal, k.view_action) for k in wanted):
        permissions.require(session, principal, wanted[0].view_action)


def _check_state(kind: str | None, state: str) -> None:
    wanted = [kinds.kind(kind)] if kind is not None else list(kinds.all_kinds().values())
    if not any(state in {s.code for s in k.states} for k in wanted):
        raise DomainError(f"案件没有“{state}”这一状态", "cases.unknown_state")
