"""Builders for the supervision tests: a 市场监管局 with inspectors, companies in 广州 with the
grades an evaluation run gave them, and plans over them."""

from __future__ import annotations

import itertools
from datetime import date
from decimal import Decimal

from sqlalchemy import insert

from tests.factories import AUTHORITY_USCC
from xinyong import clock, codes
from xinyong.auth import service as auth
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.db import committing, table_of
from xinyong.evaluation.models import EvaluationResult, EvaluationRun
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register_many
from xinyong.supervision import inspectors, plans

_numbers = itertools.count()


def market_department(session, code: str = "gz-scjg", uscc: str = AUTHORITY_USCC) -> Department:
    with committing(session):
        return auth.create_department(session, code, "广州市市场监督管理局", "440100", uscc)


def clerk(department: Department) -> Principal:
    return Principal(Role.REGULATOR, department.id, department.region_code, "user:4242")


def companies(session, count: int, *, kind=SubjectType.ENTERPRISE, word: str = "科技") -> list[int]:
    made = []
    for n in itertools.islice(_numbers, count):
        org = codes.make_org_code(f"MD{n:06d}")
        prefix = "92440106" if kind == SubjectType.INDIVIDUAL_BUSINESS else "91440106"
        made.append(
            SubjectIn(
                kind,
                f"广州市{word}{n}号有限公司",
                uscc=codes.make_uscc(prefix + org),
                region_code="440106",
            )
        )
    with committing(session):
        return register_many(session, made)


def graded(session, grades: dict[int, str], model: str = "enterprise") -> int:
    """A finished run of `model` giving these grades (as of now)."""
    now = clock.now()
    with committing(session):
        run = EvaluationRun(
            model_code=model, model_version=1, as_of=now, started_at=now, finished_at=now,
            subjects=len(grades), actor="user:test",
        )  # fmt: skip
        session.add(run)
        session.flush()
        if grades:
            session.execute(
                insert(table_of(EvaluationResult)),
                [
                    {"run_id": run.id, "subject_id": s, "score": Decimal(800), "grade": g}
                    for s, g in grades.items()
                ],
            )
        return run.id


def staff(session, department: Department, count: int) -> list[int]:
    who = clerk(department)
    with committing(session):
        return [
            inspectors.add_inspector(session, who, f"检查员{n}", f"执法{department.id}-{n}").id
            for n in itertools.islice(_numbers, count)
        ]


def plan(session, department: Department, **changes) -> int:
    today = clock.today()
    made = plans.PlanIn(
        matter=changes.pop("matter", "食品经营许可事项检查"),
        region_prefix=changes.pop("region_prefix", "4401"),
        subject_types=changes.pop("subject_types", ["enterprise"]),
        starts_on=changes.pop("starts_on", date(today.year, 1, 1)),
        ends_on=changes.pop("ends_on", date(today.year, 12, 31)),
        inspectors_per_subject=changes.pop("inspectors_per_subject", 2),
        name_keyword=changes.pop("name_keyword", None),
    )
    assert not changes, changes
    with committing(session):
        return plans.create(session, clerk(department), made).id
