import json
from datetime import date
from decimal import Decimal

import pytest

from xinyong.catalog import (
    get_item,
    list_items,
    natural_key_of,
    resolve_header,
    subject_type_of,
    validate_payload,
)
from xinyong.errors import InvalidCode, NotFound
from xinyong.policy.enums import SubjectType

RECEIVED = date(2024, 3, 1)
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def org_code(body: str) -> str:
    """GB 11714: 8 characters + check (weights 3,7,9,10,5,8,4,2; 10 → X, 11 → 0)."""
    total = sum(int(c, 36) * w for c, w in zip(body, (3, 7, 9, 10, 5, 8, 4, 2), strict=True))
    check = 11 - total % 11
    return body + {10: "X", 11: "0"}.get(check, str(check))


def uscc(prefix: str, body: str) -> str:
    """GB 32100: 8-character prefix + organisation code + check (weights 3^i mod 31)."""
    head = prefix + org_code(body)
    total = sum(USCC_ALPHABET.index(c) * pow(3, i, 31) for i, c in enumerate(head))
    return head + USCC_ALPHABET[(31 - total % 31) % 31]


def id_number(body: str) -> str:
    """GB 11643: 17 digits + check (Σ mod 11 → 10X98765432)."""
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    return body + "10X98765432"[sum(int(c) * w for c, w in zip(body, weights, strict=True)) % 11]


COMPANY = uscc("91440101", "MA5CXY12")
AUTHORITY = uscc("11440100", "00768456")
PERSON = id_number("44010619900101123")


def _broken_uscc() -> str:
    return COMPANY[:-1] + ("0" if COMPANY[-1] != "0" else "1")


@pytest.fixture
def xzcf():
    return get_item("xzcf")


@pytest.fixture
def penalty():
    """A 行政处罚 row as a market-regulation bureau sends it."""
    return {
        "cf_xdr_mc": "广州市示例贸易有限公司",
        "cf_xdr_lb": "法人及非法人组织",
        "cf_xdr_shxym": COMPANY,
        "cf_frdb": "张三",
        "cf_wsh": "穗市监罚〔2024〕12号",
        "cf_wfxw": "销售不合格产品",
        "cf_sy": "经查，当事人销售的产品经抽检不合格。",
        "cf_yj": "《中华人民共和国产品质量法》第四十九条",
        "cf_cflb": "罚款",
        "cf_nr": "罚款人民币伍仟元整",
        "cf_nr_fk": "0.5",
        "cf_jdrq": "2024-01-05",
        "cf_yxq": "2025-01-05",
        "cf_cfjg": "广州市市场监督管理局",
        "cf_cfjgdm": AUTHORITY,
        "cf_sjly": "广州市市场监督管理局",
        "cf_sjlydm": AUTHORITY,
    }


def _validate(item, row):
    return validate_payload(item, row, received_on=RECEIVED)


def _only_issue(result):
    assert len(result.issues) == 1, result.issues
    return result.issues[0]


# --- lookup -----------------------------------------------------------------------------


def test_get_item_by_code_or_chinese_name():
    assert get_item("xzcf").name == "行政处罚"
    assert get_item("行政许可").code == "xzxk"
    assert get_item(" 失信被执行人 ").code == "sxbzxr"


def test_unknown_item_is_not_found_with_a_chinese_message():
    with pytest.raises(NotFound) as caught:
        get_item("行政表扬")
    assert caught.value.message == "信用信息目录中没有“行政表扬”"
    assert caught.value.code == "catalog.item_not_found"


def test_list_items_in_display_order():
    codes = [item.code for item in list_items()]
    assert codes[:3] == ["xzxk", "xzcf", "xzqz"] and len(codes) == 20


@pytest.mark.parametrize(
    ("header", "code"),
    [
        ("cf_wsh", "cf_wsh"),
        ("CF_WSH", "cf_wsh"),
        ("行政处罚决定书文号", "cf_wsh"),
        ("　行政处罚 决定书文号　", "cf_wsh"),
        ("决定书文号", "cf_wsh"),
        ("罚款金额(万元)", "cf_nr_fk"),
        ("罚款金额（万元）", "cf_nr_fk"),
        ("*处罚决定日期", "cf_jdrq"),
        ("行政相对人代码_1(统一社会信用代码)", "cf_xdr_shxym"),
    ],
)
def test_resolve_header_by_code_label_or_alias(xzcf, header, code):
    field = resolve_header(xzcf, header)
    assert field is not None and field.code == code


