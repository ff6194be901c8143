"""The test case kind on top of the shipped policy, and two departments in two cities."""

import pytest

from tests.cases.sample import POLICY, THURSDAY
from tests.factories import AUTHORITY_USCC, COMPANY_USCC
from xinyong import clock
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.policy import use_policy
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register


@pytest.fixture(autouse=True)
def sample_kind():
    use_policy(POLICY)  # the root conftest puts the shipped policy back afterwards


@pytest.fixture
def world(session):
    """A company, the deciding department (Guangzhou) and one in another city (Shenzhen)."""
    with clock.frozen_at(THURSDAY), committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        gz = create_department(
            session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
        )
        sz = create_department(session, "sz-rsj", "深圳市人力资源和社会保障局", "440300")
    return company, gz, sz
