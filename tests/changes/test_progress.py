"""The progress query for people without an account (issue 13, Pages and API): a case number
and its query code show the case's kind, state, dates and step labels and nothing else; a
wrong code and a missing case answer alike, and guessing is throttled like a login."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, csrf_of, listing_case
from xinyong import clock
from xinyong.applicants.service import ALPHABET
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.changes import case_number, progress_code
from xinyong.changes import progress as progress_query
from xinyong.config import Settings, get_settings, use_settings
from xinyong.db import committing
from xinyong.errors import NotFound
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

THURSDAY = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)


@pytest.fixture
def case(session):
    with clock.frozen_at(THURSDAY):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            gz = auth.create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            )
        return listing_case(session, Principal.of_department(gz), company, gz, "notified")


def test_the_case_number_is_xy_and_eight_digits_and_reads_back_as_typed(case):
    assert case_number(case) == f"XY{case.id:08d}"
    for typed in (case_number(case), f"xy{case.id}", f" XY-{case.id:08d} ", str(case.id)):
        assert progress_query.case_id_of(typed) == case.id
    assert progress_query.case_id_of("XY") is None
    assert progress_query.case_id_of("AB123") is None


def test_the_query_code_is_short_stable_and_different_per_case():
    code = progress_code(7)
    assert len(code) == 9 and code[4] == "-"
    assert set(code.replace("-", "")) <= set(ALPHABET)
    assert progress_code(7) == code and progress_code(8) != code
    assert len({progress_code(i) for i in range(1, 2001)}) == 2000


def test_the_query_code_depends_on_the_platforms_secret(settings):
    code = progress_code(7)
    try:
        use_settings(Settings(data_dir=settings.data_dir, secret_key="another-platform"))
        assert progress_code(7) != code
    finally:
        use_settings(settings)


def test_the_right_code_shows_kind_state_dates_and_step_labels_only(session, case):
    with clock.frozen_at(THURSDAY):
        found = progress_query.progress(
            session, case_number(case), progress_code(case.id).lower().replace("-", " "), "1.2.3.4"
        )
    assert found.kind_name == "列入严重失信主体名单" and found.state_label == "已告知"
    assert [s.label for s in found.steps] == ["拟列入", "告知"]
    assert found.opened_on.isoformat() == "2026-09-24" and found.due is not None
    assert not hasattr(found, "subject_name")
    session.rollback()
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "progress.view"))
    assert entry.target_id == str(case.id) and entry.actor == "anonymous"


def test_a_wrong_code_and_a_missing_case_get_the_same_answer(session, case):
    answers = []
    with clock.frozen_at(THURSDAY):
        for number, code in (
            (case_number(case), "AAAA-AAAA"),
            (f"XY{case.id + 1000:08d}", progress_code(case.id + 1000)),
            ("不是编号", "AAAA-AAAA"),
        ):
            with pytest.raises(NotFound) as refused:
                progress_query.progress(session, number, code, "1.2.3.4")
            answers.append((refused.value.status_code, refused.value.code, refused.value.message))
    assert len(set(answers)) == 1 and answers[0][1] == "progress.not_found"


def test_guesses_are_throttled_per_case_number_even_with_the_right_code_after(session, case):
    limit = get_settings().login_failures_per_account
    with clock.frozen_at(THURSDAY):
        for i in range(limit):
            with pytest.raises(NotFound):
                progress_query.progress(session, case_number(case), "AAAA-AAA" + "B", f"10.0.0.{i}")
        with pytest.raises(progress_query.ProgressThrottled) as throttled:
            progress_query.progress(session, case_number(case), progress_code(case.id), "10.9.9.9")
    assert throttled.value.status_code == 429 and "查询失败次数过多" in throttled.value.message


def test_guesses_from_one_address_are_throttled_across_case_numbers(session, case):
    limit = get_settings().login_failures_per_address
    with clock.frozen_at(THURSDAY):
        for i in range(limit):
            with pytest.raises(NotFound):
                progress_query.progress(session, f"XY{i + 5000}", "AAAA-AAAA", "10.1.1.1")
        with pytest.raises(progress_query.ProgressThrottled):
            progress_query.progress(session, case_number(case), progress_code(case.id), "10.1.1.1")
        assert progress_query.progress(
            session, case_number(case), progress_code(case.id), "10.2.2.2"
        )


def test_the_progress_page_answers_right_and_wrong_codes_without_javascript(app, case):
    client = TestClient(app)
    with clock.frozen_at(THURSDAY):
        form = client.get("/progress")
        assert form.status_code == 200 and 'action="/progress"' in form.text
        token = csrf_of(form.text)
        right = client.post(
            "/progress",
            data={"number": case_number(case), "code": progress_code(case.id), "csrf": token},
        )
        wrong = client.post(
            "/progress", data={"number": case_number(case), "code": "AAAA-AAAA", "csrf": token}
        )
        missing = client.post(
            "/progress", data={"number": "XY99999999", "code": "AAAA-AAAA", "csrf": token}
        )
        stale = client.post("/progress", data={"number": "1", "code": "x", "csrf": "old"})
    assert right.status_code == 200
    assert "已告知" in right.text and "列入严重失信主体名单" in right.text
    assert "广州市某某科技有限公司" not in right.text and "人力资源" not in right.text
    assert wrong.status_code == missing.status_code == 404
    assert progress_query.NOT_FOUND in wrong.text and progress_query.NOT_FOUND in missing.text
    assert stale.status_code == 400 and "页面已过期" in stale.text