def test_resolve_header_unknown(xzcf):
    assert resolve_header(xzcf, "联系电话") is None


# --- good rows --------------------------------------------------------------------------


def test_good_penalty_row_is_typed(xzcf, penalty):
    result = _validate(xzcf, penalty)
    assert result.ok, result.issues
    values = result.values
    assert values["cf_jdrq"] == date(2024, 1, 5)
    assert values["cf_nr_fk"] == Decimal("0.5")
    assert values["cf_cflb"] == ["fine"]
    assert values["cf_xdr_lb"] == "legal_entity"
    assert values["cf_xdr_shxym"] == COMPANY
    assert subject_type_of(xzcf, values) is SubjectType.ENTERPRISE


@pytest.mark.parametrize(
    "text",
    ["2024-01-05", "2024/1/5", "2024年1月5日", "20240105", "２０２４-０１-０５", " 2024.1.5 "],
)
def test_dates_in_the_forms_departments_send(xzcf, penalty, text):
    result = _validate(xzcf, {**penalty, "cf_jdrq": text})
    assert result.ok and result.values["cf_jdrq"] == date(2024, 1, 5)


def test_date_objects_are_accepted(xzcf, penalty):
    result = _validate(xzcf, {**penalty, "cf_jdrq": date(2024, 1, 5)})
    assert result.values["cf_jdrq"] == date(2024, 1, 5)


@pytest.mark.parametrize(
    ("text", "amount"),
    [("1,234.5", "1234.5"), ("１２３４.５", "1234.5"), ("1，000", "1000"), (0.5, "0.5"), (3, "3")],
)
def test_amounts_with_separators_and_full_width_digits(xzcf, penalty, text, amount):
    result = _validate(xzcf, {**penalty, "cf_nr_fk": text})
    assert result.ok and result.values["cf_nr_fk"] == Decimal(amount)


def test_code_list_accepts_code_label_or_alias_and_several_values(xzcf, penalty):
    result = _validate(
        xzcf, {**penalty, "cf_cflb": "罚款；没收违法所得、warning", "cf_nr_wfff": "0.1"}
    )
    assert result.values["cf_cflb"] == ["fine", "confiscate_income", "warning"]
    assert _validate(xzcf, {**penalty, "cf_xdr_lb": "法人"}).values["cf_xdr_lb"] == "legal_entity"


def test_several_code_list_values_separated_by_spaces_only(xzcf, penalty):
    result = _validate(xzcf, {**penalty, "cf_cflb": "罚款　警告"})
    assert result.values["cf_cflb"] == ["fine", "warning"]
    (issue,) = _validate(xzcf, {**penalty, "cf_cflb": "罚款 打板子"}).issues
    assert issue.message == "处罚类别：“打板子”不是有效的处罚类别"


def test_spaces_around_values_are_stripped(xzcf, penalty):
    result = _validate(xzcf, {**penalty, "cf_wsh": "　穗市监罚〔2024〕12号 ", "cf_frdb": "  "})
    assert result.values["cf_wsh"] == "穗市监罚〔2024〕12号"
    assert "cf_frdb" not in result.values


def test_payload_keyed_by_chinese_headers(xzcf, penalty):
    by_label = {xzcf.field(code).label: value for code, value in penalty.items()}
    result = _validate(xzcf, {**by_label, "联系电话": "020-12345678"})
    assert result.ok and result.values == _validate(xzcf, penalty).values


def test_natural_person_with_id_card(xzcf, penalty):
    person = {
        **penalty,
        "cf_xdr_mc": "李四",
        "cf_xdr_lb": "自然人",
        "cf_xdr_shxym": None,
        "cf_frdb": None,
        "cf_xdr_zjlx": "身份证",
        "cf_xdr_zjhm": PERSON[:-1] + PERSON[-1].lower(),
    }
    result = _validate(xzcf, person)
    assert result.ok, result.issues
    assert result.values["cf_xdr_zjlx"] == "111"
    assert subject_type_of(xzcf, result.values) is SubjectType.NATURAL_PERSON


