"""Results of a draw's inspections (抽查检查结果): what the inspectors found at a drawn subject,
stored in the same transaction as a 行政监督检查 record (`xzjc`, 检查方式 双随机抽查) through
`records.store_many`, so that the record is published like any other and a negative result
counts in the subject's next evaluation (the models' `inspection_problems` indicator)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item, validate_payload
from xinyong.errors import DomainError, NotFound
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.records.service import RecordDraft, store_many
from xinyong.subjects.models import Subject
from xinyong.supervision.draws import find_draw
from xinyong.supervision.models import Draw, DrawnSubject, InspectionResult, Plan
from xinyong.supervision.plans import unseen_plan

ITEM = "xzjc"  # 行政监督检查


@dataclass(frozen=True)
class Found:
    outcome: str  # a code of supervision.yaml's outcomes (passed, rectify…)
    inspected_on: date
    note: str = ""  # 检查结果说明; the outcome's label when empty
    document_number: str | None = None  # 检查结果文书号; one is made from the draw when None


def _category(subject_type: str) -> str:
    """行政相对人类别 (counterpart_category) of a subject type, as its label."""
    if subject_type == SubjectType.INDIVIDUAL_BUSINESS:
        return "个体工商户"
    if subject_type == SubjectType.NATURAL_PERSON:
        raise DomainError("自然人不在双随机抽查名录中", "supervision.not_inspectable")
    return "法人及非法人组织"


def record(
    session: Session, principal: Principal, draw_id: int, subject_id: int, found: Found
) -> InspectionResult:
    """Record the result for a drawn subject, once, as an xzjc record of the plan's department."""
    draw = find_draw(session, draw_id)
    plan = session.get_one(Plan, draw.plan_id)
    permissions.require(session, principal, "supervision.record", plan, unseen=unseen_plan())
    if session.get(DrawnSubject, (draw.id, subject_id)) is None:
        raise NotFound("该主体不在本次抽取结果中", "supervision.not_drawn")
    if session.get(InspectionResult, (draw.id, subject_id)) is not None:
        raise DomainError("该主体的检查结果已录入", "supervision.result_exists")
    outcome = load_policy().supervision.outcome(found.outcome)
    if outcome is None:
        raise DomainError(f"没有检查结果“{found.outcome}”", "supervision.unknown_outcome")
    if not plan.starts_on <= found.inspected_on <= min(plan.ends_on, clock.today()):
        raise DomainError(
            f"检查日期应在计划期间（{plan.starts_on}至{plan.ends_on}）内且不晚于今天",
            "supervision.outside_period",
        )
    department = session.get_one(Department, plan.department_id)
    if not department.uscc:
        raise DomainError(
            f"{department.name}未登记统一社会信用代码，检查结果无法形成行政监督检查信息",
            "supervision.department_uscc",
        )
    subject = session.get_one(Subject, subject_id)
    record_id = _store(session, draw, plan, department, subject, found, outcome.result)
    result = InspectionResult(
        draw_id=draw.id,
        subject_id=subject_id,
        outcome=outcome.code,
        inspected_on=found.inspected_on,
        note=(found.note.strip() or outcome.label)[:4000],
        record_id=record_id,
        recorded_at=clock.now(),
        recorded_by=principal.actor,
    )
    session.add(result)
    session.flush()
    detail = {"subject_id": subject_id, "outcome": outcome.code, "record_id": record_id}
    audit.write(session, principal.actor, "supervision.result_recorded", "draw", draw.id, detail)
    return result


def _store(
    session: Session,
    draw: Draw,
    plan: Plan,
    department: Department,
    subject: Subject,
    found: Found,
    result_code: str,
) -> int:
    item = get_item(ITEM)
    codes = load_policy().codelists
    supervision = load_policy().supervision
    number = found.document_number or f"{department.code}-双随机-{draw.id}-{subject.id}"
    raw = {
        "jc_xdr_mc": subject.name,
        "jc_xdr_lb": _category(subject.subject_type),
        "jc_xdr_shxym": subject.uscc or "",
        "jc_wsh": number,
        "jc_fs": codes["inspection_method"].label_of(supervision.inspection_method),
        "jc_sx": plan.matter,
        "jc_jcjg": codes["inspection_result"].label_of(result_code),
        "jc_nr": found.note.strip() or codes["inspection_result"].label_of(result_code),
        "jc_jdrq": found.inspected_on.isoformat(),
        "jc_jg": department.name,
        "jc_jgdm": department.uscc,
        "jc_sjly": department.name,
        "jc_sjlydm": department.uscc,
    }
    checked = validate_payload(item, raw, received_on=clock.today())
    if not checked.ok:
        problems = "；".join(issue.message for issue in checked.issues)
        raise DomainError(
            f"检查结果不能形成行政监督检查信息：{problems}", "supervision.record_invalid"
        )
    draft = RecordDraft(
        subject.id,
        checked.values,
        department_id=department.id,
        region_code=department.region_code,
        received_at=clock.now(),
    )
    (stored,) = store_many(session, item, [draft])
    return stored.record_id


def results_of(session: Session, draw_id: int) -> dict[int, InspectionResult]:
    rows = session.scalars(select(InspectionResult).where(InspectionResult.draw_id == draw_id))
    return {row.subject_id: row for row in rows}
