"""Reading draws: the console's view of one draw (its subjects with their class and inspectors,
and results — internal, audited) and the public's (一公开: the plan, the seed, the inputs and the
drawn subjects with their results, without classes unless the policy makes them public, without
inspectors' or persons' names)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong.auth import audit
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.errors import NotFound
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.subjects.models import Subject
from xinyong.supervision.draws import draw_for, scheme_of
from xinyong.supervision.models import Draw, DrawnSubject, InspectionResult, Inspector, Plan

PAGE_SIZE = 100
# A 个体工商户 without a 字号 is registered under its operator's name: a bare name of two to
# four Chinese characters is a person's and is not published (个人信息保护法 第六条).
_PERSON_NAME = re.compile(r"^[\u4e00-\u9fff·]{2,4}$")


@dataclass(frozen=True)
class DrawnLine:
    subject_id: int
    name: str
    uscc: str | None
    class_code: str | None  # None where classes are not shown
    class_label: str | None
    inspectors: list[str]  # names; empty on the public page
    outcome: str | None  # the result's label, once recorded
    record_id: int | None


@dataclass(frozen=True)
class DrawPage:
    plan: Plan
    department_name: str
    draw: Draw
    inputs: dict[str, Any]  # as stored (console) or without classes (public)
    lines: list[DrawnLine]
    total: int
    page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // PAGE_SIZE))


def public_name(name: str, subject_type: str) -> str:
    if subject_type == SubjectType.NATURAL_PERSON or (
        subject_type == SubjectType.INDIVIDUAL_BUSINESS and _PERSON_NAME.match(name)
    ):
        return "（个人姓名不公示）"
    return name


def _lines(
    session: Session, draw: Draw, page: int, public: bool, classes: dict[str, str]
) -> tuple[list[DrawnLine], int]:
    total = (
        session.scalar(
            select(func.count()).select_from(DrawnSubject).where(DrawnSubject.draw_id == draw.id)
        )
        or 0
    )
    rows = session.execute(
        select(DrawnSubject, Subject.name, Subject.uscc, Subject.subject_type, InspectionResult)
        .join(Subject, Subject.id == DrawnSubject.subject_id)
        .outerjoin(
            InspectionResult,
            (InspectionResult.draw_id == DrawnSubject.draw_id)
            & (InspectionResult.subject_id == DrawnSubject.subject_id),
        )
        .where(DrawnSubject.draw_id == draw.id)
        .order_by(DrawnSubject.subject_id)
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    ).all()
    names: dict[int, str] = {}
    if not public:
        wanted = {i for drawn, *_ in rows for i in drawn.inspector_ids}
        names = dict(
            session.execute(
                select(Inspector.id, Inspector.name).where(Inspector.id.in_(wanted))
            ).all()
        )
    supervision = load_policy().supervision
    shown_classes = not public or supervision.classes_visibility.public
    lines = []
    for drawn, name, uscc, subject_type, result in rows:
        outcome = supervision.outcome(result.outcome) if result else None
        lines.append(
            DrawnLine(
                subject_id=drawn.subject_id,
                name=public_name(name, subject_type) if public else name,
                uscc=uscc,
                class_code=drawn.class_code if shown_classes else None,
                class_label=classes.get(drawn.class_code) if shown_classes else None,
                inspectors=[] if public else [names.get(i, str(i)) for i in drawn.inspector_ids],
                outcome=(outcome.label if outcome else result.outcome) if result else None,
                record_id=result.record_id if result else None,
            )
        )
    return lines, total


def _page(session: Session, draw: Draw, page: int, public: bool) -> DrawPage:
    plan = session.get_one(Plan, draw.plan_id)
    department = session.get_one(Department, plan.department_id)
    scheme = scheme_of(session, plan)
    labels = {klass.code: klass.label for klass in scheme.classes}
    lines, total = _lines(session, draw, page, public, labels)
    inputs = dict(draw.inputs)
    if public and not load_policy().supervision.classes_visibility.public:
        # 国市监信发〔2022〕6号: the classes are an internal reference, so neither the count per
        # class nor the ratios (which would reveal them) are published; the whole is.
        for internal in ("classes", "scheme", "runs", "avoided", "inspectors"):
            inputs.pop(internal, None)
    elif public:
        for internal in ("avoided", "inspectors"):
            inputs.pop(internal, None)
    return DrawPage(plan, department.name, draw, inputs, lines, total, page)


def draw_page(session: Session, principal: Principal, draw_id: int, page: int = 1) -> DrawPage:
    """The console's view of a draw (classes and inspectors are internal): audited."""
    draw = draw_for(session, principal, draw_id)
    shown = _page(session, draw, page, public=False)
    audit.write(session, principal.actor, "supervision.draw_read", "draw", draw.id, {"page": page})
    return shown


def published_draw(session: Session, draw_id: int, page: int = 1) -> DrawPage:
    """一公开: what the public sees of a draw."""
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFound("抽取记录不存在", "supervision.draw_not_found")
    return _page(session, draw, page, public=True)


@dataclass(frozen=True)
class PublishedDraw:
    draw: Draw
    plan: Plan
    department_name: str
    drawn: int
    results: int


def published_draws(session: Session, page: int = 1) -> tuple[list[PublishedDraw], int]:
    """The draws, newest first, with how many subjects each drew and how many results are in."""
    total = session.scalar(select(func.count()).select_from(Draw)) or 0
    drawn = (
        select(func.count())
        .where(DrawnSubject.draw_id == Draw.id)
        .correlate(Draw)
        .scalar_subquery()
    )
    found = (
        select(func.count())
        .where(InspectionResult.draw_id == Draw.id)
        .correlate(Draw)
        .scalar_subquery()
    )
    rows = session.execute(
        select(Draw, Plan, Department.name, drawn, found)
        .join(Plan, Plan.id == Draw.plan_id)
        .join(Department, Department.id == Plan.department_id)
        .order_by(Draw.id.desc())
        .offset((page - 1) * PAGE_SIZE)
        .limit(PAGE_SIZE)
    )
    return [PublishedDraw(*row) for row in rows], total
