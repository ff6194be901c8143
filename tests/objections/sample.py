"""A person with a published penalty of one department, a company with one of another, and the
principals objections are filed and decided by."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, PERSON_ID, penalty, store
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.cases import handlers
from xinyong.cases.handlers import StepIn
from xinyong.db import committing
from xinyong.objections import service as objections
from xinyong.objections.models import ObjectionCase
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.models import Subject
from xinyong.subjects.service import SubjectIn, register

MONDAY = datetime(2026, 11, 23, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
PERSON = "李四"
BASIC = 0  # `World.file(BASIC)`: an objection on the subject's basic information
WINDOW_IDENTITY = objections.FiledFor("李四", "居民身份证", PERSON_ID)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def person_penalty(number: int, decided: date) -> dict[str, Any]:
    return penalty(
        number,
        decided,
        cf_xdr_mc=PERSON,
        cf_xdr_lb="自然人",
        cf_xdr_shxym="",
        cf_frdb="",
        cf_fr_zjlx="",
        cf_fr_zjhm="",
        cf_xdr_zjlx="身份证",
        cf_xdr_zjhm=PERSON_ID,
    )


@dataclass
class World:
    session: Any
    person: Subject
    company: Subject
    provider: Department  # 广州市市场监督管理局: the person's record is its own
    other: Department  # 广州市人社局: the company's record is its own
    record_id: int  # the person's penalty
    company_record_id: int

    @property
    def applicant(self) -> Principal:
        """The person's applicant account."""
        return Principal(None, None, None, "applicant:1", "lisi", self.person.id)

    @property
    def company_applicant(self) -> Principal:
        return Principal(None, None, None, "applicant:2", "company", self.company.id)

    @property
    def credit_office(self) -> Principal:
        return Principal(Role.CREDIT_OFFICE, None, "440100", "user:90", "信用办")

    @property
    def window(self) -> Principal:
        return Principal(Role.SERVICE_WINDOW, None, "440100", "user:91", "窗口")

    def clerk(self, department: Department, role: Role = Role.DATA_PROVIDER) -> Principal:
        return Principal(role, department.id, department.region_code, f"user:{department.id}00")

    def file(self, record_id: int | None = None, **kwargs: Any) -> ObjectionCase:
        asked = {"category": "wrong", "statement": "处罚决定书文号有误", **kwargs}
        by = asked.pop("by", self.applicant)
        subject_id = asked.pop("subject_id", self.person.id)
        return objections.file_objection(
            self.session,
            by,
            subject_id,
            record_id=(record_id or None) if record_id is not None else self.record_id,
            **asked,
        )

    def step(self, case: ObjectionCase, by: Principal, transition: str, **data: Any) -> Any:
        note = data.pop("note", None)
        return handlers.take(self.session, by, case.id, StepIn(transition, note, data))


def world(session) -> World:  # type: ignore[no-untyped-def]
    with clock.frozen_at(MONDAY):
        with committing(session):
            person = register(
                session, SubjectIn(SubjectType.NATURAL_PERSON, PERSON, id_number=PERSON_ID)
            )
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            provider = auth.create_department(
                session, "gz-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
            )
            other = auth.create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100"
            )
        record_id = store(
            session, person.id, person_penalty(7, date(2026, 6, 1)), department=provider
        )
        company_record_id = store(
            session, company.id, penalty(8, date(2026, 6, 1)), department=other
        )
    return World(session, person, company, provider, other, record_id, company_record_id)
