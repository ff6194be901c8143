"""Credit repair end to end through the service and the generic step door: eligibility from the
minimum period, the one-time list of what is missing, the 10/3 working-day deadlines, approval
ending publication (and the change feed), refusal with reasons, and who may do what."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.factories import PERSON_ID
from tests.repairs.sample import (
    COMPLETE,
    CREDIT_OFFICE,
    WALK_IN,
    WINDOW,
    at,
    world,
)
from xinyong import clock
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import PUBLIC
from xinyong.cases import handlers
from xinyong.cases.handlers import StepIn
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.notifications.models import Message
from xinyong.publication.service import RecordQuery, visible_records
from xinyong.records.models import Record, RecordChange, RecordStatus
from xinyong.repairs import service as repairs
from xinyong.repairs.models import RepairCase

DECIDED = date(2025, 10, 9)  # a general penalty: repair from 2026-01-09 (令第36号: 3 months)
THURSDAY = date(2026, 2, 12)  # before Spring Festival 2026


def _apply(session, principal, record_id, uploads=COMPLETE, **kw):  # type: ignore[no-untyped-def]
    with committing(session):
        return repairs.apply(session, principal, record_id, uploads, True, **kw)


def _step(session, principal, case_id, transition, **data):  # type: ignore[no-untyped-def]
    return handlers.take(session, principal, case_id, StepIn(transition, None, data))


def test_deadlines_across_spring_festival_2026_gb_ban_fa_2025_22(session):
    """国办发〔2025〕22号: the platform answers within 10 working days of receipt, the deciding
    department decides within 3 working days of receiving the forwarded application. Counted
    over 春节 2026 (02-15..02-23 off, 02-14 and 02-28 worked); the platform's own check is
    河南条例 第四十三条's 1 working day (a platform choice)."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(THURSDAY)):
        case = _apply(session, w.applicant(), w.record_id).case
        assert (case.state, case.answer_due, case.due) == (
            "applied",
            date(2026, 3, 4),
            date(2026, 2, 13),
        )
    with clock.frozen_at(at(date(2026, 2, 13))):
        _step(session, CREDIT_OFFICE, case.id, "forward", opinion="材料齐全")
        session.refresh(case)
        # Sat 02-14 is a working day, 02-15..23 are not: the third working day is Wed 02-25.
        assert (case.state, case.due, case.answer_due) == (
            "forwarded",
            date(2026, 2, 25),
            date(2026, 3, 4),
        )


def test_deadlines_across_national_day_2026(session):
    """国办发〔2025〕22号 over 国庆 2026 (10-01..10-07 off, 09-20 and 10-10 worked)."""
    w = world(session, date(2026, 4, 20), date(2026, 9, 29))
    with clock.frozen_at(at(date(2026, 9, 29))):
        case = _apply(session, w.applicant(), w.record_id).case
        assert case.answer_due == date(2026, 10, 19)
        _step(session, CREDIT_OFFICE, case.id, "forward")
        session.refresh(case)
        assert case.due == date(2026, 10, 9)  # 09-30, (holidays), 10-08, 10-09


def test_minimum_periods_per_class_ling_36(session):
    """令第36号: general information may be repaired after 3 months, serious after 1 year;
    minor information is not published, so there is nothing to repair."""
    w = world(session, date(2026, 5, 10), date(2026, 6, 1))
    from tests.factories import penalty, store

    with clock.frozen_at(at(date(2026, 6, 1))):
        serious = store(
            session, w.company.id, penalty(3, date(2026, 5, 10)), department=w.regulator
        )
        with committing(session):  # the deciding department classed it 严重 (1 to 3 years)
            row = session.get_one(Record, serious)
            row.severity, row.publish_until = "serious", date(2029, 5, 10)
        minor = store(
            session,
            w.company.id,
            penalty(4, date(2026, 5, 10), cf_cflb="警告"),
            department=w.regulator,
        )
        with pytest.raises(DomainError, match="2026-08-10") as early:
            _apply(session, w.applicant(), w.record_id)
        assert early.value.code == "repairs.not_eligible"
        form = repairs.application(session, w.applicant(), serious)
        assert form.eligibility.from_date == date(2027, 5, 10)
        assert not repairs.application(session, w.applicant(), minor).eligibility.can_apply_now
    with clock.frozen_at(at(date(2026, 8, 10))):
        assert repairs.application(session, w.applicant(), w.record_id).eligibility.can_apply_now


