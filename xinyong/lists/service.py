"""The listing procedure (国办发〔2020〕49号) as the `listing` case kind: 拟列入 → 告知 (the subject
may state its case within the list type's working days) → 列入 (the entry is stored as a record
of the procedure's item and published) → 移出 (by removal decision or repair; expiry ends
publication by itself). The states, the steps allowed from each, their permissions and the
deadline are `policy/cases/listing.yaml`'s, run by the case engine (`xinyong.cases`), which
logs and audits every step; this module checks what the listing rule adds and makes the entry.
Each step is authorised against the case's department: its own staff, or the credit office of
its region."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.cases import service as cases
from xinyong.catalog import get_item, validate_payload
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.lists.models import KIND, CaseStatus, ListCase
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import ListProcedure, ListType
from xinyong.records import service as records
from xinyong.records.models import Record, RecordStatus
from xinyong.records.service import RecordDraft
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

COUNTERPART = {  # subject type → 主体类别 of the entry (counterpart_category code list)
    SubjectType.NATURAL_PERSON.value: "自然人",
    SubjectType.INDIVIDUAL_BUSINESS.value: "个体工商户",
}
REMOVAL_STATUS = {"decision": RecordStatus.REVOKED, "repair": RecordStatus.REPAIRED}


def list_type(code: str) -> ListType:
    found = load_policy().list_types.get(code)
    if found is None:
        raise NotFound(f"名单类型不存在：{code}", "lists.unknown_type")
    return found


def _procedure(list_code: str) -> ListProcedure:
    procedure = list_type(list_code).procedure
    if procedure is None:
        raise DomainError("该名单不经列入程序，由认定部门报送", "lists.no_procedure")
    return procedure


def subject_to_list(session: Session, principal: Principal, uscc: str) -> Subject:
    """The subject a proposal names by its code, for a principal that may propose in its own
    department (one that may not is refused before anything is looked up)."""
    own = principal.department_id
    permissions.require(
        session, principal, "lists.propose", session.get(Department, own) if own else None
    )
    subject = subjects.resolve(session, uscc=uscc) if uscc.strip() else None
    if subject is None:
        raise DomainError(f"未找到统一社会信用代码为 {uscc} 的主体", "lists.subject")
    return subject


def propose(
    session: Session,
    principal: Principal,
    list_code: str,
    subject: Subject,
    department_id: int | None,
    *,
    document_number: str,
    reason: str,
    legal_basis: str,
) -> ListCase:
    """拟列入: the listing department proposes a subject, with its reason and legal basis."""
    department = session.get(Department, department_id) if department_id is not None else None
    permissions.require(session, principal, "lists.propose", department)
    if department is None:
        raise DomainError("拟列入须由所属部门的账号提出", "lists.department")
    _procedure(list_code)
    if not (reason.strip() and legal_basis.strip() and document_number.strip()):
        raise DomainError("拟列入须写明决定文书号、列入原因和法律依据", "lists.incomplete")
    details = {
        "list_type": list_code,
        "document_number": document_number.strip(),
        "reason": reason.strip(),
        "legal_basis": legal_basis.strip(),
    }
    case = cases.open(session, KIND, subject, department, principal, details)
    assert isinstance(case, ListCase)
    return case


def notify(session: Session, principal: Principal, case: ListCase) -> ListCase:
    """告知: the subject is told and may state its case until the due working day."""
    _authorise(session, principal, "lists.notify", case)
    days = _procedure(case.list_type).statement_working_days
    cases.step(session, case, "notify", principal, days=days, data=_detail(case))
    case.notified_at, case.statement_due = clock.now(), case.due
    return case


def record_statement(
    session: Session, principal: Principal, case: ListCase, statement: str
) -> ListCase:
    """陈述申辩: what the subject said, kept on the case for the listing decision (it ends the
    statement period early, so only the case's department may record it)."""
    _authorise(session, principal, "lists.statement", case)
    cases.allow(session, case, "statement", principal)
    if not statement.strip():
        raise DomainError("陈述申辩内容不能为空", "lists.statement_empty")
    case.statement = statement.strip()
    cases.step(session, case, "statement", principal, data=_detail(case))
    return case


def enter(session: Session, principal: Principal, case: ListCase) -> ListCase:
    """列入: after the statement period (or once the subject has stated its case), the entry is
    stored as a record of the procedure's item and is published from today."""
    _authorise(session, principal, "lists.enter", case)
    cases.allow(session, case, "enter", principal)
    today = clock.today()
    assert case.statement_due is not None
    if case.statement is None and today <= case.statement_due:
        raise DomainError(
            f"陈述申辩期至 {case.statement_due}，期满后或当事人陈述申辩后方可列入",
            "lists.statement_period",
        )
    procedure = _procedure(case.list_type)
    item = get_item(procedure.item)
    subject = session.get_one(Subject, case.subject_id)
    department = session.get_one(Department, case.department_id)
    named = subjects.identifier_for_entry(
        session, subject, principal.actor, f"列入名单（案件 {case.id}）：名单信息须载明证件号码"
    )
    result = validate_payload(
        item, _entry_values(case, subject, named, department, today), received_on=today
    )
    if not result.ok:
        problems = "；".join(issue.message for issue in result.issues)
        raise DomainError(f"无法列入：{problems}", "lists.entry_invalid")
    draft = RecordDraft(
        subject.id, result.values, department_id=department.id, region_code=department.region_code
    )
    (stored,) = records.store_many(session, item, [draft])
    case.listed_on, case.record_id = today, stored.record_id
    cases.step(session, case, "enter", principal, data=_detail(case, record_id=stored.record_id))
    return case


def drop(session: Session, principal: Principal, case: ListCase, reason: str) -> ListCase:
    """不予列入: the subject's statement is accepted (or the proposal withdrawn)."""
    _authorise(session, principal, "lists.drop", case)
    return _close(session, principal, case, "drop", reason)


def remove(
    session: Session,
    principal: Principal,
    record: Record,
    how: str,
    reason: str,
    *,
    case_id: int | None = None,
) -> Record:
    """移出 by removal decision or credit repair, for any list entry (collected or made here):
    the record stops being published from now on, and checks after now see no entry.
    `case_id`: the case that decided it (a repair case), for the change feed."""
    permissions.require(session, principal, "lists.remove", record)
    actor = principal.actor
    if how not in REMOVAL_STATUS:
        raise DomainError("移出方式应为 decision（移出决定）或 repair（信用修复）", "lists.removal")
    if not reason.strip():
        raise DomainError("移出须写明理由", "lists.removal_reason")
    records.change_status(session, record, REMOVAL_STATUS[how], actor, reason.strip(), case_id)
    case = session.scalar(select(ListCase).where(ListCase.record_id == record.id))
    if case is not None and case.state == CaseStatus.LISTED:
        _close(session, principal, case, "remove", reason)
    else:
        audit.write(session, actor, "lists.remove", "record", record.id, {"how": how}, reason)
    return record


def get_case(
    session: Session, principal: Principal, case_id: int, purpose: str = "lists.view"
) -> ListCase:
    """A case the principal may see, for `purpose` (a step it means to take); one it may not
    see answers as one that does not exist."""
    case = session.get(ListCase, case_id)
    _authorise(session, principal, purpose, case, case_id)
    if case is None:
        raise _missing(case_id)
    return case


def remove_case(
    session: Session, principal: Principal, case: ListCase, how: str, reason: str
) -> Record:
    """移出 of the entry a listing case made."""
    _authorise(session, principal, "lists.remove", case)
    if case.record_id is None:
        raise DomainError("该案件尚未列入，无需移出", "lists.not_listed")
    return remove(session, principal, records.get(session, case.record_id), how, reason)


def recent_cases(
    session: Session, principal: Principal, limit: int = 200
) -> list[tuple[ListCase, str]]:
    """The newest cases the principal may see, with their subjects' names. Cases are not
    public (a proposal may yet be dropped): every view that shows some is audited."""
    permissions.require(session, principal, "lists.view")
    query = (
        select(ListCase, Subject.name)
        .join(Subject, Subject.id == ListCase.subject_id)
        .where(permissions.departments_where(principal, "lists.view", ListCase.department_id))
    )
    rows = [
        (case, name)
        for case, name in session.execute(query.order_by(ListCase.id.desc()).limit(limit))
    ]
    if rows:
        with committing(session):
            detail = {"cases": [case.id for case, _ in rows]}
            audit.write(session, principal.actor, "lists.view", "list_case", None, detail)
    return rows


def _entry_values(
    case: ListCase,
    subject: Subject,
    named: tuple[str, str] | None,
    department: Department,
    today: date,
) -> dict[str, object]:
    values: dict[str, object] = {
        "md_mc": subject.name,
        "md_lb": COUNTERPART.get(subject.subject_type, "法人及非法人组织"),
        "md_wsh": case.document_number,
        "md_yy": case.reason,
        "md_yj": case.legal_basis,
        "md_lrrq": today.isoformat(),
        "md_jg": department.name,
        "md_jgdm": department.uscc or "",
    }
    if named is not None and named[0] == "id_number":
        values |= {"md_zjlx": "居民身份证", "md_zjhm": named[1]}
    elif named is not None:
        values["md_shxym"] = named[1]
    return values


def _authorise(
    session: Session,
    principal: Principal,
    action: str,
    case: ListCase | None,
    case_id: int | None = None,
) -> None:
    unseen = _missing(case.id if case is not None else case_id)
    permissions.require(session, principal, action, case, unseen=unseen)


def _missing(case_id: object) -> NotFound:
    return NotFound(f"列入案件不存在：{case_id}", "lists.case_not_found")


def _close(
    session: Session, principal: Principal, case: ListCase, transition: str, reason: str
) -> ListCase:
    cases.allow(session, case, transition, principal)
    case.close_reason = reason.strip()
    cases.step(session, case, transition, principal, reason.strip(), _detail(case))
    return case


def _detail(case: ListCase, **more: object) -> dict[str, object]:
    """What the audit entry of a step says besides the engine's own fields."""
    return {"list_type": case.list_type, **more}
