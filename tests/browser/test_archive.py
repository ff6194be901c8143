"""The tabbed archive in Chromium at a phone's and a desktop's width: open a subject, open a
tab, page inside it, open a record, come back — with what a person checks of the layout: no
sideways scrolling of the page, the tab strip on one line (scrolling inside itself on a phone),
names on one line where they fit, records as cards."""

import os
import re
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.factories import COMPANY_USCC, demo_row, penalty, store
from xinyong import clock
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.browser

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
WIDTHS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
NAME = "广州市某某科技有限公司"


@pytest.fixture
def frozen():
    with clock.frozen_at(NOW):  # the server's thread reads the same clock
        yield


@pytest.fixture
def company(session, frozen):
    with committing(session):
        company = register(session, SubjectIn(SubjectType.ENTERPRISE, NAME, uscc=COMPANY_USCC))
    for n in range(1, 26):  # two pages of 行政处罚: 20 and 5
        store(session, company.id, penalty(n, date(2026, 1, 1 + n)))
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    return company


def _no_sideways_scroll(page: Page) -> None:
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the window"


def _one_line(page: Page, selector: str) -> None:
    """The text of every element of `selector` sits on one line (no name broken character by
    character): its line boxes, measured on the text itself, all start at one height."""
    lines = page.eval_on_selector_all(
        selector,
        """els => els.map(e => {
             const range = document.createRange();
             range.selectNodeContents(e);
             const tops = [...range.getClientRects()].map(r => r.top);
             const half = parseFloat(getComputedStyle(e).lineHeight) / 2;
             return [e.textContent.trim(), tops.filter(t => t - Math.min(...tops) > half).length];
           })""",
    )
    assert lines, selector
    for text, below in lines:
        assert below == 0, f"{text!r} wraps onto more than one line"


def _every_tab_in_sight(page: Page) -> None:
    """All eight tabs, the open one too, inside the window without scrolling anything: one
    strip on a desktop, a grid of four a row on a phone."""
    boxes = page.eval_on_selector_all(
        "nav.archive-tabs a",
        """els => els.map(e => { const r = e.getBoundingClientRect();
                                  return [e.textContent, r.left, r.right, r.top]; })""",
    )
    inner = page.evaluate("window.innerWidth")
    for text, left, right, _ in boxes:
        assert left >= 0 and right <= inner, f"{text} lies outside the window: {left}–{right}"
    rows = len({round(top) for *_, top in boxes})
    assert rows == (1 if inner >= 1000 else 2), f"tabs in {rows} rows"


@pytest.mark.parametrize("width", WIDTHS, ids=list(WIDTHS))
def test_subject_tab_record_and_back(browser, live_server, company, width):
    shots = Path(os.environ.get("XINYONG_SCREENSHOTS", "/tmp/shots/site-archive"))
    shots.mkdir(parents=True, exist_ok=True)
    context = browser.new_context(locale="zh-CN", viewport=WIDTHS[width], device_scale_factor=1)
    page = context.new_page()
    archive = f"{live_server}/subjects/{company.id}"
    page.goto(archive)
    expect(page.get_by_role("heading", level=1)).to_contain_text(NAME)
    basic = page.get_by_role("region", name="基本信息")
    expect(basic).to_contain_text(COMPANY_USCC)
    expect(basic).to_contain_text("登记状态")
    tabs = page.get_by_role("navigation", name="档案栏目")
    expect(tabs.get_by_role("link")).to_have_count(8)
    expect(tabs.get_by_role("link", name=re.compile(r"^行政处罚\s*（25）$"))).to_be_visible()
    expect(tabs.get_by_role("link", name=re.compile(r"^失信惩戒\s*（1）$"))).to_be_visible()
    _no_sideways_scroll(page)
    _one_line(page, "h1")
    _one_line(page, "nav.archive-tabs .label")
    _every_tab_in_sight(page)
    page.screenshot(path=str(shots / f"archive-basic-{width}.png"), full_page=True)

    tabs.get_by_role("link", name=re.compile(r"^行政处罚\s*（25）$")).click()
    expect(page).to_have_url(re.compile(r"\?tab=xzcf$"))
    expect(page.get_by_role("heading", level=2, name="行政处罚")).to_be_visible()
    cards = page.get_by_role("article", name="行政处罚")
    expect(cards).to_have_count(20)
    expect(cards.first).to_contain_text("穗市监罚〔2026〕25号")  # newest decision first
    expect(tabs.get_by_role("link", name=re.compile(r"^行政处罚\s*（25）$"))).to_have_attribute(
        "aria-current", "page"
    )
    _no_sideways_scroll(page)
    _every_tab_in_sight(page)
    card = page.eval_on_selector(
        "article.record", "a => [a.getBoundingClientRect().left, a.getBoundingClientRect().right]"
    )
    assert card[0] >= 0 and card[1] <= WIDTHS[width]["width"], card
    if width == "phone":  # a card's labels above their values, not in a squeezed column
        dt, dd = page.eval_on_selector_all(
            "article.record >> nth=0 >> dl.fields > *",
            "els => els.slice(0, 2).map(e => e.getBoundingClientRect().left)",
        )
        assert dt == dd, (dt, dd)
    page.screenshot(path=str(shots / f"archive-tab-{width}.png"), full_page=True)

    pager = page.get_by_role("navigation", name="分页")
    pager.get_by_role("link", name="第 2 页").click()
    expect(page).to_have_url(re.compile(r"\?tab=xzcf&page=2$"))
    expect(cards).to_have_count(5)
    expect(page.get_by_text("共 25 条，第 2 / 2 页")).to_be_visible()
    _no_sideways_scroll(page)

    first = cards.first
    expect(first).to_contain_text("穗市监罚〔2026〕5号")
    first.get_by_role("link", name="行政处罚").click()
    expect(page).to_have_url(re.compile(r"/records/\d+$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("行政处罚")
    main = page.locator("main")
    expect(main).to_contain_text("穗市监罚〔2026〕5号")
    expect(main).to_contain_text("公示期")
    expect(main).to_contain_text("2026-01-06 至 2027-01-06")
    expect(main.get_by_role("link", name="提出异议")).to_be_visible()
    expect(main.get_by_role("link", name=NAME).first).to_have_attribute(
        "href", f"/subjects/{company.id}"
    )
    _no_sideways_scroll(page)
    page.screenshot(path=str(shots / f"record-{width}.png"), full_page=True)

    page.go_back()
    expect(page).to_have_url(re.compile(r"\?tab=xzcf&page=2$"))
    expect(cards).to_have_count(5)
    first.get_by_role("link", name="查看详情").click()
    main.get_by_role("link", name=f"返回{NAME}的行政处罚信息").click()
    expect(page).to_have_url(re.compile(r"\?tab=xzcf$"))
    expect(cards).to_have_count(20)
    context.close()
