"""A policy with one copy of 行政处罚 per disclosure level, and records built through services."""

from datetime import UTC, datetime
from pathlib import Path

import pytest

from tests.factories import COMPANY_USCC
from xinyong import clock
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.policy import use_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.loader import SHIPPED_DIR
from xinyong.subjects.service import SubjectIn, register

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
LEVEL_ITEMS = {"public": "xzcf", "shared": "xzcf_gx", "authorized": "xzcf_sq", "closed": "xzcf_bg"}


@pytest.fixture(autouse=True)
def levels_policy(tmp_path_factory):
    """Items xzcf_gx / xzcf_sq / xzcf_bg: 行政处罚 at the shared, authorized and closed levels."""
    folder = tmp_path_factory.mktemp("policy")
    (folder / "catalog").mkdir()
    shipped = (Path(SHIPPED_DIR) / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")
    for level, code in LEVEL_ITEMS.items():
        if code != "xzcf":
            text = shipped.replace("code: xzcf", f"code: {code}", 1)
            text = text.replace("name: 行政处罚", f"name: 行政处罚（{level}）", 1)
            text = text.replace("disclosure: public", f"disclosure: {level}", 1)
            (folder / "catalog" / f"{code}.yaml").write_text(text, encoding="utf-8")
    use_policy(folder)
    return folder


@pytest.fixture
def app(sessions, settings, levels_policy):
    """The app serving the levels policy, as a city's server would from its settings."""
    from xinyong.app import create_app

    return create_app(settings.model_copy(update={"policy_dir": levels_policy}))


@pytest.fixture
def now():
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def company(session, now):
    with committing(session):
        return register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )


@pytest.fixture
def departments(session, now):
    with committing(session):
        return {
            "gz": create_department(session, "gz-scjgj", "广州市市场监督管理局", "440100"),
            "sz": create_department(session, "sz-scjgj", "深圳市市场监督管理局", "440300"),
        }