def test_an_incomplete_application_gets_the_list_once_and_its_answer_period_restarts(session):
    """A missing 承诺书 holds the case 待补正 with the one-time list (the subject is told); the
    10 working days run again from the complete application (repair.yaml answer_period: 比照
    行政许可法 第三十二条、第四十二条)."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(date(2026, 3, 2))):
        applied = _apply(session, w.applicant(), w.record_id, uploads=COMPLETE[:1])
        case = applied.case
        assert [m.code for m in applied.missing] == ["commitment"]
        assert (case.state, case.missing, case.answer_due) == (
            "incomplete",
            ["信用修复承诺书（签字或盖章）"],
            None,
        )
        told = session.scalars(select(Message).where(Message.case_id == case.id)).all()
        assert any("信用修复承诺书" in m.body for m in told)
        with pytest.raises(DomainError) as still:
            _step(session, w.applicant(), case.id, "supplement")
        assert still.value.code == "repairs.materials_missing"
    with clock.frozen_at(at(date(2026, 3, 5))):
        with committing(session):
            repairs.hand_in(session, w.applicant(), case.id, COMPLETE[1:])
        _step(session, w.applicant(), case.id, "supplement")
        session.refresh(case)
        assert (case.state, case.answer_due) == ("applied", date(2026, 3, 19))


def test_approval_ends_publication_at_the_decision_and_feeds_partners(session):
    """令第36号: a repaired record stops being published: gone for the public from the decision
    on, in the change feed with its case, still seen by staff `as_of` before the decision."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(date(2026, 3, 2))):
        case = _apply(session, w.applicant(), w.record_id).case
        _step(session, CREDIT_OFFICE, case.id, "forward")
    with clock.frozen_at(at(date(2026, 3, 3), 15)):
        _step(session, w.clerk, case.id, "approve", opinion="已缴清罚款")
        session.refresh(case)
        assert (case.state, case.closed_at is not None) == ("approved", True)
        record = session.get_one(Record, w.record_id)
        assert record.status == RecordStatus.REPAIRED
        public = visible_records(session, PUBLIC, RecordQuery(subject_id=w.company.id)).records
        assert public == []
        before = visible_records(
            session, CREDIT_OFFICE, RecordQuery(record_id=w.record_id), at(date(2026, 3, 3), 9)
        ).records
        assert [r.status for r in before] == [RecordStatus.VALID]
        feed = session.scalars(select(RecordChange).where(RecordChange.case_id == case.id)).all()
        assert [(c.change, c.record_id) for c in feed] == [("repaired", w.record_id)]
        # Repaired: a new application is refused with the reason.
        with pytest.raises(DomainError, match="已修复"):
            _apply(session, w.applicant(), w.record_id)


def test_refusal_gives_reasons_and_a_new_application_may_follow(session):
    """Refusal names its reason (the subject is told) and closes the case; eligibility allows a
    new application once no repair of the record is under way."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(date(2026, 3, 2))):
        case = _apply(session, w.applicant(), w.record_id).case
        with pytest.raises(DomainError, match="已有正在办理"):
            _apply(session, w.applicant(), w.record_id)
        _step(session, CREDIT_OFFICE, case.id, "forward")
        with pytest.raises(DomainError) as missing:
            _step(session, w.clerk, case.id, "refuse", reason="obligation_unperformed")
        assert missing.value.code == "repairs.field_missing"
        with pytest.raises(DomainError) as wrong:
            _step(session, w.clerk, case.id, "refuse", reason="nope", explanation="x")
        assert wrong.value.code == "repairs.field_choice"
        _step(
            session,
            w.clerk,
            case.id,
            "refuse",
            reason="obligation_unperformed",
            explanation="罚款尚未缴清。",
        )
        session.refresh(case)
        assert (case.state, case.refusal_reason) == ("refused", "法定义务尚未履行完毕")
        told = session.scalars(select(Message).where(Message.case_id == case.id)).all()
        assert any("法定义务尚未履行完毕" in m.body for m in told)
        again = _apply(session, w.applicant(), w.record_id).case
        assert again.id != case.id and again.state == "applied"


def test_an_applicant_cannot_apply_on_another_subjects_record(session):
    """The same 404 as a record that does not exist, and the refusal is audited."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(date(2026, 3, 2))):
        with pytest.raises(NotFound) as hidden:
            _apply(session, w.applicant(), w.other_record_id)
        with pytest.raises(NotFound) as absent:
            _apply(session, w.applicant(), 999_999)
    assert hidden.value.message.split("：")[0] == absent.value.message.split("：")[0]
    refusals = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "permission.refused")
    ).all()
    assert [e.target_id for e in refusals if e.target_type == "record"] == [str(w.other_record_id)]


def test_a_department_cannot_decide_another_departments_case(session):
    """谁认定、谁修复: the case is the deciding department's; another sees a 404 (audited)."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(date(2026, 3, 2))):
        case = _apply(session, w.applicant(), w.record_id).case
        _step(session, CREDIT_OFFICE, case.id, "forward")
        with pytest.raises(NotFound):
            _step(session, w.other_clerk, case.id, "approve")
        with pytest.raises(DomainError) as applicant:
            _step(session, w.applicant(), case.id, "approve")
        assert applicant.value.code == "repairs.forbidden"
    assert session.get_one(RepairCase, case.id).state == "forwarded"


def test_a_window_files_for_the_subject_with_the_applicants_document_masked(session):
    """Window staff file on the subject's behalf: the person's identity document is recorded,
    its number only masked."""
    w = world(session, DECIDED, THURSDAY)
    with clock.frozen_at(at(date(2026, 3, 2))):
        with pytest.raises(DomainError) as anonymous:
            _apply(session, WINDOW, w.record_id)
        assert anonymous.value.code == "repairs.applicant_identity"
        case = _apply(session, WINDOW, w.record_id, on_behalf=WALK_IN).case
    assert (case.channel, case.applicant_name, case.applicant_document_masked) == (
        "window",
        "王五",
        "4401**********" + PERSON_ID[-4:],
    )
    assert PERSON_ID not in str(case.details)
