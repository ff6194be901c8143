"""Objections (异议, 河南省社会信用条例 第四十一条) as the `objection` case kind: a subject files an
objection on a record of its own (or on its basic information) with a reason category and
evidence; the record is marked 异议中 at once, everywhere it is shown, until the case ends. The
platform settles its own matter within its working days or forwards it to the providing
department, which answers within its own; time for 检测、鉴定 … is excluded (a suspension). Every
outcome — corrected (a new version), supplemented, deleted (revoked), publication stopped,
removed from a list, kept — lifts the mark and tells the applicant the outcome and the reasons.

States, steps, permissions and deadlines are `policy/cases/objection.yaml`'s, run by the case
engine; this module checks what the objection rule adds and does what each outcome means to the
record (`outcomes.py`). The case's department is the record's: the provider answers for its own
records, the credit office of its region reviews them."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Kind, Principal
from xinyong.cases import files, kinds
from xinyong.cases import service as cases
from xinyong.cases.handlers import StepIn
from xinyong.cases.models import Case
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.notifications import service as notifications
from xinyong.notifications.models import ChannelName, RecipientKind
from xinyong.objections import outcomes
from xinyong.objections.models import KIND, OUTCOMES, ObjectionCase, ObjectionState
from xinyong.policy.schemas import Material, StepField
from xinyong.publication import RecordQuery, visible_records
from xinyong.publication.service import ShownRecord
from xinyong.records import service as records
from xinyong.records.models import Record
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

EVIDENCE = "evidence"
FILE, REVIEW = "objections.file", "objections.review"


@dataclass(frozen=True)
class FiledFor:
    """Who hands the objection in at a window for the subject: the clerk records the identity
    document it checked (kept masked: the clerk saw the original)."""

    name: str
    id_type: str
    id_number: str

    def kept(self) -> dict[str, str]:
        return {
            "name": self.name.strip(),
            "id_type": self.id_type.strip(),
            "id_number_masked": codes.mask_id_number(self.id_number),
        }


@dataclass(frozen=True)
class Evidence:
    filename: str | None
    data: bytes


def file_objection(
    session: Session,
    principal: Principal,
    subject_id: int,
    *,
    record_id: int | None,
    category: str,
    statement: str,
    field: str | None = None,
    filed_for: FiledFor | None = None,
    evidence: Sequence[Evidence] = (),
) -> ObjectionCase:
    """提出异议: open the case, mark the record 异议中 and keep the evidence, in one transaction.
    A record or subject the principal may not object on answers as one that does not exist."""
    with committing(session):
        subject, record = _disputed(session, principal, subject_id, record_id)
        values = _opening_values(category, statement, field, record)
        department = _department(session, principal, subject, record)
        details: dict[str, Any] = values
        if principal.kind is not Kind.APPLICANT:
            if filed_for is None or not (filed_for.name.strip() and filed_for.id_number.strip()):
                raise DomainError(
                    "代为提出异议须登记申请人姓名及其身份证件号码", "objections.applicant_identity"
                )
            details = {**values, "filed_for": filed_for.kept()}
        case = cases.open(
            session,
            KIND,
            subject,
            department,
            principal,
            details,
            record_id=record.id if record else None,
            note=values["statement"],
        )
        assert isinstance(case, ObjectionCase)
        if record is not None:
            label = _choice_label("file", "category", category)
            records.set_objection(
                session, record, True, principal.actor, f"异议受理：{label}", case_id=case.id
            )
        for item in evidence:
            files.attach(session, case, principal, EVIDENCE, item.filename, item.data, action=FILE)
    return case


def take_step(session: Session, principal: Principal, case: Case, asked: StepIn) -> Case:
    """The handler of the generic step door (`cases.handlers`): forward, an outcome, withdrawal,
    or stopping and resuming the deadline (检测、鉴定 …). Runs in the caller's transaction."""
    assert isinstance(case, ObjectionCase)
    unseen = _missing(case.id)
    if asked.transition in (cases.SUSPEND, cases.RESUME):
        note = (asked.note or str(asked.data.get("reasons") or "")).strip()
        if not note:
            raise DomainError(
                "中止或恢复期限须写明原因（如检测、鉴定）", "objections.reason_required"
            )
        act = cases.suspend if asked.transition == cases.SUSPEND else cases.resume
        act(session, case, principal, note)
        return case
    found = cases.allow(session, case, asked.transition, principal, unseen=unseen)
    data = _fields(asked.transition, asked.data)
    if asked.transition == "forward":
        return _forward(session, principal, case, data["request"], asked.note)
    if asked.transition in OUTCOMES and case.state == ObjectionState.RECEIVED:
        # Before it is forwarded the matter is the platform's own: only the platform decides it.
        permissions.require(session, principal, REVIEW, case, unseen=unseen)
    reasons = data.get("reasons") or ""
    if asked.transition in OUTCOMES:
        outcomes.apply(session, principal, case, asked.transition, data)
    elif case.record_id is not None:  # withdrawn
        _lift(session, principal, case, f"申请人撤回异议（案件 {case.id}）")
    case.outcome, case.reasons = asked.transition, reasons or None
    detail = {"outcome": asked.transition, "record_id": case.record_id}
    if case.corrected_record_id is not None:
        detail["corrected_record_id"] = case.corrected_record_id
    cases.step(session, case, found.name, principal, asked.note or reasons or None, detail)
    _tell_applicant(session, case)
    return case


