from datetime import UTC, date, datetime

import pytest

from xinyong.collection.timeliness import due_date, on_time
from xinyong.policy import load_policy
from xinyong.policy.schemas import TimelinessRule
from xinyong.workdays import Deadline

# Rules as the shipped catalog has them: 信阳市方案 二（二）3 and 国办发〔2015〕51号（十八）.
PENALTY = load_policy().items["xzcf"].timeliness
LICENSE = load_policy().items["xzxk"].timeliness
ENFORCEMENT = load_policy().items["xzqz"].timeliness  # 行政强制, one of the eight monthly kinds


def _rule(rule: TimelinessRule | None) -> TimelinessRule:
    assert rule is not None
    return rule


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


# --- 行政许可、行政处罚: 7 working days (双公示) --------------------------------------------


def test_penalty_decided_before_spring_festival_2026_is_due_on_the_make_up_saturday():
    """2026 holiday notice: 2月14日（周六）上班, 15–23日放假, 2月28日（周六）上班 — so seven
    working days from Thursday 2月12日 end on Saturday 2月28日."""
    assert due_date(_rule(PENALTY), date(2026, 2, 12)) == Deadline(date(2026, 2, 28), False)


def test_license_decided_before_national_day_2026_counts_the_make_up_saturday():
    """2026 holiday notice: 10月1日至7日放假, 10月10日（周六）上班: from 9月30日 the seventh
    working day is 10月15日 (10月16日 without the make-up Saturday)."""
    assert due_date(_rule(LICENSE), date(2026, 9, 30)) == Deadline(date(2026, 10, 15), False)


def test_license_decided_before_mid_autumn_2026_counts_the_make_up_sunday():
    """2026 holiday notice: 9月20日（周日）上班, 中秋节 9月25日至27日放假."""
    assert due_date(_rule(LICENSE), date(2026, 9, 18)) == Deadline(date(2026, 9, 29), False)


def test_penalty_decided_on_a_friday_is_due_on_the_tuesday_after_next():
    """Seven working days from Friday 2026-03-13 (no holiday): the next week and two days."""
    assert due_date(_rule(PENALTY), date(2026, 3, 13)) == Deadline(date(2026, 3, 24), False)


def test_penalty_due_in_2027_is_provisional():
    """chinesecalendar stops at 2026 and the 2027 notice is not out: weekends only, provisional."""
    assert due_date(_rule(PENALTY), date(2026, 12, 25)) == Deadline(date(2027, 1, 5), True)


# --- the eight further kinds: by the 25th of the next month (十公示) ----------------------


def test_monthly_kinds_are_due_on_the_25th_of_the_month_after_the_decision():
    """信阳市方案 二（二）3: 八类信息每月25日前上网公开."""
    rule = _rule(ENFORCEMENT)
    assert due_date(rule, date(2026, 3, 31)) == Deadline(date(2026, 4, 25), False)
    assert due_date(rule, date(2026, 3, 1)) == Deadline(date(2026, 4, 25), False)
    assert due_date(rule, date(2026, 1, 31)) == Deadline(date(2026, 2, 25), False)


def test_monthly_kind_decided_in_december_is_due_in_january():
    """信阳市方案 二（二）3; a calendar date, so not provisional even though 2027 is not covered."""
    assert due_date(_rule(ENFORCEMENT), date(2026, 12, 5)) == Deadline(date(2027, 1, 25), False)


# --- on time, counted in Beijing dates ------------------------------------------------


def test_penalty_received_on_the_due_date_in_beijing_is_on_time():
    """Due 2026-02-28: 2026-02-28T15:59Z is 2月28日 23:59 北京时间."""
    decided = date(2026, 2, 12)
    assert on_time(PENALTY, decided, _utc("2026-02-27T16:30")) is True  # 2月28日 00:30
    assert on_time(PENALTY, decided, _utc("2026-02-28T15:59")) is True


def test_penalty_received_after_midnight_beijing_on_the_due_date_is_late():
    """2026-02-28T16:30Z is still 2月28日 in UTC but 3月1日 00:30 北京时间: late."""
    assert on_time(PENALTY, date(2026, 2, 12), _utc("2026-02-28T16:30")) is False


def test_monthly_kind_received_on_the_25th_is_on_time_and_on_the_26th_late():
    decided = date(2026, 3, 31)
    assert on_time(ENFORCEMENT, decided, _utc("2026-04-25T15:59")) is True
    assert on_time(ENFORCEMENT, decided, _utc("2026-04-25T16:00")) is False  # 4月26日 00:00


def test_on_time_is_unknown_without_a_rule_or_a_decision_date():
    received = _utc("2026-03-01T02:00")
    assert on_time(None, date(2026, 2, 12), received) is None
    assert on_time(PENALTY, None, received) is None


def test_on_time_needs_an_aware_received_time():
    with pytest.raises(ValueError, match="timezone-aware"):
        on_time(PENALTY, date(2026, 2, 12), datetime(2026, 2, 28, 12, 0))
