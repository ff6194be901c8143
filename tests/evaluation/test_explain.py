"""Explaining a grade (issue 16): the parts add up to the score, the records behind each
indicator are named, the run in force at `as_of` answers, and only staff of the region and the
subject itself see it — over the service, the API and the console page."""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import select, update

from tests.factories import COMPANY_USCC, PASSWORD, console_client, penalty, sign_in, store
from xinyong import clock, codes
from xinyong.auth.audit import AuditEntry
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import AuthError, create_department, create_user
from xinyong.db import committing
from xinyong.errors import NotFound, PermissionDenied
from xinyong.evaluation import explain
from xinyong.evaluation.runs import evaluate, model_named
from xinyong.policy.enums import Role, SubjectType
from xinyong.records.models import Record
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.usefixtures("received")

OFFICE = Principal(Role.CREDIT_OFFICE, None, "440100", "user:office")
SHENZHEN = Principal(Role.CREDIT_OFFICE, None, "440300", "user:sz")
WINDOW = Principal(Role.SERVICE_WINDOW, None, "440100", "user:window")


@pytest.fixture
def graded(session, sessions) -> tuple[int, list[int]]:
    """A company with two penalties (one serious) and an award, graded once."""
    with committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        ).id
    records = [store(session, company, penalty(n, date(2023, 11, 1 + n))) for n in (1, 2)]
    with committing(session):
        session.execute(update(Record).where(Record.id == records[1]).values(severity="serious"))
    evaluate(sessions, model_named("enterprise"), "user:test")
    return company, records


def test_the_parts_add_up_to_the_score_and_name_their_records(session, graded):
    company, records = graded
    with committing(session):
        found = explain.explain(session, OFFICE, company)
    parts = sum(d.base + d.hold + sum(i.points for i in d.indicators) for d in found.dimensions)
    assert parts == found.score == Decimal("720.00") and found.grade == "C"
    law = next(d for d in found.dimensions if d.code == "law")
    penalties = next(i for i in law.indicators if i.code == "penalties")
    assert penalties.points == Decimal("-80.00")
    assert {r.record_id: r.points for r in penalties.records} == {
        records[0]: Decimal("-20.00"),
        records[1]: Decimal("-60.00"),
    }
    looked = session.scalars(select(AuditEntry).where(AuditEntry.action == "evaluation.view"))
    assert [e.actor for e in looked] == ["user:office"]


def test_the_run_in_force_at_as_of_answers(session, sessions, graded):
    company, records = graded
    first = datetime(2024, 3, 20, 2, 0, tzinfo=UTC)
    with committing(session):
        session.execute(update(Record).where(Record.id == records[1]).values(status="repaired"))
    with clock.frozen_at(datetime(2024, 3, 21, 2, 0, tzinfo=UTC)):
        evaluate(sessions, model_named("enterprise"), "user:test")
        with committing(session):
            now = explain.explain(session, OFFICE, company)
            then = explain.explain(session, OFFICE, company, as_of=first)
    assert (now.score, then.score) == (Decimal("780.00"), Decimal("720.00"))
    assert [p.grade for p in now.history] == ["B", "C"]  # a repair changed the next grade


@pytest.mark.parametrize(
    ("viewer", "refused"),
    [(SHENZHEN, NotFound), (WINDOW, PermissionDenied), (PUBLIC, AuthError)],
    ids=["another region", "a service window", "the public"],
)
def test_who_may_not_see_a_grade(session, graded, viewer, refused):
    company, _records = graded
    with committing(session), pytest.raises(refused):
        explain.explain(session, viewer, company)


def test_the_subject_itself_sees_its_own_grade_and_no_other(session, sessions, graded):
    company, _records = graded
    with committing(session):
        other = register(
            session,
            SubjectIn(
                SubjectType.ENTERPRISE,
                "广州市另一家有限公司",
                org_code=codes.make_org_code("MA9KL3T1"),
                region_code="440106",
            ),
        ).id
    evaluate(sessions, model_named("enterprise"), "user:test")
    own = Principal(None, None, None, "applicant:1", "own", company)
    with committing(session):
        assert explain.explain(session, own, company).subject_id == company
    with committing(session), pytest.raises((NotFound, PermissionDenied)):
        explain.explain(session, own, other)


