"""Name keys: one subject however its name is written."""

from hypothesis import given
from hypothesis import strategies as st

from xinyong import codes


def test_traditional_full_width_and_spaces_match():
    key = codes.normalize_name("广州市某某有限公司")
    assert codes.normalize_name("廣州市某某有限公司") == key
    assert codes.normalize_name("广州市某某有限公司 ") == key
    assert codes.normalize_name("广州市　某某 有限公司") == key


def test_bracket_forms_match():
    key = codes.normalize_name("广州市某某(集团)有限公司")
    for variant in (
        "广州市某某（集团）有限公司",
        "广州市某某【集团】有限公司",
        "廣州市某某（集團）有限公司",
    ):
        assert codes.normalize_name(variant) == key


def test_latin_letters_upper_case_and_inner_latin_spaces_kept():
    assert codes.normalize_name("ｉＢｕｙ 科技(广州)有限公司") == "IBUY科技(广州)有限公司"
    assert codes.normalize_name("Mr  Chen  Trading") == "MR CHEN TRADING"


def test_legal_vocabulary_is_not_rewritten():
    """t2s changes the script only (tw2sp would rewrite words such as 軟體 → 软件)."""
    assert codes.normalize_name("台北軟體股份有限公司") == "台北软体股份有限公司"


def test_clean_name_for_display():
    assert codes.clean_name("  广州市某某(集团)有限公司\u3000") == "广州市某某（集团）有限公司"


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_name(text)
    assert codes.normalize_name(once) == once
