"""The generic case pages carry a repair: the applicant hands in what was missing with the 补正
step on /account/cases/{id}; the department decides on /admin/cases/{id}."""

from __future__ import annotations

from datetime import date

from tests.factories import PASSWORD, console_client, csrf_of
from tests.repairs.sample import COMPLETE, CREDIT_OFFICE, PNG, at, world
from tests.repairs.test_web import _account
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.cases import handlers
from xinyong.cases.handlers import StepIn
from xinyong.db import committing
from xinyong.policy.enums import Role
from xinyong.records.models import Record, RecordStatus
from xinyong.repairs import service as repairs
from xinyong.repairs.models import RepairCase

TODAY = date(2026, 3, 2)


def test_the_applicant_supplements_and_the_department_approves_on_the_case_pages(
    app, client, session
):
    w = world(session, date(2025, 10, 9), TODAY)
    with committing(session):
        auth.create_user(
            session, "scjg", PASSWORD, Role.DATA_PROVIDER, "440100", "市场监管", w.regulator
        )
    with clock.frozen_at(at(TODAY)):
        _account(client, session, w.company)
        with committing(session):
            case = repairs.apply(session, w.applicant(), w.record_id, COMPLETE[:1], True).case
        page = client.get(f"/account/cases/{case.id}").text
        assert "提交补正材料" in page
        done = client.post(
            f"/account/cases/{case.id}/steps/supplement",
            data={"csrf": csrf_of(page)},
            files=[("file_commitment", ("承诺书.png", PNG, "image/png"))],
            follow_redirects=False,
        )
        assert done.status_code == 303, done.text
        session.expire_all()  # the page committed in its own session
        assert session.get_one(RepairCase, case.id).state == "applied"
        handlers.take(session, CREDIT_OFFICE, case.id, StepIn("forward"))
        staff = console_client(app, "scjg")
        form = staff.get(f"/admin/cases/{case.id}").text
        assert "准予修复" in form and "不予修复" in form
        approved = staff.post(
            f"/admin/cases/{case.id}/steps/approve",
            data={"csrf": csrf_of(form), "opinion": "罚款已缴清"},
            follow_redirects=False,
        )
        assert approved.status_code == 303, approved.text
        session.expire_all()
        assert session.get_one(Record, w.record_id).status == RecordStatus.REPAIRED
        assert "穗市监罚〔2026〕1号" not in client.get(f"/subjects/{w.company.id}").text
