"""统一社会信用代码 (GB 32100-2015)."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from tests.codes.strategies import org_bodies, regions, uscc_chars, uscc_heads
from xinyong import codes
from xinyong.codes.uscc import ALPHABET
from xinyong.errors import InvalidCode

# The worked example printed in GB 32100-2015 and widely reproduced.
STANDARD_EXAMPLE = "91350100M000100Y43"


def _valid(head, region, body):
    return codes.make_uscc(head + region + codes.make_org_code(body))


def test_standard_example_is_valid():
    """GB 32100-2015 示例: 91350100M000100Y43."""
    assert codes.is_valid_uscc(STANDARD_EXAMPLE)
    assert codes.validate_uscc(STANDARD_EXAMPLE) == STANDARD_EXAMPLE


def test_weights_are_powers_of_three_mod_31():
    """GB 32100-2015 第5章: Wi = 3^(i−1) mod 31."""
    from xinyong.codes.uscc import WEIGHTS

    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_decompose_names_the_parts():
    parts = codes.decompose_uscc(STANDARD_EXAMPLE)
    assert parts.registration_authority_name == "工商"
    assert parts.org_category_name == "企业"
    assert parts.region_code == "350100"
    assert parts.org_code == "M000100Y4"
    assert parts.check_char == "3"


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "uscc.empty", "为空"),
        ("91350100M000100Y4", "uscc.length", "应为18位，实际为17位"),
        ("91350100M000100I43", "uscc.charset", "非法字符“I”"),
        ("91350100M000100Y44", "uscc.checksum", "校验位错误"),
    ],
)
def test_invalid_codes_name_the_reason_in_chinese(value, code, message):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_uscc(value)
    assert exc.value.code == code and message in exc.value.message


def test_embedded_org_code_check_is_enforced():
    """GB 32100-2015: positions 9–17 are the 组织机构代码 (GB 11714) with its own check."""
    body = "91440106" + "MA5CXQ2B" + "0"  # a wrong org-code check character
    if codes.is_valid_org_code(body[8:]):
        body = body[:-1] + "1"
    with pytest.raises(InvalidCode) as exc:
        codes.validate_uscc(codes.make_uscc(body))
    assert exc.value.code == "uscc.org_code"


def test_full_width_spaced_lower_case_input_is_normalised():
    messy = " ９１３５０１００ｍ０００１００ｙ４３\u3000"
    assert codes.normalize_uscc(messy) == STANDARD_EXAMPLE
    assert codes.validate_uscc("9135 0100 m000 100y 43") == STANDARD_EXAMPLE


@settings(max_examples=300)
@given(uscc_heads, regions, org_bodies)
def test_any_body_with_its_check_is_valid(head, region, body):
    assert codes.is_valid_uscc(_valid(head, region, body))


@settings(max_examples=300)
@given(uscc_heads, regions, org_bodies, st.integers(0, 17), uscc_chars)
def test_any_single_substitution_breaks_the_check(head, region, body, position, char):
    """Weights are non-zero mod the prime 31, so one wrong character always changes Σ mod 31."""
    code = _valid(head, region, body)
    if code[position] == char:
        return
    assert not codes.is_valid_uscc(code[:position] + char + code[position + 1 :])


@settings(max_examples=300)
@given(st.sampled_from(["91", "92", "12", "11"]), regions, org_bodies)
def test_agrees_with_stdnum_on_digit_led_codes(head, region, body):
    """stdnum.cn.uscc only accepts codes whose first 8 characters are digits."""
    code = _valid(head, region, body)
    assert stdnum_uscc.is_valid(code) == codes.is_valid_uscc(code)
    broken = code[:17] + ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
    assert stdnum_uscc.is_valid(broken) == codes.is_valid_uscc(broken) is False


def test_letter_led_codes_that_stdnum_rejects_are_valid():
    """LIBRARIES.md: stdnum rejects N (农业) and Y (其他) codes; the standard allows them."""
    code = _valid("N2", "440106", "12345678")
    assert codes.is_valid_uscc(code) and not stdnum_uscc.is_valid(code)


TYPED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz０１９ＡＢｍｙ \u3000-"


@given(st.text(TYPED, max_size=30))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_uscc(text)
    assert codes.normalize_uscc(once) == once


@given(st.text(max_size=30))
def test_validation_never_raises_on_any_text(text):
    assert codes.is_valid_uscc(text) in (True, False)
