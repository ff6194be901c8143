"""The public lists page (issue 15 "Lists"): the 列入原因 and 认定部门 columns, the district
dropdown, filters a person mistypes answered with a message, and the CSV/XLSX export of exactly
what the filter shows."""

import csv
import io
import re
from datetime import UTC, date, datetime

import pytest
from openpyxl import load_workbook

from tests.factories import COMPANY_USCC, COURT, PERSON_ID, demo_row, store
from xinyong import clock, codes
from xinyong.catalog import get_item
from xinyong.publication import list_export
from xinyong.publication.lists import PER_PAGE, REASON_CHARS

# A reason a clerk typed with a formula in front and an ID number where the page cuts it.
FORMULA = '=HYPERLINK("http://evil.example","点击")'


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(datetime(2026, 11, 23, 4, 0, tzinfo=UTC)):
        yield


def _listed(session, company, n: int, reason: str = "拖欠农民工工资数额较大", **changes) -> int:
    """The n-th 严重失信主体名单 entry of `company` (stored in 天河区, 440106)."""
    row = demo_row("yzsxmd", company, date(2026, 5, 1))
    row.update(md_wsh=f"穗人社失信〔2026〕{n}号", md_yy=reason, md_jg="广州市人力资源和社会保障局")
    row.update(changes)
    return store(session, company.id, row, "yzsxmd")


def test_reason_and_deciding_authority_are_columns(client, session, company):
    _listed(session, company, 1)
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 6, 1)), "sxbzxr")
    html = client.get("/lists").text
    assert '<th scope="col">列入原因</th><th scope="col">认定部门</th>' in html
    assert '<td class="list-reason" data-label="列入原因">拖欠农民工工资数额较大</td>' in html
    authority = '<td class="list-authority" data-label="认定部门">广州市人力资源和社会保障局</td>'
    assert authority in html
    # 失信被执行人: the situation from its code list, decided by the court that enforces.
    assert f'<td class="list-authority" data-label="认定部门">{COURT.name}</td>' in html
    reasons = re.findall(r'<td class="list-reason" data-label="列入原因">([^<]*)</td>', html)
    situations = get_item("sxbzxr").codelists["dishonest_situation"]
    (situation,) = [r for r in reasons if r != "拖欠农民工工资数额较大"]
    labels = {entry.label for entry in situations.entries}
    assert situation and set(situation.split("、")) <= labels  # labels, not codes
    red = client.get("/lists", params={"kind": "red"}).text
    assert "拖欠农民工工资" not in red and "共 <strong>0</strong> 条" in red


def test_a_long_reason_is_cut_after_its_numbers_are_masked(client, session, company):
    reason = "经查，" + "当事人拖欠工资" * 7 + f"，联系人身份证{PERSON_ID}，" + "情节严重" * 20
    assert reason.index(PERSON_ID) < REASON_CHARS < reason.index(PERSON_ID) + len(PERSON_ID) + 10
    _listed(session, company, 1, reason)
    html = client.get("/lists").text
    assert PERSON_ID not in html and PERSON_ID[:14] not in html
    cell = html.split('data-label="列入原因"', 1)[1].split("</td>", 1)[0]
    shown = cell.rsplit(">", 1)[1]
    assert len(shown) == REASON_CHARS and shown.endswith("…")
    assert codes.mask_id_number(PERSON_ID) in cell  # in the title: the whole reason, masked


def test_district_dropdown_names_the_citys_districts(client, session, company):
    _listed(session, company, 1)
    html = client.get("/lists").text
    assert '<option value="440106">天河区</option>' in html
    assert '<option value="440103">荔湾区</option>' in html
    assert "地区代码" not in html and 'name="region" value=' not in html  # no code box
    tianhe = client.get("/lists", params={"region": "440106"}).text  # an old link still works
    assert '<option value="440106" selected>天河区</option>' in tianhe
    assert "共 <strong>1</strong> 条" in tianhe
    liwan = client.get("/lists", params={"region": "440103"}).text
    assert "共 <strong>0</strong> 条" in liwan


@pytest.mark.parametrize("region", ["天河区", "110101", "440199", "44"])
def test_an_unknown_district_is_ignored_with_a_message(client, session, company, region):
    _listed(session, company, 1)
    response = client.get("/lists", params={"region": region})
    assert response.status_code == 200
    assert "没有这个地区，已显示全部地区" in response.text
    assert "共 <strong>1</strong> 条" in response.text


