from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.fixtures import CITY
from xinyong.errors import PolicyError
from xinyong.policy import load_policy, use_policy
from xinyong.workdays import (
    Deadline,
    add_working_days,
    is_working_day,
    official,
    working_days_between,
)

NOTICE_2026 = "国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）"
NOTICE_2025 = "国务院办公厅关于2025年部分节假日安排的通知"

# The city fixture's made-up 2027 schedule (the real 2027 notice is not published yet), without
# its comment lines: the tests of broken files below count lines from `years:`.
TEST_2027 = "".join(
    line
    for line in (CITY / "holidays.yaml").read_text(encoding="utf-8").splitlines(keepends=True)
    if not line.startswith("#")
)


def _days(first: str, last: str) -> list[date]:
    start, end = date.fromisoformat(first), date.fromisoformat(last)
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


# --- the State Council's notices, as chinesecalendar has them ---------------------------


def test_spring_festival_2026_follows_the_state_council_notice():
    """NOTICE_2026 二: 2月15日至23日放假调休; 2月14日（周六）、2月28日（周六）上班."""
    assert not any(is_working_day(day) for day in _days("2026-02-15", "2026-02-23"))
    assert is_working_day(date(2026, 2, 14)) and is_working_day(date(2026, 2, 28))
    assert is_working_day(date(2026, 2, 13)) and is_working_day(date(2026, 2, 24))


def test_national_day_2026_follows_the_state_council_notice():
    """NOTICE_2026 七: 10月1日至7日放假调休; 9月20日（周日）、10月10日（周六）上班."""
    assert not any(is_working_day(day) for day in _days("2026-10-01", "2026-10-07"))
    assert is_working_day(date(2026, 9, 20)) and is_working_day(date(2026, 10, 10))
    assert is_working_day(date(2026, 10, 8))


def test_mid_autumn_2026_follows_the_state_council_notice():
    """NOTICE_2026 六: 中秋节 9月25日（周五）至27日放假."""
    assert not any(is_working_day(day) for day in _days("2026-09-25", "2026-09-27"))


def test_national_day_and_mid_autumn_2025_follow_the_state_council_notice():
    """NOTICE_2025: 国庆节、中秋节 10月1日至8日放假调休; 9月28日（周日）、10月11日（周六）上班."""
    assert not any(is_working_day(day) for day in _days("2025-10-01", "2025-10-08"))
    assert is_working_day(date(2025, 9, 28)) and is_working_day(date(2025, 10, 11))
    assert is_working_day(date(2025, 10, 9))


def test_ordinary_weekend_is_not_a_working_day():
    assert not is_working_day(date(2026, 3, 14)) and not is_working_day(date(2026, 3, 15))
    assert all(is_working_day(day) for day in _days("2026-03-16", "2026-03-20"))


# --- counting -------------------------------------------------------------------------


def test_start_day_is_not_counted():
    assert add_working_days(date(2026, 3, 16), 1) == Deadline(date(2026, 3, 17), False)
    assert add_working_days(date(2026, 3, 14), 1) == Deadline(date(2026, 3, 16), False)
    assert add_working_days(date(2026, 3, 16), 0) == Deadline(date(2026, 3, 16), False)


def test_seven_working_days_across_spring_festival_2026_end_on_the_make_up_saturday():
    """NOTICE_2026 二: from 2月12日, 13日 and 14日（周六，上班） count, 15–23日 do not,
    24–27日 and 28日（周六，上班） do."""
    assert add_working_days(date(2026, 2, 12), 7) == Deadline(date(2026, 2, 28), False)


def test_working_days_between_counts_after_start_through_end():
    """NOTICE_2026 二: 2月14日 and 2月24–28日 are the working days after 2月13日 to 2月28日."""
    assert working_days_between(date(2026, 2, 13), date(2026, 2, 28)) == 6
    assert working_days_between(date(2026, 3, 16), date(2026, 3, 16)) == 0
    assert working_days_between(date(2026, 3, 20), date(2026, 3, 16)) == 0


