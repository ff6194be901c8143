"""The search journey in Chromium at a phone's and a desktop's width: words and filters, result
rows with status, badges and penalty counts, numbered pages, a code that opens the archive, a
mistyped code."""

import os
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.factories import demo_row, penalty, store
from xinyong import clock, codes
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.browser

WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LONG_NAME = "广州市天河区某某五金机电设备进出口贸易有限责任公司第一分公司"


def _uscc(district: str, body: str) -> str:
    return codes.make_uscc("91" + district + codes.make_org_code(body))


@pytest.fixture
def shops(session):
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        with committing(session):
            made = [
                register(
                    session,
                    SubjectIn(
                        SubjectType.ENTERPRISE,
                        f"广州市{i:02d}号五金有限公司",
                        uscc=_uscc("440106", f"BW{i:06d}"),
                        status="revoked" if i == 1 else "active",
                    ),
                )
                for i in range(24)
            ]
            made.append(
                register(
                    session,
                    SubjectIn(SubjectType.ENTERPRISE, LONG_NAME, uscc=_uscc("440106", "BW999999")),
                )
            )
            register(  # another district: the filter leaves it out
                session,
                SubjectIn(
                    SubjectType.ENTERPRISE,
                    "广州市海珠五金有限公司",
                    uscc=_uscc("440105", "BW888888"),
                ),
            )
        store(session, made[0].id, penalty(1, date(2026, 6, 1)))
        store(session, made[0].id, penalty(2, date(2026, 7, 1)))
        store(session, made[0].id, demo_row("sxbzxr", made[0], date(2026, 5, 1)), "sxbzxr")
    return made


def _fits(page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the window"


def _names_on_one_line(page) -> None:
    """Every result name that fits its row is on one line; a longer one wraps inside it."""
    lines = page.evaluate(
        """() => [...document.querySelectorAll('.result-name')].map(a => {
            const row = a.closest('.result');
            const probe = a.cloneNode(true);
            probe.style.whiteSpace = 'nowrap';
            probe.style.position = 'absolute';
            document.body.appendChild(probe);
            const natural = probe.getBoundingClientRect().width;
            probe.remove();
            const inner = row.clientWidth - 24;  // the row's padding
            return {name: a.textContent, lines: a.getClientRects().length,
                    fits: natural <= inner, right: a.getBoundingClientRect().right,
                    rowRight: row.getBoundingClientRect().right};
        })"""
    )
    assert lines
    for name in lines:
        if name["fits"]:
            assert name["lines"] == 1, name
        assert name["right"] <= name["rowRight"], name


@pytest.mark.parametrize("width", list(WIDTHS))
def test_search_with_words_and_filters_through_the_pages(browser, live_server, shops, width):
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width], device_scale_factor=1)
    page = context.new_page()
    folder = Path(os.environ.get("XINYONG_SCREENSHOTS", "/tmp/shots/site-search"))
    folder.mkdir(parents=True, exist_ok=True)
    page.goto(live_server + "/search")
    page.get_by_role("searchbox", name="主体名称或统一社会信用代码").fill("广州 五金")
    page.get_by_label("主体类型").select_option(label="法人")
    page.get_by_label("所在地区").select_option(label="天河区")
    _fits(page)
    page.get_by_role("button", name="查询").click()

    expect(page.get_by_role("status")).to_contain_text("共找到 25 个主体")
    results = page.get_by_role("list", name="查询结果")
    expect(results.get_by_role("listitem")).to_have_count(20)
    first = results.get_by_role("listitem").filter(has_text="广州市00号五金有限公司")
    expect(first).to_contain_text("严重失信")
    expect(first).to_contain_text("2 条公示中")
    expect(
        results.get_by_role("listitem").filter(has_text="广州市01号五金有限公司")
    ).to_contain_text("吊销")
    expect(page.get_by_label("所在地区")).to_have_value("天河区")
    _fits(page)
    _names_on_one_line(page)
    page.screenshot(path=str(folder / f"search-{width}.png"), full_page=True)

    pager = page.get_by_role("navigation", name="分页")
    pager.get_by_role("link", name="第 2 页").click()
    expect(pager.get_by_role("link", name="第 2 页")).to_have_attribute("aria-current", "page")
    assert "region=" in page.url and "type=enterprise" in page.url and "page=2" in page.url
    expect(results.get_by_role("listitem")).to_have_count(5)
    expect(results).to_contain_text(LONG_NAME)
    _fits(page)
    _names_on_one_line(page)
    page.screenshot(path=str(folder / f"search-page2-{width}.png"), full_page=True)

    page.get_by_role("searchbox", name="主体名称或统一社会信用代码").fill(shops[3].uscc[:17])
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("alert")).to_have_text("统一社会信用代码应为18位，实际为17位")
    _fits(page)
    page.screenshot(path=str(folder / f"search-short-code-{width}.png"), full_page=True)

    page.get_by_role("searchbox", name="主体名称或统一社会信用代码").fill(shops[3].uscc)
    page.get_by_role("button", name="查询").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("广州市03号五金有限公司")
    assert page.url.endswith(f"/subjects/{shops[3].id}")
    context.close()
