"""15-digit 工商注册号 (GS 15-2006): 14 digits and an ISO 7064 MOD 11,10 check digit."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.iso7064 import mod_11_10

from xinyong import codes
from xinyong.errors import InvalidCode

from .strategies import DIGITS, is_chinese, messy

bodies = st.text(DIGITS, min_size=14, max_size=14)


def test_published_test_vector():
    """fdstar/NumberValidators' GS 15-2006 vectors: 110108000000016 valid, …017 not."""
    assert codes.validate_reg_no("110108000000016") == "110108000000016"
    assert codes.make_reg_no("11010800000001") == "110108000000016"
    assert not codes.is_valid_reg_no("110108000000017")


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("4401060001234", "reg_no.length", "工商注册号应为15位数字，实际为13位"),
        ("11010800000001A", "reg_no.charset", "工商注册号含有非法字符“A”"),
        ("11010800000001٦", "reg_no.charset", "工商注册号含有非法字符“٦”"),
        ("110108000000017", "reg_no.checksum", "工商注册号校验位错误"),
    ],
)
def test_invalid_numbers_name_the_reason_in_chinese(value, code, message):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_reg_no(value)
    assert exc.value.code == code and exc.value.message == message and is_chinese(message)
    assert not codes.is_valid_reg_no(value)


def test_make_refuses_a_bad_body():
    with pytest.raises(InvalidCode) as exc:
        codes.make_reg_no("1101080000000")
    assert exc.value.code == "reg_no.length"


@settings(max_examples=120)
@given(bodies)
def test_any_body_with_its_check_is_valid(body):
    number = codes.make_reg_no(body)
    assert codes.is_valid_reg_no(number) and mod_11_10.is_valid(number)


@settings(max_examples=200)
@given(bodies, st.integers(0, 14), st.sampled_from(DIGITS))
def test_any_single_substitution_is_noticed(body, position, char):
    """ISO 7064 hybrid systems detect every single-digit substitution."""
    number = codes.make_reg_no(body)
    assume(number[position] != char)
    assert not codes.is_valid_reg_no(number[:position] + char + number[position + 1 :])


@settings(max_examples=60)
@given(st.data(), bodies)
def test_typed_variants_normalise_to_the_same_number(data, body):
    number = codes.make_reg_no(body)
    typed = data.draw(messy(number))
    assert codes.normalize_reg_no(typed) == number and codes.validate_reg_no(typed) == number


@given(st.text("0123456789０１ \u3000", max_size=20))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_reg_no(text)
    assert codes.normalize_reg_no(once) == once
