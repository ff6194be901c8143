"""Deadlines counted in Chinese working days (国务院办公厅关于2026年部分节假日安排的通知, via
`xinyong.workdays`) or natural days, stopped and resumed with the stopped time not counted."""

from datetime import UTC, date, datetime

import pytest

from tests.cases.sample import THURSDAY, clerk
from tests.factories import COMPANY_USCC
from xinyong import clock
from xinyong.cases import service as cases
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.lists import service as lists
from xinyong.subjects.service import resolve


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 2, 0, tzinfo=UTC)  # 10:00 in Beijing


def _open(session, world, day: date):
    company, gz, _ = world
    with clock.frozen_at(_at(day)), committing(session):
        return cases.open(session, "sample", company, gz, clerk(gz))


def _step(session, case, name, department, day: date):
    with clock.frozen_at(_at(day)), committing(session):
        return cases.step(session, case, name, clerk(department))


def test_three_working_days_across_spring_festival_2026(session, world):
    """2026 notice 二: 2月14日（周六）上班, 15–23日放假: from Thursday 2月12日, 13日, 14日 and
    24日 are the three working days."""
    case = _open(session, world, date(2026, 2, 12))
    assert case.due == date(2026, 2, 24)


def test_listing_statement_period_across_national_day_2026(session, world):
    """2026 notice 七: 10月1–7日放假, 10月10日（周六）上班: five working days (lists.yaml) after
    Tuesday 9月29日 are 30日, 8日, 9日, 10日 and 12日."""
    _, gz, _ = world
    company = resolve(session, uscc=COMPANY_USCC)
    with clock.frozen_at(_at(date(2026, 9, 29))), committing(session):
        case = lists.propose(
            session,
            clerk(gz),
            "serious_dishonesty",
            company,
            gz.id,
            document_number="穗人社失信〔2026〕3号",
            reason="拖欠农民工工资",
            legal_basis="《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        )
        lists.notify(session, clerk(gz), case)
    assert case.due == case.statement_due == date(2026, 10, 12)
    assert case.due_count == "working"


def test_natural_days_count_holidays(session, world):
    """15 natural days after 2026-09-30 run through National Day to 10月15日."""
    _, gz, _ = world
    case = _open(session, world, date(2026, 9, 28))
    _step(session, case, "forward", gz, date(2026, 9, 30))
    assert (case.due, case.due_count) == (date(2026, 10, 15), "natural")


def test_a_stopped_working_day_deadline_resumes_with_what_was_left(session, world):
    """Time for 检验、检测、鉴定 is not counted: stopped on 2月13日 with the 14日 and 24日 still
    to run, resumed on 3月2日, the two working days left end on 3月4日; the stopped days
    (14日, 24–28日 with the make-up Saturday, 3月2日: seven working days) are recorded."""
    _, gz, _ = world
    case = _open(session, world, date(2026, 2, 12))
    with clock.frozen_at(_at(date(2026, 2, 13))), committing(session):
        cases.suspend(session, case, clerk(gz), "送检")
    assert case.suspended_on == date(2026, 2, 13) and case.due == date(2026, 2, 24)
    with clock.frozen_at(_at(date(2026, 3, 2))), committing(session):
        step = cases.resume(session, case, clerk(gz), "检验报告已出")
    assert (case.due, case.suspended_on, case.suspended_days) == (date(2026, 3, 4), None, 7)
    assert step.data["excluded_days"] == 7 and step.transition == "resume"


def test_a_stopped_natural_day_deadline_resumes_with_what_was_left(session, world):
    _, gz, _ = world
    case = _open(session, world, date(2026, 9, 28))
    _step(session, case, "forward", gz, date(2026, 9, 30))  # due 10月15日
    with clock.frozen_at(_at(date(2026, 10, 5))), committing(session):
        cases.suspend(session, case, clerk(gz), "专家评审")
    with clock.frozen_at(_at(date(2026, 10, 9))), committing(session):
        cases.resume(session, case, clerk(gz), "评审结束")
    assert (case.due, case.suspended_days) == (date(2026, 10, 19), 4)


def test_suspension_is_refused_where_the_policy_has_none_or_nothing_runs(session, world):
    company, gz, _ = world
    with clock.frozen_at(THURSDAY), committing(session):
        case = lists.propose(
            session,
            clerk(gz),
            "serious_dishonesty",
            company,
            gz.id,
            document_number="1号",
            reason="原因",
            legal_basis="依据",
        )
    with clock.frozen_at(THURSDAY), pytest.raises(DomainError) as refused:
        cases.suspend(session, case, clerk(gz), "送检")
    assert refused.value.code == "cases.no_suspension"
    sample = _open(session, world, date(2026, 2, 12))
    with clock.frozen_at(THURSDAY), pytest.raises(DomainError) as refused:
        cases.resume(session, sample, clerk(gz), "未中止")
    assert refused.value.code == "cases.not_suspended"
    with clock.frozen_at(THURSDAY), committing(session):
        cases.suspend(session, sample, clerk(gz), "送检")
    with clock.frozen_at(THURSDAY), pytest.raises(DomainError) as refused:
        cases.suspend(session, sample, clerk(gz), "再次")
    assert refused.value.code == "cases.already_suspended"
