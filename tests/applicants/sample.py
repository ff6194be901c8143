"""Subjects with a published penalty each, and a code issued to one at a window."""

from __future__ import annotations

from datetime import UTC, date, datetime

from tests.factories import COMPANY_USCC, OTHER_USCC, penalty, store
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register

MOMENT = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
WINDOW = Principal(Role.SERVICE_WINDOW, None, "440100", "user:5", "窗口")
COMPANY = "广州市某某科技有限公司"
OTHER = "广州市另一家贸易有限公司"


def two_companies(session):  # type: ignore[no-untyped-def]
    """Two companies, each with a published penalty of its own number (1 and 2)."""
    with clock.frozen_at(MOMENT):
        with committing(session):
            mine = register(session, SubjectIn(SubjectType.ENTERPRISE, COMPANY, uscc=COMPANY_USCC))
            other = register(session, SubjectIn(SubjectType.ENTERPRISE, OTHER, uscc=OTHER_USCC))
        store(session, mine.id, penalty(1, date(2026, 6, 1)))
        store(
            session,
            other.id,
            penalty(2, date(2026, 6, 1), cf_xdr_mc=OTHER, cf_xdr_shxym=OTHER_USCC),
        )
    return mine, other


def code_for(session, subject, purpose: str = "窗口核验") -> str:  # type: ignore[no-untyped-def]
    with committing(session):
        return applicants.issue_code(session, WINDOW, subject, purpose)
