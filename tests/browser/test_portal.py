"""The public credit website in Chromium: search → result → archive, the lists, a phone."""

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import COMPANY_USCC, PERSON_ID, penalty, person_penalty, store
from xinyong import clock, codes
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def archive_data(session):
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            person = register(
                session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID)
            )
        store(session, company.id, penalty(1, date(2026, 6, 1)))
        store(
            session,
            person.id,
            person_penalty(2, date(2026, 7, 1)),
        )
    return company, person


def test_search_result_archive_in_traditional_characters(page, live_server, archive_data):
    page.goto(live_server + "/")
    page.get_by_role("searchbox", name="主体名称或统一社会信用代码").fill("某某科技")
    page.get_by_role("button", name="查询").click()
    results = page.get_by_role("list", name="查询结果")
    expect(results.get_by_role("listitem")).to_have_count(1)
    results.get_by_role("link", name="广州市某某科技有限公司").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("广州市某某科技有限公司")
    page.get_by_role("navigation", name="档案栏目").get_by_role("link", name="行政处罚").click()
    expect(page.get_by_role("heading", name="行政处罚")).to_be_visible()
    record = page.get_by_role("article", name="行政处罚")
    expect(record).to_contain_text("穗市监罚〔2026〕1号")
    expect(record).to_contain_text("罚款")
    expect(record).not_to_contain_text("法定代表人证件号码")


def test_person_found_by_full_name_and_id_number_masked(page, live_server, archive_data):
    page.goto(live_server + "/search?q=" + "王小明")  # the only 王小明: straight to the archive
    expect(page.get_by_role("heading", level=1)).to_contain_text("王小明")
    masked = codes.mask_id_number(PERSON_ID)
    expect(page.get_by_text(masked)).to_be_visible()
    expect(page.locator("body")).not_to_contain_text(PERSON_ID)
    page.get_by_role("navigation", name="档案栏目").get_by_role("link", name="行政处罚").click()
    expect(page.locator("body")).not_to_contain_text(PERSON_ID)
    expect(page.get_by_role("article", name="行政处罚")).to_contain_text("穗市监罚〔2026〕2号")


def test_archive_fits_a_phone_screen(browser, live_server, archive_data, tmp_path):
    company, _ = archive_data
    context = browser.new_context(locale="zh-CN", viewport=PHONE, device_scale_factor=2)
    phone = context.new_page()
    phone.goto(f"{live_server}/subjects/{company.id}")
    expect(phone.get_by_role("heading", name="基本信息")).to_be_visible()
    overflow = phone.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the phone"
    folder = Path(os.environ.get("XINYONG_SCREENSHOTS", tmp_path))
    phone.screenshot(path=str(folder / "archive-phone.png"), full_page=True)
    phone.goto(f"{live_server}/lists")
    assert phone.evaluate("document.documentElement.scrollWidth - window.innerWidth") <= 0
    phone.screenshot(path=str(folder / "lists-phone.png"), full_page=True)
    context.close()
