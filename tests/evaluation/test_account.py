"""The subject's own evaluation page (issue 16): an applicant sees its grade, why, and a way to
object to each record behind it — and nothing of another subject's."""

from __future__ import annotations

from tests.applicants.sample import MOMENT, code_for, two_companies
from tests.factories import csrf_of
from xinyong import clock
from xinyong.evaluation.runs import evaluate, model_named

PASSWORD = "a-strong-password"


def test_an_applicant_reads_its_own_grade_and_may_object_to_its_records(client, session, sessions):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        before = client.get("/account/evaluation", follow_redirects=False)
        assert (before.status_code, before.headers["location"]) == (303, "/account/login")
        form = client.get("/account/activate").text
        answer = {"code": code_for(session, mine), "username": "zhang", "password": PASSWORD}
        client.post("/account/activate", data=answer | {"csrf": csrf_of(form)})
        none_yet = client.get("/account/evaluation")
        assert none_yet.status_code == 200 and "没有该主体的信用评价" in none_yet.text
        evaluate(sessions, model_named("enterprise"), "user:test")
        page = client.get("/account/evaluation")
    assert page.status_code == 200 and "780.00" in page.text and "B（良）" in page.text
    assert "穗市监罚〔2026〕1号" in page.text and "穗市监罚〔2026〕2号" not in page.text
    assert "/account/objections/new?record=" in page.text
