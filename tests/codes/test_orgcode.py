"""组织机构代码 (GB 11714-1997) and the 15-digit 工商注册号 (ISO 7064 MOD 11,10)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.codes.strategies import DIGITS
from xinyong import codes
from xinyong.errors import InvalidCode


def test_org_code_examples():
    """GB 11714: C9 = 11 − Σ mod 11, 10 → X, 11 → 0 (the example embedded in GB 32100's)."""
    assert codes.validate_org_code("M000100Y-4") == "M000100Y4"
    assert codes.org_code_check_char("D2143569") == "X"  # a body whose check is 10


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("M000100Y", "org_code.length"),
        ("M000100Y5", "org_code.checksum"),
        ("M00010*Y4", "org_code.charset"),
    ],
)
def test_invalid_org_codes(value, code):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_org_code(value)
    assert exc.value.code == code and "组织机构代码" in exc.value.message


@settings(max_examples=300)
@given(st.text(DIGITS, min_size=8, max_size=8), st.integers(0, 7), st.sampled_from(DIGITS))
def test_org_code_detects_single_digit_substitutions(body, position, char):
    """Digits differ by less than 11, so a changed digit always changes Σ mod 11."""
    code = codes.make_org_code(body)
    assert codes.is_valid_org_code(code)
    if body[position] != char:
        assert not codes.is_valid_org_code(code[:position] + char + code[position + 1 :])


def test_registration_number_examples():
    """ISO 7064 MOD 11,10 over 15 digits (GS 15-2006 工商注册号)."""
    number = codes.make_reg_no("44010600012345")
    assert codes.validate_reg_no(f" {number} ") == number
    with pytest.raises(InvalidCode) as exc:
        codes.validate_reg_no(number[:-1] + str((int(number[-1]) + 1) % 10))
    assert exc.value.code == "reg_no.checksum"
    with pytest.raises(InvalidCode) as exc:
        codes.validate_reg_no("4401060001234")
    assert exc.value.code == "reg_no.length"


@settings(max_examples=300)
@given(st.text(DIGITS, min_size=14, max_size=14), st.integers(0, 13), st.sampled_from(DIGITS))
def test_registration_number_detects_single_substitutions(body, position, char):
    number = codes.make_reg_no(body)
    assert codes.is_valid_reg_no(number)
    if body[position] != char:
        assert not codes.is_valid_reg_no(number[:position] + char + number[position + 1 :])
