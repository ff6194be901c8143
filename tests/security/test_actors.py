"""issue 12 item 2: one principal, one name in the audit log — whichever way it comes in."""

from __future__ import annotations

from sqlalchemy import select

from tests.factories import COMPANY_USCC, csrf_of, penalty_row, sign_in
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Role, User
from xinyong.db import committing


def _actors(session, *prefixes: str) -> set[str]:
    session.expire_all()
    rows = session.scalars(select(AuditEntry.actor)).all()
    return {actor for actor in rows if actor.startswith(prefixes)}


def test_a_department_system_is_one_actor_across_batches_checks_and_reads(client, session):
    with committing(session):
        market = auth.create_department(session, "gz-scjg", "广州市市场监督管理局", "440100")
        key = auth.create_api_key(session, market, "监管系统")
    headers = {"X-API-Key": key}
    sent = client.post(
        "/api/v1/batches", json={"item": "xzcf", "records": [penalty_row()]}, headers=headers
    )
    assert sent.status_code == 201, sent.text
    check = {"subject": {"uscc": COMPANY_USCC}, "matter": "procurement"}
    assert client.post("/api/v1/checks", json=check, headers=headers).status_code == 201
    subject = client.get(f"/api/v1/subjects?q={COMPANY_USCC}", headers=headers).json()
    records = client.get(f"/api/v1/subjects/{subject['items'][0]['id']}/records", headers=headers)
    assert records.status_code == 200
    assert client.get("/api/v1/batches/999999", headers=headers).status_code in (403, 404)
    assert _actors(session, "department", "api") == {"department:gz-scjg"}
    actions = set(session.scalars(select(AuditEntry.action)))
    assert {"batch.store", "checks.run"} <= actions


def test_a_staff_member_is_one_actor_from_login_to_logout(client, session):
    with committing(session):
        market = auth.create_department(session, "gz-scjg", "广州市市场监督管理局", "440100")
        key = auth.create_api_key(session, market, "监管系统")
    batch = {"item": "xzcf", "records": [penalty_row()]}
    assert client.post("/api/v1/batches", json=batch, headers={"X-API-Key": key}).is_success
    home = sign_in(client, session, Role.SERVICE_WINDOW, ("gz-zwfw", "广州市政务服务中心"), "刘")
    user = session.scalar(select(User).where(User.username == "liu"))
    token = csrf_of(home)
    client.post(
        "/admin/checks", data={"matter": "procurement", "uscc": COMPANY_USCC, "csrf": token}
    )
    assert client.get("/admin/lists").status_code == 403  # a window officer lists no one
    client.post("/admin/logout", data={"csrf": token})
    assert _actors(session, "user", "liu") == {f"user:{user.id}"}
    actions = set(session.scalars(select(AuditEntry.action).where(AuditEntry.actor.like("user:%"))))
    assert {"login.success", "checks.run", "permission.refused", "logout"} <= actions


def test_a_refused_console_check_is_one_refusal_and_a_chinese_page(client, session):
    """A bank clerk posting the check form is refused once (one audit entry), as a page."""
    home = sign_in(client, session, Role.FINANCIAL_INSTITUTION, ("gz-bank", "某银行广州分行"), "赵")
    data = {"matter": "procurement", "uscc": COMPANY_USCC, "csrf": csrf_of(home)}
    refused = client.post("/admin/checks", data=data)
    assert refused.status_code == 403 and refused.headers["content-type"].startswith("text/html")
    session.expire_all()
    entries = session.scalars(select(AuditEntry).where(AuditEntry.action == "permission.refused"))
    assert [entry.detail["action"] for entry in entries] == ["checks.run"]
