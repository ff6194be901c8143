"""The archive in tabs: the tab table, counts from the publication view, paging inside a tab,
one record's page (unknown and hidden ids alike)."""

from datetime import date

import pytest

from tests.factories import penalty, store
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.errors import NotFound
from xinyong.policy.enums import Role
from xinyong.policy.schemas import Category
from xinyong.publication import RecordQuery, tabs, visible_records
from xinyong.publication.tabs import PER_PAGE, TABS, archive_page, record_detail

OFFICE = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")


def test_the_tabs_are_those_of_the_issue_and_every_category_has_exactly_one():
    assert [t.label for t in TABS] == [
        "基本信息",
        "行政许可",
        "行政处罚",
        "守信激励",
        "失信惩戒",
        "信用承诺",
        "司法信息",
        "其他",
    ]
    for category in Category:
        assert [t.slug for t in TABS if category in t.categories] == [tabs.tab_of(category).slug], (
            category
        )
    assert len({t.slug for t in TABS}) == len(TABS)
    assert tabs.tab_named("") is tabs.BASIC and tabs.tab_named("xzcf").label == "行政处罚"
    assert tabs.tab_named("nonsense") is None


@pytest.fixture
def shelved(session, company, now):
    """Two penalties published now, one whose window has passed, one at the shared level."""
    ids = {
        "current": [store(session, company.id, penalty(n, date(2026, 6, n))) for n in (1, 2)],
        "past": store(session, company.id, penalty(3, date(2024, 1, 5))),
        "shared": store(session, company.id, penalty(4, date(2026, 7, 1)), "xzcf_gx"),
    }
    return ids


@pytest.mark.parametrize("viewer", [PUBLIC, OFFICE], ids=["public", "credit_office"])
def test_each_tab_counts_what_the_viewer_sees(session, company, shelved, viewer):
    shown = visible_records(session, viewer, RecordQuery(subject_id=company.id)).records
    found = archive_page(session, viewer, company.id)
    for entry in found.tabs:
        if entry.tab.has_records:
            expected = sum(1 for r in shown if r.item.category in entry.tab.categories)
            assert entry.count == expected, entry.tab.label
        else:
            assert entry.count is None
    penalties = next(e.count for e in found.tabs if e.tab.slug == "xzcf")
    assert penalties == (2 if viewer is PUBLIC else 4)  # the office sees the past and shared
    assert found.records == []  # 基本信息 loads no records


def test_paging_inside_a_tab_newest_first(session, company, now):
    stored = [store(session, company.id, penalty(n, date(2026, 1, 1 + n))) for n in range(23)]
    xzcf = tabs.tab_named("xzcf")
    first = archive_page(session, PUBLIC, company.id, xzcf, 1)
    second = archive_page(session, PUBLIC, company.id, xzcf, 2)
    assert (first.total, first.pages, len(first.records), len(second.records)) == (23, 2, 20, 3)
    assert [r.id for r in first.records + second.records] == list(reversed(stored))
    past = archive_page(session, PUBLIC, company.id, xzcf, 3)
    assert past.records == [] and past.pages == 2 and past.total == 23
    assert PER_PAGE == 20


def test_a_record_page_has_its_subject_and_tab(session, company, shelved):
    found = record_detail(session, PUBLIC, shelved["current"][0])
    assert found.subject.id == company.id and found.tab.slug == "xzcf"
    assert any(f.value == "穗市监罚〔2026〕1号" for f in found.record.fields)


def test_a_hidden_record_is_the_same_not_found_as_an_unknown_one(session, shelved):
    unknown = max(shelved["current"] + [shelved["past"], shelved["shared"]]) + 1000
    answers = []
    for record_id in (shelved["past"], shelved["shared"], unknown):
        with pytest.raises(NotFound) as caught:
            record_detail(session, PUBLIC, record_id)
        answers.append((caught.value.code, caught.value.message.replace(str(record_id), "#")))
    assert len(set(answers)) == 1
    assert record_detail(session, OFFICE, shelved["shared"]).record.full
