"""A company, the 市场监督管理局 that accepts its 容缺受理 commitment, and the principals that act
on it (a window clerk, the department's clerk, the company's own applicant account)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, OTHER_USCC, PERSON_ID
from xinyong import clock
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.auth.service import create_department
from xinyong.commitments import service as commitments
from xinyong.commitments.models import CommitmentCase
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.models import Subject
from xinyong.subjects.service import SubjectIn, register

MONDAY = datetime(2026, 11, 16, 2, 0, tzinfo=UTC)  # 10:00 in Beijing
# 20 working days after Monday 2026-11-16 (commitments.yaml food_business_deferred).
TERM_ENDS = date(2026, 12, 14)
FOOD = "food_business_deferred"
COMPANY, OTHER = "广州市某某餐饮管理有限公司", "广州市另一家贸易有限公司"


@dataclass(frozen=True)
class City:
    company: Subject
    other: Subject
    market: Department  # 市场监督管理局: accepts food licences
    health: Department  # 卫生健康委员会

    @property
    def window(self) -> Principal:
        return Principal(Role.SERVICE_WINDOW, None, "440100", "user:5", "窗口")

    @property
    def clerk(self) -> Principal:
        return Principal(Role.DATA_PROVIDER, self.market.id, "440100", "user:6", "市场监管")

    def applicant(self, subject: Subject) -> Principal:
        return Principal(None, None, None, f"applicant:{subject.id}", "申请人", subject.id)


def city(session) -> City:  # type: ignore[no-untyped-def]
    with clock.frozen_at(MONDAY), committing(session):
        company = register(session, SubjectIn(SubjectType.ENTERPRISE, COMPANY, uscc=COMPANY_USCC))
        other = register(session, SubjectIn(SubjectType.ENTERPRISE, OTHER, uscc=OTHER_USCC))
        market = create_department(
            session, "gz-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        )
        health = create_department(session, "gz-wjw", "广州市卫生健康委员会", "440100")
    return City(company, other, market, health)


SIGNER = commitments.Signer("王五", "居民身份证", PERSON_ID)


def signed(session, town: City, template: str = FOOD, **options) -> CommitmentCase:  # type: ignore[no-untyped-def]
    """A commitment signed at the window (on MONDAY, unless `at`) for the company, committed."""
    department = options.pop("department", town.market)
    with clock.frozen_at(options.pop("at", MONDAY)), committing(session):
        return commitments.sign(
            session,
            options.pop("principal", town.window),
            template,
            options.pop("subject", town.company),
            department,
            declared=True,
            signer=options.pop("signer", SIGNER),
            **options,
        )
