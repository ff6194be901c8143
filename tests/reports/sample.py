"""The credit reports' test city: a company with penalties inside and outside a 专项's period
(one repaired, one under objection) and a 行政许可, a natural person with a penalty, a
department, and the principals who ask (the public, each applicant, staff, a department)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tests.factories import (
    AUTHORITY_USCC,
    COMPANY_USCC,
    OTHER_USCC,
    PERSON_ID,
    penalty,
    person_penalty,
    store,
)
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.records import service as records
from xinyong.records.models import Record, RecordStatus
from xinyong.subjects.service import SubjectIn, register

# Friday 2026-12-04, 10:00 in Beijing.
MOMENT = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
COMPANY = "广州市某某科技有限公司"
OTHER = "广州市另一家贸易有限公司"
PERSON = "王小明"


@dataclass
class World:
    company: Any
    other: Any
    person: Any
    department: Department
    recent: int  # 穗市监罚〔2026〕11号, decided 2026-06-01
    repaired: int  # 穗市监罚〔2026〕12号, decided 2026-03-01, repaired
    objected: int  # 穗市监罚〔2026〕13号, decided 2026-09-01, under objection
    old: int  # 穗市监罚〔2020〕14号, decided 2020-06-01: outside five years
    person_record: int

    @property
    def staff(self) -> Principal:
        return Principal(Role.CREDIT_OFFICE, None, "440100", "user:910001", "信用办")

    @property
    def window(self) -> Principal:
        return Principal(Role.SERVICE_WINDOW, self.department.id, "440100", "user:910002", "窗口")

    @property
    def department_key(self) -> Principal:
        return Principal.of_department(self.department)

    def applicant(self, subject_id: int, number: int = 1) -> Principal:
        return Principal(None, None, None, f"applicant:{number}", "申请人", subject_id)


def world(session) -> World:  # type: ignore[no-untyped-def]
    with clock.frozen_at(datetime(2026, 11, 1, 2, tzinfo=UTC)):
        with committing(session):
            company = register(
                session, SubjectIn(SubjectType.ENTERPRISE, COMPANY, uscc=COMPANY_USCC)
            )
            other = register(session, SubjectIn(SubjectType.ENTERPRISE, OTHER, uscc=OTHER_USCC))
            person = register(
                session, SubjectIn(SubjectType.NATURAL_PERSON, PERSON, id_number=PERSON_ID)
            )
            department = auth.create_department(
                session, "gz-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
            )
        with committing(session):
            for subject in (company, other):
                subject.verified = True
        recent = store(session, company.id, penalty(11, date(2026, 6, 1)), department=department)
        repaired = store(session, company.id, penalty(12, date(2026, 3, 1)), department=department)
        objected = store(session, company.id, penalty(13, date(2026, 9, 1)), department=department)
        old = store(
            session,
            company.id,
            penalty(14, date(2020, 6, 1), cf_wsh="穗市监罚〔2020〕14号"),
            department=department,
        )
        person_record = store(
            session, person.id, person_penalty(15, date(2026, 7, 1)), department=department
        )
    with clock.frozen_at(datetime(2026, 11, 20, 2, tzinfo=UTC)), committing(session):
        records.change_status(
            session, session.get(Record, repaired), RecordStatus.REPAIRED, "user:1", "信用修复"
        )
        records.set_objection(session, session.get(Record, objected), True, "user:1", "异议")
    return World(company, other, person, department, recent, repaired, objected, old, person_record)