def test_the_api_and_the_console_page_explain_a_grade(app, client, session, graded):
    company, _records = graded
    assert client.get(f"/api/v1/subjects/{company}/evaluation").status_code == 401
    with committing(session):
        department = create_department(session, "xyb", "广州市信用办", "440100")
        create_user(session, "office", PASSWORD, Role.CREDIT_OFFICE, "440100", "刘敏", department)
    api = console_client(app, "office")
    answer = api.get(f"/api/v1/subjects/{company}/evaluation").json()
    assert (answer["grade"], answer["score"], answer["model"]) == ("C", "720.00", "enterprise")
    assert sum(
        Decimal(d["base"]) + Decimal(d["hold"]) + sum(Decimal(i["points"]) for i in d["indicators"])
        for d in answer["dimensions"]
    ) == Decimal(answer["score"])
    page = api.get("/admin/evaluation", params={"subject": COMPANY_USCC})
    assert page.status_code == 200 and "C（中）" in page.text and "720.00" in page.text
    assert "/records/" in page.text  # the records behind, to object to
    unknown = api.get("/admin/evaluation", params={"subject": "91440101MA00000000"})
    assert unknown.status_code == 404 and "未找到主体" in unknown.text
    queued = api.post("/api/v1/evaluation/runs", json={"model": "enterprise"})
    assert queued.status_code == 202 and queued.json()["status"] == "queued"
    bad = api.post("/api/v1/evaluation/runs", json={"model": "nonexistent"})
    assert bad.status_code == 400 and bad.json()["code"] == "evaluation.unknown_model"


def test_a_window_clerk_has_no_evaluation_page(client, session):
    sign_in(client, session, Role.SERVICE_WINDOW, ("ck", "广州市政务服务中心"), "陈静")
    page = client.get("/admin/evaluation", params={"subject": COMPANY_USCC})
    assert page.status_code == 403 and "不能查看信用评价结果" in page.text


UNKNOWN = codes.make_uscc("91440300" + codes.make_org_code("MA5CXQ2Y"))


def test_another_platforms_grades_are_imported_once_and_shown_beside_ours(app, session, graded):
    company, _records = graded
    with committing(session):
        department = create_department(session, "xyb", "广州市信用办", "440100")
        create_user(session, "office", PASSWORD, Role.CREDIT_OFFICE, "440100", "刘敏", department)
    api = console_client(app, "office")
    sent = {
        "platform": "深圳市公共信用信息平台",
        "items": [
            {"uscc": COMPANY_USCC, "model_name": "深圳市企业公共信用综合评价", "grade": "A",
             "score": "91.5", "evaluated_on": "2024-02-01"},
            {"uscc": "91440300MA5CXQ2B0X", "model_name": "深圳市企业公共信用综合评价",
             "grade": "B", "evaluated_on": "2024-02-01"},
            {"uscc": UNKNOWN, "model_name": "深圳市企业公共信用综合评价", "grade": "B",
             "evaluated_on": "2024-02-01"},
        ],
    }  # fmt: skip
    first = api.post("/api/v1/evaluation/recognised", json=sent).json()
    assert (first["stored"], first["unchanged"]) == (1, 0)
    reasons = [r["reason"] for r in first["refused"]]
    assert [r["row"] for r in first["refused"]] == [2, 3]
    assert "校验" in reasons[0] and "没有统一社会信用代码为" in reasons[1]
    again = api.post("/api/v1/evaluation/recognised", json=sent).json()
    assert (again["stored"], again["unchanged"]) == (0, 1)  # sent again: stored once
    answer = api.get(f"/api/v1/subjects/{company}/evaluation").json()
    assert answer["recognised"] == [
        {"platform": "深圳市公共信用信息平台", "model_name": "深圳市企业公共信用综合评价",
         "grade": "A", "score": "91.50", "evaluated_on": "2024-02-01"}
    ]  # fmt: skip
    assert answer["grade"] == "C"  # ours, unchanged by theirs


def test_the_public_learns_nothing_of_which_ids_exist(client, graded):
    company, _records = graded
    known = client.get(f"/api/v1/subjects/{company}/evaluation")
    unknown = client.get(f"/api/v1/subjects/{company + 999}/evaluation")
    assert known.status_code == unknown.status_code == 401
    assert known.json()["code"] == unknown.json()["code"]
