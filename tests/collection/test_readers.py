"""Reading files as departments really send them: encodings, delimiters, title rows, sheets,
JSON shapes; and refusing, with the reason, what cannot be read."""

from __future__ import annotations

import json
import re
from datetime import date

import pytest
from openpyxl import Workbook

from tests.factories import penalty_row, write_csv
from xinyong.catalog import get_item, validate_payload
from xinyong.collection.readers import FileRefused, Format, Layout, open_table


@pytest.fixture
def xzcf(settings):  # type: ignore[no-untyped-def]  # settings: workbooks spool in its data folder
    return get_item("xzcf")


def _rows(table):
    return [row for chunk in table.chunks(2) for row in chunk]


def _values(table, number=0):
    _, cells, problem = _rows(table)[number]
    assert problem is None
    return {code: cells[i] for i, code in enumerate(table.fields) if code}


def _write_xlsx(path, rows, title=None, sheet="Sheet1", extra_sheets=()):
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name in extra_sheets:
        workbook.create_sheet(name).append(["填表说明：每行一条处罚决定"])
    target = workbook.create_sheet(sheet)
    if title:
        target.append([title])
        target.append([])
    headers = list(rows[0])
    target.append(headers)
    for row in rows:
        target.append([row[h] for h in headers])
    workbook.save(path)
    return path


@pytest.mark.parametrize(
    ("encoding", "expected"),
    [("utf-8", "utf-8"), ("utf-8-sig", "utf-8-sig"), ("gbk", "gbk"), ("utf-16", "utf-16")],
)
def test_csv_encodings_are_detected(xzcf, tmp_path, encoding, expected):
    table = open_table(write_csv(tmp_path / "p.csv", [penalty_row()], encoding), xzcf)
    assert table.layout.encoding == expected
    assert _values(table)["cf_xdr_mc"] == "广州市某某科技有限公司"


def test_gb18030_is_detected_when_gbk_cannot_decode(xzcf, tmp_path):
    # 𠮷 (U+20BB7) exists in GB18030 but not in GBK.
    path = write_csv(tmp_path / "p.csv", [penalty_row(法定代表人="𠮷大")], "gb18030")
    table = open_table(path, xzcf)
    assert table.layout.encoding == "gb18030"
    assert _values(table)["cf_frdb"] == "𠮷大"


def test_a_file_no_encoding_decodes_is_refused(xzcf, tmp_path):
    path = write_csv(tmp_path / "p.csv", [penalty_row()])
    path.write_bytes(path.read_bytes() + b"\x80\xff\x80\n")
    with pytest.raises(FileRefused) as refused:
        open_table(path, xzcf)
    assert refused.value.code == "file.encoding"
    assert "UTF-8" in refused.value.message and "GBK" in refused.value.message


@pytest.mark.parametrize("delimiter", ["\t", ";", "|"])
def test_other_delimiters(xzcf, tmp_path, delimiter):
    row = penalty_row()
    path = tmp_path / "p.txt"
    path.write_text(
        delimiter.join(row) + "\n" + delimiter.join(row.values()) + "\n", encoding="utf-8"
    )
    table = open_table(path, xzcf)
    assert table.layout.delimiter == delimiter
    assert _values(table)["cf_wsh"] == "穗市监罚〔2024〕101号"


def test_header_below_a_title_and_in_any_order_by_label_alias_or_code(xzcf, tmp_path):
    row = penalty_row()
    renamed = ("处罚决定日期", "行政相对人名称", "行政处罚决定书文号")
    headers = ["  处罚决定日期 ", "*行政相对人名称", "cf_wsh"]
    headers += [h for h in reversed(row) if h not in renamed]
    body = {"  处罚决定日期 ": "2024-03-15", "*行政相对人名称": "某公司", "cf_wsh": "文1"}
    body |= {h: row[h] for h in headers[3:]}
    path = tmp_path / "p.csv"
    lines = ["广州市市场监督管理局行政处罚信息报送表,,", "报送日期：2024-03-20", ",".join(headers)]
    lines.append(",".join(body[h] for h in headers))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    table = open_table(path, xzcf)
    assert table.header_row == 3
    values = _values(table)
    assert (values["cf_jdrq"], values["cf_xdr_mc"], values["cf_wsh"]) == (
        "2024-03-15",
        "某公司",
        "文1",
    )
    assert _rows(table)[0][0] == 4


