"""ID numbers and mobile numbers typed into free text (issue 11 item 9): found, masked as the
structured ID numbers are, and nothing else touched."""

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from xinyong import codes
from xinyong.codes import NumberKind

births = st.dates(date(1930, 1, 1), date(2020, 12, 31))
counties = st.sampled_from(["440106", "110105", "320602", "411502", "650102"])
# Text around a number: Chinese, punctuation and letters, never a digit.
prose = st.text(
    st.sampled_from("经查当事人法定代表人联系电话身份证号：，。（）() ;abcXx-+"), max_size=12
)


@st.composite
def id_numbers(draw) -> str:
    born = draw(births)
    body = f"{draw(counties)}{born:%Y%m%d}{draw(st.integers(0, 999)):03d}"
    return codes.make_id_number(body)


mobiles = st.builds(
    lambda second, rest: f"1{second}{rest:09d}", st.integers(3, 9), st.integers(0, 10**9 - 1)
)


@given(prose, id_numbers(), prose)
def test_an_id_number_in_free_text_is_found_and_masked_like_a_structured_one(before, number, after):
    text = before + number + after
    (found,) = codes.find_personal_numbers(text)
    assert (found.kind, text[found.start : found.end]) == (NumberKind.ID_NUMBER, number)
    assert codes.mask_personal_numbers(text) == before + codes.mask_id_number(number) + after


@given(prose, mobiles, prose)
def test_a_mobile_number_is_masked_to_its_first_three_and_last_four_digits(before, number, after):
    masked = codes.mask_personal_numbers(before + number + after)
    assert masked == before + number[:3] + "****" + number[-4:] + after


@given(id_numbers(), st.integers(1, 10))
def test_a_wrong_check_character_is_not_an_id_number(number, shift):
    wrong = "10X98765432"[("10X98765432".index(number[-1]) + shift) % 11]
    text = "编号" + number[:17] + wrong
    assert codes.find_personal_numbers(text) == []
    assert codes.mask_personal_numbers(text) == text


@given(st.text(st.characters(blacklist_categories=("Nd",)), max_size=40))
def test_text_without_digits_is_left_alone(text):
    assert codes.mask_personal_numbers(text) == text


@given(prose, id_numbers(), mobiles, prose)
def test_masking_is_idempotent_and_leaves_no_number_in_clear(before, number, mobile, after):
    text = f"{before}{number}，{mobile}{after}"
    masked = codes.mask_personal_numbers(text)
    assert number not in masked and mobile not in masked
    assert codes.mask_personal_numbers(masked) == masked
    assert codes.find_personal_numbers(masked) == []


@given(id_numbers(), st.integers(0, 9), st.integers(0, 9))
def test_a_number_inside_a_longer_run_of_digits_is_not_personal(number, head, tail):
    """An account number that contains 18 or 11 digits is not an ID or mobile number."""
    assert codes.find_personal_numbers(f"账号{head}{number}{tail}") == []
    assert codes.find_personal_numbers(f"账号{head}13812345678{tail}") == []


def test_full_width_and_prefixed_numbers_are_found():
    full_width = "４１１５０２１９９００３０７００４６"
    text = f"身份证{full_width}，电话+86 13812345678，8613912345678"
    assert [n.kind for n in codes.find_personal_numbers(text)] == [
        NumberKind.ID_NUMBER,
        NumberKind.MOBILE,
        NumberKind.MOBILE,
    ]
    assert codes.mask_personal_numbers(text) == (
        "身份证4115**********0046，电话+86 138****5678，86139****5678"
    )
