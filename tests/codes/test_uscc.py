"""统一社会信用代码 (GB 32100-2015)."""

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import uscc as stdnum_uscc

from xinyong import codes
from xinyong.codes.uscc import ALPHABET, WEIGHTS
from xinyong.errors import InvalidCode

from .strategies import digit_heads, is_chinese, messy, org_bodies, regions, uscc_chars, uscc_heads

# GB 32100-2015 附录B 校验码计算示例: body 91350100M000100Y4, check character 3.
STANDARD_EXAMPLE = "91350100M000100Y43"


def _valid(head: str, region: str, body: str) -> str:
    return codes.make_uscc(head + region + codes.make_org_code(body))


def test_gb32100_appendix_b_example():
    """GB 32100-2015 附录B: Σ = 1640, 1640 mod 31 = 28, C18 = 31 − 28 = 3."""
    assert codes.uscc_check_char("91350100M000100Y4") == "3"
    assert codes.validate_uscc(STANDARD_EXAMPLE) == STANDARD_EXAMPLE
    assert codes.is_valid_uscc(STANDARD_EXAMPLE)


def test_gb32100_appendix_b_counter_example():
    """GB 32100-2015 附录B: 91350100M000100Y4Z is not a valid code (Z is outside 表1)."""
    assert not codes.is_valid_uscc("91350100M000100Y4Z")
    with pytest.raises(InvalidCode) as exc:
        codes.validate_uscc("91350100M000100Y4Z")
    assert exc.value.code == "uscc.charset"


def test_stdnum_documented_example():
    """python-stdnum's doc example 91110000600037341L, valid under both checks."""
    assert codes.is_valid_uscc("91110000600037341L")


def test_gb32100_weights_are_powers_of_three_mod_31():
    """GB 32100-2015 表2: Wi = 3^(i−1) mod 31."""
    assert WEIGHTS == (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)


def test_gb32100_alphabet_leaves_out_i_o_z_s_v():
    """GB 32100-2015 表1: 31 characters, no I, O, Z, S, V."""
    assert len(ALPHABET) == 31 and not set("IOZSV") & set(ALPHABET)


def test_decompose_names_the_parts():
    parts = codes.decompose_uscc(STANDARD_EXAMPLE)
    assert parts == codes.UsccParts("9", "工商", "1", "企业", "350100", "M000100Y4", "3")


@pytest.mark.parametrize(
    ("head", "authority", "category"),
    [
        ("11", "机构编制", "机关"),
        ("12", "机构编制", "事业单位"),
        ("31", "司法行政", "律师执业机构"),
        ("51", "民政", "社会团体"),
        ("52", "民政", "民办非企业单位"),
        ("53", "民政", "基金会"),
        ("92", "工商", "个体工商户"),
        ("93", "工商", "农民专业合作社"),
        ("N2", "农业", "村级集体经济组织"),
        ("Y1", "其他", "其他"),
    ],
)
def test_gb32100_department_and_category_table(head, authority, category):
    """GB 32100-2015 附录A: 登记管理部门码 and 机构类别码."""
    parts = codes.decompose_uscc(_valid(head, "440106", "12345678"))
    assert (parts.registration_authority_name, parts.org_category_name) == (authority, category)


def test_decompose_leaves_unknown_categories_unnamed():
    parts = codes.decompose_uscc(_valid("99", "440106", "12345678"))
    assert parts.registration_authority_name == "工商" and parts.org_category_name is None


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("", "uscc.empty", "统一社会信用代码为空"),
        (" \u3000 ", "uscc.empty", "统一社会信用代码为空"),
        ("91350100M000100Y4", "uscc.length", "统一社会信用代码应为18位，实际为17位"),
        ("91350100M000100I43", "uscc.charset", "统一社会信用代码含有非法字符“I”"),
        ("91350100M000100Y44", "uscc.checksum", "统一社会信用代码校验位错误"),
    ],
)
def test_invalid_codes_name_the_reason_in_chinese(value, code, message):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_uscc(value)
    assert exc.value.code == code and exc.value.message == message and is_chinese(message)


@pytest.mark.parametrize("letter", list("IOZSV"))
def test_each_excluded_letter_is_named(letter):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_uscc(STANDARD_EXAMPLE[:10] + letter + STANDARD_EXAMPLE[11:])
    assert exc.value.code == "uscc.charset" and f"“{letter}”" in exc.value.message


