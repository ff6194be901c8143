"""Subject search: ranking by tier, traditional/simplified and full-width queries, codes,
several words, the type and region filters, paging, notices for mistyped codes."""

import pytest
from sqlalchemy import text

from xinyong import codes
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.policy.enums import SubjectType
from xinyong.subjects import search as subject_search
from xinyong.subjects.search import SearchFilter, Tier, code_problem, search
from xinyong.subjects.service import SubjectIn, register, rename


def _uscc(body: str) -> str:
    return codes.make_uscc("91440106" + codes.make_org_code(body))


@pytest.fixture
def companies(session):
    names = {
        "exact": ("广州天河", _uscc("GDTH0001")),
        "prefix": ("广州天河科技有限公司", _uscc("GDTH0002")),
        "contains": ("东莞广州天河贸易有限公司", _uscc("GDTH0003")),
        "other": ("深圳南山软件有限公司", _uscc("MHN20001")),
        "bracket": ("广州某某（集团）有限公司", _uscc("GDJT0001")),
    }
    with committing(session):
        made = {
            label: register(session, SubjectIn(SubjectType.ENTERPRISE, name, uscc=uscc))
            for label, (name, uscc) in names.items()
        }
    return made


def test_tiers_rank_exact_name_then_prefix_then_contains(session, companies):
    result = search(session, "广州天河")
    assert [h.name for h in result.hits] == [
        "广州天河",
        "广州天河科技有限公司",
        "东莞广州天河贸易有限公司",
    ]
    assert [h.tier for h in result.hits] == [Tier.NAME, Tier.PREFIX, Tier.CONTAINS]
    assert result.total == 3


def test_exact_code_ranks_first_and_accepts_full_width_and_spaces(session, companies):
    code = companies["other"].uscc
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in code)
    for query in (code, code.lower(), f" {code[:6]} {code[6:]} ", full_width):
        hits = search(session, query).hits
        assert [h.name for h in hits] == ["深圳南山软件有限公司"], query
        assert hits[0].tier is Tier.CODE


def test_legacy_codes_find_the_subject(session):
    org = codes.make_org_code("MHN30001")
    reg_no = codes.make_reg_no("44010600012345")
    with committing(session):
        register(
            session,
            SubjectIn(SubjectType.ENTERPRISE, "珠海香洲实业有限公司", org_code=org, reg_no=reg_no),
        )
    for query in (f"{org[:8]}-{org[8]}", reg_no):
        hits = search(session, query).hits
        assert [(h.name, h.tier) for h in hits] == [("珠海香洲实业有限公司", Tier.CODE)]


def test_traditional_characters_find_simplified_names(session, companies):
    assert [h.name for h in search(session, "廣州天河科技").hits] == ["广州天河科技有限公司"]


def test_full_width_brackets_and_stray_spaces_match(session, companies):
    assert [h.name for h in search(session, " 某某 (集團) ").hits] == ["广州某某（集团）有限公司"]


@pytest.mark.parametrize("fragment", ["南", "南山", "南山软", "深圳南山软件"])
def test_fragments_of_one_two_three_and_six_characters(session, companies, fragment):
    assert "深圳南山软件有限公司" in [h.name for h in search(session, fragment).hits]


def test_last_character_alone_is_found(session, companies):
    assert any(h.name == "广州天河" for h in search(session, "河").hits)


def test_renamed_subject_is_found_by_its_new_name_only(session, companies):
    with committing(session):
        rename(session, companies["other"], "深圳北山数据有限公司", "变更登记")
    assert [h.name for h in search(session, "北山数据").hits] == ["深圳北山数据有限公司"]
    assert search(session, "南山软件").hits == []  # an earlier name is not searched in pieces


def test_an_earlier_name_in_full_finds_the_subject_marked_former(session, companies):
    """Issue 15: the name history makes old names searchable, marked 曾用名."""
    with committing(session):
        rename(session, companies["other"], "深圳北山数据有限公司", "变更登记")
    (hit,) = search(session, "深圳南山软件有限公司").hits
    assert (hit.name, hit.tier) == ("深圳北山数据有限公司", Tier.FORMER)


def test_persons_are_found_by_full_name_only_unless_allowed(session):
    with committing(session):
        register(
            session,
            SubjectIn(
                SubjectType.NATURAL_PERSON,
                "王小明",
                id_number=codes.make_id_number("44010619900101123"),
            ),
        )
    assert [h.name for h in search(session, "王小明").hits] == ["王小明"]
    assert search(session, "小明").hits == []
    assert [h.name for h in search(session, "小明", persons_by_full_name_only=False).hits] == [
        "王小明"
    ]
    hit = search(session, "王小明").hits[0]
    assert hit.id_number_masked is not None and "*" in hit.id_number_masked


def test_like_wildcards_in_a_query_are_literal(session, companies):
    assert search(session, "%").hits == []
    assert search(session, "_").hits == []


