"""Files that look like real government open-data 双公示 files, through the collection service:
header variants and exchange-format codes, 长期, datetimes with a time zone, 拘留, a missing
行政相对人类别, a bad legacy code beside a good USCC, amounts in 元 or 万元 (issue 11)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from openpyxl import Workbook
from sqlalchemy import select

from tests.factories import COMPANY_USCC, penalty_row, person_row, write_csv
from xinyong import codes
from xinyong.catalog import get_item, resolve_header
from xinyong.collection import service
from xinyong.records.models import Record

pytestmark = pytest.mark.usefixtures("received")

LONG_TERM = date(2099, 12, 31)


def _ingest(sessions, path, department, item="行政处罚"):
    return service.ingest(sessions, path, item, department)


def _reasons(sessions, batch_id):
    with sessions() as session:
        return dict(service.rejection_reasons(session, batch_id))


def _payloads(sessions):
    with sessions() as session:
        return [r.payload for r in session.scalars(select(Record).order_by(Record.id))]


def _amounts(sessions):
    with sessions() as session:
        return list(session.scalars(select(Record.amount_yuan).order_by(Record.id)))


def _renamed(row, **names):
    """The row with some of its headers spelled as another file spells them."""
    return {names.get(key, key): value for key, value in row.items()}


def _write_xlsx(path, rows):
    workbook = Workbook()
    sheet = workbook.active
    headers = list(dict.fromkeys(key for row in rows for key in row))
    sheet.append(headers)
    for row in rows:
        sheet.append([row.get(h, "") for h in headers])
    workbook.save(path)
    return path


# --- 长期, datetimes with a time zone, 拘留 ------------------------------------------------


def test_long_term_validity_is_read_as_2099_12_31(sessions, department, tmp_path):
    """Issue 11, "What real files showed": 长期 in 处罚有效期 means 2099-12-31, as the
    standard writes an open-ended period; it is not rejected as a bad date."""
    path = write_csv(tmp_path / "p.csv", [penalty_row(处罚有效期="长期")])
    receipt = _ingest(sessions, path, department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    assert _payloads(sessions)[0]["cf_yxq"] == LONG_TERM.isoformat()


def test_long_term_licence_is_read_as_2099_12_31(sessions, department, tmp_path):
    """Issue 11, "What real files showed": 长期 in 有效期至 of a 行政许可."""
    row = {
        "行政相对人名称": "广州市某某科技有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "张三",
        "行政许可决定文书名称": "食品经营许可决定书",
        "行政许可决定文书号": "穗食许〔2024〕1号",
        "许可类别": "普通",
        "许可内容": "食品销售",
        "许可决定日期": "2024-03-15",
        "有效期自": "2024-03-15",
        "有效期至": "长期",
        "许可机关": "广州市市场监督管理局",
        "许可机关统一社会信用代码": penalty_row()["处罚机关统一社会信用代码"],
        "当前状态": "有效",
        "数据来源单位": "广州市市场监督管理局",
        "数据来源单位统一社会信用代码": penalty_row()["处罚机关统一社会信用代码"],
    }
    receipt = _ingest(sessions, write_csv(tmp_path / "l.csv", [row]), department, "行政许可")
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    assert _payloads(sessions)[0]["xk_yxqzi"] == LONG_TERM.isoformat()


def test_datetimes_with_a_time_zone_are_read_as_the_beijing_date(sessions, department, tmp_path):
    """Issue 11, "What real files showed": ISO datetimes with a zone are dates in Beijing time
    (16:30 UTC on the 14th is already the 15th in Beijing)."""
    rows = [
        penalty_row(处罚决定日期="2024-03-05T10:00:00+08:00"),
        penalty_row(
            行政处罚决定书文号="穗市监罚〔2024〕109号",
            处罚决定日期="2024-03-14T16:30:00Z",
            处罚有效期="2025-03-15T00:00:00.000+08:00",
        ),
    ]
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert (receipt.new, receipt.rejected) == (2, 0), _reasons(sessions, receipt.batch_id)
    first, second = _payloads(sessions)
    assert first["cf_jdrq"] == "2024-03-05"
    assert (second["cf_jdrq"], second["cf_yxq"]) == ("2024-03-15", "2025-03-15")


def test_detention_written_as_ju_liu_is_administrative_detention(sessions, department, tmp_path):
    """Issue 11, "What real files showed": 拘留 is 行政拘留 (行政处罚法 第九条)."""
    row = person_row(处罚类别="拘留", 处罚内容="行政拘留五日", **{"罚款金额（万元）": ""})
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    assert _payloads(sessions)[0]["cf_cflb"] == ["detention"]


# --- header variants ------------------------------------------------------------------------


def test_header_variants_of_open_data_files_are_aliases(sessions, department, tmp_path):
    """Issue 11, "What real files showed": 被处罚人姓名, 行政执法单位名称 are headers of real
    files; they name the counterpart and the deciding authority."""
    row = _renamed(penalty_row(), 行政相对人名称="被处罚人姓名", 处罚机关="行政执法单位名称")
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    payload = _payloads(sessions)[0]
    assert payload["cf_xdr_mc"] == "广州市某某科技有限公司"
    assert payload["cf_cfjg"] == "广州市市场监督管理局"


def test_exchange_format_field_codes_are_aliases(sessions, department, tmp_path):
    """Issue 11, "What real files showed": 信用中国's exchange format names columns by code
    (`cf_wsh`, `uni_social_crd_cd`, upper or lower case); an .xlsx written that way is read."""
    row = _renamed(
        penalty_row(),
        行政相对人名称="CF_XDR_MC",
        统一社会信用代码="uni_social_crd_cd",
        行政处罚决定书文号="cf_wsh",
    )
    receipt = _ingest(sessions, _write_xlsx(tmp_path / "p.xlsx", [row]), department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    payload = _payloads(sessions)[0]
    assert (payload["cf_xdr_shxym"], payload["cf_wsh"]) == (COMPANY_USCC, "穗市监罚〔2024〕101号")


def test_licence_exchange_codes_name_the_counterpart():
    """Issue 11, "What real files showed": exchange codes and variants in a 行政许可 file."""
    xzxk = get_item("xzxk")
    assert resolve_header(xzxk, "xk_xdr_mc").code == "xk_xdr_mc"
    assert resolve_header(xzxk, "UNI_SOCIAL_CRD_CD").code == "xk_xdr_shxym"
    assert resolve_header(xzxk, "行政执法单位名称").code == "xk_xkjg"


# --- a missing 行政相对人类别 ------------------------------------------------------------------


def test_missing_counterpart_category_is_derived_from_the_code_with_a_warning(
    sessions, department, tmp_path
):
    """Issue 11, "What real files showed": a file without 行政相对人类别 gets it from the code —
    the USCC's first two characters (92 个体工商户, else 法人及非法人组织) or an ID number
    (自然人) — and the receipt says so under 提示."""
    shop_uscc = codes.make_uscc("92440106" + codes.make_org_code("MA5CXQ7F"))
    rows = [
        penalty_row(),
        penalty_row(
            行政相对人名称="广州市某某小吃店",
            统一社会信用代码=shop_uscc,
            行政处罚决定书文号="穗市监罚〔2024〕103号",
        ),
        person_row(),
    ]
    for row in rows:
        del row["行政相对人类别"]
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert (receipt.new, receipt.rejected) == (3, 0), _reasons(sessions, receipt.batch_id)
    assert [p["cf_xdr_lb"] for p in _payloads(sessions)] == [
        "legal_entity",
        "individual_business",
        "natural_person",
    ]
    derived = [w for w in receipt.warnings if "行政相对人类别" in w]
    assert len(derived) == 3
    assert derived[0].startswith("第 2 行") and "法人及非法人组织" in derived[0]
    assert "个体工商户" in derived[1] and "自然人" in derived[2]


def test_missing_category_without_any_code_is_still_rejected(sessions, department, tmp_path):
    """Issue 11, "What real files showed": nothing to derive from, the row is rejected."""
    rows = [penalty_row(统一社会信用代码="")]
    del rows[0]["行政相对人类别"]
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", rows), department)
    assert receipt.rejected == 1
    assert "行政相对人类别" in _reasons(sessions, receipt.batch_id)[2]


# --- a bad legacy code beside a good USCC ----------------------------------------------------


def test_bad_legacy_code_with_a_valid_uscc_is_a_warning(sessions, department, tmp_path):
    """Issue 11, "What real files showed": a wrong 工商注册号 or 组织机构代码 is a warning, not a
    rejection, when a valid USCC identifies the subject; the wrong code is not stored."""
    row = penalty_row(工商注册号="440106000000000", 组织机构代码="12345678-0")
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    payload = _payloads(sessions)[0]
    assert "cf_xdr_gszc" not in payload and "cf_xdr_zzjg" not in payload
    notes = [w for w in receipt.warnings if w.startswith("第 2 行")]
    assert any("工商注册号" in w for w in notes) and any("组织机构代码" in w for w in notes)


def test_bad_legacy_code_without_a_uscc_is_still_rejected(sessions, department, tmp_path):
    """Issue 11, "What real files showed": without a valid USCC the wrong code stays an error."""
    row = person_row(工商注册号="440106000000000")
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert receipt.rejected == 1
    assert "工商注册号" in _reasons(sessions, receipt.batch_id)[2]


# --- amounts in 元 or 万元 (item 10) ---------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["罚款金额（元）", "罚款金额(元)", "罚款金额/元", "罚款数额（单位：元）"]
)
def test_fine_header_in_yuan_is_converted_to_wan_yuan(sessions, department, tmp_path, header):
    """Issue 11 item 10: a header that states 元 is converted to the field's unit (万元)."""
    row = _renamed(penalty_row(处罚内容="罚款四百元"), **{"罚款金额（万元）": header})
    row[header] = "400"
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    assert Decimal(_payloads(sessions)[0]["cf_nr_fk"]) == Decimal("0.04")
    assert _amounts(sessions) == [Decimal(400)]


