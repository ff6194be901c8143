"""A clerk uploads a file with bad rows in the console, reads the receipt and downloads the
rejected rows to fix them, in Chromium."""

from __future__ import annotations

import csv

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from tests.browser.console import sign_in
from tests.factories import AUTHORITY_USCC, penalty_row, write_csv
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.collection.models import Batch
from xinyong.db import committing

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("received")]

PASSWORD = "clerk-test-password"


def test_clerk_uploads_sees_receipt_and_downloads_rejected_rows(
    page, live_server, session, tmp_path
):
    with committing(session):
        market = auth.create_department(
            session, "scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        )
        auth.create_user(session, "liu", PASSWORD, Role.DATA_PROVIDER, "440100", "刘敏", market)
    rows = [
        penalty_row(),
        penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文2"}),
        penalty_row(**{"处罚决定日期": "2024-03-21", "行政处罚决定书文号": "文3"}),
    ]
    upload = write_csv(tmp_path / "三月处罚.csv", rows, "gbk")

    page.goto(live_server + "/admin/login")
    page.get_by_label("用户名").fill("liu")
    page.get_by_label("密码").fill(PASSWORD)
    page.get_by_role("button", name="登录").click()
    page.get_by_role("link", name="数据归集").click()
    expect(page.get_by_role("heading", name="数据归集", exact=True)).to_be_visible()
    expect(page.get_by_text("报送部门：广州市市场监督管理局")).to_be_visible()
    page.get_by_label("目录项").select_option(label="行政处罚（xzcf）")
    page.get_by_label("文件", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="上传并校验").click()

    expect(page.get_by_role("heading", name="报送回执", exact=False)).to_be_visible()
    receipt = page.get_by_role("list", name="回执")
    expect(receipt.get_by_role("listitem").filter(has_text="总行数")).to_contain_text("3")
    expect(receipt.get_by_role("listitem").filter(has_text="接收")).to_contain_text("1")
    expect(receipt.get_by_role("listitem").filter(has_text="退回")).to_contain_text("2")
    expect(page.get_by_role("cell", name="处罚类别：“吃”不是有效的处罚类别")).to_be_visible()
    expect(page.get_by_role("cell", name="处罚决定日期晚于报送日期")).to_be_visible()

    with page.expect_download() as download:
        page.get_by_role("link", name="下载未通过的行", exact=False).click()
    assert download.value.suggested_filename == "三月处罚_错误数据.csv"
    saved = tmp_path / "rejected.csv"
    download.value.save_as(saved)
    with saved.open(encoding="gbk", newline="") as data:
        returned = list(csv.DictReader(data))
    assert [r["行政处罚决定书文号"] for r in returned] == ["文2", "文3"]
    assert returned[1]["错误原因"] == "处罚决定日期晚于报送日期"

    page.get_by_role("link", name="← 返回数据归集").click()
    expect(page.get_by_role("cell", name="三月处罚.csv")).to_be_visible()


@pytest.mark.parametrize("width", [390, 1280])
def test_a_double_click_sends_one_batch_and_the_page_offers_fields_and_templates(
    browser, live_server, session, tmp_path, width
):
    """issue 11: the upload button shows progress and cannot be double-submitted; the page
    lists the item's fields and its templates."""
    with committing(session):
        market = auth.create_department(
            session, "scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        )
        auth.create_user(session, "liu", PASSWORD, Role.DATA_PROVIDER, "440100", "刘敏", market)
    upload = write_csv(tmp_path / "处罚.csv", [penalty_row()])
    context = browser.new_context(locale="zh-CN", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, live_server, "liu", PASSWORD)
    page.goto(live_server + "/admin/collection")
    page.get_by_text("行政处罚（xzcf）· ").click()  # opens the item's field list
    fields = page.get_by_role("table", name="行政处罚的字段")
    expect(fields.get_by_role("row").filter(has_text="罚款金额（万元）")).to_contain_text(
        "条件必填：处罚类别为“罚款”时"
    )
    with page.expect_download() as template:
        page.locator("#fields-xzcf").get_by_role("link", name="Excel 模板").click()
    assert template.value.suggested_filename == "行政处罚报送模板.xlsx"

    page.get_by_label("目录项").select_option(label="行政处罚（xzcf）")
    page.get_by_label("文件", exact=True).set_input_files(str(upload))
    page.get_by_role("button", name="上传并校验").dblclick()
    expect(page.get_by_role("heading", name="报送回执", exact=False)).to_be_visible()
    context.close()
    with session.begin():
        assert session.scalar(select(func.count()).select_from(Batch)) == 1
