"""Reports over HTTP: `POST /api/v1/reports`, the PDF download, the verify API and pages (a
number typed, a file uploaded), 下载信用报告 on an organisation's archive, the applicant's own
report from its account page. A made-up number is 未找到, never a 500."""

from __future__ import annotations

import hashlib

from tests.applicants.sample import WINDOW
from tests.factories import csrf_of
from tests.reports.sample import MOMENT, world
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.db import committing

PASSWORD = "a-strong-password"


def test_the_api_issues_downloads_and_verifies_a_public_report(client, session):
    w = world(session)
    with clock.frozen_at(MOMENT):
        made = client.post("/api/v1/reports", json={"subject_id": w.company.id})
        assert made.status_code == 201, made.text
        body = made.json()
        assert body["kind"] == "org" and body["number"].startswith("XYBG2026")
        pdf = client.get(body["download"])
        assert pdf.status_code == 200 and pdf.headers["content-type"] == "application/pdf"
        assert "no-store" in pdf.headers["cache-control"]
        digest = hashlib.sha256(pdf.content).hexdigest()
        assert digest == body["sha256"]
        checked = client.get(f"/api/v1/reports/verify/{body['number']}", params={"sha256": digest})
        assert checked.status_code == 200 and checked.json()["matches"] is True
        assert checked.json()["subject_name"] == "广州市某某科技有限公司"
        wrong = client.get(f"/api/v1/reports/verify/{body['number']}", params={"sha256": "f" * 64})
        assert wrong.json()["matches"] is False


def test_the_api_refuses_in_chinese(client, session):
    w = world(session)
    with clock.frozen_at(MOMENT):
        person = client.post("/api/v1/reports", json={"subject_id": w.person.id, "kind": "person"})
        assert person.status_code == 401 and person.json()["code"] == "auth.required"
        hidden = client.post("/api/v1/reports", json={"subject_id": w.person.id})
        missing = client.post("/api/v1/reports", json={"subject_id": 10**9})
        assert hidden.status_code == missing.status_code == 404
        assert hidden.json()["code"] == missing.json()["code"] == "subject.not_found"
        long = client.post(
            "/api/v1/reports",
            json={"subject_id": w.company.id, "kind": "org", "starts_on": "2010-01-01"},
        )
        assert long.status_code == 400 and long.json()["code"] == "reports.period"
        assert "5年" in long.json()["message"]
        for number in ("XYBG2026AAAAAAAAAAAA0", "nothing", "%E4%B8%AD"):
            unknown = client.get(f"/api/v1/reports/verify/{number}")
            assert unknown.status_code == 404 and unknown.json()["code"] == "reports.number_unknown"
        assert client.get("/api/v1/reports/999999.pdf").status_code == 404


def test_a_citizen_downloads_a_companys_report_from_its_archive_and_verifies_it(client, session):
    w = world(session)
    with clock.frozen_at(MOMENT):
        archive = client.get(f"/subjects/{w.company.id}")
        assert "下载信用报告" in archive.text
        assert "下载信用报告" not in client.get(f"/subjects/{w.person.id}").text
        done = client.post(f"/subjects/{w.company.id}/report", follow_redirects=False)
        assert done.status_code == 303
        pdf = client.get(done.headers["location"])
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        number = pdf.headers["content-disposition"].split("''")[1].removesuffix(".pdf")
        page = client.get("/verify")
        files = {"file": ("report.pdf", pdf.content, "application/pdf")}
        data = {"number": number, "csrf": csrf_of(page.text)}
        checked = client.post("/verify", data=data, files=files)
        assert checked.status_code == 200 and "核验通过" in checked.text, checked.text
        altered = pdf.content[:-10] + b"0000000000"
        files = {"file": ("report.pdf", altered, "application/pdf")}
        assert "核验未通过" in client.post("/verify", data=data, files=files).text
        linked = client.get(f"/verify/{number}")
        assert linked.status_code == 200 and "广州市某某科技有限公司" in linked.text
        unknown = client.get("/verify/XYBG2026AAAAAAAAAAAA0")
        assert unknown.status_code == 404 and "未找到" in unknown.text


def test_the_verify_upload_is_bounded(client, session):
    world(session)
    page = client.get("/verify")
    data = {"number": "XYBG2026AAAAAAAAAAAA0", "csrf": csrf_of(page.text)}
    files = {"file": ("big.pdf", b"%PDF-" + b"0" * (22 << 20), "application/pdf")}
    answer = client.post("/verify", data=data, files=files)
    assert answer.status_code == 413


def test_the_applicant_downloads_its_own_report_from_its_account(client, session):
    w = world(session)
    with clock.frozen_at(MOMENT):
        with committing(session):
            code = applicants.issue_code(session, WINDOW, w.person, "窗口核验")
        form = client.get("/account/activate").text
        data = {"code": code, "username": "wang", "password": PASSWORD, "csrf": csrf_of(form)}
        assert (
            client.post("/account/activate", data=data, follow_redirects=False).status_code == 303
        )
        home = client.get("/account")
        assert "下载本主体信用报告" in home.text
        done = client.post(
            "/account/reports", data={"csrf": csrf_of(home.text)}, follow_redirects=False
        )
        assert done.status_code == 303, done.text
        pdf = client.get(done.headers["location"])
        assert pdf.status_code == 200 and pdf.content[:5] == b"%PDF-"
        assert client.post("/account/reports", data={}).status_code in (400, 403)  # no token
