"""Overdue and due-soon queues per principal, and reminders taken once on the day their offset
falls (planned when the deadline is set, moved when a stopped deadline resumes)."""

from datetime import UTC, date, datetime

from tests.cases.sample import CREDIT_OFFICE_GZ, clerk
from xinyong import clock
from xinyong.auth.principal import Principal
from xinyong.cases import queues
from xinyong.cases import service as cases
from xinyong.db import committing
from xinyong.policy.enums import Role


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)


def _open(session, world, day: date, department=None):
    company, gz, _ = world
    department = department or gz
    with clock.frozen_at(_at(day)), committing(session):
        return cases.open(session, "sample", company, department, clerk(department))


def test_overdue_lists_open_running_cases_past_due_for_their_department(session, world):
    """Due 2026-02-24 (three working days across Spring Festival): overdue from the 25th."""
    _, gz, sz = world
    late = _open(session, world, date(2026, 2, 12))
    stopped = _open(session, world, date(2026, 2, 12))
    closed = _open(session, world, date(2026, 2, 12))
    elsewhere = _open(session, world, date(2026, 2, 12), sz)
    with clock.frozen_at(_at(date(2026, 2, 13))), committing(session):
        cases.suspend(session, stopped, clerk(gz), "送检")
        cases.step(session, closed, "forward", clerk(gz))
        cases.step(session, closed, "decide", clerk(gz))
    assert queues.overdue(session, clerk(gz), date(2026, 2, 24)) == []
    assert queues.overdue(session, clerk(gz), date(2026, 2, 25)) == [late]
    assert queues.overdue(session, CREDIT_OFFICE_GZ, date(2026, 2, 25)) == [late]
    assert queues.overdue(session, clerk(sz), date(2026, 2, 25)) == [elsewhere]
    bank = Principal(Role.FINANCIAL_INSTITUTION, None, "440100", "user:50")
    assert queues.overdue(session, bank, date(2026, 2, 25)) == []


def test_due_soon_is_the_departments_reminder_list(session, world):
    _, gz, sz = world
    case = _open(session, world, date(2026, 2, 12))  # due 2026-02-24
    assert queues.due_soon(session, clerk(gz), date(2026, 2, 13), working_days=1) == []
    assert queues.due_soon(session, clerk(gz), date(2026, 2, 13), working_days=2) == [case]
    assert queues.due_soon(session, clerk(gz), date(2026, 2, 24)) == [case]
    assert queues.due_soon(session, clerk(gz), date(2026, 2, 25)) == []
    assert queues.due_soon(session, clerk(sz), date(2026, 2, 13)) == []


def test_reminders_are_taken_once_on_the_day_their_offset_falls(session, world):
    """Due 2026-02-24 with reminders 1 and 0 working days before: 2月14日 (the make-up
    Saturday) and the 24th itself."""
    case = _open(session, world, date(2026, 2, 12))
    with committing(session):
        assert queues.take_reminders(session, date(2026, 2, 13)) == []
    with clock.frozen_at(_at(date(2026, 2, 20))), committing(session):
        taken = queues.take_reminders(session, date(2026, 2, 20))
    assert [(r.case_id, r.due, r.before_days) for r in taken] == [(case.id, case.due, 1)]
    assert taken[0].department_id == case.department_id and taken[0].kind == "sample"
    with committing(session):
        assert queues.take_reminders(session, date(2026, 2, 23)) == []
        assert [r.before_days for r in queues.take_reminders(session, date(2026, 2, 24))] == [0]


def test_a_stopped_deadline_reminds_of_nothing_until_it_resumes_with_its_new_day(session, world):
    _, gz, _ = world
    case = _open(session, world, date(2026, 2, 12))
    with clock.frozen_at(_at(date(2026, 2, 13))), committing(session):
        cases.suspend(session, case, clerk(gz), "送检")
    with committing(session):
        assert queues.take_reminders(session, date(2026, 2, 24)) == []
    with clock.frozen_at(_at(date(2026, 3, 2))), committing(session):
        cases.resume(session, case, clerk(gz), "检验报告已出")  # due 2026-03-04
    with committing(session):
        taken = queues.take_reminders(session, date(2026, 3, 3))
    assert [(r.due, r.before_days) for r in taken] == [(date(2026, 3, 4), 1)]


def test_a_step_that_ends_the_deadline_drops_its_reminders(session, world):
    _, gz, _ = world
    case = _open(session, world, date(2026, 2, 12))
    with clock.frozen_at(_at(date(2026, 2, 13))), committing(session):
        cases.step(session, case, "forward", clerk(gz))  # 15 natural days: 2月28日
        cases.step(session, case, "decide", clerk(gz))
    with committing(session):
        assert queues.take_reminders(session, date(2026, 12, 31)) == []


def test_the_cases_listing_counts_overdue_as_the_overdue_queue_does(session, world):
    """GET /api/v1/cases?overdue=true (browse) and the overdue queue agree: a case is late when
    its running deadline or its deadline to answer the applicant has passed."""
    from xinyong.cases import browse

    case = _open(session, world, date(2026, 2, 12))  # due 2026-02-24
    with committing(session):
        case.answer_due = date(2026, 2, 20)  # as a kind's `answer_within` would set it
    with clock.frozen_at(_at(date(2026, 2, 23))):
        page = browse.list_cases(session, CREDIT_OFFICE_GZ, overdue=True)
        assert queues.overdue(session, CREDIT_OFFICE_GZ, date(2026, 2, 23)) == [case]
    assert [row.case.id for row in page.rows] == [case.id]
    assert page.rows[0].overdue(date(2026, 2, 23))
