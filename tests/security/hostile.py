"""Hostile files made on the spot (no shipped binaries): workbooks that ask the Excel reader
for hundreds of GiB, zip bombs, broken zips, lies about the format, and CSV/JSON with values
storage cannot hold."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

from openpyxl import Workbook

from tests.factories import penalty_row

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.spreadsheetml.worksheet+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>'
)
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>'
)
_SHEET_HEAD = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
)


def _cell(ref: str, text: str) -> str:
    return f'<c r="{ref}" t="inlineStr"><is><t>{text}</t></is></c>'


def _header_row() -> str:
    labels = list(penalty_row())
    columns = [chr(65 + i) for i in range(len(labels))]
    return (
        '<row r="1">'
        + "".join(_cell(f"{c}1", t) for c, t in zip(columns, labels, strict=True))
        + "</row>"
    )


def _workbook(path: Path, sheet_xml: str | None = None, *, sheet_stream=None) -> Path:
    """A minimal .xlsx written by hand; `sheet_stream(writer)` writes a big sheet in chunks."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", _CONTENT_TYPES)
        archive.writestr("_rels/.rels", _RELS)
        archive.writestr("xl/workbook.xml", _WORKBOOK)
        archive.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        if sheet_stream is None:
            archive.writestr("xl/worksheets/sheet1.xml", sheet_xml or "")
        else:
            with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
                sheet_stream(out)
    return path


def sparse_xlsx(path: Path, *, dimension: str | None = "A1:XFD1048576", far: str = "XFD1048576"):
    """A header row and one value at `far`: the reader's dense range reaches it."""
    declared = f'<dimension ref="{dimension}"/>' if dimension else ""
    far_row = far.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    body = f'{_header_row()}<row r="{far_row}">{_cell(far, "x")}</row>'
    return _workbook(path, f"{_SHEET_HEAD}{declared}<sheetData>{body}</sheetData></worksheet>")


def prefixed_xlsx(path: Path) -> Path:
    """The same far cell, with the sheet's namespace under a prefix (x:c, not c)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    body = (
        f'<x:worksheet xmlns:x="{ns}"><x:sheetData><x:row r="1">'
        '<x:c r="A1" t="inlineStr"><x:is><x:t>行政相对人名称</x:t></x:is></x:c></x:row>'
        '<x:row r="1048576"><x:c r="XFD1048576"><x:v>1</x:v></x:c></x:row>'
        "</x:sheetData></x:worksheet>"
    )
    return _workbook(path, '<?xml version="1.0" encoding="UTF-8"?>' + body)


def lying_dimension_xlsx(path: Path) -> Path:
    """Declares A1:C3 but holds a value at XFD1048576."""
    return sparse_xlsx(path, dimension="A1:C3")


BOMB_MB = 300


def zip_bomb_xlsx(path: Path) -> Path:
    """A valid sheet XML of BOMB_MB MB (whitespace between rows) that deflates to ~0.3 MB."""

    def stream(out) -> None:  # type: ignore[no-untyped-def]
        out.write(f"{_SHEET_HEAD}<sheetData>{_header_row()}".encode())
        block = b" " * (1 << 20)
        for _ in range(BOMB_MB):
            out.write(block)
        out.write(b"</sheetData></worksheet>")

    return _workbook(path, sheet_stream=stream)


def truncated_xlsx(path: Path) -> Path:
    workbook = Workbook()
    sheet = workbook.active
    row = penalty_row()
    sheet.append(list(row))
    sheet.append(list(row.values()))
    data = io.BytesIO()
    workbook.save(data)
    path.write_bytes(data.getvalue()[: len(data.getvalue()) // 2])
    return path


def csv_named_xlsx(path: Path) -> Path:
    row = penalty_row()
    path.write_text(",".join(row) + "\n" + ",".join(row.values()) + "\n", encoding="utf-8")
    return path


def huge_line_csv(path: Path, megabytes: int = 24) -> Path:
    row = penalty_row()
    with path.open("w", encoding="utf-8") as out:
        out.write(",".join(row) + "\n")
        out.write("a," * (megabytes << 19))
    return path


def header_only_csv(path: Path) -> Path:
    path.write_text(",".join(penalty_row()) + "\n", encoding="utf-8")
    return path


def deeply_nested_json(path: Path, depth: int = 100_000) -> Path:
    row = json.dumps(penalty_row(), ensure_ascii=False)
    nested = "[" * depth + "]" * depth
    path.write_text(f'[{row[:-1]}, "备注": {nested}}}]', encoding="utf-8")
    return path


def _csv(path: Path, rows: list[dict[str, str]]) -> Path:
    from tests.factories import write_csv

    return write_csv(path, rows)


def huge_amount_csv(path: Path) -> Path:
    """A 罚款金额 of 23 digits: more than the amount column (18 digits, 2 decimals) holds."""
    return _csv(path, [penalty_row(**{"罚款金额（万元）": "1" * 23})])


def nul_bytes_csv(path: Path) -> Path:
    return _csv(path, [penalty_row(**{"违法事实": "经查\x00当事人发布虚假广告"})])


def nested_value_jsonl(path: Path) -> Path:
    record = penalty_row() | {"违法事实": {"经查": [{"当事人": ["发布虚假广告"]}]}}
    path.write_text(json.dumps(record, ensure_ascii=False) + "\n", encoding="utf-8")
    return path


def long_text_csv(path: Path) -> Path:
    """A 行政处罚决定书文号 longer than the typed column that keeps it (128 characters)."""
    return _csv(path, [penalty_row(**{"行政处罚决定书文号": "穗" * 200})])


def broken_xls(path: Path) -> Path:
    """An old binary (OLE) workbook signature followed by garbage."""
    path.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(range(256)) * 64)
    return path