def get_case(session: Session, principal: Principal, case_id: int) -> ObjectionCase:
    """An objection the principal may see; otherwise the same 404 as a missing one (audited)."""
    case = session.get(ObjectionCase, case_id)
    permissions.require(session, principal, "objections.view", case, unseen=_missing(case_id))
    if case is None:
        raise _missing(case_id)
    return case


def form_fields() -> list[StepField]:
    """What the filing form asks for (the opening step's fields in policy)."""
    return list(kinds.kind(KIND).opening.fields)


def evidence_limit() -> int:
    """The largest evidence file the kind accepts (a route reads no more of an upload)."""
    material = kinds.kind(KIND).material(EVIDENCE)
    return material.max_bytes if material else 0


def evidence_count() -> int:
    material = kinds.kind(KIND).material(EVIDENCE)
    return material.max_files if material else 0


@dataclass(frozen=True)
class Filing:
    """What a filing form shows: whose information, the record as the filer may see it (None:
    the basic information), the policy's fields and the evidence it takes."""

    subject_name: str
    record: ShownRecord | None
    fields: list[StepField]
    evidence: Material | None


def filing_form(
    session: Session, principal: Principal, subject_id: int, record_id: int | None
) -> Filing:
    """The form for an objection on `record_id` (or the basic information) of the subject, once
    the principal may file on it; a record it may not see answers as a missing one."""
    subject, record = _disputed(session, principal, subject_id, record_id)
    shown = None
    if record is not None:
        query = RecordQuery(subject_id=subject.id, record_id=record.id)
        found = visible_records(session, principal, query).records
        if not found:
            raise NotFound(f"信用记录不存在：{record.id}", "record.not_found")
        shown = found[0]
    material = kinds.kind(KIND).material(EVIDENCE)
    return Filing(subject.name, shown, form_fields(), material)


def window_form(session: Session, principal: Principal) -> Filing:
    """The window's blank form, for a role that may file on a subject's behalf."""
    permissions.require(session, principal, FILE)
    return blank_filing()


def blank_filing() -> Filing:
    return Filing("", None, form_fields(), kinds.kind(KIND).material(EVIDENCE))


def subject_by_code(session: Session, principal: Principal, code: str) -> Subject:
    """The subject a window clerk names by its USCC or ID number (for a role that may file)."""
    permissions.require(session, principal, FILE)
    text = code.strip()
    found = subjects.resolve(session, uscc=text, id_number=text) if text else None
    if found is None:
        raise DomainError("未找到该统一社会信用代码或身份证号码对应的主体", "objections.subject")
    return found


# --- filing ---------------------------------------------------------------------------


def _disputed(
    session: Session, principal: Principal, subject_id: int, record_id: int | None
) -> tuple[Subject, Record | None]:
    """The subject and (current) record objected to, once the principal may file on them."""
    if record_id is None:
        subject = session.get(Subject, subject_id)
        unseen = NotFound(f"主体不存在：{subject_id}", "subject.not_found")
        on = permissions.Target("subject", subject_id, subject_id=subject_id)
        if principal.kind is Kind.APPLICANT or subject is None:
            permissions.require(session, principal, FILE, on, unseen=unseen)
        else:
            permissions.require(session, principal, FILE)  # staff: their region's department
        if subject is None:
            raise unseen
        return subject, None
    record = session.get(Record, record_id)
    unseen = NotFound(f"信用记录不存在：{record_id}", "record.not_found")
    permissions.require(session, principal, FILE, record, unseen=unseen)
    if record is None or record.subject_id != subject_id:
        raise unseen
    if not record.is_current:
        raise DomainError("该记录已有更新的版本，请对当前版本提出异议", "objections.not_current")
    return session.get_one(Subject, subject_id), record


