"""The 待核实 queue (issue 15): who sees it, verifying a subject, and what the public sees then."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.factories import COMPANY_USCC, csrf_of, penalty_row, sign_in, write_csv
from xinyong.auth.audit import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.collection import service
from xinyong.db import committing
from xinyong.errors import NotFound, PermissionDenied
from xinyong.policy.enums import Role
from xinyong.subjects import verification
from xinyong.subjects.models import Subject

pytestmark = pytest.mark.usefixtures("received")

OFFICE = Principal(Role.CREDIT_OFFICE, None, "440100", "user:office")
SHENZHEN = Principal(Role.CREDIT_OFFICE, None, "440300", "user:sz")
WINDOW = Principal(Role.SERVICE_WINDOW, None, "440100", "user:window")


@pytest.fixture
def waiting(sessions, department, tmp_path) -> int:
    """A company only a penalty names: 待核实."""
    rows = [penalty_row()]
    service.ingest(sessions, write_csv(tmp_path / "p.csv", rows), "行政处罚", department)
    with sessions() as session:
        return session.scalars(select(Subject.id).where(Subject.uscc == COMPANY_USCC)).one()


def test_the_credit_office_of_the_region_sees_the_queue(session, waiting):
    with committing(session):
        queue = verification.unverified(session, OFFICE)
        assert [(w.subject_id, w.records) for w in queue.subjects] == [(waiting, 1)]
        assert verification.unverified(session, SHENZHEN).total == 0  # records sent elsewhere
    viewed = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "subjects.review_queue")
    ).all()
    assert [e.actor for e in viewed] == ["user:office", "user:sz"]  # each look is kept


def test_other_roles_are_refused(session, waiting):
    with committing(session), pytest.raises(PermissionDenied):
        verification.unverified(session, WINDOW)


def test_verifying_needs_a_basis_and_is_audited(session, waiting):
    with committing(session), pytest.raises(Exception, match="核实依据"):
        verification.verify(session, OFFICE, waiting, "  ")
    with committing(session):
        verification.verify(session, OFFICE, waiting, "已对照国家企业信用信息公示系统")
    assert session.get(Subject, waiting).verified  # type: ignore[union-attr]
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "subjects.verify")).one()
    assert entry.target_id == str(waiting) and "公示系统" in (entry.note or "")


def test_a_subject_outside_the_region_is_not_found(session, waiting):
    with committing(session), pytest.raises(NotFound):
        verification.verify(session, SHENZHEN, waiting, "已核对")
    with committing(session), pytest.raises(NotFound):
        verification.verify(session, OFFICE, 999_999, "已核对")


def test_the_console_page_verifies_and_the_record_goes_public(client, session, waiting):
    sign_in(client, session, Role.CREDIT_OFFICE, ("xyb", "广州市信用办"), "刘敏")
    page = client.get("/admin/registry")
    assert page.status_code == 200 and "广州市某某科技有限公司" in page.text
    assert client.get(f"/subjects/{waiting}").status_code == 404  # not public yet
    done = client.post(
        f"/admin/registry/{waiting}/verify",
        data={"basis": "已对照国家企业信用信息公示系统", "csrf": csrf_of(page.text)},
    )
    assert done.status_code == 200 and "已核实" in done.text
    assert client.get(f"/subjects/{waiting}").status_code == 200


def test_the_api_lists_the_queue_for_staff_only(client, session, waiting):
    assert client.get("/api/v1/registry/unverified").status_code == 401
