"""The public credit website without JavaScript: search, archive, lists, bad input."""

from datetime import UTC, date, datetime

import pytest

from tests.factories import COMPANY_USCC, PERSON_ID, demo_row, penalty, person_penalty, store
from xinyong import clock, codes
from xinyong.auth.service import create_department
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


def test_search_page_lists_results_with_links(client, session, company):
    html = client.get("/search", params={"q": "某某科技"}).text
    assert "共找到 <strong>1</strong> 个主体" in html
    assert f'href="/subjects/{company.id}"' in html and COMPANY_USCC in html


def test_search_page_without_query_shows_the_form_only(client):
    response = client.get("/search")
    assert response.status_code == 200 and "共找到" not in response.text


def test_archive_has_basic_info_and_one_tab_per_category(client, session, company):
    store(session, company.id, penalty(1, date(2026, 6, 1)))
    html = client.get(f"/subjects/{company.id}").text
    assert ">基本信息</h2>" in html
    for tab, label in {
        "xzxk": "行政许可",
        "xzcf": "行政处罚",
        "qt": "其他",
        "sxjl": "守信激励",
        "sxcj": "失信惩戒",
        "sfxx": "司法信息",
        "xycn": "信用承诺",
    }.items():
        link = f'href="/subjects/{company.id}?tab={tab}"><span class="label">{label}<'
        assert link in html, label
    html = client.get(f"/subjects/{company.id}", params={"tab": "xzcf"}).text
    assert "穗市监罚〔2026〕1号" in html
    assert "可于 2026-09-01 起申请信用修复" in html  # repair possible after the 3-month minimum
    assert PERSON_ID not in html and "法定代表人证件号码" not in html


def test_person_archive_shows_the_id_number_masked(client, session):
    with committing(session):
        person = register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID)
        )
    assert client.get(f"/subjects/{person.id}").status_code == 404  # nothing published yet
    row = person_penalty(2, date(2026, 7, 1))
    store(session, person.id, row)
    html = client.get(f"/subjects/{person.id}").text
    assert codes.mask_id_number(PERSON_ID) in html and PERSON_ID not in html


def test_unknown_subject_is_a_404_page_in_chinese(client):
    response = client.get("/subjects/424242")
    assert response.status_code == 404 and "未找到该信用主体" in response.text


def test_lists_page_filters_and_tolerates_bad_form_input(client, session, company):
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    with committing(session):
        court = create_department(session, "gz-zy", "广州市中级人民法院", "440100")
    html = client.get("/lists").text
    assert "广州市某某科技有限公司" in html and "共 <strong>1</strong> 条" in html
    assert f'<option value="{court.id}">广州市中级人民法院</option>' in html
    bad = client.get("/lists", params={"decided_from": "yesterday", "region": "44"})
    assert bad.status_code == 200
    assert "起始日期格式应为" in bad.text and "没有这个地区" in bad.text
    assert "共 <strong>0</strong> 条" in client.get("/lists", params={"kind": "red"}).text
