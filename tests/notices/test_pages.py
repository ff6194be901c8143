"""The notices over HTTP (issue 13): the department issues and downloads from the console, its
system fetches the PDF over the API, the applicant downloads its own from /account; another
subject's notice is the same 404 as a missing one, and the refusal is audited. A PDF is never
cached and is named in Chinese (RFC 5987)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import console_client, csrf_of
from tests.notices.sample import MOMENT, world
from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.db import committing
from xinyong.notices import service as notices
from xinyong.policy.enums import Role

PASSWORD = "a-strong-password"


def _staff(app, session, w):  # type: ignore[no-untyped-def]
    with clock.frozen_at(MOMENT), committing(session):
        auth.create_user(session, "liu", PASSWORD, Role.DATA_PROVIDER, "440100", "刘", w.department)
    return console_client(app, "liu")


def _is_pdf(answer, number: str) -> None:  # type: ignore[no-untyped-def]
    assert answer.status_code == 200, answer.text[:300]
    assert answer.headers["content-type"] == "application/pdf"
    assert answer.content.startswith(b"%PDF")
    assert answer.headers["cache-control"] == "no-store"
    assert f"filename*=UTF-8''{quote(number + '.pdf')}" in answer.headers["content-disposition"]


def test_the_department_issues_from_the_console_and_downloads_the_pdf(app, session):
    w = world(session)
    staff = _staff(app, session, w)
    with clock.frozen_at(MOMENT):
        page = staff.get("/admin/notices")
        assert page.status_code == 200 and "穗市监罚〔2026〕7号" in page.text
        assert "穗市监罚〔2026〕8号" not in page.text  # another department's record
        assert 'href="/admin/notices"' in page.text  # in the console's menu
        form = {"record": str(w.record_id), "csrf": csrf_of(page.text)}
        done = staff.post("/admin/notices", data=form)
        assert (
            done.status_code == 200 and "已出具信用修复告知书 信修告〔2026〕000001号" in done.text
        )
        notice = session.scalars(select(notices.Notice)).one()
        assert f'href="/admin/notices/{notice.id}.pdf"' in done.text
        _is_pdf(staff.get(f"/admin/notices/{notice.id}.pdf"), notice.number)
        refused = staff.post(
            "/admin/notices", data={"record": str(w.other_record_id), **{"csrf": form["csrf"]}}
        )
        assert refused.status_code == 403 and "只能出具本部门的信用修复告知书" in refused.text


def test_the_departments_system_fetches_the_notice_of_its_record_over_the_api(app, session):
    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        key = auth.create_api_key(session, w.department, "执法系统")
    client = TestClient(app)
    with clock.frozen_at(MOMENT):
        first = client.get(
            f"/api/v1/records/{w.record_id}/repair-notice", headers={"X-API-Key": key}
        )
        _is_pdf(first, "信修告〔2026〕000001号")
        again = client.get(
            f"/api/v1/records/{w.record_id}/repair-notice", headers={"X-API-Key": key}
        )
        assert again.content == first.content  # the same notice, printed again
        other = client.get(
            f"/api/v1/records/{w.other_record_id}/repair-notice", headers={"X-API-Key": key}
        )
        assert other.status_code == 403 and other.json()["code"] == "notices.forbidden"
        missing = client.get("/api/v1/records/999999/repair-notice", headers={"X-API-Key": key})
        assert missing.status_code == 404


def _applicant(client, code: str) -> None:  # type: ignore[no-untyped-def]
    form = client.get("/account/activate").text
    data = {"code": code, "username": "zhang", "password": PASSWORD, "csrf": csrf_of(form)}
    assert client.post("/account/activate", data=data, follow_redirects=False).status_code == 303


def test_the_applicant_downloads_its_own_notice_and_no_other(client, session):
    """issue 13: an applicant cannot reach another subject's notices by changing an id."""
    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        mine = notices.issue_for(session, w.clerk, w.record_id)
        other_clerk = w.clerk.__class__(Role.DATA_PROVIDER, w.elsewhere.id, "440100", "user:2")
        theirs = notices.issue_for(session, other_clerk, w.other_record_id)
    with clock.frozen_at(MOMENT):
        _applicant(client, applicants.derived_code(mine.number))  # the code on its notice
        home = client.get("/account").text
        assert f'href="/account/notices/{mine.id}.pdf"' in home and mine.number in home
        assert theirs.number not in home
        _is_pdf(client.get(f"/account/notices/{mine.id}.pdf"), mine.number)
        refused = client.get(f"/account/notices/{theirs.id}.pdf")
        missing = client.get("/account/notices/999999.pdf")
    assert refused.status_code == missing.status_code == 404
    gone = "信用修复告知书不存在："
    assert refused.text.replace(f"{gone}{theirs.id}", gone) == missing.text.replace(
        f"{gone}999999", gone
    )
    session.rollback()
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "permission.refused"))
    assert [e.target_id for e in entries if e.detail["action"] == "notices.download"] == [
        str(theirs.id)
    ]
    downloads = session.scalars(select(AuditEntry).where(AuditEntry.action == "notices.download"))
    assert [e.target_id for e in downloads] == [str(mine.id)]


def test_the_public_archive_does_not_show_the_code(client, session):
    w = world(session)
    with clock.frozen_at(MOMENT), committing(session):
        notice = notices.issue_for(session, w.clerk, w.record_id)
    with clock.frozen_at(MOMENT):
        page = client.get(f"/subjects/{w.company.id}?tab=xzcf")
        signed_out = client.get(f"/account/notices/{notice.id}.pdf", follow_redirects=False)
    assert page.status_code == 200 and "穗市监罚〔2026〕7号" in page.text
    assert (
        applicants.derived_code(notice.number) not in page.text and notice.number not in page.text
    )
    assert signed_out.status_code == 303 and signed_out.headers["location"] == "/account/login"