def test_confiscation_header_in_yuan_is_converted(sessions, department, tmp_path):
    """Issue 11 item 10: 没收违法所得、没收非法财物的金额 is in 万元 too; a 元 header converts."""
    row = penalty_row(
        处罚类别="罚款;没收违法所得",
        处罚内容="罚款人民币伍万元，没收违法所得3000元",
        **{"没收违法所得金额（元）": "3000"},
    )
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert (receipt.new, receipt.rejected) == (1, 0), _reasons(sessions, receipt.batch_id)
    assert Decimal(_payloads(sessions)[0]["cf_nr_wfff"]) == Decimal("0.3")


def test_fine_header_in_wan_yuan_is_kept(sessions, department, tmp_path):
    """Issue 11 item 10: 罚款金额(万元) is the template's own unit."""
    row = _renamed(penalty_row(), **{"罚款金额（万元）": "罚款金额(万元)"})
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert receipt.new == 1, _reasons(sessions, receipt.batch_id)
    assert _amounts(sessions) == [Decimal(50000)]


def test_unitless_fine_agreeing_with_the_text_is_read_as_wan_yuan(sessions, department, tmp_path):
    """Issue 11 item 10: a unit-less 罚款金额 is read as 万元 when 处罚内容 agrees."""
    row = _renamed(penalty_row(处罚内容="罚款3.5万元"), **{"罚款金额（万元）": "罚款金额"})
    row["罚款金额"] = "3.5"
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert receipt.new == 1, _reasons(sessions, receipt.batch_id)
    assert _amounts(sessions) == [Decimal(35000)]


