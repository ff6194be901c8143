"""The search page without JavaScript: filters, numbered pages, direct opening of a named
subject, notices for mistyped codes, status and penalty counts, bad input."""

from datetime import UTC, date, datetime
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest

from tests.factories import COMPANY_USCC, penalty, store
from xinyong import clock, codes
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

INDIVIDUAL = SubjectType.INDIVIDUAL_BUSINESS


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


def _register(session, name, district="440106", kind=SubjectType.ENTERPRISE, *, body, **more):
    prefix = ("92" if kind is SubjectType.INDIVIDUAL_BUSINESS else "91") + district
    uscc = codes.make_uscc(prefix + codes.make_org_code(body))
    with committing(session):
        return register(session, SubjectIn(kind, name, uscc=uscc, **more))


@pytest.fixture
def shops(session):
    return {
        "company": _register(session, "广州市某某五金有限公司", body="WJ000001"),
        "haizhu": _register(session, "广州市海珠五金商行", "440105", INDIVIDUAL, body="WJ000002"),
        "closed": _register(session, "广州市旧城五金有限公司", body="WJ000003", status="revoked"),
    }


def _rows(html):
    return html.count('<li class="result">')


def test_words_separated_by_spaces_all_match(client, shops):
    html = client.get("/search", params={"q": "广州 五金"}).text
    assert "共找到 <strong>3</strong> 个主体" in html


def test_type_filter_by_its_value_and_selected_in_the_form(client, shops):
    html = client.get("/search", params={"q": "五金", "type": "individual_business"}).text
    assert _rows(html) == 1 and "广州市海珠五金商行" in html
    assert '<option value="individual_business" selected>个体工商户</option>' in html
    assert '<option value="enterprise">法人</option>' in html


def test_region_filter_by_district_name(client, shops):
    html = client.get("/search", params={"q": "五金", "region": "海珠区"}).text
    assert _rows(html) == 1 and "广州市海珠五金商行" in html
    assert '<option value="海珠区" selected>海珠区</option>' in html
    assert "<dt>所在地区</dt><dd>海珠区</dd>" in html


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"type": "alien"}, "没有这种主体类型：alien"),
        ({"region": "南山区"}, "本市没有名为“南山区”的区县"),
    ],
)
def test_unknown_filter_values_are_said_and_left_out(client, shops, params, message):
    response = client.get("/search", params={"q": "五金", **params})
    assert response.status_code == 200 and message in response.text
    assert _rows(response.text) == 3


def test_result_rows_show_status_and_published_penalties(client, session, shops):
    store(session, shops["company"].id, penalty(1, date(2026, 6, 1)))
    store(session, shops["company"].id, penalty(2, date(2026, 7, 1)))
    html = client.get("/search", params={"q": "五金"}).text
    assert '<dd class="penalties">2 条公示中</dd>' in html and "<dd>0 条公示中</dd>" in html
    assert '<span class="status-ended">吊销</span>' in html
    assert '<dd class="ended">吊销</dd>' in html and "<dd>存续</dd>" in html
    assert "<dt>统一社会信用代码</dt><dd>" + shops["company"].uscc in html


def test_numbered_pages_keep_the_query_and_filters(client, session):
    for i in range(45):
        _register(session, f"广州{i:02d}五金店", body=f"PG{i:06d}")
    html = client.get("/search", params={"q": "五金", "type": "enterprise", "page": 2}).text
    pager = html[html.index('<nav class="pager"') :]
    pager = pager[: pager.index("</nav>")]
    hrefs = [unescape(part.split('"')[0]) for part in pager.split('href="')[1:]]
    for href in hrefs:
        query = parse_qs(urlsplit(href).query)
        assert (query["q"], query["type"]) == (["五金"], ["enterprise"]), href
    assert [parse_qs(urlsplit(h).query)["page"][0] for h in hrefs] == ["1", "1", "2", "3", "3"]
    assert 'aria-current="page" aria-label="第 2 页">2</a>' in pager
    assert 'rel="prev"' in pager and 'rel="next"' in pager and "共 3 页" in pager


def test_a_full_uscc_opens_the_archive(client, shops):
    response = client.get(
        "/search", params={"q": shops["haizhu"].uscc.lower()}, follow_redirects=False
    )
    assert response.status_code == 303
    assert response.headers["location"] == f"/subjects/{shops['haizhu'].id}"


def test_an_exact_name_one_subject_bears_opens_the_archive(client, shops):
    response = client.get("/search", params={"q": "广州市海珠五金商行"}, follow_redirects=False)
    assert response.status_code == 303
    assert response.headers["location"] == f"/subjects/{shops['haizhu'].id}"


def test_an_exact_name_several_subjects_bear_shows_the_list(client, session, shops):
    _register(session, "广州市海珠五金商行", "440104", INDIVIDUAL, body="WJ000009")
    response = client.get("/search", params={"q": "广州市海珠五金商行"}, follow_redirects=False)
    assert response.status_code == 200 and _rows(response.text) == 2


def test_a_named_subject_outside_the_filters_is_not_opened(client, shops):
    response = client.get(
        "/search",
        params={"q": "广州市海珠五金商行", "region": "天河区"},
        follow_redirects=False,
    )
    assert response.status_code == 200 and _rows(response.text) == 0


def test_a_code_a_character_short_says_so_instead_of_no_results(client):
    html = client.get("/search", params={"q": COMPANY_USCC[:17]}).text
    assert "统一社会信用代码应为18位，实际为17位" in html
    assert "未找到匹配的信用主体" not in html


def test_a_wrong_check_character_says_so(client, shops):
    code = shops["company"].uscc
    wrong = code[:17] + ("0" if code[17] != "0" else "1")
    html = client.get("/search", params={"q": wrong}).text
    assert "统一社会信用代码校验位错误：" in html and "未找到匹配的信用主体" not in html


@pytest.mark.parametrize("page", ["99999", "abc", "0"])
def test_bad_page_numbers_are_a_chinese_page_with_a_way_back(client, page):
    response = client.get("/search", params={"q": "五金", "page": page})
    assert response.status_code == 422 and "<html" in response.text
    assert "Traceback" not in response.text and 'href="/"' in response.text


def test_a_query_too_long_or_with_nul_gives_no_error_page(client):
    assert client.get("/search", params={"q": "五" * 5000}).status_code == 200
    assert client.get("/search?q=%00").status_code == 422


def test_api_search_takes_the_same_filters(client, session, shops):
    store(session, shops["company"].id, penalty(1, date(2026, 6, 1)))
    answer = client.get("/api/v1/subjects", params={"q": "广州 五金", "region": "440106"}).json()
    by_name = {i["name"]: i for i in answer["items"]}
    assert set(by_name) == {"广州市某某五金有限公司", "广州市旧城五金有限公司"}
    assert by_name["广州市某某五金有限公司"]["penalties"] == 1
    assert by_name["广州市旧城五金有限公司"]["status_label"] == "吊销"
    typed = client.get("/api/v1/subjects", params={"q": "五金", "type": "individual_business"})
    assert [i["name"] for i in typed.json()["items"]] == ["广州市海珠五金商行"]
    short = client.get("/api/v1/subjects", params={"q": COMPANY_USCC[:17]}).json()
    assert short["notice"] == "统一社会信用代码应为18位，实际为17位" and short["items"] == []


def test_api_refuses_unknown_filters_in_chinese(client):
    region = client.get("/api/v1/subjects", params={"q": "五金", "region": "南山区"})
    assert region.status_code == 400 and region.json()["code"] == "search.unknown_region"
    assert client.get("/api/v1/subjects", params={"q": "五金", "type": "alien"}).status_code == 422