def test_extra_and_repeated_columns_are_reported_and_ignored(xzcf, tmp_path):
    rows = [penalty_row() | {"经办人": "王五", "备注 ": "无"}]
    path = write_csv(tmp_path / "p.csv", rows)
    path.write_text(
        path.read_text().replace("经办人", "行政相对人名称", 1), encoding="utf-8"
    )  # a second 行政相对人名称 column
    table = open_table(path, xzcf)
    assert "行政相对人名称（重复列）" in table.extra_columns
    assert _values(table)["cf_xdr_mc"] == "广州市某某科技有限公司"


def test_missing_required_columns_are_all_named(xzcf, tmp_path):
    row = penalty_row()
    del row["处罚决定日期"], row["处罚机关"]
    with pytest.raises(FileRefused) as refused:
        open_table(write_csv(tmp_path / "p.csv", [row]), xzcf)
    assert refused.value.code == "file.missing_columns"
    assert refused.value.message == "缺少必填列：处罚决定日期、处罚机关"


@pytest.mark.parametrize(
    ("content", "code"),
    [(b"", "file.empty"), ("姓名,年龄\n张三,3\n".encode(), "file.header_not_found")],
)
def test_empty_file_and_file_without_header(xzcf, tmp_path, content, code):
    path = tmp_path / "p.csv"
    path.write_bytes(content)
    with pytest.raises(FileRefused) as refused:
        open_table(path, xzcf)
    assert refused.value.code == code