def test_embedded_org_code_check_is_enforced():
    """GB 32100-2015: positions 9–17 are the 组织机构代码 with its own GB 11714 check."""
    org = codes.make_org_code("MA5CXQ2B")
    wrong = org[:8] + ("1" if org[8] != "1" else "2")
    code = codes.make_uscc("91440106" + wrong)  # its own check character is right
    assert not codes.is_valid_uscc(code)
    with pytest.raises(InvalidCode) as exc:
        codes.validate_uscc(code)
    assert exc.value.code == "uscc.org_code" and is_chinese(exc.value.message)


@pytest.mark.parametrize(
    ("body", "code"), [("9135010", "uscc.length"), ("91350100M000100I4", "uscc.charset")]
)
def test_check_char_of_a_bad_body_raises_invalid_code(body, code):
    with pytest.raises(InvalidCode) as exc:
        codes.uscc_check_char(body)
    assert exc.value.code == code and is_chinese(exc.value.message)


def test_full_width_spaced_lower_case_input_is_normalised():
    messy_input = " ９１３５０１００ｍ０００１００ｙ４３\u3000"
    assert codes.normalize_uscc(messy_input) == STANDARD_EXAMPLE
    assert codes.validate_uscc("9135 0100 m000 100y 43") == STANDARD_EXAMPLE
    assert codes.is_valid_uscc("9135\u30000100m000100y43")


@settings(max_examples=120)
@given(uscc_heads, regions, org_bodies)
def test_any_body_with_its_check_is_valid(head, region, body):
    assert codes.is_valid_uscc(_valid(head, region, body))


@settings(max_examples=200)
@given(uscc_heads, regions, org_bodies, st.integers(0, 17), uscc_chars)
def test_any_single_substitution_breaks_the_check(head, region, body, position, char):
    """Every weight is non-zero mod the prime 31, so one changed character changes Σ mod 31."""
    code = _valid(head, region, body)
    assume(code[position] != char)
    assert not codes.is_valid_uscc(code[:position] + char + code[position + 1 :])


@settings(max_examples=120)
@given(digit_heads, st.text("0123456789", min_size=6, max_size=6), org_bodies, uscc_chars)
def test_agrees_with_stdnum_on_digit_led_codes(head, region, body, last):
    """stdnum.cn.uscc applies only to codes whose first 8 characters are digits."""
    code = _valid(head, region, body)
    assert stdnum_uscc.is_valid(code) and codes.is_valid_uscc(code)
    other = code[:17] + last
    assert stdnum_uscc.is_valid(other) == codes.is_valid_uscc(other)
    assert codes.uscc_check_char(code[:17]) == stdnum_uscc.calc_check_digit(code[:17])


def test_letter_led_codes_that_stdnum_rejects_are_valid():
    """LIBRARIES.md: stdnum rejects N (农业) and Y (其他) codes; GB 32100 allows them."""
    for head in ("N2", "Y1", "A1"):
        code = _valid(head, "440106", "12345678")
        assert codes.is_valid_uscc(code) and not stdnum_uscc.is_valid(code)


@settings(max_examples=60)
@given(st.data(), uscc_heads, regions, org_bodies)
def test_typed_variants_normalise_to_the_same_valid_code(data, head, region, body):
    code = _valid(head, region, body)
    typed = data.draw(messy(code))
    assert codes.normalize_uscc(typed) == code
    assert codes.is_valid_uscc(typed) and codes.validate_uscc(typed) == code


TYPED = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcxyz０１９ＡＢｍｙ \u3000-"


@given(st.text(TYPED, max_size=30))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_uscc(text)
    assert codes.normalize_uscc(once) == once


@st.composite
def near_valid(draw) -> str:
    """A valid code, perhaps with one character replaced by anything a person might type."""
    code = _valid(draw(uscc_heads), draw(regions), draw(org_bodies))
    position = draw(st.integers(0, 17))
    return code[:position] + draw(st.sampled_from(TYPED)) + code[position + 1 :]


@settings(max_examples=200)
@given(st.one_of(st.text(max_size=30), st.text(TYPED, min_size=17, max_size=19), near_valid()))
def test_is_valid_agrees_with_validate(text):
    """The fast path of is_valid_uscc must accept exactly what validate_uscc accepts."""
    try:
        codes.validate_uscc(text)
    except InvalidCode:
        accepted = False
    else:
        accepted = True
    assert codes.is_valid_uscc(text) is accepted
