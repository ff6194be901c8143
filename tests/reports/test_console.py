"""The console's 出具信用报告 (issue 17): a window clerk issues and prints a subject's report —
a person's by ID number included — as a staff copy; a department without the right has no page;
a bad code or period is a Chinese message on the page, never a 500."""

from __future__ import annotations

from tests.factories import PERSON_ID, csrf_of, sign_in
from tests.reports.pdf import needs_poppler, text_of
from tests.reports.sample import MOMENT, world
from xinyong import clock
from xinyong.policy.enums import Role

pytestmark = needs_poppler


def test_a_window_clerk_prints_a_persons_special_report(client, session, tmp_path):
    world(session)
    with clock.frozen_at(MOMENT):
        home = sign_in(
            client, session, Role.SERVICE_WINDOW, ("gz-zwfw", "广州市政务服务中心"), "窗口"
        )
        assert 'href="/admin/reports"' in home
        page = client.get("/admin/reports")
        assert page.status_code == 200 and "专项信用报告" in page.text
        token = csrf_of(page.text)
        made = client.post(
            "/admin/reports",
            data={
                "csrf": token,
                "subject": PERSON_ID,
                "kind": "special",
                "starts_on": "2026-01-01",
            },
            follow_redirects=False,
        )
        assert made.status_code == 303, made.text[:300]
        pdf = client.get(made.headers["location"])
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        text = text_of(tmp_path, pdf.content)
        assert "专项信用报告" in text and PERSON_ID not in text
        assert 'name="sections" value="xzqz"' in page.text
        one = client.post(
            "/admin/reports",
            data={"csrf": token, "subject": PERSON_ID, "kind": "special", "sections": "xzqz"},
            follow_redirects=False,
        )
        assert one.status_code == 303, one.text[:300]
        chosen = text_of(tmp_path, client.get(one.headers["location"]).content)
        assert "行政强制" in chosen and "严重失信主体名单" not in chosen
        for data, message in [
            ({"subject": "91440106MA5CXQ2B0X"}, "未找到主体"),
            ({"subject": PERSON_ID, "kind": "special", "starts_on": "2026-13-40"}, "应为日期"),
            ({"subject": PERSON_ID, "kind": "special", "starts_on": "2019-01-01"}, "不能超过"),
        ]:
            refused = client.post("/admin/reports", data={"csrf": token} | data)
            assert refused.status_code == 400 and message in refused.text, refused.text[:300]


def test_a_data_provider_has_no_report_page(client, session):
    world(session)
    with clock.frozen_at(MOMENT):
        home = sign_in(client, session, Role.DATA_PROVIDER, ("gz-czj", "广州市财政局"), "财政")
        assert 'href="/admin/reports"' not in home
        assert client.get("/admin/reports").status_code == 403
