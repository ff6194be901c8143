"""Amounts written in 处罚内容 (issue 11 item 10): Arabic digits with 元/万元 and Chinese
numerals (四百元, 一万二千元, 伍万元, 3.5万元), as the catalog compares them with 罚款金额."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xinyong.catalog.amounts import amounts_in_text

DIGITS = "零一二三四五六七八九"
CAPITAL = "零壹贰叁肆伍陆柒捌玖"


def _chinese(number: int, digits: str = DIGITS, units: str = "十百千") -> str:
    """How a clerk writes a whole number of yuan below 1亿 in characters."""
    if number == 0:
        return digits[0]
    high, low = divmod(number, 10000)
    text = (_section(high, digits, units) + "万") if high else ""
    if low:
        if high and low < 1000:
            text += digits[0]
        text += _section(low, digits, units)
    return text


def _section(number: int, digits: str, units: str) -> str:
    out, zero = "", False
    for power, unit in ((1000, units[2]), (100, units[1]), (10, units[0]), (1, "")):
        digit, number = divmod(number, power)
        if digit:
            out += (digits[0] if zero else "") + digits[digit] + unit
            zero = False
        elif out:
            zero = True
    return out


@pytest.mark.parametrize(
    ("text", "yuan"),
    [
        ("罚款四百元", [400]),
        ("罚款五千元", [5000]),
        ("罚款一万二千元", [12000]),
        ("罚款3.5万元", [35000]),
        ("罚款人民币伍万元整", [50000]),
        ("罚款十万元", [100000]),
        ("罚款一百零五元", [105]),
        ("罚款5,000元，没收违法所得3000元", [5000, 3000]),
        ("罚款２０００元", [2000]),
        ("罚款二十五万元", [250000]),
        ("罚款一亿二千万元", [120000000]),
        ("警告", []),
        ("罚款数万元", []),
    ],
)
def test_amounts_written_in_penalty_content(text, yuan):
    """Issue 11 item 10: the amounts a 处罚内容 states, in 元."""
    assert [a.yuan for a in amounts_in_text(text)] == [Decimal(y) for y in yuan]


@settings(deadline=None)  # a loaded CI machine is not a slow parser
@given(st.integers(min_value=1, max_value=99_999_999))
def test_any_whole_amount_in_chinese_numerals_is_read(number):
    """Issue 11 item 10: every whole amount below 1亿, in ordinary or capital numerals."""
    for digits, units in ((DIGITS, "十百千"), (CAPITAL, "拾佰仟")):
        text = f"处罚如下：罚款{_chinese(number, digits, units)}元。"
        assert [a.yuan for a in amounts_in_text(text)] == [Decimal(number)], text


@settings(deadline=None)
@given(st.decimals(min_value=0, max_value=10**9, places=2, allow_nan=False))
def test_any_amount_in_arabic_digits_is_read_in_yuan_or_wan_yuan(number):
    """Issue 11 item 10: digits before 元 are yuan, before 万元 ten-thousands of yuan."""
    if number == 0:
        return
    assert [a.yuan for a in amounts_in_text(f"罚款{number}元")] == [number]
    assert [a.yuan for a in amounts_in_text(f"罚款{number}万元")] == [number * 10000]


def test_each_amount_keeps_the_words_it_was_read_from():
    """Issue 11 item 10: a rejection quotes what the text said."""
    (amount,) = amounts_in_text("决定罚款四百元整")
    assert amount.words == "四百元"
