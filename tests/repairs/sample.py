"""A company with a published penalty of a market regulator, the principals of a repair, and
the files an application hands in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, OTHER_USCC, PERSON_ID, penalty, store
from xinyong import clock
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.repairs.service import OnBehalf, Upload
from xinyong.subjects.models import Subject
from xinyong.subjects.service import SubjectIn, register

COMPANY = "广州市某某科技有限公司"
OTHER = "广州市另一家贸易有限公司"
PDF = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32
COMPLETE = [
    Upload("performance_proof", "缴款凭证.pdf", PDF),
    Upload("commitment", "承诺书.png", PNG),
]
CREDIT_OFFICE = Principal(Role.CREDIT_OFFICE, None, "440100", "user:90", "信用办")
WINDOW = Principal(Role.SERVICE_WINDOW, None, "440100", "user:5", "窗口")
WALK_IN = OnBehalf("王五", "居民身份证", PERSON_ID)


@dataclass(frozen=True)
class World:
    company: Subject
    other: Subject
    regulator: Department  # made the company's penalty: it decides the repair
    elsewhere: Department  # another department of the city
    record_id: int
    other_record_id: int

    @property
    def clerk(self) -> Principal:
        return Principal(Role.DATA_PROVIDER, self.regulator.id, "440100", "user:1", "市场监管")

    @property
    def other_clerk(self) -> Principal:
        return Principal(Role.DATA_PROVIDER, self.elsewhere.id, "440100", "user:2", "人社")

    def applicant(self, subject: Subject | None = None) -> Principal:
        subject = subject or self.company
        return Principal(None, None, None, f"applicant:{subject.id}", "申请人", subject.id)


def at(day: date, hour: int = 10) -> datetime:
    """`hour` o'clock in Beijing on `day`."""
    return datetime(day.year, day.month, day.day, hour - 8, 0, tzinfo=UTC)


def world(session, decided: date, today: date) -> World:  # type: ignore[no-untyped-def]
    """Two companies with a penalty each decided on `decided` by the city's market regulator,
    stored on `today`."""
    with clock.frozen_at(at(today)):
        with committing(session):
            company = register(
                session, SubjectIn(SubjectType.ENTERPRISE, COMPANY, uscc=COMPANY_USCC)
            )
            other = register(session, SubjectIn(SubjectType.ENTERPRISE, OTHER, uscc=OTHER_USCC))
            regulator = create_department(
                session, "gz-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
            )
            elsewhere = create_department(session, "gz-rsj", "广州市人力资源和社会保障局", "440100")
        mine = store(session, company.id, penalty(1, decided), department=regulator)
        theirs = store(
            session,
            other.id,
            penalty(2, decided, cf_xdr_mc=OTHER, cf_xdr_shxym=OTHER_USCC),
            department=regulator,
        )
    return World(company, other, regulator, elsewhere, mine, theirs)
