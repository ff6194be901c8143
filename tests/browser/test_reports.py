"""A citizen on a company's archive downloads its 信用报告 and checks it on /verify (issue 17),
on a phone (390 px) and a desktop (1280 px): the file matches; the same file altered does not.
A window clerk prints a person's 专项信用报告 from the console.
Screenshots: /work/wt/shots/reports-*.png when that folder exists, else the test's tmp folder."""

from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.browser.console import sign_in
from tests.factories import PERSON_ID
from tests.reports.sample import COMPANY, MOMENT, world
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.db import committing

pytestmark = pytest.mark.browser

SHOTS = Path("/work/wt/shots")
PASSWORD = "window-clerk-password"
WIDTHS = [{"width": 390, "height": 844}, {"width": 1280, "height": 900}]


@pytest.mark.parametrize("size", WIDTHS, ids=["390", "1280"])
def test_a_citizen_downloads_a_companys_report_and_verifies_it(
    page, live_server, session, tmp_path, size
):
    w = world(session)
    folder = SHOTS if SHOTS.is_dir() else tmp_path
    width = size["width"]
    with clock.frozen_at(MOMENT):
        page.set_viewport_size(size)
        page.goto(f"{live_server}/subjects/{w.company.id}")
        expect(page.get_by_role("heading", level=1)).to_contain_text(COMPANY)
        page.screenshot(path=str(folder / f"reports-archive-{width}.png"), full_page=True)
        with page.expect_download() as download:
            page.get_by_role("button", name="下载信用报告").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        number = saved.stem
        assert number.startswith("XYBG2026") and saved.read_bytes()[:5] == b"%PDF-"

        page.goto(f"{live_server}/subjects/{w.company.id}")
        page.get_by_role("link", name="信用报告核验").click()
        page.get_by_label("报告编号").fill(number.lower())  # typed as it comes
        page.get_by_label("报告文件（PDF，可选）").set_input_files(str(saved))
        page.get_by_role("button", name="核验").click()
        expect(page.get_by_role("status")).to_contain_text("核验通过")
        expect(page.get_by_role("heading", level=2)).to_contain_text(number)
        expect(page.locator("dl.fields")).to_contain_text(COMPANY)
        page.screenshot(path=str(folder / f"reports-verified-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width

        altered = tmp_path / "altered.pdf"
        content = bytearray(saved.read_bytes())
        content[len(content) // 3] ^= 0x20
        altered.write_bytes(bytes(content))
        page.get_by_label("报告编号").fill(number)
        page.get_by_label("报告文件（PDF，可选）").set_input_files(str(altered))
        page.get_by_role("button", name="核验").click()
        expect(page.get_by_role("alert")).to_contain_text("核验未通过")
        page.screenshot(path=str(folder / f"reports-altered-{width}.png"), full_page=True)

        page.goto(f"{live_server}/verify/XYBG2026AAAAAAAAAAAA0")
        expect(page.get_by_role("alert")).to_contain_text("未找到")


@pytest.mark.parametrize("size", WIDTHS, ids=["390", "1280"])
def test_a_window_clerk_prints_a_special_report_for_a_person(
    page, live_server, session, tmp_path, size
):
    world(session)
    folder = SHOTS if SHOTS.is_dir() else tmp_path
    width = size["width"]
    with clock.frozen_at(MOMENT):
        with committing(session):
            window = auth.create_department(session, "gz-zwfw", "广州市政务服务中心", "440100")
            auth.create_user(
                session, "chen", PASSWORD, Role.SERVICE_WINDOW, "440100", "陈窗口", window
            )
        page.set_viewport_size(size)
        sign_in(page, live_server, "chen", PASSWORD)
        page.get_by_role("link", name="信用报告").click()
        expect(page.get_by_role("heading", name="出具信用报告", level=1)).to_be_visible()
        page.get_by_label("统一社会信用代码、身份证号码或主体编号").fill(f" {PERSON_ID} ")
        page.get_by_label("报告种类").select_option(label="专项信用报告（无违法违规记录证明版）")
        page.get_by_label("行政强制").check()
        page.screenshot(path=str(folder / f"reports-console-{width}.png"), full_page=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        with page.expect_download() as download:
            page.get_by_role("button", name="出具并打印").click()
        saved = tmp_path / download.value.suggested_filename
        download.value.save_as(saved)
        assert saved.read_bytes()[:5] == b"%PDF-"

        page.goto(f"{live_server}/admin/reports")
        page.get_by_label("统一社会信用代码、身份证号码或主体编号").fill("91440106MA5CXQ2B0X")
        page.get_by_role("button", name="出具并打印").click()
        expect(page.get_by_role("alert")).to_contain_text("未找到主体")
