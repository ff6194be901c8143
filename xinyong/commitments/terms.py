"""Commitment templates as a subject reads them (`policy/commitments.yaml`): the text filled in
for the subject, matter and department, the departments that accept a template's matters, and
the bars that keep a subject from signing (深圳 条例 第五十九条: a serious bad record, an
unrepaired broken commitment), read from what the public sees published now."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth.models import Department
from xinyong.auth.principal import PUBLIC
from xinyong.cases import deadlines
from xinyong.errors import DomainError, NotFound
from xinyong.policy import load_policy
from xinyong.policy.schemas import Bar, CommitmentTemplate
from xinyong.publication import RecordQuery, visible_records
from xinyong.subjects.models import Subject


def templates(*, online_only: bool = False) -> list[CommitmentTemplate]:
    shown = load_policy().commitments.templates
    return [t for t in shown if t.online or not online_only]


def template(code: str) -> CommitmentTemplate:
    found = load_policy().commitments.template(code)
    if found is None:
        raise NotFound(f"信用承诺模板不存在：{code}", "commitments.unknown_template")
    return found


def subject_code(subject: Subject) -> str:
    """How the text names the subject: its USCC, or a person's ID number masked (the text is
    published with the 信用承诺 record)."""
    return subject.uscc or subject.id_number_masked or "—"


def fulfil_by(found: CommitmentTemplate, signed_on: date | None = None) -> date:
    """The last day of the template's fulfilment term for a commitment signed that day."""
    start = signed_on or clock.today()
    return deadlines.after(start, "working", found.fulfilment.working_days).on


def commitment_text(
    template_code: str,
    subject: Subject,
    *,
    matter: str | None = None,
    department: str | None = None,
) -> str:
    """The template's text with the subject, matter, department and term filled in, as the
    subject reads and signs it today (for repairs: the 信用修复承诺书's words)."""
    found = template(template_code)
    return found.text.format(
        name=subject.name,
        code=subject_code(subject),
        matter=matter or found.matters[0],
        department=department or found.department or "受理部门",
        days=found.fulfilment.working_days,
        due=fulfil_by(found).isoformat(),
    )


def departments_for(session: Session, found: CommitmentTemplate) -> list[Department]:
    """The active departments that accept the template's matters (by the name the template
    gives, e.g. every 市场监督管理局); every active department when the caller names it."""
    query = select(Department).where(Department.active.is_(True))
    if found.department is not None:
        query = query.where(Department.name.like(f"%{found.department}"))
    return list(session.scalars(query.order_by(Department.region_code, Department.name)))


def bars_against(session: Session, subject: Subject, found: CommitmentTemplate) -> list[Bar]:
    """The template's bars that hold for the subject now: each a record the public sees
    published now (so a repaired or expired one no longer bars)."""
    policy = load_policy()
    bars = [b for code in found.bars if (b := policy.commitments.bar(code)) is not None]
    if not bars:
        return []
    query = RecordQuery(subject_id=subject.id, published_only=True)
    shown = visible_records(session, PUBLIC, query).records
    items = {r.item.code for r in shown}
    severities = {r.severity for r in shown if r.severity}
    holding = []
    for bar in bars:
        listed = {i for code in bar.list_types for i in policy.list_types[code].items}
        if items & (set(bar.items) | listed) or severities & set(bar.severities):
            holding.append(bar)
    return holding


def refuse_if_barred(session: Session, subject: Subject, found: CommitmentTemplate) -> None:
    holding = bars_against(session, subject, found)
    if holding:
        reasons = "；".join(bar.label for bar in holding)
        raise DomainError(
            f"{subject.name}不能签署《{found.name}》：{reasons}（在信用修复或公示期满前不适用信用承诺）",
            "commitments.barred",
        )