def _opening_values(
    category: str, statement: str, field: str | None, record: Record | None
) -> dict[str, Any]:
    values = _fields("file", {"category": category, "statement": statement, "field": field})
    if record is None and not values.get("field"):
        raise DomainError(
            "对基本信息提出异议的，请写明有异议的事项（如主体名称）", "objections.field_required"
        )
    return values


def _department(
    session: Session, principal: Principal, subject: Subject, record: Record | None
) -> Department:
    """Who answers for the disputed information (谁提供、谁负责): the record's department; for
    basic information, the department whose current record last named the subject, else the
    filing clerk's own."""
    department_id = record.department_id if record is not None else None
    if record is None:
        department_id = session.scalar(
            select(Record.department_id)
            .where(
                Record.subject_id == subject.id,
                Record.is_current,
                Record.department_id.is_not(None),
            )
            .order_by(Record.created_at.desc(), Record.id.desc())
            .limit(1)
        )
    department_id = department_id or principal.department_id
    department = session.get(Department, department_id) if department_id else None
    if department is None:
        raise DomainError(
            "无法确定该信息的提供部门，请到信用信息服务窗口提出异议", "objections.no_department"
        )
    return department


# --- steps ----------------------------------------------------------------------------


def _forward(
    session: Session, principal: Principal, case: ObjectionCase, request: str, note: str | None
) -> ObjectionCase:
    """转数据提供单位核实: the department is told at once (its 3 working days run from now)."""
    cases.step(session, case, "forward", principal, note or request, {"request": request})
    case.forwarded_at = clock.now()
    notifications.notify(
        session,
        ChannelName.SITE,
        RecipientKind.DEPARTMENT,
        case.department_id,
        f"异议核实通知（案件 {case.id}）",
        f"请于 {case.due} 前核实并反馈：{request}",
        case_id=case.id,
    )
    return case


def _lift(session: Session, principal: Principal, case: ObjectionCase, reason: str) -> None:
    if case.record_id is None:
        return
    record = records.get(session, case.record_id)
    if record.in_objection:
        records.set_objection(session, record, False, principal.actor, reason, case_id=case.id)


def _tell_applicant(session: Session, case: ObjectionCase) -> None:
    """The applicant is told the outcome and its reasons (a site message; texts masked)."""
    state = kinds.kind(KIND).state(case.state).label
    about = outcomes.describe(session, case)
    body = f"您对{about}提出的异议（案件编号 {case.id}）已办结：{state}。"
    if case.reasons:
        body += f"理由：{case.reasons}"
    notifications.notify(
        session,
        ChannelName.SITE,
        RecipientKind.SUBJECT,
        case.subject_id,
        f"异议处理结果：{state}",
        body,
        case_id=case.id,
    )


def _fields(transition: str, data: dict[str, Any]) -> dict[str, Any]:
    """The step's policy fields read from `data`: required ones present, choices known, text
    within its length (personal numbers masked); a Chinese DomainError otherwise."""
    found = kinds.kind(KIND).transition(transition)
    assert found is not None
    values: dict[str, Any] = {}
    for spec in found.fields:
        raw = data.get(spec.name)
        text = raw.strip() if isinstance(raw, str) else ("" if raw is None else str(raw))
        if not text:
            if spec.required:
                raise DomainError(f"请填写“{spec.label}”", "objections.field_missing")
            continue
        if spec.type == "choice" and text not in {c.code for c in spec.choices}:
            allowed = "、".join(c.label for c in spec.choices)
            raise DomainError(f"“{spec.label}”应为：{allowed}", "objections.field_invalid")
        if len(text) > spec.max_length:
            raise DomainError(
                f"“{spec.label}”不能超过 {spec.max_length} 个字", "objections.field_invalid"
            )
        # Free text is shown to staff and the applicant: personal numbers in it are masked.
        values[spec.name] = codes.mask_personal_numbers(text) if spec.type == "textarea" else text
    return values


def _choice_label(transition: str, name: str, code: str) -> str:
    found = kinds.kind(KIND).transition(transition)
    spec = next(f for f in found.fields if f.name == name) if found else None
    return next((c.label for c in spec.choices if c.code == code), code) if spec else code


def category_label(code: str) -> str:
    return _choice_label("file", "category", code)


def _missing(case_id: object) -> NotFound:
    return NotFound(f"异议申请不存在：{case_id}", "objections.not_found")