def test_paging_and_the_result_cap(session, monkeypatch):
    with committing(session):
        for i in range(25):
            register(
                session,
                SubjectIn(
                    SubjectType.ENTERPRISE, f"佛山顺德{i:02d}号商行", uscc=_uscc(f"FDHD{i:04d}")
                ),
            )
    first = search(session, "顺德", per_page=10)
    third = search(session, "顺德", page=3, per_page=10)
    assert (first.total, first.pages, len(first.hits), len(third.hits)) == (25, 3, 10, 5)
    assert not {h.subject_id for h in first.hits} & {h.subject_id for h in third.hits}
    monkeypatch.setattr(subject_search, "MAX_RESULTS", 20)
    capped = search(session, "顺德", per_page=10)
    assert (capped.total, capped.more) == (20, True)


def test_an_empty_query_is_a_clear_error(session):
    with pytest.raises(DomainError, match="请输入"):
        search(session, "  ")


# --- words, filters, codes (issue 15) ------------------------------------------------------


@pytest.fixture
def hardware(session):
    """Shops in two districts of 广州 and one elsewhere, of two types."""
    shops = [
        ("广州市某某五金有限公司", "91440106", "WJ000001", SubjectType.ENTERPRISE),
        ("广州市海珠五金商行", "92440105", "WJ000002", SubjectType.INDIVIDUAL_BUSINESS),
        ("广州市某某建材有限公司", "91440106", "WJ000003", SubjectType.ENTERPRISE),
        ("佛山市广州路五金有限公司", "91440604", "WJ000004", SubjectType.ENTERPRISE),
    ]
    with committing(session):
        return {
            name: register(
                session,
                SubjectIn(kind, name, uscc=codes.make_uscc(prefix + codes.make_org_code(body))),
            )
            for name, prefix, body, kind in shops
        }


def _names(page):
    return sorted(h.name for h in page.hits)


def test_every_word_of_a_query_must_occur_in_the_name_in_any_order(session, hardware):
    both = ["佛山市广州路五金有限公司", "广州市某某五金有限公司", "广州市海珠五金商行"]
    assert _names(search(session, "广州 五金")) == both
    assert _names(search(session, "五金　广州")) == both  # full-width space, other order
    assert _names(search(session, "广州 某某 五金")) == ["广州市某某五金有限公司"]
    assert search(session, "广州 钢琴").hits == []


def test_words_rank_a_name_that_starts_with_the_first_word_before_one_that_contains_it(
    session, hardware
):
    hits = search(session, "广州 五金").hits
    assert [h.tier for h in hits] == [Tier.PREFIX, Tier.PREFIX, Tier.CONTAINS]
    assert hits[-1].name == "佛山市广州路五金有限公司"


def test_words_joined_are_the_exact_name(session, hardware):
    hits = search(session, "广州市某某 五金有限公司").hits
    assert [(h.name, h.tier) for h in hits] == [("广州市某某五金有限公司", Tier.NAME)]


def test_type_filter_is_part_of_the_query_so_totals_count_it(session, hardware):
    shops = SearchFilter(subject_types=frozenset([SubjectType.INDIVIDUAL_BUSINESS]))
    found = search(session, "五金", filters=shops)
    assert (_names(found), found.total) == (["广州市海珠五金商行"], 1)


def test_region_filter_covers_a_district_or_a_whole_city(session, hardware):
    tianhe = search(session, "广州", filters=SearchFilter(region_code="440106"))
    assert _names(tianhe) == ["广州市某某五金有限公司", "广州市某某建材有限公司"]
    city = search(session, "五金", filters=SearchFilter(region_code="440100"))
    assert city.total == 2 and "佛山市广州路五金有限公司" not in _names(city)


def test_filters_combine_with_codes_and_exact_names(session, hardware):
    shop = hardware["广州市海珠五金商行"]
    elsewhere = SearchFilter(region_code="440106")
    assert search(session, shop.uscc, filters=elsewhere).hits == []
    assert search(session, shop.name, filters=elsewhere).hits == []
    assert [h.name for h in search(session, shop.uscc).hits] == [shop.name]


def test_filtered_paging_counts_only_what_the_filter_lets_through(session):
    with committing(session):
        for i in range(30):
            district = "440106" if i % 3 else "440105"
            uscc = codes.make_uscc(f"91{district}" + codes.make_org_code(f"PG{i:06d}"))
            register(session, SubjectIn(SubjectType.ENTERPRISE, f"广州{i:02d}五金店", uscc=uscc))
    wanted = SearchFilter(region_code="440106")
    first = search(session, "五金", per_page=8, filters=wanted)
    last = search(session, "五金", page=3, per_page=8, filters=wanted)
    assert (first.total, first.pages, len(last.hits)) == (20, 3, 4)
    assert all(h.region_code == "440106" for h in first.hits + last.hits)


def test_a_code_or_a_single_exact_name_names_its_subject(session, hardware):
    shop = hardware["广州市某某五金有限公司"]
    assert search(session, shop.uscc).named == shop.id
    assert search(session, "广州市某某五金有限公司").named == shop.id
    assert search(session, "五金").named is None
    with committing(session):
        twin = register(
            session,
            SubjectIn(
                SubjectType.ENTERPRISE,
                "广州市某某五金有限公司",
                uscc=codes.make_uscc("91440104" + codes.make_org_code("WJ000009")),
            ),
        )
    both = search(session, "广州市某某五金有限公司")
    assert both.named is None and {h.subject_id for h in both.hits} == {shop.id, twin.id}


