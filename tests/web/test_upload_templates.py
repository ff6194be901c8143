"""issue 11: the upload page offers each catalog item's fields and a template (CSV and XLSX)
that the platform reads back as it is."""

import csv
import io
from urllib.parse import unquote

import pytest
from openpyxl import load_workbook

from tests.factories import csrf_of, sign_in
from xinyong.auth.models import Role
from xinyong.catalog import get_item, list_items
from xinyong.catalog.guide import field_guide
from xinyong.collection.upload_templates import template_xlsx


def _sign_in(client, session, role=Role.DATA_PROVIDER) -> str:
    """Signed in; the session's CSRF token (a new one after login)."""
    market = ("gz-scjg", "广州市市场监督管理局")
    return csrf_of(sign_in(client, session, role, market, "刘敏"))


@pytest.mark.parametrize("item", [i.code for i in list_items()])
def test_each_items_templates_hold_its_field_names_in_catalog_order(client, session, item):
    _sign_in(client, session)
    labels = [f.label for f in get_item(item).fields]
    sent = client.get(f"/admin/collection/templates/{item}.csv")
    assert sent.status_code == 200 and sent.content.startswith("\ufeff".encode())
    assert next(csv.reader(io.StringIO(sent.content.decode("utf-8-sig")))) == labels
    name = unquote(sent.headers["content-disposition"].split("filename*=UTF-8''")[1])
    assert name == f"{get_item(item).name}报送模板.csv"
    book = client.get(f"/admin/collection/templates/{item}.xlsx")
    sheet = load_workbook(io.BytesIO(book.content), read_only=True).active
    assert [c.value for c in next(sheet.iter_rows())] == labels


@pytest.mark.parametrize("kind", ["csv", "xlsx"])
def test_a_template_sent_back_as_it_is_reads_as_header_only(client, session, kind):
    csrf = _sign_in(client, session)
    template = client.get(f"/admin/collection/templates/xzcf.{kind}").content
    answer = client.post(
        "/admin/collection",
        data={"csrf": csrf, "item": "xzcf"},
        files={"file": (f"模板.{kind}", template)},
    )
    assert "文件只有表头，没有数据行" in answer.text
    assert "不在“行政处罚”目录中" not in answer.text  # every header is recognised


def test_templates_are_for_those_who_may_send(client, session):
    anonymous = client.get("/admin/collection/templates/xzcf.csv", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"] == "/admin/login"
    _sign_in(client, session, Role.SERVICE_WINDOW)
    refused = client.get("/admin/collection/templates/xzcf.csv")
    assert refused.status_code == 403 and "不能使用数据归集功能" in refused.text


def test_an_unknown_item_has_no_template(client, session):
    _sign_in(client, session)
    for path in ("nope.csv", "xzcf.exe"):
        answer = client.get(f"/admin/collection/templates/{path}")
        assert answer.status_code == 404 and "没有这个目录项的报送模板" in answer.text


def test_the_upload_page_lists_each_fields_need_and_format(client, session):
    _sign_in(client, session)
    page = client.get("/admin/collection").text
    guide = {g.label: g for g in field_guide(get_item("xzcf"))}
    assert guide["行政相对人名称"].need == "必填"
    assert guide["罚款金额（万元）"].need == "条件必填：处罚类别为“罚款”时"
    assert guide["备注"].need == "选填" and "万元" in guide["罚款金额（万元）"].format
    assert "条件必填：处罚类别为“罚款”时" in page.replace("&#34;", '"')
    assert 'href="/admin/collection/templates/xzcf.xlsx"' in page
    assert '<script src="/static/upload.js"></script>' in page


def test_code_columns_are_text_so_excel_keeps_every_digit():
    """An 18-digit ID number typed into a General column loses its last digits in Excel."""
    sheet = load_workbook(io.BytesIO(template_xlsx(get_item("xzcf")))).active
    formats = {c.value: sheet.column_dimensions[c.column_letter].number_format for c in sheet[1]}
    assert formats["证件号码"] == "@" and formats["统一社会信用代码"] == "@"
    assert formats["处罚决定日期"] == "General" and formats["罚款金额（万元）"] == "General"
