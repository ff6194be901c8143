"""Subject search: ranking by tier, traditional/simplified and full-width queries, codes, paging."""

import pytest

from xinyong import codes
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.policy.enums import SubjectType
from xinyong.subjects import search as subject_search
from xinyong.subjects.search import Tier, search
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
    assert search(session, "南山软件").hits == []


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
