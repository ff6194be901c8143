"""The credit website's search results: penalty counts and badges for a page's hits in a fixed
number of queries, and who the public may find."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import PERSON_ID, demo_row, penalty, person_penalty, statements, store
from xinyong import clock, codes
from xinyong.auth.principal import PUBLIC
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.policy.enums import SubjectType
from xinyong.publication import Badge
from xinyong.publication.archive import subject_card
from xinyong.publication.search import (
    SearchFilter,
    district,
    districts,
    find_subjects,
    subject_type,
)
from xinyong.subjects.service import SubjectIn, register


def _shops(session, count: int) -> list:
    with committing(session):
        return [
            register(
                session,
                SubjectIn(
                    SubjectType.ENTERPRISE,
                    f"广州市{i:02d}号五金有限公司",
                    uscc=codes.make_uscc("91440106" + codes.make_org_code(f"QC{i:06d}")),
                ),
            )
            for i in range(count)
        ]


def test_penalty_counts_are_of_records_the_public_sees_published_now(session, now):
    shop, other = _shops(session, 2)
    store(session, shop.id, penalty(1, date(2026, 6, 1)))
    store(session, shop.id, penalty(2, date(2026, 7, 1)))
    store(session, shop.id, penalty(3, date(2025, 6, 1)))  # its year ended 2026-06-01
    store(session, shop.id, penalty(4, date(2026, 8, 1)), "xzcf_gx")  # shared, not public
    rows = {row.subject_id: row for row in find_subjects(session, PUBLIC, "五金").rows}
    assert (rows[shop.id].penalties, rows[other.id].penalties) == (2, 0)


def test_badges_come_with_the_row(session, now):
    (shop,) = _shops(session, 1)
    store(session, shop.id, demo_row("sxbzxr", shop, date(2026, 5, 1)), "sxbzxr")
    (row,) = find_subjects(session, PUBLIC, "五金").rows
    assert row.badges == [Badge.SERIOUS_DISHONESTY]


def test_a_page_of_results_costs_the_same_few_queries_however_many_hits(session, now):
    """Badges and penalty counts are read for the whole page at once, never per hit."""
    shops = _shops(session, 20)
    for i, shop in enumerate(shops):
        store(session, shop.id, penalty(100 + i, date(2026, 6, 1)))
    find_subjects(session, PUBLIC, "五金")  # the policy and the public's rule, built once a day
    session.rollback()
    with statements(session.get_bind()) as few:
        assert len(find_subjects(session, PUBLIC, "00号五金").rows) == 1
    session.rollback()
    with statements(session.get_bind()) as many:
        found = find_subjects(session, PUBLIC, "五金", filters=SearchFilter(region_code="440106"))
    assert len(found.rows) == 20 and all(row.penalties == 1 for row in found.rows)
    assert len(many) == len(few) <= 9, many  # + the registry basics of the page's hits


def test_a_person_whose_records_all_left_their_window_is_not_found_by_name_or_id(session):
    """个人信息保护法 第六条: the public finds a person only while a record of theirs is
    published now (disclosure.yaml; publication.archive.findable)."""
    with clock.frozen_at(datetime(2025, 7, 1, 4, 0, tzinfo=UTC)):
        with committing(session):
            person = register(
                session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID)
            )
        row = person_penalty(5, date(2025, 6, 1))  # general: published until 2026-06-01
        store(session, person.id, row)
        for query in ("王小明", PERSON_ID):
            (found,) = find_subjects(session, PUBLIC, query).rows
            assert found.id_number_masked == codes.mask_id_number(PERSON_ID)
            assert found.penalties == 1
    with clock.frozen_at(datetime(2026, 6, 2, 4, 0, tzinfo=UTC)):
        for query in ("王小明", PERSON_ID):
            found = find_subjects(session, PUBLIC, query)
            assert (found.rows, found.page.total, found.page.named) == ([], 0, None), query
        with pytest.raises(NotFound):
            subject_card(session, PUBLIC, person.id)


def test_districts_are_the_citys_and_named_or_coded(settings):
    names = [d.name for d in districts()]
    assert "天河区" in names and "南山区" not in names  # 广州市's, not 深圳市's
    assert district("天河区").code == district(" 440106 ").code == "440106"
    with pytest.raises(DomainError, match="本市没有名为“南山区”的区县"):
        district("南山区")


def test_the_type_filter_names_法人_for_enterprises():
    assert subject_type("法人") is subject_type("enterprise") is SubjectType.ENTERPRISE
    assert subject_type("自然人") is SubjectType.NATURAL_PERSON
    with pytest.raises(DomainError, match="没有这种主体类型"):
        subject_type("外星人")
