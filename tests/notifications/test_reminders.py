"""The reminders job across National Day 2026: a listing case told on Thursday 2026-09-24
has 5 working days to state its case (lists.yaml, 国办发〔2020〕49号) — 9-28, 9-29, 9-30, then
10-08 and 10-09 after the holiday (the 2026 holiday notice, via chinesecalendar) — so it is
due 10-09 and reminded 1 working day before (10-08, not 9-30) and on the day itself, each
reminder once."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, listing_case
from xinyong import clock
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.jobs import run_job
from xinyong.notifications.models import Message, RecipientKind
from xinyong.policy.enums import Role, SubjectType
from xinyong.subjects.service import SubjectIn, register

THURSDAY = date(2026, 9, 24)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 1, 0, tzinfo=UTC)  # 09:00 in Beijing


@pytest.fixture
def told(session):
    """A listing case told on the Thursday before National Day."""
    with clock.frozen_at(_at(THURSDAY)):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            department = create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            )
        clerk = Principal(Role.DATA_PROVIDER, department.id, "440100", "user:1")
        case = listing_case(session, clerk, company, department, "notified")
    assert case.due == date(2026, 10, 9)
    return case


def _run(sessions, day: date) -> int:
    with clock.frozen_at(_at(day)):
        return run_job(sessions, "reminders")


def _messages(session):
    session.expire_all()
    return session.scalars(select(Message).order_by(Message.id)).all()


def test_the_reminder_falls_on_the_working_day_before_the_due_day_after_the_holiday(
    session, sessions, told
):
    assert _run(sessions, date(2026, 9, 30)) == 0  # the last working day before the holiday
    assert _run(sessions, date(2026, 10, 7)) == 0
    assert _run(sessions, date(2026, 10, 8)) == 2
    department, subject = _messages(session)
    title = f"第 {told.id} 号列入案件的陈述申辩期将于 2026-10-09 届满"
    assert (department.recipient_kind, department.recipient_key) == (
        RecipientKind.DEPARTMENT,
        told.department_id,
    )
    assert department.subject == title and department.case_id == told.id
    assert "当前状态“已告知”" in department.body and "还有 1 个工作日" in department.body
    assert (subject.recipient_kind, subject.recipient_key) == (
        RecipientKind.SUBJECT,
        told.subject_id,
    )
    assert subject.subject == title and subject.body.startswith(f"您的{title}")
    assert {m.channel for m in (department, subject)} == {"site"}


def test_each_reminder_is_written_once_and_the_due_day_has_its_own(session, sessions, told):
    assert _run(sessions, date(2026, 10, 8)) == 2
    assert _run(sessions, date(2026, 10, 8)) == 0  # a second run sends nothing
    assert _run(sessions, date(2026, 10, 9)) == 2
    assert "今日届满" in _messages(session)[-2].body
    assert _run(sessions, date(2026, 10, 9)) == 0
    assert len(_messages(session)) == 4


def test_the_deliver_job_puts_the_reminders_on_the_department_list(session, sessions, told):
    from xinyong.notifications import service as outbox

    _run(sessions, date(2026, 10, 8))
    with clock.frozen_at(_at(date(2026, 10, 8))):
        assert run_job(sessions, "deliver") == 2
    (notice,) = outbox.notices(session, RecipientKind.DEPARTMENT, told.department_id)
    assert notice.subject.endswith("将于 2026-10-09 届满")


def test_a_case_closed_before_its_reminder_is_not_reminded_of(session, sessions, told):
    from xinyong.lists import service as lists

    clerk = Principal(Role.DATA_PROVIDER, told.department_id, "440100", "user:1")
    with clock.frozen_at(_at(date(2026, 9, 28))), committing(session):
        lists.drop(session, clerk, session.merge(told), "当事人已履行")
    assert _run(sessions, date(2026, 10, 8)) == 0


def test_every_run_is_audited_once_with_what_it_wrote(session, sessions, told):
    _run(sessions, date(2026, 10, 8))
    _run(sessions, date(2026, 10, 8))
    runs = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "job.run").order_by(AuditEntry.id)
    ).all()
    assert [(e.actor, e.target_id, e.detail["changed"]) for e in runs] == [
        ("job:reminders", "reminders", 2),
        ("job:reminders", "reminders", 0),
    ]


def test_another_kind_is_reminded_in_its_own_words_and_its_subject_only_if_policy_says(
    session, sessions
):
    """The engine's test kind has no deadline label and does not tell the subject: its
    department is reminded of the 申请期限 (its opening step's label), and no one else."""
    from tests.cases.sample import POLICY, clerk
    from tests.cases.sample import THURSDAY as FEBRUARY
    from xinyong.cases import service as cases
    from xinyong.policy import use_policy

    use_policy(POLICY)
    with clock.frozen_at(FEBRUARY):
        with committing(session):
            named = SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
            company = register(session, named)
            gz = create_department(session, "gz-rsj", "广州市人社局", "440100", AUTHORITY_USCC)
        with committing(session):
            case = cases.open(session, "sample", company, gz, clerk(gz))
    assert _run(sessions, case.due) == 2  # both reminders (1 and 0 days before) fall due
    messages = _messages(session)
    assert {m.recipient_kind for m in messages} == {RecipientKind.DEPARTMENT}
    assert messages[0].subject == f"第 {case.id} 号测试案件的申请期限将于 {case.due} 届满"
