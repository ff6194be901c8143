"""Credit repair (令第36号, 国办发〔2025〕22号) as the `repair` case kind: the subject (or a window
on its behalf) applies for one record with its materials and the signed 承诺书; the platform
checks the materials (an incomplete application gets the one-time list of what is missing) and
forwards it to the department that made the record (谁认定、谁修复), which decides. Approval
sets the record 已修复 (a list entry is removed from its list), so it leaves public view at once
and the change feed carries it; refusal gives reasons, and a new application may follow.

The steps, their permissions and deadlines are `policy/cases/repair.yaml`'s, run by the case
engine; which items may be repaired is `policy/repair.yaml`'s. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import PUBLIC, Kind, Principal
from xinyong.cases import deadlines, files, kinds
from xinyong.cases import service as cases
from xinyong.cases.handlers import StepIn, Upload, visible_case
from xinyong.cases.models import Case
from xinyong.errors import DomainError, InvalidCode, NotFound
from xinyong.lists import service as lists
from xinyong.notifications import service as notifications
from xinyong.notifications.models import ChannelName, RecipientKind
from xinyong.policy import load_policy
from xinyong.policy.schemas import Material, StepField
from xinyong.publication.service import RecordQuery, ShownRecord, visible_records
from xinyong.records import status
from xinyong.records.models import Record, RecordStatus
from xinyong.repairs import eligibility
from xinyong.repairs.eligibility import Eligibility
from xinyong.repairs.models import KIND, Channel, RepairCase, RepairState
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

APPLY = "repairs.apply"
ID_CARD = "居民身份证"


@dataclass(frozen=True)
class OnBehalf:
    """The person who files at a window (or through a department's system): name and
    identity document; only the masked number is kept."""

    name: str
    document_type: str
    document_number: str


@dataclass(frozen=True)
class Application:
    """What the application form shows: the record as the public sees it, whether it may be
    repaired now, the materials asked for and the 承诺书 to sign."""

    record: ShownRecord | None
    record_id: int
    subject_name: str
    eligibility: Eligibility
    materials: list[Material]


@dataclass(frozen=True)
class Applied:
    case: RepairCase
    missing: list[Material]  # the one-time list, empty when complete


def application(session: Session, principal: Principal, record_id: int) -> Application:
    """The form for repairing `record_id`, for a principal who may apply for its subject
    (another subject's record is the same 404 as one that does not exist; audited)."""
    record = _record_to_repair(session, principal, record_id)
    shown = visible_records(session, PUBLIC, RecordQuery(record_id=record.id)).records
    subject = session.get_one(Subject, record.subject_id)
    return Application(
        record=shown[0] if shown else None,
        record_id=record.id,
        subject_name=subject.name,
        eligibility=eligibility.for_record(session, record),
        materials=list(kinds.kind(KIND).materials),
    )


@dataclass(frozen=True)
class WindowLookup:
    """A subject found at the window, with its published records and whether each may be
    repaired now."""

    subject: Subject
    records: list[tuple[ShownRecord, Eligibility]]


def window_lookup(session: Session, principal: Principal, code: str) -> WindowLookup:
    """The subject a window looks up by its USCC or ID number, with what the public sees of it
    (for a role that may file repairs at all; the lookup is audited as the window's)."""
    permissions.require(session, principal, APPLY)
    text = code.strip()
    subject = None
    if text:
        kind = "id_number" if len(text) == 18 and text[:17].isdigit() else "uscc"
        subject = subjects.resolve(session, **{kind: text})
    if subject is None:
        raise DomainError(f"未找到代码或证件号码为 {text} 的主体", "repairs.subject_not_found")
    shown = visible_records(session, PUBLIC, RecordQuery(subject_id=subject.id)).records
    found = eligibility.for_records(session, shown)
    concerned = [(r, found[r.id]) for r in shown if found[r.id].concerned]
    audit.write(
        session, principal.actor, "repairs.lookup", "subject", subject.id, {"records": len(shown)}
    )
    return WindowLookup(subject, concerned)


def apply(
    session: Session,
    principal: Principal,
    record_id: int,
    uploads: Sequence[Upload],
    declaration: bool,
    *,
    on_behalf: OnBehalf | None = None,
    note: str | None = None,
) -> Applied:
    """申请信用修复: opens the case for the record's deciding department, stores the files and,
    when a required material is missing, holds it as 待补正 with the list of what is missing."""
    record = _record_to_repair(session, principal, record_id)
    found = eligibility.for_record(session, record)
    if not found.can_apply_now:
        raise DomainError(found.reason or "该信息暂不能申请信用修复", "repairs.not_eligible")
    if not declaration:
        text = load_policy().repair.commitment.declaration
        raise DomainError(f"请阅读并勾选“{text}”", "repairs.declaration")
    details = {"item_code": record.item_code, "declaration": True, **_filer(principal, on_behalf)}
    rule = load_policy().repair.rule_for(record.item_code)
    if rule is not None and rule.removes_list_entry:
        details["removes_list_entry"] = True
    department = _deciding_department(session, record)
    subject = session.get_one(Subject, record.subject_id)
    opened = cases.open(
        session, KIND, subject, department, principal, details, record_id=record.id, note=note
    )
    case = _repair_case(opened)
    for upload in uploads:
        files.attach(
            session, case, principal, upload.material, upload.filename, upload.data, action=APPLY
        )
    missing = files.missing(session, case)
    if missing:
        labels = [m.label for m in missing]
        case.missing = labels
        cases.step(session, case, "hold", principal, data={"missing": labels})
        _answer_waits(case)
        _tell(session, case, "信用修复申请材料不全", f"请补正以下材料：{'、'.join(labels)}。")
    else:
        _tell(session, case, "信用修复申请已受理", "平台将核查材料并转认定部门办理。")
    return Applied(case, missing)


def hand_in(
    session: Session, principal: Principal, case_id: int, uploads: Sequence[Upload]
) -> RepairCase:
    """Further files for an application not yet forwarded (the missing ones, before 补正)."""
    case = _repair_case(visible_case(session, principal, case_id))
    if case.state not in (RepairState.APPLIED, RepairState.INCOMPLETE):
        raise DomainError(
            f"申请当前为“{case.state_label}”，不能再提交材料", "repairs.materials_closed"
        )
    for upload in uploads:
        files.attach(
            session,
            case,
            principal,
            upload.material,
            upload.filename,
            upload.data,
            action="repairs.supplement",
        )
    return case


def missing(session: Session, case: RepairCase) -> list[Material]:
    """The required materials the application still lacks."""
    return files.missing(session, case)


def materials() -> list[Material]:
    """The files an application hands in (the kind's policy)."""
    return list(kinds.kind(KIND).materials)


def largest_material() -> int:
    """The largest file any material accepts: what a route reads of an upload at most (one
    byte more, so that `files.attach` refuses it with its own message)."""
    return max((m.max_bytes for m in kinds.kind(KIND).materials), default=0)


def take_step(session: Session, principal: Principal, case: Case, asked: StepIn) -> Case:
    """The handler of the generic step door (`cases.handlers.HANDLERS`): authorises the step on
    the case, checks its fields and does what the repair rule says happens on it."""
    repair = _repair_case(case)
    act = _STEPS.get(asked.transition)
    if act is None:
        raise DomainError(f"“{asked.transition}”不是可办理的步骤", "repairs.step_not_offered")
    transition = cases.allow(session, repair, asked.transition, principal)
    values = _fields(transition.fields, asked.data)
    if asked.files and transition.name != "supplement":
        raise DomainError(f"“{transition.label}”不接收材料", "repairs.files_not_taken")
    for upload in asked.files:  # the missing materials, handed in with the 补正 step
        files.attach(
            session,
            repair,
            principal,
            upload.material,
            upload.filename,
            upload.data,
            action=transition.action,
        )
    act(session, principal, repair, asked.note, values)
    return repair


# --- the steps --------------------------------------------------------------------------

Step = Callable[[Session, Principal, RepairCase, str | None, dict[str, str]], None]


def _ask_supplement(
    session: Session, principal: Principal, case: RepairCase, note: str | None, data: dict[str, str]
) -> None:
    case.missing = [data["missing"]]
    cases.step(session, case, "ask_supplement", principal, note, data)
    _answer_waits(case)
    _tell(session, case, "信用修复申请需补正材料", f"请补正：{data['missing']}")


def _supplement(
    session: Session, principal: Principal, case: RepairCase, note: str | None, data: dict[str, str]
) -> None:
    missing = files.missing(session, case)
    if missing:
        labels = "、".join(m.label for m in missing)
        raise DomainError(f"仍缺少：{labels}，请上传后再提交", "repairs.materials_missing")
    cases.step(session, case, "supplement", principal, note, data)
    if load_policy().repair.answer_period.counted_from == "complete_application":
        rule = kinds.kind(KIND).answer_within
        assert rule is not None
        case.answer_due = deadlines.answer_due(rule, None)  # runs anew from the complete set


def _forward(
    session: Session, principal: Principal, case: RepairCase, note: str | None, data: dict[str, str]
) -> None:
    cases.step(session, case, "forward", principal, note, data)
    notifications.notify(
        session,
        ChannelName.SITE,
        RecipientKind.DEPARTMENT,
        case.department_id,
        "信用修复申请待办理",
        f"第 {case.id} 号信用修复申请已转本部门，请于 {case.due} 前作出决定。",
        case_id=case.id,
    )


def _approve(
    session: Session, principal: Principal, case: RepairCase, note: str | None, data: dict[str, str]
) -> None:
    assert case.record_id is not None
    record = session.get_one(Record, case.record_id)
    if record.status != RecordStatus.VALID:
        label = RecordStatus(record.status).label
        raise DomainError(f"该信息当前为“{label}”，无需修复", "repairs.record_changed")
    cases.step(session, case, "approve", principal, note, data)
    reason = f"信用修复（第 {case.id} 号申请）" + (
        f"：{data['opinion']}" if data.get("opinion") else ""
    )
    if case.removes_list_entry:
        lists.remove(session, principal, record, "repair", reason, case_id=case.id)
    else:
        status.change(session, record, RecordStatus.REPAIRED, principal.actor, reason, case.id)
    case.decided_at = clock.now()
    _tell(session, case, "信用修复申请已准予修复", "相关信息已停止公示。")


def _refuse(
    session: Session, principal: Principal, case: RepairCase, note: str | None, data: dict[str, str]
) -> None:
    transition = "decline" if case.state != RepairState.FORWARDED else "refuse"
    reason = _choice_label(transition, data["reason"])
    case.refusal_reason, case.refusal_explanation = reason, data["explanation"]
    cases.step(session, case, transition, principal, note, data)
    case.decided_at = clock.now()
    _tell(
        session,
        case,
        "信用修复申请不予修复",
        f"原因：{reason}。{data['explanation']} 纠正后可再次申请信用修复。",
    )


def _withdraw(
    session: Session, principal: Principal, case: RepairCase, note: str | None, data: dict[str, str]
) -> None:
    cases.step(session, case, "withdraw", principal, note, data)


_STEPS: dict[str, Step] = {
    "ask_supplement": _ask_supplement,
    "supplement": _supplement,
    "forward": _forward,
    "approve": _approve,
    "refuse": _refuse,
    "decline": _refuse,
    "withdraw": _withdraw,
}


# --- helpers ----------------------------------------------------------------------------


def _record_to_repair(session: Session, principal: Principal, record_id: int) -> Record:
    missing = NotFound(f"信用记录不存在：{record_id}", "repairs.record_not_found")
    record = session.get(Record, record_id)
    target = None
    if record is not None and record.is_current:
        target = permissions.Target(
            "record",
            record.id,
            record.department_id,
            record.region_code,
            subject_id=record.subject_id,
        )
    if target is None:
        permissions.require(session, principal, APPLY)  # a role that may not apply learns that
        raise missing
    permissions.require(session, principal, APPLY, target, unseen=missing)
    assert record is not None
    return record


def _deciding_department(session: Session, record: Record) -> Department:
    """谁认定、谁修复: the department that made the record (a list entry: the listing one)."""
    department = (
        session.get(Department, record.department_id) if record.department_id is not None else None
    )
    if department is None:
        raise DomainError(
            "该信息未登记认定部门，请向作出决定的部门申请信用修复", "repairs.no_department"
        )
    return department


def _filer(principal: Principal, on_behalf: OnBehalf | None) -> dict[str, Any]:
    """Who files: the subject itself online, or staff for it, recording whose document."""
    if principal.role is None:
        return {"channel": Channel.ONLINE.value}
    if on_behalf is None or not on_behalf.name.strip() or not on_behalf.document_number.strip():
        raise DomainError(
            "代为申请须登记申请人姓名、证件类型和证件号码", "repairs.applicant_identity"
        )
    allowed = load_policy().repair.document_types
    if on_behalf.document_type not in allowed:
        raise DomainError(f"证件类型应为：{'、'.join(allowed)}", "repairs.document_type")
    number = on_behalf.document_number.strip()
    if on_behalf.document_type == ID_CARD:
        try:
            number = codes.validate_id_number(number)
        except InvalidCode as exc:
            raise DomainError(
                f"申请人身份证号码有误：{exc.message}", "repairs.document_number"
            ) from exc
    channel = Channel.SYSTEM if principal.kind is Kind.DEPARTMENT else Channel.WINDOW
    return {
        "channel": channel.value,
        "applicant_name": on_behalf.name.strip()[:50],
        "applicant_document_type": on_behalf.document_type,
        "applicant_document_masked": codes.mask_id_number(number),
    }


def _fields(wanted: Sequence[StepField], data: dict[str, Any]) -> dict[str, str]:
    """The step's declared fields from `data`, checked; anything else is ignored."""
    values: dict[str, str] = {}
    for field in wanted:
        raw = data.get(field.name)
        value = raw.strip() if isinstance(raw, str) else ""
        if not value:
            if field.required:
                raise DomainError(f"请填写“{field.label}”", "repairs.field_missing")
            continue
        if len(value) > field.max_length:
            raise DomainError(
                f"“{field.label}”不能超过 {field.max_length} 字", "repairs.field_too_long"
            )
        if field.type == "choice" and value not in {c.code for c in field.choices}:
            labels = "、".join(c.label for c in field.choices)
            raise DomainError(f"“{field.label}”应为：{labels}", "repairs.field_choice")
        values[field.name] = value
    return values


def _choice_label(transition: str, code: str) -> str:
    found = kinds.kind(KIND).transition(transition)
    assert found is not None
    field = next(f for f in found.fields if f.name == "reason")
    return next(c.label for c in field.choices if c.code == code)


def _answer_waits(case: RepairCase) -> None:
    """While the applicant completes its materials the platform's answer period does not run
    (repair.yaml `answer_period`: counted from the complete application)."""
    if load_policy().repair.answer_period.counted_from == "complete_application":
        case.answer_due = None


def _tell(session: Session, case: RepairCase, title: str, body: str) -> None:
    """The subject's site message about its application (texts masked by notifications)."""
    notifications.notify(
        session,
        ChannelName.SITE,
        RecipientKind.SUBJECT,
        case.subject_id,
        title,
        f"您的第 {case.id} 号信用修复申请：{body}",
        case_id=case.id,
    )


def _repair_case(case: Case) -> RepairCase:
    if not isinstance(case, RepairCase):
        raise NotFound(f"信用修复申请不存在：{case.id}", "repairs.case_not_found")
    return case
