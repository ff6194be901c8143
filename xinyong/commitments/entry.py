"""The ways into a signing: the applicant's and the window's forms (choose a template, a matter
and the accepting department, read the text filled in for the subject, declare, sign) and the
API's request. Each resolves what the caller named (a subject by its code, a department by its
id or code) once the caller may sign at all, then signs through `service.sign` and commits;
and one signed commitment read back by whoever may see it."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Kind, Principal
from xinyong.commitments import service, terms
from xinyong.commitments.models import CommitmentCase
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.policy.schemas import Bar, CommitmentTemplate
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

SIGN, VIEW = "commitments.sign", "commitments.view"


@dataclass(frozen=True)
class Draft:
    """What the form shows before the signing: the choices and, once they are made, the text
    for this subject, with the bars that would refuse it."""

    templates: list[CommitmentTemplate]
    template: CommitmentTemplate | None = None
    departments: list[Department] = field(default_factory=list)
    subject: Subject | None = None
    matter: str | None = None
    department: Department | None = None
    text: str | None = None
    bars: list[Bar] = field(default_factory=list)

    @property
    def ready(self) -> bool:
        return self.text is not None and not self.bars


def draft(
    session: Session,
    principal: Principal,
    template_code: str = "",
    *,
    matter: str = "",
    department_id: int | None = None,
    subject_code: str = "",
) -> Draft:
    """The form's state for the choices made so far; an applicant's subject is its own, staff
    name it by its USCC or a person's ID number."""
    permissions.require(session, principal, SIGN)
    online = principal.kind is Kind.APPLICANT
    shown = terms.templates(online_only=online)
    if not template_code:
        return Draft(shown)
    chosen = terms.template(template_code)
    departments = terms.departments_for(session, chosen)
    if not online:
        departments = [d for d in departments if principal.may(SIGN, _target(d))]
    subject = _subject(session, principal, subject_code)
    department = next((d for d in departments if d.id == department_id), None)
    if len(departments) == 1 and department is None:
        department = departments[0]
    state = Draft(shown, chosen, departments, subject, matter or chosen.matters[0], department)
    if subject is None or department is None:
        return state
    text = terms.commitment_text(
        chosen.code, subject, matter=state.matter, department=department.name
    )
    bars = terms.bars_against(session, subject, chosen)
    return Draft(shown, chosen, departments, subject, state.matter, department, text, bars)


def sign_from_form(
    session: Session,
    principal: Principal,
    template_code: str,
    *,
    matter: str,
    department_id: int | None,
    subject_code: str = "",
    declared: bool,
    signer: service.Signer | None = None,
) -> CommitmentCase:
    """Sign what the form showed, in one transaction."""
    with committing(session):
        permissions.require(session, principal, SIGN)
        subject = _subject(session, principal, subject_code)
        if subject is None:
            raise DomainError("请填写承诺主体的统一社会信用代码或身份证号码", "commitments.subject")
        department = session.get(Department, department_id) if department_id else None
        if department is None:
            raise DomainError("请选择受理部门", "commitments.department")
        return service.sign(
            session,
            principal,
            template_code,
            subject,
            department,
            matter=matter,
            declared=declared,
            signer=signer,
        )


def sign_by_api(
    session: Session,
    principal: Principal,
    template_code: str,
    *,
    uscc: str | None,
    id_number: str | None,
    department_code: str | None,
    matter: str | None,
    declared: bool,
    signer: service.Signer | None,
) -> CommitmentCase:
    """A window system's or a department's key signing for a subject: the department is the
    one named, else the key's own."""
    with committing(session):
        permissions.require(session, principal, SIGN)
        subject = subjects.resolve(session, uscc=uscc or None, id_number=id_number or None)
        if subject is None:
            raise DomainError("未找到该承诺主体，请核对代码", "commitments.subject")
        department = _department(session, principal, department_code)
        return service.sign(
            session,
            principal,
            template_code,
            subject,
            department,
            matter=matter,
            declared=declared,
            signer=signer,
        )


def shown_case(session: Session, principal: Principal, case_id: int) -> CommitmentCase:
    """One commitment for a principal that may see it (its department, the window, the credit
    office, the subject itself); otherwise the same 404 as one that does not exist. Audited:
    the case names who signed."""
    missing = NotFound(f"信用承诺不存在：{case_id}", "commitments.not_found")
    case = session.get(CommitmentCase, case_id)
    permissions.require(session, principal, VIEW, case, unseen=missing)
    if case is None:
        raise missing
    with committing(session):
        audit.write(session, principal.actor, VIEW, "commitment_case", case.id, {})
    return case


def _target(department: Department) -> permissions.Target:
    return permissions.Target("department", department.id, department.id, department.region_code)


def _subject(session: Session, principal: Principal, code: str) -> Subject | None:
    if principal.kind is Kind.APPLICANT:
        return session.get(Subject, principal.subject_id) if principal.subject_id else None
    text = code.strip().upper()
    if not text:
        return None
    found = subjects.resolve(session, uscc=text, id_number=text)
    if found is None:
        raise DomainError(f"未找到代码为 {text[:4]}… 的主体，请核对", "commitments.subject")
    return found


def _department(session: Session, principal: Principal, code: str | None) -> Department:
    if code:
        found = session.scalar(select(Department).where(Department.code == code))
        if found is None:
            raise DomainError(f"受理部门不存在：{code}", "commitments.department")
        return found
    own = session.get(Department, principal.department_id) if principal.department_id else None
    if own is None:
        raise DomainError("请写明受理部门（department）", "commitments.department")
    return own
