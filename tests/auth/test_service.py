import pytest

from xinyong.auth import service
from xinyong.auth.models import AuditEntry, Region, Role
from xinyong.db import committing
from xinyong.errors import DomainError

PASSWORD = "correct horse battery"


def test_regions_loaded_with_hierarchy(session):
    tianhe = session.get(Region, "440106")
    assert tianhe.name == "天河区" and tianhe.parent_code == "440100"
    assert session.get(Region, "440100").parent_code == "440000"


def _department(session):
    return service.create_department(
        session, "gz-scjgj", "广州市市场监督管理局", "440100", uscc=None
    )


def test_password_is_stored_as_argon2_hash(session):
    with committing(session):
        user = service.create_user(session, "zhang", PASSWORD, Role.CREDIT_OFFICE, "440100")
    assert user.password_hash.startswith("$argon2")
    assert PASSWORD not in user.password_hash


def test_authenticate_right_and_wrong_password_both_audited(session):
    with committing(session):
        service.create_user(session, "zhang", PASSWORD, Role.CREDIT_OFFICE, "440100")
    with committing(session):
        assert service.authenticate(session, "zhang", PASSWORD) is not None
    with committing(session):
        assert service.authenticate(session, "zhang", "wrong password!") is None
    actions = [e.action for e in session.query(AuditEntry).order_by(AuditEntry.id)]
    assert actions[-2:] == ["login.success", "login.failure"]


def test_short_password_refused(session):
    with pytest.raises(DomainError) as exc, committing(session):
        service.create_user(session, "li", "short", Role.REGULATOR, "440100")
    assert exc.value.code == "user.password_short"


def test_data_provider_needs_department(session):
    with pytest.raises(DomainError) as exc, committing(session):
        service.create_user(session, "wang", PASSWORD, Role.DATA_PROVIDER, "440100")
    assert exc.value.code == "user.department_missing"


def test_api_key_stored_hashed_and_scoped_to_department(session):
    with committing(session):
        dept = _department(session)
        key = service.create_api_key(session, dept, "执法系统")
    from xinyong.auth.models import ApiKey

    stored = session.query(ApiKey).one()
    assert key not in (stored.key_hash, stored.prefix) and key.startswith(stored.prefix)
    with committing(session):
        assert service.department_for_api_key(session, key).code == "gz-scjgj"
    with pytest.raises(service.AuthError), committing(session):
        service.department_for_api_key(session, key + "x")


def test_department_region_must_exist(session):
    with pytest.raises(DomainError) as exc, committing(session):
        service.create_department(session, "x", "某局", "999999")
    assert exc.value.code == "region.unknown"