def test_long_code_stored_as_a_spreadsheet_number_is_named_as_such(xzcf, penalty):
    person = {**penalty, "cf_xdr_lb": "自然人", "cf_xdr_shxym": None, "cf_frdb": None}
    person |= {"cf_xdr_zjlx": "身份证", "cf_xdr_zjhm": float(PERSON[:-1] + "0")}
    (issue,) = _validate(xzcf, person).issues
    assert issue.message.startswith("证件号码：在表格中被存成了数字，末几位已丢失")


def test_json_is_json_safe(xzcf, penalty):
    data = _validate(xzcf, {**penalty, "bz": None}).json()
    assert data["ok"] is True and data["issues"] == []
    assert data["values"]["cf_jdrq"] == "2024-01-05" and data["values"]["cf_nr_fk"] == "0.5"
    assert "bz" not in data["values"]
    json.dumps(data, ensure_ascii=False)


# --- bad values -------------------------------------------------------------------------


def test_missing_required_field(xzcf, penalty):
    del penalty["cf_wsh"]
    issue = _only_issue(_validate(xzcf, penalty))
    assert (issue.field, issue.code) == ("cf_wsh", "field.required")
    assert issue.message == "缺少必填项“行政处罚决定书文号”"


def test_blank_required_field_counts_as_missing(xzcf, penalty):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_cfjg": "　"}))
    assert issue.message == "缺少必填项“处罚机关”"


@pytest.mark.parametrize("text", ["2024-13-05", "明年", "05/01/2024"])
def test_bad_date(xzcf, penalty, text):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_yxq": text}))
    assert issue.code == "field.date" and issue.message.startswith("处罚有效期：日期")


def test_bad_decision_date_message(xzcf, penalty):
    result = _validate(xzcf, {**penalty, "cf_jdrq": "2024-1-5号"})
    assert result.issues[0].message == "处罚决定日期：日期格式不正确"


def test_bad_amount(xzcf, penalty):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_nr_fk": "五千元"}))
    assert (issue.code, issue.message) == ("field.decimal", "罚款金额（万元）：不是有效的数字")


def test_negative_amount(xzcf, penalty):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_nr_fk": "-1"}))
    assert issue.code == "field.minimum"


def test_value_outside_the_code_list(xzcf, penalty):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_cflb": "罚款、训诫"}))
    assert issue.code == "field.codelist" and "“训诫”不是有效的处罚类别" in issue.message


def test_too_long(xzcf, penalty):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_wsh": "号" * 129}))
    assert issue.code == "field.too_long" and issue.message.startswith("行政处罚决定书文号：")


def test_uscc_checksum_error_uses_the_codes_message(xzcf, penalty):
    from xinyong.codes import validate_uscc

    broken = _broken_uscc()
    with pytest.raises(InvalidCode) as expected:
        validate_uscc(broken)
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_xdr_shxym": broken}))
    assert issue.field == "cf_xdr_shxym" and issue.code == expected.value.code
    assert expected.value.message in issue.message


def test_authority_uscc_error_names_the_field(xzcf, penalty):
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_cfjgdm": _broken_uscc()}))
    assert issue.message.startswith("处罚机关统一社会信用代码")


# --- cross-field rules (each cites its source) -----------------------------------------


def test_xzcf_fine_required_when_category_includes_fine(xzcf, penalty):
    """《行政处罚法》（2021）第九条 names 罚款 as a kind of penalty; the 双公示 data standard
    requires 罚款金额（万元） when 处罚类别 includes it."""
    del penalty["cf_nr_fk"]
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_cflb": "警告;罚款"}))
    assert (issue.field, issue.code) == ("cf_nr_fk", "rule.required_if")
    assert issue.message == "处罚类别包含“罚款”时必须填写“罚款金额（万元）”"
    assert _validate(xzcf, {**penalty, "cf_cflb": "警告"}).ok


def test_xzcf_confiscation_amount_required_when_income_confiscated(xzcf, penalty):
    """《行政处罚法》（2021）第九条 没收违法所得; data standard: the amount is then required."""
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_cflb": "罚款、没收违法所得"}))
    assert issue.field == "cf_nr_wfff"


def test_xzcf_license_named_when_license_revoked(xzcf, penalty):
    """《行政处罚法》（2021）第九条 吊销许可证件; data standard: name and number of the licence."""
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_cflb": "罚款;吊销营业执照"}))
    assert issue.field == "cf_nr_zkdx"