@given(
    start=st.dates(min_value=date(2024, 1, 1), max_value=date(2026, 11, 30)),
    days=st.integers(min_value=0, max_value=20),
)
def test_between_and_add_agree(start: date, days: int):
    deadline = add_working_days(start, days)
    assert working_days_between(start, deadline.on) == days
    assert days == 0 or is_working_day(deadline.on)


# --- years without an official schedule -------------------------------------------------


def test_deadline_reaching_2027_is_provisional_and_does_not_raise():
    """chinesecalendar 1.11 stops at 2026 and the 2027 notice is not published: weekends only."""
    assert official(2026) and not official(2027)
    assert add_working_days(date(2026, 12, 25), 7) == Deadline(date(2027, 1, 5), True)
    assert add_working_days(date(2026, 12, 21), 4) == Deadline(date(2026, 12, 25), False)
    assert is_working_day(date(2027, 1, 1)) and not is_working_day(date(2027, 1, 2))
    assert working_days_between(date(2026, 12, 31), date(2027, 1, 8)) == 6


def test_year_before_chinesecalendar_is_provisional_but_the_start_day_does_not_count():
    assert not official(2003)
    assert add_working_days(date(2003, 12, 30), 1) == Deadline(date(2003, 12, 31), True)
    assert add_working_days(date(2003, 12, 31), 1) == Deadline(date(2004, 1, 2), False)


def test_policy_table_year_is_used_and_not_provisional():
    use_policy(CITY)  # its holidays.yaml holds the made-up 2027 of TEST_2027
    assert official(2027)
    assert not any(is_working_day(date(2027, 1, d)) for d in (1, 4, 5))
    assert is_working_day(date(2027, 1, 9))
    assert add_working_days(date(2026, 12, 25), 7) == Deadline(date(2027, 1, 8), False)
    assert add_working_days(date(2027, 1, 7), 2) == Deadline(date(2027, 1, 9), False)

    use_policy(None)
    assert add_working_days(date(2026, 12, 25), 7) == Deadline(date(2027, 1, 5), True)


def test_shipped_holiday_table_lists_no_year_yet():
    """The 2027 notice has not been found: no dates are made up in the shipped policy."""
    assert load_policy().holidays == {}


# --- a wrong holidays.yaml --------------------------------------------------------------


@pytest.mark.parametrize(
    ("old", "new", "line", "reason"),
    [
        ("2027-01-01", "2026-12-31", 5, "year 2027: 2026-12-31 is not in 2027"),
        ("[2027-01-09]", "[2027-01-11]", 7, "year 2027: 2027-01-11 is a weekday"),
        ("[2027-01-09]", "[2027-01-05]", 7, "year 2027: 2027-01-05 is also listed as a holiday"),
        ("to: 2027-01-05", "to: 2027-01-03", 6, "year 2027: range ends before it starts"),
        ("    workdays:", "    workday:", 7, "year 2027: unknown key 'workday'"),
        ("    source: 测试用，非真实安排\n", "", 2, "year 2027: missing 'source'"),
    ],
    ids=["outside-year", "weekday-make-up", "both", "range", "typo", "no-source"],
)
def test_bad_holidays_yaml_fails_with_one_line_policy_error(tmp_path, old, new, line, reason):
    (tmp_path / "holidays.yaml").write_text(TEST_2027.replace(old, new), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith(f"{tmp_path}/holidays.yaml:{line}: ")
    assert reason in message


def test_duplicate_year_fails(tmp_path):
    twice = TEST_2027 + TEST_2027.removeprefix("years:\n")
    (tmp_path / "holidays.yaml").write_text(twice, encoding="utf-8")
    with pytest.raises(PolicyError, match=r"holidays.yaml:9: year 2027: duplicate year$"):
        load_policy(tmp_path)