def test_a_person_is_found_by_a_valid_id_number(session):
    number = codes.make_id_number("44010619900101123")
    with committing(session):
        person = register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=number)
        )
    found = search(session, number.lower())
    assert [(h.subject_id, h.tier) for h in found.hits] == [(person.id, Tier.CODE)]
    assert found.notice is None
    wrong = number[:-1] + ("0" if number[-1] != "0" else "1")
    assert search(session, wrong).hits == []


def test_a_code_a_character_short_or_with_a_wrong_check_says_so(session, hardware):
    code = hardware["广州市某某五金有限公司"].uscc
    assert code_problem(code[:17]) == "统一社会信用代码应为18位，实际为17位"
    assert code_problem(code + "1") == "统一社会信用代码应为18位，实际为19位"
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    assert code_problem(wrong).startswith("统一社会信用代码校验位错误：")
    assert f"“{wrong}”" in code_problem(f" {wrong.lower()} ")
    found = search(session, code[:17])
    assert found.notice == "统一社会信用代码应为18位，实际为17位"


@pytest.mark.parametrize(
    "query",
    ["广州市某某五金有限公司", "广州 五金", "ABC DEFGHIJKLMNOPQ", "12345", "顺德2026年第1号"],
)
def test_names_and_short_numbers_get_no_code_notice(query):
    assert code_problem(query) is None


def test_valid_codes_get_no_code_notice(hardware):
    shop = hardware["广州市某某五金有限公司"]
    assert code_problem(shop.uscc) is None
    assert code_problem(codes.make_id_number("44010619900101123")) is None


def test_hits_carry_the_subjects_status(session):
    with committing(session):
        register(
            session,
            SubjectIn(
                SubjectType.ENTERPRISE,
                "广州市已注销贸易有限公司",
                uscc=codes.make_uscc("91440106" + codes.make_org_code("CA000001")),
                status="deregistered",
            ),
        )
    (hit,) = search(session, "已注销").hits
    assert (hit.status.label, hit.status.ended) == ("注销", True)


# --- the filters as facets in the name index (migration 0020) ----------------------------


def test_the_fragment_tier_filters_by_any_of_several_types(session, hardware):
    with committing(session):
        register(
            session,
            SubjectIn(
                SubjectType.PUBLIC_INSTITUTION,
                "广州市五金研究所",
                uscc=codes.make_uscc("12440106" + codes.make_org_code("WJ000005")),
            ),
        )
    kinds = frozenset([SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS])
    found = search(session, "五金", filters=SearchFilter(subject_types=kinds))
    assert "广州市五金研究所" not in _names(found) and found.total == 3
    institutes = SearchFilter(frozenset([SubjectType.PUBLIC_INSTITUTION]), "440106")
    assert _names(search(session, "五金", filters=institutes)) == ["广州市五金研究所"]


def test_the_name_index_follows_a_subjects_new_district_and_type(session, hardware):
    shop = hardware["广州市某某建材有限公司"]  # 天河区 (440106), found by a fragment
    with committing(session):
        session.get(type(shop), shop.id).region_code = "440113"
        session.get(type(shop), shop.id).subject_type = SubjectType.INDIVIDUAL_BUSINESS.value
    panyu = SearchFilter(frozenset([SubjectType.INDIVIDUAL_BUSINESS]), "440113")
    assert _names(search(session, "建材", filters=panyu)) == ["广州市某某建材有限公司"]
    assert search(session, "建材", filters=SearchFilter(region_code="440106")).hits == []
    firms = SearchFilter(subject_types=frozenset([SubjectType.ENTERPRISE]))
    assert search(session, "建材", filters=firms).hits == []


def test_a_region_too_wide_for_a_facet_filters_as_the_rows_say(session, hardware):
    assert SearchFilter(region_code="000000").facets() == ([], [])
    assert SearchFilter(region_code="440100").facets() == ([], ["r4401"])
    assert SearchFilter(region_code='4"OR*1').facets() == ([], [])  # never FTS5 syntax
    everywhere = search(session, "五金", filters=SearchFilter(region_code="000000"))
    assert everywhere.total == 3  # 000000 covers every code (db.in_region)


def test_sqlite_finds_each_subject_through_the_index_by_each_of_its_facets(session, hardware):
    if session.get_bind().dialect.name != "sqlite":
        pytest.skip("PostgreSQL's name index holds names only (migration 0020, decision 0004)")
    for shop in hardware.values():
        facets = codes.search_facets(shop.subject_type, shop.region_code).split()
        assert facets[0] == "t" + shop.subject_type.replace("_", "") and len(facets) == 4
        for facet in facets:
            found = session.scalars(
                text("SELECT rowid FROM subject_search WHERE subject_search MATCH :q"),
                {"q": f"facets : {facet}"},
            ).all()
            assert shop.id in found
