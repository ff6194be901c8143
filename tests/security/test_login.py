"""Logging in as an attacker tries it: guessing, timing, flooding, copied cookies (issue 11
item 17 and the Low item on sessions)."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import csrf_of
from xinyong import clock
from xinyong.auth import audit
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Role
from xinyong.config import use_settings
from xinyong.db import committing

PASSWORD = "a-strong-password"
MOMENT = datetime(2026, 12, 2, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def _staff(session, username="liu"):
    with committing(session):
        return auth.create_user(session, username, PASSWORD, Role.CREDIT_OFFICE, "440100", "刘明")


def _login(client, username, password):
    form = client.get("/admin/login").text
    return client.post(
        "/admin/login",
        data={"username": username, "password": password, "csrf": csrf_of(form)},
        follow_redirects=False,
    )


def _last_entry(session):
    session.expire_all()
    return session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def test_failed_logins_lock_the_account_with_a_chinese_retry_time(client, session, settings):
    """issue 11 item 17: after the threshold of failures in the window the account is locked,
    even for the right password, with a Chinese message naming when to retry; the refused
    attempt is audited as throttled; after the window the right password works again."""
    _staff(session)
    with clock.frozen_at(MOMENT):
        for _ in range(settings.login_failures_per_account):
            assert _login(client, "liu", "wrong-password").status_code == 400
        locked = _login(client, "liu", PASSWORD)
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.text and "10:15" in locked.text
    entry = _last_entry(session)
    assert entry.action == "login.throttled" and entry.detail["by"] == "account"
    later = MOMENT + timedelta(minutes=settings.login_window_minutes, seconds=1)
    with clock.frozen_at(later):
        assert _login(client, "liu", PASSWORD).status_code == 303


def test_failed_logins_from_one_address_are_throttled_across_names(client, session, settings):
    """issue 11 item 17: one address trying many names is stopped, whichever name it tries
    next, and an unknown name counts like a known one (the lock tells nothing about names)."""
    use_settings(settings.model_copy(update={"login_failures_per_address": 3}))
    _staff(session)
    with clock.frozen_at(MOMENT):
        for n in range(3):
            assert _login(client, f"guess{n}", "wrong-password").status_code == 400
        locked = _login(client, "liu", PASSWORD)
    assert locked.status_code == 429 and "后再试" in locked.text
    assert _last_entry(session).detail["by"] == "address"


def test_failures_are_counted_across_workers(app, session, settings):
    """issue 11 item 17: two server processes (two apps on one database) share the count."""
    from xinyong.app import create_app

    _staff(session)
    with TestClient(app) as one, TestClient(create_app(settings)) as two, clock.frozen_at(MOMENT):
        for n in range(settings.login_failures_per_account):
            worker = one if n % 2 else two
            assert _login(worker, "liu", "wrong-password").status_code == 400
        assert _login(one, "liu", PASSWORD).status_code == 429
        assert _login(two, "liu", PASSWORD).status_code == 429


def test_an_unknown_name_takes_as_long_as_a_wrong_password(session):
    """issue 11 item 17: an unknown user name runs one argon2 verification too, so the
    answer's timing does not tell which names exist."""
    _staff(session)

    def timed(name: str) -> float:
        start = time.perf_counter()
        assert auth.authenticate(session, name, "wrong-password") is None
        return time.perf_counter() - start

    known = min(timed("liu") for _ in range(3))
    unknown = min(timed(f"nobody{n}") for n in range(3))
    assert unknown > known * 0.5, (known, unknown)


def test_a_huge_or_odd_login_name_writes_a_bounded_audit_entry(client, session):
    """issue 11 item 17: a 900 KB user name is refused like any wrong one and its audit entry
    stays small; a NUL in the name is no server error on either database."""
    response = _login(client, "名" + "x" * 900_000, "wrong-password")
    assert response.status_code == 400 and "用户名或密码错误" in response.text
    entry = _last_entry(session)
    stored = json.dumps(
        [entry.actor, entry.target_id, entry.detail, entry.note], ensure_ascii=False
    )
    assert entry.action == "login.failure" and len(stored) < 1000
    assert _login(client, "li\x00u", "wrong-password").status_code == 400


def test_audit_write_bounds_every_field(session):
    """issue 11 item 17, at the mechanism: whatever a caller passes, one entry stays small and
    the chain still verifies."""
    with committing(session):
        entry = audit.write(
            session,
            "a" * 500,
            "b" * 500,
            "c" * 500,
            "d" * 5000,
            {"name": "名" * 100_000, "rows": list(range(100_000)), "nested": {"x": "y" * 9999}},
            "n" * 100_000,
        )
    session.expire_all()
    stored = session.get(AuditEntry, entry.id)
    assert len(stored.actor) <= 64 and len(stored.action) <= 64
    assert len(stored.target_type) <= 32 and len(stored.target_id) <= 64
    assert len(json.dumps(stored.detail, ensure_ascii=False)) < 8192
    assert len(stored.note) <= 2000
    assert audit.verify(session).ok


def test_logout_ends_the_session_on_the_server(client, app, session):
    """issue 11 (Low): a session cookie copied before logout no longer works after it."""
    _staff(session)
    assert _login(client, "liu", PASSWORD).status_code == 303
    copied = client.cookies.get("xinyong_session")
    home = client.get("/admin").text
    client.post("/admin/logout", data={"csrf": csrf_of(home)})
    with TestClient(app, cookies={"xinyong_session": copied}) as thief:
        assert thief.get("/admin", follow_redirects=False).status_code == 303
        assert thief.get("/api/v1/whoami").status_code == 401
