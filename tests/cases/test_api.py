"""Cases over the API: a caller sees the cases whose kind's view action (`lists.view` for
listing cases) its role may use on the case's department — its own department's, or its
region's for the credit office — and a case it may not see is a 404 like a missing one (ids
are guessable); the public is asked to sign in, a bank is refused by its role. Every answer
that shows cases is audited (cases are not public)."""

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, OTHER_USCC, console_client, listing_case
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register

PASSWORD = "cases-api-password"
THURSDAY = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)  # told then, due 2026-10-09
AFTER = datetime(2026, 10, 12, 2, 0, tzinfo=UTC)


@pytest.fixture
def site(app, session):
    """A listing case told in Guangzhou, one proposed in Shenzhen, keys for both departments
    and console sessions for Guangzhou's credit office and a bank."""
    with clock.frozen_at(THURSDAY):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            other = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "深圳市某某贸易有限公司", uscc=OTHER_USCC),
            )
            gz = auth.create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            )
            sz = auth.create_department(session, "sz-rsj", "深圳市人力资源和社会保障局", "440300")
            keys = {d.code: auth.create_api_key(session, d, "业务系统") for d in (gz, sz)}
            for role in (Role.CREDIT_OFFICE, Role.FINANCIAL_INSTITUTION):
                auth.create_user(session, role.value, PASSWORD, role, "440100", role.label, None)
        told = listing_case(session, Principal.of_department(gz), company, gz, "notified")
        proposed = listing_case(session, Principal.of_department(sz), other, sz, "proposed")
    staff = {
        role: console_client(app, role.value, PASSWORD)
        for role in (Role.CREDIT_OFFICE, Role.FINANCIAL_INSTITUTION)
    }
    return {"told": told, "proposed": proposed, "keys": keys, "staff": staff, "app": app}


def _get(site, path, key=None, **params):
    client = TestClient(site["app"])
    headers = {"X-API-Key": site["keys"][key]} if key else {}
    return client.get(path, headers=headers, params=params)


def _views(session, actor):
    session.expire_all()
    query = select(AuditEntry).where(AuditEntry.action == "cases.view", AuditEntry.actor == actor)
    return session.scalars(query.order_by(AuditEntry.id)).all()


def test_a_department_lists_and_reads_its_own_cases_and_the_reading_is_audited(session, site):
    told = site["told"]
    listed = _get(site, "/api/v1/cases", "gz-rsj")
    assert listed.status_code == 200, listed.text
    body = listed.json()
    assert (body["total"], [c["id"] for c in body["items"]]) == (1, [told.id])
    item = body["items"][0]
    assert (item["kind_name"], item["state_label"], item["due"]) == (
        "列入严重失信主体名单",
        "已告知",
        "2026-10-09",
    )
    shown = _get(site, f"/api/v1/cases/{told.id}", "gz-rsj")
    assert shown.status_code == 200, shown.text
    assert [(s["transition"], s["label"]) for s in shown.json()["steps"]] == [
        ("propose", "拟列入"),
        ("notify", "告知"),
    ]
    assert shown.json()["details"]["list_type"] == "serious_dishonesty"
    listing, reading = _views(session, "department:gz-rsj")
    assert (listing.target_type, listing.detail["cases"]) == ("case", [told.id])
    assert (reading.target_type, reading.target_id) == ("list_case", str(told.id))


def test_another_departments_case_is_not_found_like_a_missing_one(session, site):
    proposed = site["proposed"]
    for case_id in (proposed.id, proposed.id + 1000):
        answer = _get(site, f"/api/v1/cases/{case_id}", "gz-rsj")
        assert (answer.status_code, answer.json()["code"]) == (404, "cases.not_found")
    assert [c["id"] for c in _get(site, "/api/v1/cases", "sz-rsj").json()["items"]] == [proposed.id]


def test_the_credit_office_sees_its_regions_cases_only(site):
    office = site["staff"][Role.CREDIT_OFFICE]
    assert [c["id"] for c in office.get("/api/v1/cases").json()["items"]] == [site["told"].id]
    assert office.get(f"/api/v1/cases/{site['told'].id}").status_code == 200
    assert office.get(f"/api/v1/cases/{site['proposed'].id}").status_code == 404


def test_the_public_is_asked_to_sign_in_and_a_bank_is_refused_by_its_role(session, site):
    for path in ("/api/v1/cases", f"/api/v1/cases/{site['told'].id}"):
        answer = _get(site, path)
        assert (answer.status_code, answer.json()["code"]) == (401, "auth.required")
    bank = site["staff"][Role.FINANCIAL_INSTITUTION]
    for path in ("/api/v1/cases", f"/api/v1/cases/{site['told'].id}", "/api/v1/cases/999999"):
        answer = bank.get(path)
        # refused by the first kind's view rule (listing or commitment, by policy order)
        assert answer.status_code == 403, path
        assert answer.json()["code"] in {"lists.forbidden", "commitments.forbidden"}, path
    session.expire_all()
    refusals = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "permission.refused")
    ).all()
    assert len(refusals) == 3


def test_filters_by_kind_state_and_overdue(site):
    told = site["told"]
    office = site["staff"][Role.CREDIT_OFFICE]

    def ids(**params):
        answer = office.get("/api/v1/cases", params=params)
        assert answer.status_code == 200, answer.text
        return [c["id"] for c in answer.json()["items"]]

    assert ids(kind="listing", state="notified") == [told.id]
    assert ids(state="proposed") == []
    with clock.frozen_at(THURSDAY):
        assert ids(overdue=True) == []
    with clock.frozen_at(AFTER):
        assert ids(overdue=True) == [told.id]
        assert office.get(f"/api/v1/cases/{told.id}").json()["overdue"] is True
    unknown = office.get("/api/v1/cases", params={"kind": "nosuch"})
    assert (unknown.status_code, unknown.json()["code"]) == (404, "cases.unknown_kind")
    bad = office.get("/api/v1/cases", params={"state": "nosuch"})
    assert (bad.status_code, bad.json()["code"]) == (400, "cases.unknown_state")


def test_a_step_through_the_transitions_door_needs_a_visible_case_and_a_kind_that_takes_it(site):
    """`POST /api/v1/cases/{id}/transitions`: another department's case is a 404 like a missing
    one; a kind whose steps are taken only on its own pages (listing) says so in Chinese."""
    client = TestClient(site["app"])
    headers = {"X-API-Key": site["keys"]["gz-rsj"]}
    body = {"transition": "enter"}
    theirs = client.post(
        f"/api/v1/cases/{site['proposed'].id}/transitions", json=body, headers=headers
    )
    missing = client.post("/api/v1/cases/999999/transitions", json=body, headers=headers)
    assert (theirs.status_code, theirs.json()["code"]) == (404, "cases.not_found")
    assert theirs.json()["code"] == missing.json()["code"]
    own = client.post(f"/api/v1/cases/{site['told'].id}/transitions", json=body, headers=headers)
    assert (own.status_code, own.json()["code"]) == (400, "cases.no_api_steps")
    assert "办理页面" in own.json()["message"]
