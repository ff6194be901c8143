"""Publication windows derived from the policy files' publication rules."""

from datetime import date

from xinyong.catalog import get_item
from xinyong.policy.schemas import Duration
from xinyong.records.models import RecordStatus
from xinyong.records.windows import add_duration, window_of

DECIDED = date(2026, 2, 28)


def _window(code, **values):
    item = get_item(code)
    return window_of(item, item.codelists)(values)


def test_general_penalty_published_one_year():
    """国家发展改革委令第36号（原第58号令）: a general dishonest act, at most 1 year."""
    window = _window("xzcf", cf_jdrq=DECIDED, cf_cflb=["fine"])
    assert (window.severity, window.publish_from, window.publish_until) == (
        "general",
        DECIDED,
        date(2027, 2, 28),
    )


def test_warning_or_criticism_only_is_not_published():
    """58号令/36号令: penalties of 警告 or 通报批评 only are not published (empty window)."""
    for categories in (["warning"], ["criticism"], ["warning", "criticism"]):
        window = _window("xzcf", cf_jdrq=DECIDED, cf_cflb=categories)
        assert window.publish_until == window.publish_from == DECIDED
    mixed = _window("xzcf", cf_jdrq=DECIDED, cf_cflb=["warning", "fine"])
    assert mixed.publish_until == date(2027, 2, 28)


def test_licence_published_while_valid():
    window = _window("xzxk", xk_jdrq=DECIDED, xk_yxqzi=date(2031, 2, 27))
    assert window.publish_until == date(2031, 2, 27)


def test_licence_no_longer_valid_is_invalid_and_not_published():
    """issue 11 item 11 — catalog/xzxk.yaml `invalid_when`: 当前状态 无效 (数据标准: 1 有效,
    2 无效) gives the status 无效 and an empty window, whatever 有效期至 says."""
    until = date(2031, 2, 27)
    invalid = _window("xzxk", xk_jdrq=DECIDED, xk_yxqzi=until, xk_zt="2")
    assert (invalid.status, invalid.publish_from, invalid.publish_until) == (
        RecordStatus.INVALID,
        DECIDED,
        DECIDED,
    )
    valid = _window("xzxk", xk_jdrq=DECIDED, xk_yxqzi=until, xk_zt="1")
    assert (valid.status, valid.publish_until) == (RecordStatus.VALID, until)


def test_court_list_stays_until_the_court_removes_it():
    window = _window("sxbzxr", sx_fbsj=DECIDED)
    assert window.publish_from == DECIDED and window.publish_until is None


def test_month_arithmetic_clamps_to_month_end():
    assert add_duration(date(2024, 2, 29), Duration(amount=1, unit="year")) == date(2025, 2, 28)
    assert add_duration(date(2025, 11, 30), Duration(amount=3, unit="month")) == date(2026, 2, 28)
    assert add_duration(date(2025, 12, 31), Duration(amount=10, unit="day")) == date(2026, 1, 10)
