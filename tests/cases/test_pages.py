"""The case pages every kind shares: a department's work queue (overdue first), a case page
whose forms come from the kind's policy and whose steps go through the kind's handler, and the
same 404 for another department's case or file as for a missing one."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from tests.cases.sample import POLICY, THURSDAY, clerk
from tests.factories import PASSWORD, console_client, csrf_of
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.cases import handlers
from xinyong.cases import service as cases
from xinyong.cases.models import Case, CaseFile, CaseStep
from xinyong.db import committing
from xinyong.policy import use_policy
from xinyong.policy.enums import Role

LATER = datetime(2026, 3, 10, 2, 0, tzinfo=UTC)  # the first case's 3 working days are past


@pytest.fixture
def desk(app, session, world, monkeypatch):
    """Two sample cases of Guangzhou's department (one overdue), one of Shenzhen's, and the
    Guangzhou clerk's console."""
    use_policy(POLICY)  # the app has just made the shipped policy active
    monkeypatch.setitem(handlers.HANDLERS, "sample", "tests.cases.sample:take_step")
    company, gz, sz = world
    with clock.frozen_at(THURSDAY), committing(session):
        late = cases.open(session, "sample", company, gz, clerk(gz))
        theirs = cases.open(session, "sample", company, sz, clerk(sz, 2))
        auth.create_user(session, "gz-clerk", PASSWORD, Role.DATA_PROVIDER, "440100", "张三", gz)
    with clock.frozen_at(LATER), committing(session):
        fresh = cases.open(session, "sample", company, gz, clerk(gz))
        session.add(
            CaseFile(
                case_id=theirs.id,
                material="proof",
                filename="证明.pdf",
                content_type="application/pdf",
                size=8,
                sha256="0" * 64,
                content=b"%PDF-1.7",
                uploaded_at=LATER,
                uploaded_by="user:2",
            )
        )
    theirs_file = session.scalars(select(CaseFile.id)).one()
    client = console_client(app, "gz-clerk")
    return {"late": late, "fresh": fresh, "theirs": theirs, "file": theirs_file, "client": client}


def test_the_queue_shows_the_departments_open_cases_overdue_first(desk):
    with clock.frozen_at(LATER):
        page = desk["client"].get("/admin/cases")
    assert page.status_code == 200, page.text
    html = page.text
    assert "已逾期" in html
    late, fresh = (f"/admin/cases/{desk[n].id}" for n in ("late", "fresh"))
    assert html.index(late) < html.index(fresh)
    assert f"/admin/cases/{desk['theirs'].id}" not in html


def test_a_step_form_comes_from_policy_and_goes_through_the_kinds_handler(desk, session):
    client, case = desk["client"], desk["late"]
    with clock.frozen_at(LATER):
        page = client.get(f"/admin/cases/{case.id}")
        assert "转办" in page.text and "决定结果" not in page.text  # decide is not open yet
        token = csrf_of(page.text)
        sent = client.post(
            f"/admin/cases/{case.id}/steps/forward",
            data={"csrf": token, "note": "转人社局"},
            follow_redirects=False,
        )
        assert (sent.status_code, sent.headers["location"]) == (
            303,
            f"/admin/cases/{case.id}?done=forward",
        )
        after = client.get(sent.headers["location"])
        assert "已办理：转办" in after.text and "决定结果" in after.text
        missing = client.post(
            f"/admin/cases/{case.id}/steps/decide",
            data={"csrf": token, "outcome": "granted"},
        )
        assert missing.status_code == 400 and "请填写“理由”" in missing.text
        wrong = client.post(
            f"/admin/cases/{case.id}/steps/decide",
            data={"csrf": token, "outcome": "maybe", "reasons": "x"},
        )
        assert "选项无效" in wrong.text
        decided = client.post(
            f"/admin/cases/{case.id}/steps/decide",
            data={"csrf": token, "outcome": "refused", "reasons": "材料不足，联系人 13800138000"},
        )
    assert decided.status_code == 200 and "已办理：决定" in decided.text
    assert "决定结果：不予支持" in decided.text and "理由：材料不足" in decided.text
    assert "13800138000" not in decided.text  # free text is shown masked
    session.expire_all()
    assert session.get(Case, case.id).state == "decided"
    step = session.scalars(select(CaseStep).where(CaseStep.transition == "decide")).one()
    assert step.data["outcome"] == "refused"


def test_a_form_without_its_token_changes_nothing(desk, session):
    client = desk["client"]
    del client.headers["X-CSRF-Token"]  # a form posted from another site has no token
    with clock.frozen_at(LATER):
        sent = client.post(f"/admin/cases/{desk['late'].id}/steps/forward", data={})
    assert sent.status_code == 400
    session.expire_all()
    assert session.get(Case, desk["late"].id).state == "received"


def test_another_departments_case_and_file_answer_as_missing_ones(desk):
    client = desk["client"]
    for path in (f"/admin/cases/{desk['theirs'].id}", "/admin/cases/999999"):
        assert client.get(path).status_code == 404
    theirs = client.get(f"/admin/cases/files/{desk['file']}")
    missing = client.get("/admin/cases/files/999999")
    assert theirs.status_code == missing.status_code == 404
    with clock.frozen_at(LATER):
        token = csrf_of(client.get("/admin/cases").text)
        step = client.post(f"/admin/cases/{desk['theirs'].id}/steps/forward", data={"csrf": token})
    assert step.status_code == 404


def test_the_deadline_is_stopped_and_restarted_from_the_case_page(desk, session):
    client, case = desk["client"], desk["late"]
    with clock.frozen_at(LATER):
        token = csrf_of(client.get(f"/admin/cases/{case.id}").text)
        sent = client.post(
            f"/admin/cases/{case.id}/deadline/suspend",
            data={"csrf": token, "note": "送检"},
            follow_redirects=True,
        )
    assert "期限已中止" in sent.text and "恢复期限" in sent.text
    session.expire_all()
    assert session.get(Case, case.id).suspended_on is not None
