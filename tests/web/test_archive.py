"""The archive page in tabs and the record page, over HTTP without JavaScript: counts on the
tabs, paging inside a tab, one URL per tab and per record, the same 404 for unknown and hidden
ids, bad input without a 500, and a bounded number of SQL statements per page."""

import re
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient

from tests.factories import (
    COMPANY_USCC,
    PERSON_ID,
    demo_row,
    penalty,
    person_penalty,
    statements,
    store,
)
from xinyong import clock, codes
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


def _articles(html: str) -> int:
    return html.count('<article class="record"')


def _tab_link(html: str, label: str) -> str:
    """The tab strip's link for `label`, as rendered."""
    strip = html.split('aria-label="档案栏目"')[1].split("</nav>")[0]
    return next(a for a in strip.split("<a ")[1:] if f">{label}<" in a)


def test_the_first_tab_is_the_basic_information_with_every_tabs_count(client, session, company):
    store(session, company.id, penalty(1, date(2026, 6, 1)))
    store(session, company.id, penalty(2, date(2026, 6, 2)))
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    html = client.get(f"/subjects/{company.id}").text
    assert '<h2 id="basic">基本信息</h2>' in html
    assert "<dt>统一社会信用代码</dt><dd>" + COMPANY_USCC in html
    assert "<dt>登记状态</dt><dd>存续</dd>" in html
    assert f"<dt>所属地区</dt><dd>{codes.region_name(company.region_code)}</dd>" in html
    assert 'aria-current="page"' in _tab_link(html, "基本信息")
    assert "（2）" in _tab_link(html, "行政处罚") and "（1）" in _tab_link(html, "失信惩戒")
    assert "（0）" in _tab_link(html, "行政许可") and "（0）" in _tab_link(html, "其他")
    assert f'href="/subjects/{company.id}?tab=xzcf"' in _tab_link(html, "行政处罚")
    assert _articles(html) == 0 and "穗市监罚〔2026〕1号" not in html  # records in their tabs


def test_a_tab_shows_its_records_as_cards_with_their_entry_points(client, session, company):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
    html = client.get(f"/subjects/{company.id}", params={"tab": "xzcf"}).text
    assert '<h2 id="tab-heading">行政处罚</h2>' in html
    assert 'aria-current="page"' in _tab_link(html, "行政处罚")
    assert _articles(html) == 1 and "穗市监罚〔2026〕1号" in html
    card = html.split('<article class="record"')[1].split("<details")[0]
    labels = re.findall(r"<dt>([^<]+)</dt>", card)  # at once: the item's number, authority, amount
    assert labels == ["行政处罚决定书文号", "罚款金额（万元）", "处罚机关"], labels
    assert "全部公示内容" in html and "发布虚假广告" in html  # the rest one click away
    assert f'href="/records/{record_id}"' in html
    assert "可于 2026-09-01 起申请信用修复" in html  # repair possible after the 3-month minimum
    assert f'href="/account/objections/new?record={record_id}"' in html
    assert PERSON_ID not in html and "法定代表人证件号码" not in html
    empty = client.get(f"/subjects/{company.id}", params={"tab": "xzxk"}).text
    assert _articles(empty) == 0 and "暂无公示信息" in empty


def test_paging_inside_a_tab_has_numbered_pages(client, session, company):
    for n in range(45):
        store(session, company.id, penalty(n + 1, date(2026, 1, 1 + n % 28)))
    base = f"/subjects/{company.id}"
    first = client.get(base, params={"tab": "xzcf"}).text
    assert _articles(first) == 20 and "共 <strong>45</strong> 条，第 1 / 3 页" in first
    assert f'href="{base}?tab=xzcf&amp;page=2" rel="next"' in first
    assert f'href="{base}?tab=xzcf&amp;page=3" aria-label="第 3 页"' in first
    last = client.get(base, params={"tab": "xzcf", "page": 3}).text
    assert _articles(last) == 5 and 'rel="prev"' in last and 'rel="next"' not in last
    numbers = [
        set(re.findall(r"/records/(\d+)", client.get(base, params={"tab": "xzcf", "page": p}).text))
        for p in (1, 2, 3)
    ]
    assert [len(page) for page in numbers] == [20, 20, 5]
    assert len(set.union(*numbers)) == 45  # every record once, on one page
    beyond = client.get(base, params={"tab": "xzcf", "page": 7})
    assert beyond.status_code == 200 and "第 7 页没有记录（共 3 页）" in beyond.text
    assert f'href="{base}?tab=xzcf">返回第 1 页' in beyond.text
    huge = client.get(base, params={"tab": "xzcf", "page": 99999})
    assert huge.status_code in (404, 422) and "返回首页" in huge.text


