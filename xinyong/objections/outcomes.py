"""What each outcome of an objection does to the disputed information; every one first lifts
the 异议中 mark.

- corrected / supplemented: a new version of the record with the field set, checked by the same
  catalog validation as a department's file; it keeps the record's natural key (it is the same
  decision, put right), its status and window rules, and the change feed says `corrected` or
  `supplemented`. The earlier version stays in staff history.
- deleted: the record is revoked (有效 → 已撤销 in `records.status`).
- stopped (停止公示, e.g. shown past its period): the record ends as 已过公示期 (有效 → 已过公示期),
  not 已撤销 — the decision itself stands; only its publication was wrong.
- delisted: the list entry is removed by removal decision (`lists.service.remove`).
- kept: nothing changes but the mark; the reasons go to the applicant.
On basic information only a correction of the name (through the registry) or keeping it fits."""

from __future__ import annotations

from typing import Any

from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item, validate_payload
from xinyong.errors import DomainError
from xinyong.lists import service as lists
from xinyong.objections.models import ObjectionCase
from xinyong.policy import load_policy
from xinyong.policy.schemas import CatalogField, CatalogItem
from xinyong.records import service as records
from xinyong.records import status
from xinyong.records.models import Record, RecordChange, RecordStatus
from xinyong.records.service import Outcome, RecordDraft
from xinyong.subjects import service as subjects
from xinyong.subjects.models import Subject

NAME_FIELDS = {"name", "主体名称", "名称"}  # how a form names the subject's name


def apply(
    session: Session, principal: Principal, case: ObjectionCase, outcome: str, data: dict[str, Any]
) -> None:
    """Lift the mark and do `outcome` (a step name of the policy) to the disputed information."""
    reason = f"异议处理（案件 {case.id}）：{data.get('reasons') or outcome}"
    if case.record_id is None:
        _on_basic_information(session, case, outcome, data, reason)
        return
    record = records.get(session, case.record_id)
    if record.in_objection:
        records.set_objection(session, record, False, principal.actor, reason, case_id=case.id)
    if outcome in ("correct", "supplement"):
        new_id = _new_version(session, record, data["field"], data["value"], outcome, case, reason)
        case.corrected_record_id = new_id
    elif outcome == "delete":
        status.change(session, record, RecordStatus.REVOKED, principal.actor, reason, case.id)
    elif outcome == "stop":
        status.change(session, record, RecordStatus.EXPIRED, principal.actor, reason, case.id)
    elif outcome == "delist":
        if not any(record.item_code in t.items for t in load_policy().list_types.values()):
            raise DomainError("该记录不是名单信息，不能“移出名单”", "objections.not_listed")
        lists.remove(session, principal, record, "decision", reason)


def describe(session: Session, case: ObjectionCase) -> str:
    """How a message names what was disputed: “行政处罚”信息（文号 …）, or the basic information."""
    if case.record_id is None:
        return f"基本信息（{case.field or '主体信息'}）"
    record = records.get(session, case.record_id)
    item = get_item(record.item_code)
    number = f"（{record.document_number}）" if record.document_number else ""
    return f"“{item.name}”信息{number}"


def _new_version(
    session: Session,
    record: Record,
    field_ref: str,
    value: str,
    outcome: str,
    case: ObjectionCase,
    reason: str,
) -> int:
    item = get_item(record.item_code)
    field = _field_of(item, field_ref)
    personal = records.personal_fields(item)
    if field.code in personal:
        raise DomainError(
            "证件号码不在此更正：请数据提供部门重新报送该条记录", "objections.personal_field"
        )
    payload = dict(record.payload or {})
    before = payload.get(field.code)
    if outcome == "supplement" and before not in (None, ""):
        raise DomainError(f"“{field.label}”原已有内容，请选择“更正”", "objections.not_missing")
    payload[field.code] = value
    checked = validate_payload(item, payload, received_on=clock.today())
    # Personal numbers are kept masked in a record: they were checked when the record came in.
    problems = [i.message for i in checked.issues if i.field not in personal]
    values = {**checked.values, **{k: payload[k] for k in personal if k in payload}}
    problems += [i.message for i in records.storage_issues(item, values, record.natural_key)]
    if problems:
        raise DomainError("更正后的信息未通过校验：" + "；".join(problems), "objections.invalid")
    session.flush()  # the lifted mark is what the new version takes over
    draft = RecordDraft(
        record.subject_id,
        values,
        department_id=record.department_id,
        region_code=record.region_code,
        received_at=record.received_at,
        on_time=record.on_time,
    )
    (stored,) = records.store_many(session, item, [draft], keys=[record.natural_key])
    if stored.outcome is Outcome.UNCHANGED:
        raise DomainError("更正后的内容与原记录相同", "objections.unchanged")
    session.expire(record)  # store_many retired it in SQL
    session.add(
        RecordChange(
            at=clock.now(),
            record_id=stored.record_id,
            subject_id=record.subject_id,
            item_code=record.item_code,
            change="corrected" if outcome == "correct" else "supplemented",
            from_status=record.status,
            to_status=record.status,
            reason=f"{reason}（原记录 {record.id}）",
            case_id=case.id,
        )
    )
    return stored.record_id


def _field_of(item: CatalogItem, ref: str) -> CatalogField:
    """The item's field named by its code or its label (as the form's hint asks)."""
    wanted = ref.strip()
    found = next((f for f in item.fields if wanted in (f.code, f.label)), None)
    if found is None:
        raise DomainError(f"“{item.name}”没有“{wanted}”这一信息项", "objections.unknown_field")
    return found


def _on_basic_information(
    session: Session, case: ObjectionCase, outcome: str, data: dict[str, Any], reason: str
) -> None:
    if outcome == "keep":
        return
    if outcome != "correct":
        raise DomainError("对基本信息的异议只能“更正”或“维持原信息”", "objections.basic_outcome")
    if data["field"].strip() not in NAME_FIELDS:
        raise DomainError(
            "基本信息中只有主体名称在此更正；代码、证件号码请由登记机关更正后重新报送",
            "objections.basic_field",
        )
    subject = session.get_one(Subject, case.subject_id)
    if not subjects.rename(session, subject, data["value"], reason[:64]):
        raise DomainError("更正后的名称与原名称相同", "objections.unchanged")
