"""Repair over HTTP: the archive's 申请信用修复 entry, the applicant's form (files, the 承诺书
box, the one-time list of what is missing), the window's form in the console, and
`POST /api/v1/repairs` for a department's system. Steps go through the generic door."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from tests.applicants.sample import code_for
from tests.factories import PASSWORD, PERSON_ID, console_client, csrf_of
from tests.repairs.sample import PDF, PNG, at, world
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import Role

TODAY = date(2026, 3, 2)  # the penalty, decided 2025-10-09, may be repaired since 2026-01-09
DECIDED = date(2025, 10, 9)


def _account(client, session, subject):  # type: ignore[no-untyped-def]
    code = code_for(session, subject, "信用修复告知书")
    form = client.get("/account/activate").text
    data = {"code": code, "username": "zhang", "password": PASSWORD, "csrf": csrf_of(form)}
    assert client.post("/account/activate", data=data, follow_redirects=False).status_code == 303


def test_the_archive_offers_repair_and_the_applicant_applies_online(client, session):
    """Each record says from when it may be repaired, with an active 申请信用修复 button; the
    applicant's form takes the files and the 承诺书 box, and lists what is missing once."""
    w = world(session, DECIDED, TODAY)
    with clock.frozen_at(at(TODAY)):
        archive = client.get(f"/subjects/{w.company.id}?tab=xzcf").text
        assert "可于 2026-01-09 起申请信用修复" in archive
        assert f'href="/account/repairs/new?record={w.record_id}"' in archive
        asked = client.get(f"/account/repairs/new?record={w.record_id}")
        assert asked.status_code == 200 and "激活" in asked.text  # sign in first
        _account(client, session, w.company)
        form = client.get(f"/account/repairs/new?record={w.record_id}").text
        assert "信用修复承诺书" in form and "穗市监罚〔2026〕1号" in form
        data = {"csrf": csrf_of(form), "record": str(w.record_id)}
        files = [("performance_proof", ("缴款凭证.pdf", PDF, "application/pdf"))]
        refused = client.post("/account/repairs", data=data, files=files)
        assert refused.status_code == 400 and "本人已阅读并签署信用修复承诺书" in refused.text
        done = client.post("/account/repairs", data=data | {"declaration": "yes"}, files=files)
        assert done.status_code == 201
        assert "申请材料不全" in done.text and "信用修复承诺书（签字或盖章）" in done.text
        again = client.get(f"/subjects/{w.company.id}?tab=xzcf").text
        assert "已有正在办理的信用修复申请" in again
        assert f"/account/repairs/new?record={w.record_id}" not in again


def test_an_applicant_cannot_open_the_form_of_another_subjects_record(client, session):
    w = world(session, DECIDED, TODAY)
    with clock.frozen_at(at(TODAY)):
        _account(client, session, w.company)
        assert client.get(f"/account/repairs/new?record={w.other_record_id}").status_code == 404
        assert client.get("/account/repairs/new?record=999999").status_code == 404


def test_a_window_clerk_files_for_a_walk_in_applicant(app, session):
    """The window finds the subject by its code, records the applicant's document (masked) and
    uploads the files."""
    w = world(session, DECIDED, TODAY)
    with committing(session):
        auth.create_user(session, "window", PASSWORD, Role.SERVICE_WINDOW, "440100", "窗口", None)
    with clock.frozen_at(at(TODAY)):
        browser = console_client(app, "window")
        page = browser.get("/admin/repairs/new", params={"code": w.company.uscc})
        assert page.status_code == 200 and "代为申请" in page.text
        data = {
            "csrf": csrf_of(page.text),
            "record": str(w.record_id),
            "code": w.company.uscc,
            "applicant_name": "王五",
            "document_type": "居民身份证",
            "document_number": PERSON_ID,
            "declaration": "yes",
        }
        files = [
            ("performance_proof", ("凭证.pdf", PDF, "application/pdf")),
            ("commitment", ("承诺书.png", PNG, "image/png")),
        ]
        wrong = PERSON_ID[:-1] + ("0" if PERSON_ID[-1] != "0" else "1")
        bad = browser.post("/admin/repairs", data=data | {"document_number": wrong}, files=files)
        assert bad.status_code == 400 and "身份证号码有误" in bad.text
        done = browser.post("/admin/repairs", data=data, files=files)
        assert done.status_code == 201 and "材料齐全" in done.text


def test_a_department_system_files_over_the_api_and_hands_in_what_is_missing(app, session):
    """POST /api/v1/repairs (multipart): the answer lists the missing materials once; the
    system hands them in and takes the 补正 step through the generic door; another
    department's key sees the same 404 as a record that does not exist."""
    w = world(session, DECIDED, TODAY)
    with committing(session):
        key = auth.create_api_key(session, w.regulator, "窗口系统")
        other_key = auth.create_api_key(session, w.elsewhere, "业务系统")
    client = TestClient(app)
    form = {
        "record_id": str(w.record_id),
        "declaration": "true",
        "applicant_name": "王五",
        "document_type": "居民身份证",
        "document_number": PERSON_ID,
        "materials": ["performance_proof"],
    }
    with clock.frozen_at(at(TODAY)):
        hidden = client.post(
            "/api/v1/repairs",
            data=form,
            files=[("files", ("凭证.pdf", PDF, "application/pdf"))],
            headers={"X-API-Key": other_key},
        )
        assert hidden.status_code == 404 and hidden.json()["code"] == "repairs.record_not_found"
        unsigned = client.post(
            "/api/v1/repairs",
            data=form | {"declaration": "false"},
            files=[("files", ("凭证.pdf", PDF, "application/pdf"))],
            headers={"X-API-Key": key},
        )
        assert unsigned.status_code == 400 and unsigned.json()["code"] == "repairs.declaration"
        made = client.post(
            "/api/v1/repairs",
            data=form,
            files=[("files", ("凭证.pdf", PDF, "application/pdf"))],
            headers={"X-API-Key": key},
        )
        assert made.status_code == 201, made.text
        answer = made.json()
        assert answer["state"] == "incomplete" and answer["answer_due"] is None
        assert [m["code"] for m in answer["missing"]] == ["commitment"]
        handed = client.post(
            f"/api/v1/repairs/{answer['id']}/materials",
            data={"materials": ["commitment"]},
            files=[("files", ("承诺书.png", PNG, "image/png"))],
            headers={"X-API-Key": key},
        )
        assert handed.status_code == 200 and handed.json()["missing"] == []
        step = client.post(
            f"/api/v1/cases/{answer['id']}/transitions",
            json={"transition": "supplement"},
            headers={"X-API-Key": key},
        )
        assert step.status_code == 200, step.text
        assert (step.json()["state"], step.json()["answer_due"]) == ("applied", "2026-03-16")
