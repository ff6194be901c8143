"""Operator commands that take access away: revoke a key, deactivate a department or a user,
change a password — each audited and effective at once (issue 11, Low)."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from typer.testing import CliRunner

from xinyong import cli
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry, Role
from xinyong.auth.principal import Principal
from xinyong.collection import service as collection
from xinyong.db import committing
from xinyong.errors import DomainError

runner = CliRunner()
PASSWORD = "a-strong-password"


def _department_with_key_and_clerk(session):
    with committing(session):
        dept = auth.create_department(session, "gz-sthjj", "广州市生态环境局", "440100")
        key = auth.create_api_key(session, dept, "排污许可系统")
        auth.create_user(session, "chen", PASSWORD, Role.DATA_PROVIDER, "440100", department=dept)
    return key


def _signed_in(app, username="chen"):
    client = TestClient(app)
    form = client.get("/admin/login").text
    csrf = re.search(r'name="csrf" value="([^"]+)"', form).group(1)
    response = client.post(
        "/admin/login",
        data={"username": username, "password": PASSWORD, "csrf": csrf},
        follow_redirects=False,
    )
    assert response.status_code == 303
    return client


def _actions(session):
    session.expire_all()
    return list(session.scalars(select(AuditEntry.action).order_by(AuditEntry.id)))


def test_api_keys_are_listed_and_one_is_revoked(app, session):
    """issue 11 (Low): an operator lists a department's keys (prefix, name, dates) and
    revokes one; it stops working at once and the revocation is audited."""
    key = _department_with_key_and_clerk(session)
    with committing(session):
        other = auth.create_api_key(session, auth.get_department(session, "gz-sthjj"), "备用")
    listed = runner.invoke(cli.app, ["departments", "api-keys", "gz-sthjj"])
    assert listed.exit_code == 0, listed.output
    assert key[:10] in listed.output and "排污许可系统" in listed.output and "备用" in listed.output
    revoked = runner.invoke(cli.app, ["departments", "revoke-key", key[:10]])
    assert revoked.exit_code == 0, revoked.output
    assert "已停用" in revoked.output
    with TestClient(app) as client:
        assert client.get("/api/v1/whoami", headers={"X-API-Key": key}).status_code == 401
        assert client.get("/api/v1/whoami", headers={"X-API-Key": other}).status_code == 200
    assert "api_key.revoke" in _actions(session)
    again = runner.invoke(cli.app, ["departments", "api-keys", "gz-sthjj"])
    assert "已停用" in again.output


def test_a_deactivated_department_stops_its_keys_and_users_at_once(app, session):
    """issue 11 (Low): deactivating a department ends its keys and its staff's sessions and
    logins; reactivating lets them log in again."""
    key = _department_with_key_and_clerk(session)
    clerk = _signed_in(app)
    assert clerk.get("/api/v1/whoami").status_code == 200
    result = runner.invoke(cli.app, ["departments", "deactivate", "gz-sthjj"])
    assert result.exit_code == 0, result.output
    with TestClient(app) as client:
        assert client.get("/api/v1/whoami", headers={"X-API-Key": key}).status_code == 401
    assert clerk.get("/api/v1/whoami").status_code == 401
    with committing(session):
        assert auth.authenticate(session, "chen", PASSWORD) is None
    assert "department.deactivate" in _actions(session)
    assert runner.invoke(cli.app, ["departments", "reactivate", "gz-sthjj"]).exit_code == 0
    with committing(session):
        assert auth.authenticate(session, "chen", PASSWORD) is not None
    assert "department.reactivate" in _actions(session)


def test_a_deactivated_user_is_signed_out_and_cannot_log_in(app, session):
    """issue 11 (Low): `users deactivate` ends the user's sessions at once; `reactivate`
    allows a new login, never the old session."""
    _department_with_key_and_clerk(session)
    clerk = _signed_in(app)
    result = runner.invoke(cli.app, ["users", "deactivate", "chen"])
    assert result.exit_code == 0, result.output
    assert clerk.get("/api/v1/whoami").status_code == 401
    with committing(session):
        assert auth.authenticate(session, "chen", PASSWORD) is None
    assert runner.invoke(cli.app, ["users", "reactivate", "chen"]).exit_code == 0
    assert clerk.get("/api/v1/whoami").status_code == 401
    _signed_in(app)
    actions = _actions(session)
    assert "user.deactivate" in actions and "user.reactivate" in actions


def test_a_password_change_ends_the_users_sessions(app, session):
    """issue 11 (Low): after `users password` the old sessions stop and the new password works."""
    _department_with_key_and_clerk(session)
    clerk = _signed_in(app)
    result = runner.invoke(
        cli.app, ["users", "password", "chen"], env={"XINYONG_NEW_PASSWORD": "another-password"}
    )
    assert result.exit_code == 0, result.output
    assert clerk.get("/api/v1/whoami").status_code == 401
    with committing(session):
        assert auth.authenticate(session, "chen", "another-password") is not None
    assert "user.password" in _actions(session)


def test_unknown_names_are_refused_in_chinese(session):
    """The commands say which name they did not find."""
    for args, expected in (
        (["users", "deactivate", "nobody"], "用户不存在：nobody"),
        (["departments", "deactivate", "nowhere"], "部门不存在：nowhere"),
        (["departments", "revoke-key", "xy_nothing"], "没有前缀为 xy_nothing 的 API 密钥"),
    ):
        result = runner.invoke(cli.app, args)
        assert result.exit_code != 0 and expected in str(result.exception), result.output


def test_nobody_sends_in_the_name_of_a_deactivated_department(session):
    """A credit office may send for any department of its region, but not for one that is
    stopped (its own key and staff are refused already)."""
    with committing(session):
        market = auth.create_department(session, "gz-scjg", "广州市市场监督管理局", "440100")
        office = auth.create_user(
            session, "office", "a-strong-password", Role.CREDIT_OFFICE, "440100"
        )
    actor = Principal.of_user(office)
    assert collection.batch_department(session, actor, "gz-scjg") == "gz-scjg"
    with committing(session):
        auth.set_department_active(session, market, False, "cli")
    with pytest.raises(DomainError, match="广州市市场监督管理局已停用，不能以其名义报送"):
        collection.batch_department(session, actor, "gz-scjg")
