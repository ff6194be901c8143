"""公民身份号码 (GB 11643-1999)."""

from datetime import UTC, date, datetime

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.cn import ric

from xinyong import clock, codes
from xinyong.errors import InvalidCode

# The example number printed in GB 11643-1999.
STANDARD_EXAMPLE = "11010519491231002X"


def test_standard_example():
    """GB 11643-1999 示例: 11010519491231002X, a woman born 1949-12-31."""
    assert codes.validate_id_number(STANDARD_EXAMPLE) == STANDARD_EXAMPLE
    assert codes.id_birth_date(STANDARD_EXAMPLE) == date(1949, 12, 31)
    assert codes.id_sex(STANDARD_EXAMPLE) == "女"


def test_lower_case_x_and_spaces_are_normalised():
    assert codes.validate_id_number(" 110105 19491231 002x ") == STANDARD_EXAMPLE


@pytest.mark.parametrize(
    ("value", "code"),
    [
        ("110105491231002", "id_number.length"),
        ("1101051949123100", "id_number.length"),
        ("11010519491231002A", "id_number.charset"),
        ("99010519491231002X", "id_number.region"),
        ("11010519491331002X", "id_number.birth_date"),
        ("110105194912310021", "id_number.checksum"),
    ],
)
def test_invalid_numbers_name_the_reason(value, code):
    with pytest.raises(InvalidCode) as exc:
        codes.validate_id_number(value)
    assert exc.value.code == code and "身份号码" in exc.value.message


def test_birth_date_in_the_future_is_refused():
    number = codes.make_id_number("44010620300101123")
    with clock.frozen_at(datetime(2026, 11, 1, tzinfo=UTC)), pytest.raises(InvalidCode) as exc:
        codes.validate_id_number(number)
    assert exc.value.code == "id_number.birth_date"


@settings(max_examples=300)
@given(st.dates(date(1930, 1, 1), date(2010, 12, 31)), st.integers(0, 999))
def test_check_character_agrees_with_stdnum(born, sequence):
    body = f"440106{born:%Y%m%d}{sequence:03d}"
    assert codes.id_check_char(body) == ric.calc_check_digit(body + "0")  # stdnum drops the last
    assert codes.is_valid_id_number(codes.make_id_number(body))


def test_masking_keeps_first_four_and_last_four():
    assert codes.mask_id_number(STANDARD_EXAMPLE) == "1101**********002X"


@given(st.text(max_size=40))
def test_masking_never_reveals_more_than_eight_characters(text):
    masked = codes.mask_id_number(text)
    assert sum(c != "*" for c in masked) <= 8
