"""PostgreSQL's choice for a fragment (decision 0004): the commonest are found by a scan that
stops at the page, the rest through the gram index; the same hits either way."""

import pytest
from sqlalchemy import text

from xinyong import codes
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects import fragments
from xinyong.subjects.fragments import Shares
from xinyong.subjects.search import SearchFilter, search
from xinyong.subjects.service import SubjectIn, register

SHARES = Shares(
    pieces={"有限": 0.41, "限公": 0.41, "五金": 0.01},
    regions={"440106": 0.1, "440105": 0.1, "440604": 0.02},
    types={"enterprise": 0.5, "individual_business": 0.3},
)
ENTERPRISE = [SubjectType.ENTERPRISE]
QUERIES = ("有限公", "钢琴", "鑫泰")


def test_a_hit_is_as_common_as_its_rarest_piece_times_the_filters():
    assert SHARES.of_hits(["有限", "限公"], [], None) == pytest.approx(0.41)
    assert SHARES.of_hits(["有限", "限公"], ENTERPRISE, "440106") == pytest.approx(0.0205)
    types = [SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS]
    assert SHARES.of_hits(["五金"], types, "440100") == pytest.approx(0.01 * 0.8 * 0.2)
    assert SHARES.of_hits(["有限", "鑫泰"], [], None) == 0  # not among the common: rare


def test_a_scan_is_chosen_only_when_it_reads_few_rows(monkeypatch):
    monkeypatch.setattr(fragments, "_shares", lambda session: SHARES)
    assert fragments.is_common(None, ["有限", "限公"], ENTERPRISE, "440106", 201)  # 9,805 rows
    assert not fragments.is_common(None, ["五金"], ENTERPRISE, "440106", 201)  # 402,000
    assert not fragments.is_common(None, ["鑫泰"], [], None, 201)


@pytest.fixture
def postgres(session):
    if session.get_bind().dialect.name != "postgresql":
        pytest.skip("SQLite's name index serves every fragment (FTS5 stops at the limit)")
    return session


def test_common_and_rare_fragments_find_the_same_hits_either_way(postgres, monkeypatch):
    session = postgres
    with committing(session):
        for i in range(60):
            district = "440106" if i % 2 else "440105"
            name = f"广州{i:02d}五金有限公司" if i % 3 else f"广州{i:02d}钢琴有限公司"
            uscc = codes.make_uscc(f"91{district}" + codes.make_org_code(f"FR{i:06d}"))
            register(session, SubjectIn(SubjectType.ENTERPRISE, name, uscc=uscc))
        uscc = codes.make_uscc("91440106" + codes.make_org_code("FR000099"))
        register(session, SubjectIn(SubjectType.ENTERPRISE, "广州鑫泰贸易有限公司", uscc=uscc))
    session.execute(text("ANALYZE subjects"))
    fragments.forget()
    tianhe = SearchFilter(frozenset(ENTERPRISE), "440106")
    assert fragments.is_common(session, ["有限", "限公"], ENTERPRISE, "440106", 201)
    assert not fragments.is_common(session, ["钢铁"], ENTERPRISE, "440106", 201)  # in no name
    scanned = {
        query: _ids(search(session, query, filters=tianhe, per_page=50)) for query in QUERIES
    }
    assert session.scalar(text("SELECT current_setting('enable_bitmapscan')")) == "on"
    monkeypatch.setattr(fragments, "SCAN_ROWS", 0)  # the gram index for every fragment
    fragments.forget()
    indexed = {
        query: _ids(search(session, query, filters=tianhe, per_page=50)) for query in QUERIES
    }
    assert scanned == indexed
    assert [len(scanned[query]) for query in QUERIES] == [31, 10, 1]
    fragments.forget()


def _ids(page):
    return sorted(hit.subject_id for hit in page.hits)
