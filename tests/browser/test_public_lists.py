"""The public lists and an error page in Chromium (issue 15): at a 390 px phone the lists are
cards whose names read on one line, at 1280 px a table with every column; neither scrolls
sideways; the district dropdown and the export link work; an error page fits a phone."""

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import COMPANY_USCC, OTHER_USCC, demo_row, store
from xinyong import clock
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LONG_REASON = "拖欠农民工工资数额较大，经责令限期支付仍不支付，" * 4


@pytest.fixture
def listed(session):
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        with committing(session):
            companies = [
                register(session, SubjectIn(SubjectType.ENTERPRISE, name, uscc=uscc))
                for name, uscc in [
                    ("广州市某某科技有限公司", COMPANY_USCC),
                    ("广州市天河区某某建筑劳务分包工程有限责任公司", OTHER_USCC),
                ]
            ]
        for n, company in enumerate(companies):
            row = demo_row("yzsxmd", company, date(2026, 5, 1))
            row.update(md_wsh=f"穗人社失信〔2026〕{n}号", md_yy=LONG_REASON)
            store(session, company.id, row, "yzsxmd")
    return companies


def _folder(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("XINYONG_SCREENSHOTS", tmp_path))
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _no_sideways_scroll(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the window"


def _lines(locator) -> float:
    """How many lines of text the element takes (its height over its line height)."""
    return locator.evaluate(
        "el => el.getBoundingClientRect().height / parseFloat(getComputedStyle(el).lineHeight)"
    )


@pytest.mark.parametrize("width", WIDTHS)
def test_lists_read_at_phone_and_desktop_widths(browser, live_server, listed, tmp_path, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width], device_scale_factor=2)
    page = context.new_page()
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        page.goto(f"{live_server}/lists")
        expect(page.get_by_role("status")).to_contain_text("共 2 条")
        short = page.get_by_role("link", name="广州市某某科技有限公司")
        expect(short).to_be_visible()
        assert _lines(short) < 1.5, "a name that fits is on one line"
        long_name = page.get_by_role("link", name="广州市天河区某某建筑劳务分包工程有限责任公司")
        box = long_name.bounding_box()
        assert box and box["width"] > 150, "never one character per line"
        cell_display = page.locator("table.lists td").first.evaluate(
            "el => getComputedStyle(el).display"
        )
        headers = page.locator("table.lists thead")
        if width == "phone":
            assert cell_display == "block"  # a card: the name, then labelled lines
            label = page.locator('td[data-label="列入原因"]').first.evaluate(
                "el => getComputedStyle(el, '::before').content"
            )
            assert label == '"列入原因"'  # each line of the card says what it is
            assert headers.bounding_box()["height"] <= 1
        else:
            assert cell_display == "table-cell"
            expect(page.get_by_role("columnheader", name="列入原因")).to_be_visible()
            expect(page.get_by_role("columnheader", name="认定部门")).to_be_visible()
        _no_sideways_scroll(page)
        page.screenshot(path=str(_folder(tmp_path) / f"lists-{width}.png"), full_page=True)

        page.get_by_label("地区").select_option(label="荔湾区")
        page.get_by_role("button", name="筛选").click()
        expect(page.get_by_role("status")).to_contain_text("共 0 条")
        assert "region=440103" in page.url
        page.get_by_label("地区").select_option(label="天河区")
        page.get_by_label("决定日期自").fill("2026-06-01")
        page.get_by_label("至").fill("2026-04-01")
        page.get_by_role("button", name="筛选").click()
        expect(page.get_by_role("alert")).to_contain_text("起始日期晚于截止日期")
        with page.expect_download() as download:
            page.get_by_role("link", name="CSV").click()
        saved = download.value.path().read_bytes()
        assert saved.startswith("\ufeff".encode()) and "广州市某某科技有限公司".encode() in saved
        _no_sideways_scroll(page)
        page.screenshot(path=str(_folder(tmp_path) / f"lists-message-{width}.png"), full_page=True)
    context.close()


@pytest.mark.parametrize("width", WIDTHS)
def test_an_error_page_fits_and_leads_back(browser, live_server, tmp_path, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width], device_scale_factor=2)
    page = context.new_page()
    response = page.goto(f"{live_server}/subjects/abc")
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("未找到")
    _no_sideways_scroll(page)
    page.screenshot(path=str(_folder(tmp_path) / f"error-{width}.png"), full_page=True)
    page.get_by_role("link", name="重新查询").click()
    expect(page).to_have_url(f"{live_server}/search")
    page.go_back()
    page.get_by_role("link", name="返回首页").click()
    expect(page).to_have_url(f"{live_server}/")
    context.close()
