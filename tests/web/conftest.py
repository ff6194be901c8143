"""Fixtures the website's tests share."""

import pytest

from tests.factories import COMPANY_USCC
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register


@pytest.fixture
def company(session):
    with committing(session):
        return register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