def test_blank_rows_are_skipped_short_rows_padded_long_rows_rejected(xzcf, tmp_path):
    row = penalty_row()
    values = list(row.values())
    path = tmp_path / "p.csv"
    lines = [
        ",".join(row),
        ",".join(values),
        ",,,",
        ",".join(values[:3]),
        ",".join([*values, "多"]),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = _rows(open_table(path, xzcf))
    assert [number for number, _, _ in rows] == [2, 4, 5]
    assert rows[1][1][3:] == [""] * (len(values) - 3) and rows[1][2] is None
    assert "比表头多 1 列" in rows[2][2]


def test_xlsx_first_sheet_with_title_row(xzcf, tmp_path):
    row = penalty_row() | {"罚款金额（万元）": 5, "处罚决定日期": date(2024, 3, 15)}
    path = _write_xlsx(tmp_path / "p.xlsx", [row], title="行政处罚信息")
    table = open_table(path, xzcf)
    assert table.layout == Layout(Format.XLSX, tuple(row), sheet="Sheet1")
    assert table.header_row == 3
    values = _values(table)
    assert values["cf_nr_fk"] == 5 and isinstance(values["cf_nr_fk"], int)
    assert values["cf_jdrq"] == date(2024, 3, 15)
    assert _rows(table)[0][0] == 4


def test_xlsx_code_typed_as_a_number_keeps_the_float_so_lost_digits_are_named(xzcf, tmp_path):
    row = penalty_row() | {"处罚机关统一社会信用代码": 914401011234567890}  # saved as a float
    values = _values(open_table(_write_xlsx(tmp_path / "p.xlsx", [row]), xzcf))
    assert isinstance(values["cf_cfjgdm"], float)
    (issue,) = validate_payload(xzcf, values, received_on=date(2024, 3, 20)).issues
    assert issue.message.startswith("处罚机关统一社会信用代码：在表格中被存成了数字")


def test_xlsx_named_sheet_or_first_sheet_with_a_header(xzcf, tmp_path):
    path = _write_xlsx(tmp_path / "p.xlsx", [penalty_row()], sheet="处罚", extra_sheets=["说明"])
    assert open_table(path, xzcf).layout.sheet == "处罚"
    assert open_table(path, xzcf, sheet="处罚").layout.sheet == "处罚"
    with pytest.raises(FileRefused) as refused:
        open_table(path, xzcf, sheet="许可")
    assert refused.value.code == "file.sheet_not_found"
    assert "说明、处罚" in refused.value.message


def test_a_broken_workbook_is_refused(xzcf, tmp_path):
    path = tmp_path / "p.xlsx"
    path.write_bytes(b"PK\x03\x04 not really a workbook")
    with pytest.raises(FileRefused) as refused:
        open_table(path, xzcf)
    assert refused.value.code == "file.xlsx"


def test_format_is_sniffed_when_the_name_says_nothing(xzcf, tmp_path):
    path = _write_xlsx(tmp_path / "upload", [penalty_row()])
    assert open_table(path, xzcf).layout.format is Format.XLSX
    path = tmp_path / "data"
    path.write_text(json.dumps([penalty_row()], ensure_ascii=False), encoding="utf-8")
    assert open_table(path, xzcf).layout.format is Format.JSON


def test_json_array_or_records_object(xzcf, tmp_path):
    for body in ([penalty_row()], {"records": [penalty_row()]}):
        path = tmp_path / "p.json"
        path.write_text(json.dumps(body, ensure_ascii=False), encoding="utf-8")
        table = open_table(path, xzcf)
        assert table.layout.format is Format.JSON
        assert _values(table)["cf_xdr_mc"] == "广州市某某科技有限公司"


def test_json_keys_are_the_union_and_non_objects_are_rejected_rows(xzcf, tmp_path):
    path = tmp_path / "p.json"
    records = [penalty_row(), 42, penalty_row() | {"附件": "a.pdf"}]
    path.write_text(json.dumps(records, ensure_ascii=False), encoding="utf-8")
    table = open_table(path, xzcf)
    assert table.extra_columns == ["附件"]
    rows = _rows(table)
    assert [number for number, _, _ in rows] == [1, 2, 3]
    assert "不是 JSON 对象" in rows[1][2]
    assert rows[2][1][-1] == "a.pdf"


def test_invalid_json_is_refused_with_its_position(xzcf, tmp_path):
    path = tmp_path / "p.json"
    path.write_text('[{"行政相对人名称": "某"},\n{oops}]', encoding="utf-8")
    with pytest.raises(FileRefused) as refused:
        open_table(path, xzcf)
    assert refused.value.code == "file.json"
    assert "第 2 行" in refused.value.message


def test_json_lines_with_a_broken_line(xzcf, tmp_path):
    path = tmp_path / "p.jsonl"
    good = json.dumps(penalty_row(), ensure_ascii=False)
    path.write_text(f"{good}\n\n{{broken\n{good}\n", encoding="utf-8")
    rows = _rows(open_table(path, xzcf))
    assert [(number, problem) for number, _, problem in rows] == [
        (1, None),
        (3, "该行不是有效的 JSON"),
        (4, None),
    ]


def test_layout_round_trips_and_has_a_chinese_label():
    layout = Layout(Format.CSV, ("名称", "日期"), encoding="gbk", delimiter=",")
    assert Layout.from_json(layout.json()) == layout
    assert layout.label == "CSV（GBK，逗号分隔）"
    assert Layout(Format.XLSX, (), sheet="处罚").label == "Excel（工作表“处罚”）"


def test_an_over_long_cell_is_named_in_chinese_not_blamed_on_quotes(xzcf, tmp_path):
    """issue 11 (Low, collection messages): the csv module's English 'field larger than field
    limit' reached the clerk, with advice about quotes."""
    path = write_csv(tmp_path / "p.csv", [penalty_row(违法事实="经查" * 70_000)])
    with pytest.raises(FileRefused) as refused:
        _rows(open_table(path, xzcf))
    assert refused.value.code == "file.cell_too_long"
    assert refused.value.message.startswith("第 2 行有一个值超过 131,072 个字符的上限")
    assert not re.search("[A-Za-z]{4,}", refused.value.message)
