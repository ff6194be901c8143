"""Objections over HTTP: the applicant's form (linked from each record on the archive), the
window's form in the console, `POST /api/v1/objections` for a department's system, and 异议中
on the public archive, the records API and the check answer."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from tests.applicants.sample import WINDOW as CODE_WINDOW
from tests.factories import PASSWORD, PERSON_ID, console_client, csrf_of, demo_row, store
from tests.objections.sample import MONDAY, World
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.auth.permissions import REFUSED
from xinyong.db import committing
from xinyong.objections import service as objections
from xinyong.objections.models import ObjectionCase
from xinyong.policy.enums import Role

PDF = b"%PDF-1.4\n% evidence\n"


def _signed_in(client, w: World):  # type: ignore[no-untyped-def]
    with committing(w.session):
        code = applicants.issue_code(w.session, CODE_WINDOW, w.person, "窗口核验")
    form = client.get("/account/activate").text
    data = {"code": code, "username": "lisi", "password": PASSWORD, "csrf": csrf_of(form)}
    assert client.post("/account/activate", data=data, follow_redirects=False).status_code == 303
    return client


def test_the_archive_links_each_record_to_the_objection_form(client, w: World):
    with clock.frozen_at(MONDAY):
        page = client.get(f"/subjects/{w.person.id}?tab=xzcf").text
    assert f"/account/objections/new?record={w.record_id}" in page and "提出异议" in page


def test_an_applicant_objects_and_the_record_shows_in_objection_everywhere(client, w: World):
    """第四十一条: marked 异议中 on receipt — on the public archive and in the records API."""
    with clock.frozen_at(MONDAY):
        _signed_in(client, w)
        form = client.get(f"/account/objections/new?record={w.record_id}")
        assert (
            form.status_code == 200
            and "信息错误" in form.text
            and "穗市监罚〔2026〕7号" in form.text
        )
        data = {
            "csrf": csrf_of(form.text),
            "record": str(w.record_id),
            "category": "wrong",
            "statement": "文号应为穗市监罚〔2026〕77号",
        }
        files = [("evidence", ("决定书.pdf", PDF, "application/pdf"))]
        filed = client.post("/account/objections", data=data, files=files)
        assert filed.status_code == 200 and "已受理（异议中）" in filed.text
        assert "/account/cases/" in str(filed.url)
        public = client.get(f"/subjects/{w.person.id}?tab=xzcf").text
        api = client.get(f"/api/v1/subjects/{w.person.id}/records").json()
    assert "异议中" in public
    (record,) = [r for r in api["items"] if r["id"] == w.record_id]
    assert record["in_objection"] is True
    case = w.session.scalars(select(ObjectionCase)).one()
    assert case.record_id == w.record_id and case.subject_id == w.person.id


def test_an_applicant_reaching_another_subjects_record_gets_404_and_is_audited(client, w: World):
    with clock.frozen_at(MONDAY):
        _signed_in(client, w)
        page = client.get(f"/account/objections/new?record={w.company_record_id}")
        assert page.status_code == 404
        form = client.get("/account/objections/new").text  # basic information: its own
        data = {"csrf": csrf_of(form), "record": str(w.company_record_id), "category": "wrong",
                "statement": "不是我的"}  # fmt: skip
        assert client.post("/account/objections", data=data).status_code == 404
    w.session.rollback()
    refused = w.session.scalars(select(AuditEntry).where(AuditEntry.action == REFUSED)).all()
    assert len(refused) == 2 and all(e.target_id == str(w.company_record_id) for e in refused)
    assert w.session.scalars(select(ObjectionCase)).all() == []


def test_a_missing_field_is_a_chinese_error_on_the_form(client, w: World):
    with clock.frozen_at(MONDAY):
        _signed_in(client, w)
        form = client.get("/account/objections/new").text
        data = {"csrf": csrf_of(form), "category": "wrong", "statement": "名称有误"}
        refused = client.post("/account/objections", data=data)
    assert refused.status_code == 400 and "请写明有异议的事项" in refused.text


def _window_clerk(app, w: World):  # type: ignore[no-untyped-def]
    with committing(w.session):
        auth.create_user(w.session, "window", PASSWORD, Role.SERVICE_WINDOW, "440100", "窗口")
    return console_client(app, "window")


def test_a_window_clerk_files_with_the_applicants_document_masked(app, w: World):
    with clock.frozen_at(MONDAY):
        clerk = _window_clerk(app, w)
        form = clerk.get("/admin/objections/new")
        assert form.status_code == 200 and "申请人身份" in form.text
        data = {
            "csrf": csrf_of(form.text),
            "code": PERSON_ID,
            "record": str(w.record_id),
            "category": "overdue",
            "statement": "已超过公示期限",
            "applicant_name": "李四",
            "applicant_id_number": PERSON_ID,
        }
        filed = clerk.post("/admin/objections", data=data)
    assert filed.status_code == 200 and "/admin/cases/" in str(filed.url), filed.text
    case = w.session.scalars(select(ObjectionCase)).one()
    assert case.filed_for["name"] == "李四" and PERSON_ID not in str(case.details)


def test_a_window_clerk_without_the_identity_is_told_in_chinese(app, w: World):
    with clock.frozen_at(MONDAY):
        clerk = _window_clerk(app, w)
        form = clerk.get("/admin/objections/new").text
        data = {"csrf": csrf_of(form), "code": PERSON_ID, "category": "wrong",
                "statement": "名称有误", "field": "主体名称"}  # fmt: skip
        refused = clerk.post("/admin/objections", data=data)
    assert refused.status_code == 400 and "申请人姓名" in refused.text


def test_the_api_files_for_a_department_system_with_evidence(client, w: World):
    """POST /api/v1/objections: multipart, the evidence kept with its hash; declared answer."""
    with clock.frozen_at(MONDAY), committing(w.session):
        key = auth.create_api_key(w.session, w.provider, "窗口系统")
    with clock.frozen_at(MONDAY):
        answer = client.post(
            "/api/v1/objections",
            headers={"X-API-Key": key},
            data={
                "subject_id": str(w.person.id),
                "record_id": str(w.record_id),
                "category": "wrong",
                "statement": "文号有误",
                "applicant_name": "李四",
                "applicant_id_number": PERSON_ID,
            },
            files=[("evidence", ("证据.pdf", PDF, "application/pdf"))],
        )
    assert answer.status_code == 201, answer.text
    body = answer.json()
    assert (
        body["state"] == "received" and body["files"] == 1 and body["category_label"] == "信息错误"
    )
    assert body["answer_due"] == "2026-12-02"


def test_the_api_refuses_a_bad_category_in_chinese(client, w: World):
    with clock.frozen_at(MONDAY), committing(w.session):
        key = auth.create_api_key(w.session, w.provider, "窗口系统")
    with clock.frozen_at(MONDAY):
        answer = client.post(
            "/api/v1/objections",
            headers={"X-API-Key": key},
            data={"subject_id": str(w.person.id), "record_id": str(w.record_id),
                  "category": "nonsense", "statement": "x", "applicant_name": "李四",
                  "applicant_id_number": PERSON_ID},
        )  # fmt: skip
    assert answer.status_code == 400 and answer.json()["code"] == "objections.field_invalid"


def test_a_list_entry_under_objection_is_marked_on_the_list_page_and_in_checks(client, w: World):
    """The mark shows wherever the entry is: the public list page and the check answer's API."""
    with clock.frozen_at(MONDAY):
        row = demo_row("sxbzxr", w.company, clock.today() - timedelta(days=200))
        entry = store(w.session, w.company.id, row, "sxbzxr", department=w.other)
        objections.file_objection(
            w.session, w.company_applicant, w.company.id, record_id=entry,
            category="wrongly_listed", statement="已履行",
        )  # fmt: skip
        with committing(w.session):
            key = auth.create_api_key(w.session, w.other, "核查系统")
        page = client.get("/lists?kind=black").text
        checked = client.post(
            "/api/v1/checks",
            headers={"X-API-Key": key},
            json={"subject": {"uscc": w.company.uscc}, "matter": "procurement"},
        ).json()
    assert "异议中" in page
    (membership,) = [m for m in checked["lists"] if m["record_id"] == entry]
    assert membership["in_objection"] is True


def test_the_applicant_withdraws_on_its_case_page_and_the_mark_is_lifted(client, w: World):
    """撤回: the applicant's own step on the shared case page; the mark goes with it."""
    with clock.frozen_at(MONDAY):
        _signed_in(client, w)
        case = w.file()
        page = client.get(f"/account/cases/{case.id}")
        assert page.status_code == 200 and "撤回异议" in page.text
        done = client.post(
            f"/account/cases/{case.id}/steps/withdraw",
            data={"csrf": csrf_of(page.text), "reasons": "已与处罚机关核对，信息无误"},
        )
        public = client.get(f"/subjects/{w.person.id}?tab=xzcf").text
    assert done.status_code == 200 and "已撤回" in done.text
    assert "badge-objection" not in public
