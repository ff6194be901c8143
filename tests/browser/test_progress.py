"""Someone without an account checks a case's progress on a phone (issue 13): the number and
code from the window's receipt show the state and steps; a mistyped code shows one message."""

from datetime import UTC, datetime

import pytest
from playwright.sync_api import expect

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, listing_case
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.principal import Principal
from xinyong.changes import case_number, progress_code
from xinyong.changes.progress import NOT_FOUND
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
THURSDAY = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)


def test_a_person_checks_the_progress_of_a_case_on_a_phone(page, live_server, session, tmp_path):
    with clock.frozen_at(THURSDAY):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            gz = auth.create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            )
        case = listing_case(session, Principal.of_department(gz), company, gz, "notified")
        page.set_viewport_size(PHONE)
        page.goto(live_server + "/")
        page.get_by_role("link", name="进度查询").click()
        page.get_by_label("案件编号").fill(case_number(case))
        page.get_by_label("查询码").fill("AAAA-AAAA")
        page.get_by_role("button", name="查询").click()
        expect(page.get_by_role("alert")).to_have_text(NOT_FOUND)
        page.get_by_label("查询码").fill(progress_code(case.id).lower())
        page.get_by_role("button", name="查询").click()
        result = page.get_by_role("region", name=f"案件 {case_number(case)}")
        expect(result).to_contain_text("列入严重失信主体名单")
        expect(result).to_contain_text("已告知")
        expect(result.get_by_role("listitem")).to_have_count(2)
        expect(page.locator("main")).not_to_contain_text("广州市某某科技有限公司")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], width
        page.screenshot(path=str(tmp_path / "progress-390.png"), full_page=True)
        page.screenshot(path="/tmp/progress-390.png", full_page=True)
