"""A deciding department with a published penalty of its own on a company, and another
company with one of another department's; the clock of the notices' tests."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, OTHER_USCC, penalty, store
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register

# Monday 2026-11-23, 12:00 in Beijing: five working days before Monday 2026-11-30, the day a
# general penalty decided on 2026-08-30 may be repaired (3 months, 国家发展改革委令第36号).
MOMENT = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
DECIDED = date(2026, 8, 30)
REPAIR_FROM = date(2026, 11, 30)
COMPANY = "广州市某某科技有限公司"
OTHER = "广州市另一家贸易有限公司"


@dataclass
class World:
    company: Any
    other: Any
    department: Department
    elsewhere: Department
    record_id: int  # the department's penalty on the company
    other_record_id: int  # another department's penalty on the other company

    @property
    def clerk(self) -> Principal:
        return Principal(Role.DATA_PROVIDER, self.department.id, "440100", "user:900001", "刘")


def world(session) -> World:  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT):
        with committing(session):
            company = register(
                session, SubjectIn(SubjectType.ENTERPRISE, COMPANY, uscc=COMPANY_USCC)
            )
            other = register(session, SubjectIn(SubjectType.ENTERPRISE, OTHER, uscc=OTHER_USCC))
            department = auth.create_department(
                session, "gz-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
            )
            elsewhere = auth.create_department(session, "gz-sthj", "广州市生态环境局", "440100")
        mine = store(session, company.id, penalty(7, DECIDED), department=department)
        theirs = store(
            session,
            other.id,
            penalty(8, DECIDED, cf_xdr_mc=OTHER, cf_xdr_shxym=OTHER_USCC),
            department=elsewhere,
        )
    return World(company, other, department, elsewhere, mine, theirs)