def test_an_unknown_tab_is_a_404_page_that_offers_the_tabs(client, company):
    answer = client.get(f"/subjects/{company.id}", params={"tab": "<script>"})
    assert answer.status_code == 404 and "没有这一栏目" in answer.text
    assert f'href="/subjects/{company.id}?tab=xzcf"' in answer.text
    assert "<script>" not in answer.text.split("<main")[1]


def test_the_record_page_shows_every_public_field_its_subject_and_window(client, session, company):
    record_id = store(session, company.id, penalty(1, date(2026, 6, 1)))
    answer = client.get(f"/records/{record_id}")
    html = answer.text
    assert answer.status_code == 200 and "<h1>行政处罚</h1>" in html
    assert f'<a href="/subjects/{company.id}">广州市某某科技有限公司</a>' in html
    assert "<dt>公示期</dt><dd>2026-06-01 至 2027-06-01</dd>" in html
    for value in (
        "穗市监罚〔2026〕1号",
        "发布虚假广告",
        "罚款人民币伍万元",
        "广州市市场监督管理局",
    ):
        assert value in html, value
    assert PERSON_ID not in html and "法定代表人证件号码" not in html
    assert "可于 2026-09-01 起申请信用修复" in html
    assert f'href="/account/objections/new?record={record_id}"' in html
    assert f'href="/subjects/{company.id}?tab=xzcf"' in html  # back to its tab


def test_an_unpublished_record_is_the_same_404_as_an_unknown_one(client, session, company):
    past = store(session, company.id, penalty(1, date(2024, 1, 5)))  # window over in 2025
    unknown = past + 1000
    answers = [client.get(f"/records/{record_id}") for record_id in (past, unknown)]
    assert [a.status_code for a in answers] == [404, 404]
    bodies = [re.sub(r"未公示：\d+", "未公示：#", a.text) for a in answers]
    assert bodies[0] == bodies[1] and "信用记录不存在或未公示" in bodies[0]


@pytest.mark.parametrize("value", ["abc", "0", "-3", "1.5", "１２", str(2**63)])
def test_a_malformed_record_id_is_a_chinese_page_not_a_server_error(app, value):
    with TestClient(app, raise_server_exceptions=False) as anonymous:
        answer = anonymous.get(f"/records/{value}")
    assert answer.status_code in (404, 422), value
    assert answer.headers["content-type"].startswith("text/html") and "返回首页" in answer.text


def test_a_persons_record_page_shows_the_id_number_masked(client, session):
    with committing(session):
        person = register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID)
        )
    row = person_penalty(2, date(2026, 7, 1))
    record_id = store(session, person.id, row)
    for url in (f"/records/{record_id}", f"/subjects/{person.id}"):
        html = client.get(url).text
        assert codes.mask_id_number(PERSON_ID) in html and PERSON_ID not in html, url


def test_an_archive_page_runs_a_bounded_number_of_statements_whatever_its_records(
    client, session, company
):
    """Counts in one grouped query and one page of records, not a query per record or tab."""
    store(session, company.id, penalty(1, date(2026, 6, 1)))
    url = f"/subjects/{company.id}"
    client.get(url, params={"tab": "xzcf"})  # warm: policy and caches loaded once per process
    with statements() as few:
        assert client.get(url, params={"tab": "xzcf"}).status_code == 200
    for n in range(2, 31):
        store(session, company.id, penalty(n, date(2026, 6, 1 + n % 28)))
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    with statements() as many:
        assert _articles(client.get(url, params={"tab": "xzcf"}).text) == 20
    with statements() as basic:
        client.get(url)
    # the subject, its badges, the grouped counts, the page of records, open repair cases
    assert len(many) == len(few) <= 5, many
    # no records read, so no repair cases asked for; the registry's profile, names, changes
    assert len(basic) <= 6, basic
    record_id = store(session, company.id, penalty(99, date(2026, 6, 1)))
    with statements() as record:
        assert client.get(f"/records/{record_id}").status_code == 200
    assert len(record) <= 4, record