def test_fine_in_yuan_sent_as_wan_yuan_is_rejected_naming_both_values(
    sessions, department, tmp_path
):
    """Issue 11 item 10: 400 under 罚款金额 beside "罚款四百元" would publish ¥4,000,000; the row
    is rejected with a reason naming both values."""
    row = _renamed(penalty_row(处罚内容="罚款四百元"), **{"罚款金额（万元）": "罚款数额"})
    row["罚款数额"] = "400"
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert (receipt.new, receipt.rejected) == (0, 1)
    reason = _reasons(sessions, receipt.batch_id)[2]
    assert "罚款金额 400 万元与处罚内容“罚款四百元”相差约一万倍，请确认单位" in reason
    assert _amounts(sessions) == []


def test_a_small_confiscation_is_not_compared_with_the_fine_in_the_text(
    sessions, department, tmp_path
):
    """Issue 11 item 10: each amount is compared with what the text says of it — a 75 元
    confiscation beside "罚款人民币586,000元；没收违法所得" is not a unit error."""
    row = penalty_row(处罚内容="罚款人民币586,000元；没收违法所得")
    row["罚款金额（万元）"] = "58.6"
    row["没收违法所得、没收非法财物的金额（万元）"] = "0.0075"
    receipt = _ingest(sessions, write_csv(tmp_path / "p.csv", [row]), department)
    assert receipt.new == 1, _reasons(sessions, receipt.batch_id)
    wrong = penalty_row(处罚内容="没收违法所得3000元，罚款5万元")
    wrong["罚款金额（万元）"] = "5"
    wrong["没收违法所得、没收非法财物的金额（万元）"] = "3000"  # 元 sent as 万元
    receipt = _ingest(sessions, write_csv(tmp_path / "q.csv", [wrong]), department)
    assert receipt.rejected == 1 and "没收违法所得" in _reasons(sessions, receipt.batch_id)[2]
