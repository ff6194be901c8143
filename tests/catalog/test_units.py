"""Money units (issue 11 item 10): which fields carry money in which unit is catalog policy;
a header that states another unit is converted; an amount about ×10,000 off what 处罚内容 says
is refused with both values named."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from tests.factories import penalty
from xinyong.catalog import get_item, header_unit, resolve_header, validate_payload
from xinyong.errors import PolicyError
from xinyong.policy import SHIPPED_DIR, load_policy

DECIDED = date(2026, 3, 2)


@pytest.fixture
def xzcf():
    return get_item("xzcf")


def test_penalty_amounts_are_in_wan_yuan_with_their_source(xzcf):
    """Issue 11 item 10: the national template's amounts are 万元 (source unconfirmed)."""
    for code in ("cf_nr_fk", "cf_nr_wfff"):
        field = xzcf.field(code)
        assert field.unit == "万元" and "万元" in (field.source or "")
        assert field.verified is False


@pytest.mark.parametrize(
    ("header", "unit"),
    [
        ("罚款金额（元）", "元"),
        ("罚款金额(万元)", "万元"),
        ("罚款金额/元", "元"),
        ("罚款数额（单位：元）", "元"),
        ("罚款金额（万元）", "万元"),
        ("罚款金额", None),
        ("没收违法所得金额（元）", "元"),
    ],
)
def test_a_header_states_its_unit_or_none(xzcf, header, unit):
    """Issue 11 item 10: the unit a header states, for money fields."""
    assert resolve_header(xzcf, header) is not None
    assert header_unit(xzcf, header) == unit


def test_a_unit_after_a_field_without_money_is_not_that_field(xzcf):
    """Issue 11 item 10: 备注（元） is no field: 备注 holds no amount."""
    assert resolve_header(xzcf, "备注（元）") is None


def test_an_amount_sent_in_yuan_is_kept_in_wan_yuan_as_a_decimal(xzcf):
    """Issue 11 item 10: 400 元 is 0.04 万元, exactly (Decimal, never float)."""
    row = penalty(1, DECIDED, cf_nr="罚款四百元")
    del row["cf_nr_fk"]
    result = validate_payload(xzcf, {**row, "罚款金额（元）": "400"}, received_on=DECIDED)
    assert result.ok, result.issues
    assert result.values["cf_nr_fk"] == Decimal("0.04")
    assert isinstance(result.values["cf_nr_fk"], Decimal)


@pytest.mark.parametrize(
    ("amount", "text", "ok"),
    [
        ("400", "罚款四百元", False),
        ("0.04", "罚款四百元", True),
        ("5", "罚款人民币伍万元", True),
        ("50000", "罚款人民币伍万元", False),
        ("0.0005", "罚款人民币伍万元", False),  # converted twice
        ("3", "罚款人民币伍万元", True),  # wrong, but not a unit error: not this rule's to judge
        ("5", "罚款", True),  # nothing stated
    ],
)
def test_an_amount_about_ten_thousand_times_off_the_text_is_refused(xzcf, amount, text, ok):
    """Issue 11 item 10: 罚款金额 is read as 万元 only where 处罚内容 does not say otherwise."""
    row = penalty(1, DECIDED, cf_nr=text, cf_nr_fk=amount)
    result = validate_payload(xzcf, row, received_on=DECIDED)
    assert result.ok is ok, result.issues
    if not ok:
        (problem,) = result.issues
        assert problem.code == "rule.amount_unit"
        assert f"罚款金额 {Decimal(amount).normalize():f} 万元与处罚内容“{text}”" in problem.message


def test_a_unit_on_a_field_without_money_is_refused_at_load(tmp_path):
    """Issue 11 item 10: only number fields carry a unit."""
    text = (SHIPPED_DIR / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")
    broken = text.replace("    label: 备注\n", "    label: 备注\n    unit: 元\n", 1)
    assert broken != text
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "xzcf.yaml").write_text(broken, encoding="utf-8")
    with pytest.raises(PolicyError, match="'unit' needs a decimal or integer field"):
        load_policy(tmp_path)
