"""组织机构代码 (GB 11714-1997)."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from xinyong import codes
from xinyong.codes.orgcode import ORG_CHECK_BY_REMAINDER, ORG_VALUES
from xinyong.errors import InvalidCode

from .strategies import DIGITS, ORG_CHARS, is_chinese, messy

org_bodies = st.text(ORG_CHARS, min_size=8, max_size=8)


def test_gb11714_appendix_b_example():
    """GB 11714-1997 附录B: body D2143569 has check character X, written D2143569-X."""
    assert codes.org_code_check_char("D2143569") == "X"
    assert codes.validate_org_code("D2143569-X") == "D2143569X"


def test_org_code_inside_the_gb32100_example():
    """GB 32100-2015 附录B: the code 91350100M000100Y43 carries the org code M000100Y-4."""
    assert codes.validate_org_code("M000100Y-4") == "M000100Y4"


def test_gb11714_check_values_10_and_11():
    """GB 11714 2.1.2: C9 = 10 is written X, C9 = 11 (Σ mod 11 = 0) is written 0."""
    assert ORG_CHECK_BY_REMAINDER[1] == "X" and ORG_CHECK_BY_REMAINDER[0] == "0"
    assert ORG_CHECK_BY_REMAINDER[2] == "9" and ORG_CHECK_BY_REMAINDER[10] == "1"
    assert codes.org_code_check_char("00000000") == "0"


def test_gb11714_letters_count_from_ten():
    """GB 11714 附录A: A = 10 … Z = 35."""
    assert (ORG_VALUES["A"], ORG_VALUES["Z"]) == (10, 35)


def test_typed_forms_are_normalised():
    for typed in ("d2143569-x", "Ｄ２１４３５６９－Ｘ", " D214 3569 X ", "D2143569－X"):
        assert codes.validate_org_code(typed) == "D2143569X"
        assert codes.is_valid_org_code(typed)


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("M000100Y", "org_code.length", "组织机构代码应为9位，实际为8位"),
        ("M00010*Y4", "org_code.charset", "组织机构代码含有非法字符“*”"),
        ("M000100YA", "org_code.charset", "组织机构代码含有非法字符“A”"),
        ("M000100Y5", "org_code.checksum", "组织机构代码校验位错误"),
    ],
)
def test_invalid_org_codes_name_the_reason_in_chinese(value, code, message):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_org_code(value)
    assert exc.value.code == code and exc.value.message == message and is_chinese(message)
    assert not codes.is_valid_org_code(value)


def test_check_char_of_a_bad_body_raises_invalid_code():
    for body, code in (("1234567", "org_code.length"), ("1234567*", "org_code.charset")):
        with pytest.raises(InvalidCode) as exc:
            codes.org_code_check_char(body)
        assert exc.value.code == code


@settings(max_examples=120)
@given(org_bodies)
def test_any_body_with_its_check_is_valid(body):
    assert codes.is_valid_org_code(codes.make_org_code(body))


@settings(max_examples=200)
@given(org_bodies, st.integers(0, 7), st.sampled_from(ORG_CHARS))
def test_a_substitution_goes_unnoticed_only_if_values_differ_by_a_multiple_of_11(
    body, position, char
):
    """Weights 3 7 9 10 5 8 4 2 are all prime to 11: Σ changes by (new − old)·w mod 11."""
    code = codes.make_org_code(body)
    assume(code[position] != char)
    changed = code[:position] + char + code[position + 1 :]
    unnoticed = (ORG_VALUES[char] - ORG_VALUES[code[position]]) % 11 == 0
    assert codes.is_valid_org_code(changed) is unnoticed


@settings(max_examples=120)
@given(st.text(DIGITS, min_size=8, max_size=8), st.integers(0, 8), st.sampled_from(DIGITS))
def test_a_changed_digit_is_always_noticed(body, position, char):
    code = codes.make_org_code(body)
    assume(code[position] != char)
    assert not codes.is_valid_org_code(code[:position] + char + code[position + 1 :])


@settings(max_examples=60)
@given(st.data(), org_bodies)
def test_typed_variants_normalise_to_the_same_valid_code(data, body):
    code = codes.make_org_code(body)
    typed = data.draw(messy(code[:8] + "-" + code[8]))
    assert codes.normalize_org_code(typed) == code
    assert codes.is_valid_org_code(typed) and codes.validate_org_code(typed) == code


@given(st.text("0123456789ABXYZabxyz０Ａ -－\u3000", max_size=14))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_org_code(text)
    assert codes.normalize_org_code(once) == once


@settings(max_examples=120)
@given(st.text(max_size=12))
def test_is_valid_agrees_with_validate(text):
    try:
        codes.validate_org_code(text)
    except InvalidCode:
        accepted = False
    else:
        accepted = True
    assert codes.is_valid_org_code(text) is accepted
