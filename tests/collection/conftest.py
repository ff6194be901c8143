"""A providing department for collection tests."""

from __future__ import annotations

import pytest

from tests.collection.rows import AUTHORITY_USCC
from xinyong.auth.service import create_department
from xinyong.db import transaction


@pytest.fixture
def department(sessions):  # type: ignore[no-untyped-def]
    with transaction(sessions) as session:
        return create_department(
            session, "scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        ).code