def test_dates_are_checked_with_a_message(client, session, company):
    _listed(session, company, 1)  # decided 2026-05-01
    bad = client.get("/lists", params={"decided_from": "2026-02-30", "decided_to": "20261231"})
    assert bad.status_code == 200
    assert "起始日期格式应为 年-月-日" in bad.text and "截止日期格式应为 年-月-日" in bad.text
    reversed_ = client.get(
        "/lists", params={"decided_from": "2026-06-01", "decided_to": "2026-04-01"}
    )
    assert reversed_.status_code == 200 and "起始日期晚于截止日期" in reversed_.text
    assert "共 <strong>1</strong> 条" in reversed_.text  # the dates are set aside, not guessed
    window = {"decided_from": "2026-04-01", "decided_to": "2026-04-30"}
    assert "共 <strong>0</strong> 条" in client.get("/lists", params=window).text


def test_a_bad_list_kind_shows_the_black_list_with_a_message(client, session, company):
    _listed(session, company, 1)
    response = client.get("/lists", params={"kind": "xyz", "item": "nope"})
    assert response.status_code == 200
    assert "没有这种名单类型，已显示黑名单（失信惩戒）" in response.text
    assert "广州市某某科技有限公司" in response.text


def test_a_page_past_the_end_shows_the_last_page(client, session, company):
    for n in range(PER_PAGE + 3):
        _listed(session, company, n)
    far = client.get("/lists", params={"page": "99999"})
    assert far.status_code == 200
    assert "页码超出范围，已显示最后一页（第 2 页）" in far.text
    assert "第 2 / 2 页" in far.text and far.text.count('<td class="list-name">') == 3
    huge = client.get("/lists", params={"page": "9" * 5000})  # past what int() reads
    assert huge.status_code == 200 and "第 2 / 2 页" in huge.text
    word = client.get("/lists", params={"page": "abc"})
    assert word.status_code == 200 and "页码应为正整数" in word.text


def _csv(response) -> list[list[str]]:
    assert response.content.startswith("\ufeff".encode())  # the BOM Excel needs for UTF-8
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_csv_export_has_every_page_of_the_filter(client, session, company):
    for n in range(PER_PAGE + 5):
        _listed(session, company, n)
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 6, 1)), "sxbzxr")
    response = client.get("/lists/export.csv", params={"item": "yzsxmd", "region": "440106"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/csv")
    assert "filename*=UTF-8''" in response.headers["content-disposition"]
    rows = _csv(response)
    assert rows[0] == list_export.HEADERS
    assert len(rows) == 1 + PER_PAGE + 5  # both pages, not the other item
    assert {r[2] for r in rows[1:]} == {"严重失信主体名单"}
    assert rows[1][:2] == ["广州市某某科技有限公司", COMPANY_USCC]
    assert rows[1][3:5] == ["拖欠农民工工资数额较大", "广州市人力资源和社会保障局"]
    liwan = _csv(client.get("/lists/export.csv", params={"region": "440103"}))
    assert liwan == [list_export.HEADERS]


def test_exports_are_formula_safe_and_keep_the_reason_whole(client, session, company):
    reason = FORMULA + "。" + "情节严重" * 30
    _listed(session, company, 1, reason)
    (row,) = _csv(client.get("/lists/export.csv"))[1:]
    assert row[3] == "'" + reason  # a spreadsheet shows it as text, whole
    book = load_workbook(io.BytesIO(client.get("/lists/export.xlsx").content))
    sheet = book["名单"]
    assert [c.value for c in sheet[1]] == list_export.HEADERS
    cell = sheet.cell(row=2, column=4)
    assert cell.value == reason and cell.data_type == "s"  # a string, never a formula


def test_export_is_the_public_view(client, session, company):
    _listed(session, company, 1)
    _listed(session, company, 2, md_lrrq="2022-01-01")  # its 3-year window has passed
    rows = _csv(client.get("/lists/export.csv"))
    assert [r[0] for r in rows[1:]] == ["广州市某某科技有限公司"]
    assert all("证件号码" not in cell for cell in rows[0])


def test_an_export_past_the_cap_says_so(client, session, company, monkeypatch):
    monkeypatch.setattr(list_export, "EXPORT_MAX_ROWS", 3)
    for n in range(5):
        _listed(session, company, n)
    page = client.get("/lists").text
    assert "超过导出上限，仅导出前 3 条" in page
    response = client.get("/lists/export.csv")
    rows = _csv(response)
    assert response.headers["x-export-rows"] == "3" and len(rows) == 1 + 3 + 1
    assert rows[-1][0].startswith("共 5 条，仅导出前 3 条（导出上限 3 条）")
    sheet = load_workbook(io.BytesIO(client.get("/lists/export.xlsx").content))["名单"]
    assert sheet.max_row == 1 + 3 + 1 and "仅导出前 3 条" in sheet.cell(row=5, column=1).value


def test_an_unknown_export_format_is_the_404_page(client):
    response = client.get("/lists/export.pdf")
    assert response.status_code == 404 and "返回首页" in response.text