def test_xzcf_decision_date_not_after_the_day_received(xzcf, penalty):
    """Data-quality rule (本市规定): a decision cannot be dated after it reaches the platform."""
    result = validate_payload(
        xzcf, {**penalty, "cf_jdrq": "2024-03-02", "cf_yxq": "2025-03-02"}, received_on=RECEIVED
    )
    issue = _only_issue(result)
    assert (issue.code, issue.message) == ("rule.not_future", "处罚决定日期晚于报送日期")


def test_received_on_defaults_to_the_clock_today(xzcf, penalty):
    from datetime import UTC, datetime

    from xinyong import clock

    with clock.frozen_at(datetime(2024, 1, 4, 12, tzinfo=UTC)):
        assert _only_issue(validate_payload(xzcf, penalty)).code == "rule.not_future"


def test_xzcf_validity_not_before_decision(xzcf, penalty):
    """双公示 data standard: 处罚有效期 is the end of the penalty, after the decision date."""
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_yxq": "2023-12-31"}))
    assert (issue.field, issue.code) == ("cf_yxq", "rule.date_order")
    assert issue.message == "处罚有效期早于处罚决定日期"


def test_xzxk_valid_from_not_after_valid_until():
    """双公示 data standard: 有效期自 ≤ 有效期至."""
    item = get_item("xzxk")
    row = {
        "xk_xdr_mc": "广州市示例贸易有限公司",
        "xk_xdr_lb": "法人及非法人组织",
        "xk_xdr_shxym": COMPANY,
        "xk_xkws": "食品经营许可决定书",
        "xk_wsh": "穗食经许〔2024〕8号",
        "xk_xklb": "普通",
        "xk_nr": "预包装食品销售",
        "xk_jdrq": "2024/2/1",
        "xk_yxqz": "2024/2/1",
        "xk_yxqzi": "2029/1/31",
        "xk_xkjg": "广州市市场监督管理局",
        "xk_xkjgdm": AUTHORITY,
        "xk_zt": "有效",
        "xk_lydw": "广州市市场监督管理局",
        "xk_lydwdm": AUTHORITY,
    }
    assert _validate(item, row).ok
    issue = _only_issue(_validate(item, {**row, "xk_yxqzi": "2024-01-31"}))
    assert (issue.field, issue.message) == ("xk_yxqzi", "有效期自晚于有效期至")


def test_legal_entity_counterpart_needs_a_uscc(xzcf, penalty):
    """双公示 data standard: 法人及非法人组织 and 个体工商户 carry a 统一社会信用代码."""
    issue = _only_issue(_validate(xzcf, {**penalty, "cf_xdr_shxym": ""}))
    assert (issue.field, issue.code) == ("cf_xdr_shxym", "rule.identifier")
    assert issue.message == "行政相对人类别为“法人及非法人组织”时必须填写“统一社会信用代码”"


def test_natural_person_needs_a_valid_id_number(xzcf, penalty):
    """双公示 data standard: a 自然人 carries 证件类型 and 证件号码; an ID card number must pass
    its GB 11643 check."""
    person = {**penalty, "cf_xdr_lb": "自然人", "cf_xdr_shxym": None, "cf_frdb": None}
    missing = _validate(xzcf, person)
    assert {i.field for i in missing.issues} == {"cf_xdr_zjlx", "cf_xdr_zjhm"}
    wrong = PERSON[:-1] + ("0" if PERSON[-1] != "0" else "1")
    issue = _only_issue(_validate(xzcf, {**person, "cf_xdr_zjlx": "身份证", "cf_xdr_zjhm": wrong}))
    assert issue.field == "cf_xdr_zjhm" and issue.code != "rule.identifier"
    passport = {**person, "cf_xdr_zjlx": "护照", "cf_xdr_zjhm": "E12345678"}
    assert _validate(xzcf, passport).ok


# --- natural keys -----------------------------------------------------------------------


def test_natural_key_joins_document_number_and_counterpart(xzcf, penalty):
    values = _validate(xzcf, penalty).values
    assert natural_key_of(xzcf, values) == f"穗市监罚〔2024〕12号|{COMPANY}|"


def test_natural_key_is_stable_across_spacing_and_width(xzcf, penalty):
    first = _validate(xzcf, penalty).values
    again = _validate(xzcf, {**penalty, "cf_wsh": "穗市监罚〔２０２４〕 12号"}).values
    assert natural_key_of(xzcf, first) == natural_key_of(xzcf, again)
