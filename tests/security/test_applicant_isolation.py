"""An applicant reaches only its own subject (issue 13): every /account page that takes an id
answers another subject's case, file, notice or record as it answers a missing one, and the
refusal is audited. The test walks the app's routes, so a new /account page with an id must be
added to OBJECTS or it fails."""

from __future__ import annotations

import re
from datetime import date

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.applicants.sample import code_for
from tests.factories import PASSWORD, csrf_of
from tests.repairs.sample import COMPLETE, at, world
from xinyong import clock
from xinyong.app import PAGE_ROUTERS
from xinyong.auth.models import AuditEntry
from xinyong.cases.models import CaseFile
from xinyong.db import committing
from xinyong.notices import service as notices
from xinyong.repairs import service as repairs
from xinyong.reports import authorisations
from xinyong.reports import service as reports

TODAY = date(2026, 3, 2)  # the penalties, decided 2025-10-09, may be repaired since 2026-01-09
MISSING = 999_999


@pytest.fixture
def other_subjects(app, session):
    """The company's applicant signed in; the other company's repair case with its files, its
    notice, its penalty and its own 专项信用报告."""
    w = world(session, date(2025, 10, 9), TODAY)
    with clock.frozen_at(at(TODAY)):
        with committing(session):
            theirs = repairs.apply(
                session, w.applicant(w.other), w.other_record_id, COMPLETE, True
            ).case
            notice = notices.issue_for(session, w.clerk, w.other_record_id)
            report = reports.issue(
                session, w.applicant(w.other), reports.ReportRequest(w.other.id, "special")
            )
            granted = authorisations.grant(
                session, w.applicant(w.other), "某单位", None, None, None
            )
        file_id = session.scalars(select(CaseFile.id).where(CaseFile.case_id == theirs.id)).first()
        client = TestClient(app)
        code = code_for(session, w.company, "信用修复告知书")
        form = client.get("/account/activate").text
        data = {"code": code, "username": "zhang", "password": PASSWORD, "csrf": csrf_of(form)}
        assert (
            client.post("/account/activate", data=data, follow_redirects=False).status_code == 303
        )
    ids = {
        "case_id": theirs.id,
        "file_id": file_id,
        "notice_id": notice.id,
        "report_id": report.id,
        "authorisation_id": granted.authorisation.id,
    }
    return client, ids, w


def _account_routes() -> list[tuple[str, str]]:
    return sorted(
        (method, route.path)
        for router in PAGE_ROUTERS
        for route in router.routes
        if isinstance(route, APIRoute) and route.path.startswith("/account") and "{" in route.path
        for method in route.methods - {"HEAD"}
    )


def test_every_account_page_with_an_id_answers_another_subjects_object_as_a_missing_one(
    app, session, other_subjects
):
    client, ids, _w = other_subjects
    routes = _account_routes()
    paths = {path for _method, path in routes}
    assert {"/account/cases/{case_id}", "/account/cases/files/{file_id}"} <= paths
    token = csrf_of(client.get("/account/activate").text)
    for method, path in routes:
        params = re.findall(r"\{(\w+)\}", path)
        unknown = [p for p in params if p not in ids and p != "transition"]
        assert not unknown, f"{method} {path}: add its object to the fixture ({unknown})"

        theirs = _ask(client, method, _fill(path, ids), token)
        missing = _ask(client, method, _fill(path, {}), token)
        assert theirs.status_code == missing.status_code == 404, (method, path, theirs.text[:200])
    session.expire_all()
    refusals = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "permission.refused")
    ).all()
    assert {entry.actor.split(":")[0] for entry in refusals} == {"applicant"}


def _fill(path: str, ids: dict[str, int]) -> str:
    """The path with the other subject's ids (a missing id where `ids` has none)."""

    def value(match: re.Match[str]) -> str:
        return "withdraw" if match[1] == "transition" else str(ids.get(match[1], MISSING))

    return re.sub(r"\{(\w+)\}", value, path)


def _ask(client, method: str, url: str, token: str):  # type: ignore[no-untyped-def]
    with clock.frozen_at(at(TODAY)):
        if method == "GET":
            return client.get(url, follow_redirects=False)
        return client.post(url, data={"csrf": token}, follow_redirects=False)


def test_an_applicant_cannot_apply_or_object_on_another_subjects_record(other_subjects):
    client, _ids, w = other_subjects
    with clock.frozen_at(at(TODAY)):
        for page in ("/account/repairs/new", "/account/objections/new"):
            theirs = client.get(page, params={"record": w.other_record_id})
            missing = client.get(page, params={"record": MISSING})
            assert theirs.status_code == missing.status_code, page
            assert theirs.status_code in (400, 404), page
            assert "另一家" not in theirs.text, page  # the other company's name never shows
