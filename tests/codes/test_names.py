"""Name keys: one subject however its name is written."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from xinyong import codes

HAN = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


@pytest.mark.parametrize(
    "variant",
    [
        "廣州市某某有限公司",  # traditional script
        "广州市某某有限公司 ",  # trailing space
        "广州市 某某有限公司",  # inner space
        "广州市　某某 有限公司",  # full-width space
        "\t广州市某某\n有限公司",
    ],
)
def test_script_and_spacing_do_not_matter(variant):
    assert codes.normalize_name(variant) == codes.normalize_name("广州市某某有限公司")


@pytest.mark.parametrize(
    "variant",
    [
        "广州市某某（集团）有限公司",
        "广州市某某【集团】有限公司",
        "广州市某某〔集团〕有限公司",
        "广州市某某［集团］有限公司",
        "广州市某某[集团]有限公司",
        "广州市某某｛集团｝有限公司",
        "广州市某某 ( 集团 ) 有限公司",
        "廣州市某某（集團）有限公司",
    ],
)
def test_bracket_forms_match(variant):
    assert codes.normalize_name(variant) == "广州市某某(集团)有限公司"


@pytest.mark.parametrize(
    ("traditional", "simplified"),
    [
        ("臺灣積體電路製造股份有限公司", "台湾积体电路制造股份有限公司"),
        ("香港鐵路有限公司", "香港铁路有限公司"),
        ("廣東發展銀行", "广东发展银行"),
        ("長江實業（集團）有限公司", "长江实业(集团)有限公司"),
    ],
)
def test_traditional_to_simplified(traditional, simplified):
    assert codes.normalize_name(traditional) == simplified


def test_legal_vocabulary_is_not_rewritten():
    """t2s changes the script only (tw2sp would rewrite words such as 軟體 → 软件)."""
    assert codes.normalize_name("台北軟體股份有限公司") == "台北软体股份有限公司"


def test_latin_letters_upper_case_and_spaces_between_latin_words_kept():
    assert codes.normalize_name("ｉＢｕｙ 科技(广州)有限公司") == "IBUY科技(广州)有限公司"
    assert codes.normalize_name("Mr  Chen  Trading") == "MR CHEN TRADING"
    assert codes.normalize_name("") == ""


def test_clean_name_for_display():
    assert codes.clean_name("  广州市某某(集团)有限公司\u3000") == "广州市某某（集团）有限公司"
    assert codes.clean_name("Mr \u3000 Chen\tTrading") == "Mr Chen Trading"
    assert codes.clean_name("廣州市某某有限公司") == "廣州市某某有限公司"  # script kept


@given(st.lists(HAN, min_size=1, max_size=12), st.lists(st.sampled_from([" ", "\u3000"])))
def test_spaces_between_chinese_characters_are_ignored(chars, spaces):
    name = "".join(chars)
    spaced = "".join(c + (spaces[i] if i < len(spaces) else "") for i, c in enumerate(chars))
    assert codes.normalize_name(spaced) == codes.normalize_name(name)


@given(st.text(max_size=40))
def test_normalisation_is_idempotent(text):
    once = codes.normalize_name(text)
    assert codes.normalize_name(once) == once


@given(st.text(max_size=40))
def test_clean_name_is_idempotent_and_trimmed(text):
    once = codes.clean_name(text)
    assert codes.clean_name(once) == once
    assert once == once.strip() and "  " not in once


@pytest.mark.parametrize(
    ("subject_type", "region", "facets"),
    [
        ("enterprise", "440106", "tenterprise r44 r4401 r440106"),
        ("individual_business", "440100", "tindividualbusiness r44 r4401 r440100"),
        ("natural_person", None, "tnaturalperson"),
        ("enterprise", "4401", "tenterprise"),  # not a six-digit code: no region facet
        ("enterprise", "４４０１０６", "tenterprise"),  # full-width digits are never stored
    ],
)
def test_search_facets_name_the_type_and_each_region_level(subject_type, region, facets):
    assert codes.search_facets(subject_type, region) == facets
