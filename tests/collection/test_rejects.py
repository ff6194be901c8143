"""Rejected rows go back in the format they came in, with one added column 错误原因."""

from __future__ import annotations

import codecs
import io
import json

import pytest
from python_calamine import CalamineWorkbook

from xinyong.collection.readers import Format, Layout
from xinyong.collection.rejects import rejected_filename, write_rejected

HEADERS = ("行政相对人名称", "处罚决定日期", "罚款金额（万元）")
ROWS = [
    (["某公司", "2024-13-01", "5"], "处罚决定日期：日期不存在"),
    (["某某店", "2024-03-01"], "罚款金额（万元）：必须填写"),  # a short row is padded
]


def _written(layout: Layout) -> bytes:
    out = io.BytesIO()
    write_rejected(out, layout, ROWS)
    return out.getvalue()


@pytest.mark.parametrize(
    ("encoding", "delimiter"), [("utf-8", ","), ("utf-8-sig", ";"), ("gbk", "\t")]
)
def test_csv_keeps_encoding_delimiter_and_columns(encoding, delimiter):
    data = _written(Layout(Format.CSV, HEADERS, encoding=encoding, delimiter=delimiter))
    assert data.startswith(codecs.BOM_UTF8) == (encoding == "utf-8-sig")
    lines = data.decode(encoding).splitlines()
    assert lines == [
        delimiter.join([*HEADERS, "错误原因"]),
        delimiter.join(["某公司", "2024-13-01", "5", "处罚决定日期：日期不存在"]),
        delimiter.join(["某某店", "2024-03-01", "", "罚款金额（万元）：必须填写"]),
    ]


def test_xlsx_keeps_the_sheet_name(tmp_path):
    path = tmp_path / "r.xlsx"
    path.write_bytes(_written(Layout(Format.XLSX, HEADERS, sheet="处罚")))
    workbook = CalamineWorkbook.from_path(str(path))
    assert workbook.sheet_names == ["处罚"]
    rows = workbook.get_sheet_by_name("处罚").to_python()
    assert rows[0] == [*HEADERS, "错误原因"]
    assert rows[2] == ["某某店", "2024-03-01", "", "罚款金额（万元）：必须填写"]


def test_json_array_and_json_lines():
    expected = [
        {"行政相对人名称": "某公司", "处罚决定日期": "2024-13-01", "罚款金额（万元）": "5"}
        | {"错误原因": "处罚决定日期：日期不存在"},
        {"行政相对人名称": "某某店", "处罚决定日期": "2024-03-01"}
        | {"错误原因": "罚款金额（万元）：必须填写"},
    ]
    assert json.loads(_written(Layout(Format.JSON, HEADERS))) == expected
    lines = _written(Layout(Format.JSONL, HEADERS)).decode().splitlines()
    assert [json.loads(line) for line in lines] == expected


@pytest.mark.parametrize(
    ("original", "kind", "name"),
    [
        ("2024年3月处罚.csv", Format.CSV, "2024年3月处罚_错误数据.csv"),
        ("处罚.xls", Format.XLSX, "处罚_错误数据.xlsx"),
        ("接口报送.jsonl", Format.JSONL, "接口报送_错误数据.jsonl"),
        ("", Format.JSON, "报送数据_错误数据.json"),
    ],
)
def test_rejected_file_name(original, kind, name):
    assert rejected_filename(original, Layout(kind, HEADERS)) == name
