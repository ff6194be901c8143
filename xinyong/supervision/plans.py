"""Inspection plans (抽查计划): a department's matter, scope (a region code prefix, subject types,
a word in the subject's name), period and inspectors per subject; and finding the plans a
principal may see."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.errors import DomainError, NotFound
from xinyong.policy import load_policy
from xinyong.supervision.inspectors import acting_for
from xinyong.supervision.models import Draw, Plan

MAX_INSPECTORS_PER_SUBJECT = 10
_REGION_PREFIX = re.compile(r"^\d{2,6}$")


@dataclass(frozen=True)
class PlanIn:
    matter: str  # 检查事项
    region_prefix: str  # e.g. 4401: every district of 广州
    subject_types: list[str]
    starts_on: date
    ends_on: date
    inspectors_per_subject: int = 2
    name_keyword: str | None = None  # an industry word in the name (餐饮, 药房…)


def _bad(message: str) -> DomainError:
    return DomainError(message, "supervision.bad_plan")


def _checked(plan: PlanIn) -> PlanIn:
    inspectable = {t.value for t in load_policy().supervision.inspectable}
    if not plan.matter.strip():
        raise _bad("请填写检查事项")
    if not _REGION_PREFIX.match(plan.region_prefix):
        raise _bad("抽查范围的地区代码应为2至6位数字（如 4401 为广州市全市）")
    if not plan.subject_types or not set(plan.subject_types) <= inspectable:
        raise _bad("主体类型只能从可抽查的类型中选择：" + "、".join(sorted(inspectable)))
    if plan.ends_on < plan.starts_on:
        raise _bad("计划的结束日期不能早于开始日期")
    if not 1 <= plan.inspectors_per_subject <= MAX_INSPECTORS_PER_SUBJECT:
        raise _bad(f"每户检查人员应为1至{MAX_INSPECTORS_PER_SUBJECT}人")
    return plan


def create(
    session: Session, principal: Principal, plan: PlanIn, department_id: int | None = None
) -> Plan:
    department = acting_for(session, principal, department_id)
    plan = _checked(plan)
    keyword = (plan.name_keyword or "").strip() or None
    made = Plan(
        department_id=department.id,
        matter=plan.matter.strip()[:500],
        region_prefix=plan.region_prefix,
        subject_types=sorted(set(plan.subject_types)),
        name_keyword=keyword[:64] if keyword else None,
        starts_on=plan.starts_on,
        ends_on=plan.ends_on,
        inspectors_per_subject=plan.inspectors_per_subject,
        created_at=clock.now(),
        created_by=principal.actor,
    )
    session.add(made)
    session.flush()
    audit.write(session, principal.actor, "supervision.plan_created", "plan", made.id)
    return made


def unseen_plan() -> NotFound:
    """The answer to a plan that is missing or out of the principal's reach (not told apart)."""
    return NotFound("抽查计划不存在", "supervision.plan_not_found")


def find_plan(session: Session, plan_id: int) -> Plan:
    """The plan, before authorisation: each caller requires its own action on it."""
    plan = session.get(Plan, plan_id)
    if plan is None:
        raise unseen_plan()
    return plan


def plan_for(session: Session, principal: Principal, plan_id: int) -> Plan:
    """The plan, when the principal may see it."""
    permissions.require(session, principal, "supervision.view")  # by role first: ids unknown
    plan = find_plan(session, plan_id)
    permissions.require(session, principal, "supervision.view", plan, unseen=unseen_plan())
    return plan


@dataclass(frozen=True)
class PlanLine:
    plan: Plan
    department_name: str
    draw_id: int | None


def plans(
    session: Session, principal: Principal, department_id: int | None = None, limit: int = 200
) -> list[PlanLine]:
    """The latest plans of the departments the principal may see (of one of them, when
    `department_id` names it), newest first."""
    permissions.require(session, principal, "supervision.view")
    query = (
        select(Plan, Department.name, Draw.id)
        .join(Department, Department.id == Plan.department_id)
        .outerjoin(Draw, Draw.plan_id == Plan.id)
        .where(permissions.departments_where(principal, "supervision.view", Plan.department_id))
    )
    if department_id is not None:
        chosen = acting_for(session, principal, department_id, "supervision.view")
        query = query.where(Plan.department_id == chosen.id)
    rows = session.execute(query.order_by(Plan.id.desc()).limit(limit))
    return [PlanLine(plan, name, draw_id) for plan, name, draw_id in rows]
