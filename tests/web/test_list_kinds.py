"""One definition of red and black lists (issue 12 item 5): a city overlay whose lists.yaml adds
a red list type over 行政奖励 makes those records appear on the portal's red list page, give the
守信激励 badge in the archive, and show in a check — with no code change."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import COMPANY_USCC, demo_row, store
from xinyong import clock
from xinyong.auth.principal import Principal
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.policy import SHIPPED_DIR, use_policy
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register

CITY_RED_LIST = """
  - code: model_employer
    name: 劳动保障守法诚信示范企业
    kind: red
    items: [xzjl]
    source: 本市规定（测试用城市政策：行政奖励中的劳动保障守法诚信示范企业）
    verified: false
"""
TRUST_BADGE = '<span class="badge badge-trust">守信激励</span>'


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


@pytest.fixture
def rewarded(session):
    """A company with a published 行政奖励 record, and a department that may run checks."""
    with committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = create_department(session, "gz-czj", "广州市财政局", "440100")
    store(session, company.id, demo_row("xzjl", company, date(2026, 5, 1)), "xzjl")
    return company, Principal(Role.DATA_PROVIDER, department.id, "440100", "department:gz-czj")


@pytest.fixture
def city(tmp_path, client):
    shipped = (SHIPPED_DIR / "lists.yaml").read_text(encoding="utf-8")
    (tmp_path / "lists.yaml").write_text(shipped.rstrip() + "\n" + CITY_RED_LIST, encoding="utf-8")
    use_policy(tmp_path)  # after the app (built on the shipped policy); reset by the root conftest


def _seen(client, session, company, viewer):
    red = client.get("/lists", params={"kind": "red"}).text
    black = client.get("/lists", params={"kind": "black"}).text
    archive = client.get(f"/subjects/{company.id}").text
    with committing(session):
        answer = checks.check(session, viewer, SubjectKey(uscc=COMPANY_USCC), "approval")
    return {
        "red page": company.name in red,
        "black page": company.name in black,
        "badge": TRUST_BADGE in archive,
        "check": [m.list_type for m in answer.lists],
    }


def test_the_shipped_lists_leave_a_reward_off_the_red_list(client, session, rewarded):
    seen = _seen(client, session, *rewarded)
    assert seen == {"red page": False, "black page": False, "badge": False, "check": []}


def test_a_city_red_list_reaches_portal_archive_and_checks(city, client, session, rewarded):
    seen = _seen(client, session, *rewarded)
    assert seen == {
        "red page": True,
        "black page": False,
        "badge": True,
        "check": ["model_employer"],
    }
    red = client.get("/lists", params={"kind": "red"}).text
    assert ">行政奖励</option>" in red  # the page's item filter offers the new list's item
