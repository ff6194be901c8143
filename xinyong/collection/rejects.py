"""Rejected rows written back the way they came (same format, encoding, delimiter and
columns) with one added column 错误原因, so the clerk fixes them and sends only those again.
Spreadsheet cells go through `cells` (no formula runs when the file is opened)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

from openpyxl import Workbook

from xinyong.collection.cells import csv_row, xlsx_row
from xinyong.collection.readers import Format, Layout

REASON_COLUMN = "错误原因"
REJECTED_SUFFIX = "_错误数据"

_EXTENSIONS = {
    Format.CSV: ".csv",
    Format.XLSX: ".xlsx",
    Format.JSON: ".json",
    Format.JSONL: ".jsonl",
}
# A file read as GBK is written as GB18030, its superset: a character the clerk's system could
# not have sent in GBK cannot appear, and nothing the platform holds fails to encode.
_WRITE_ENCODINGS = {"gbk": "gb18030"}

RejectedRow = tuple[list[Any], str]  # cells as sent, reasons


def write_rejected(out: BinaryIO, layout: Layout, rows: Iterable[RejectedRow]) -> None:
    if layout.format is Format.CSV:
        _write_csv(out, layout, rows)
    elif layout.format is Format.XLSX:
        _write_xlsx(out, layout, rows)
    else:
        _write_json(out, layout, rows)


def rejected_filename(original: str, layout: Layout) -> str:
    """`处罚2024年3月.csv` → `处罚2024年3月_错误数据.csv`."""
    stem = Path(original).stem or "报送数据"
    return f"{stem}{REJECTED_SUFFIX}{_EXTENSIONS[layout.format]}"


def _padded(cells: list[Any], width: int) -> list[Any]:
    return cells + [""] * (width - len(cells))


def _write_csv(out: BinaryIO, layout: Layout, rows: Iterable[RejectedRow]) -> None:
    encoding = layout.encoding or "utf-8"
    text = io.TextIOWrapper(out, encoding=_WRITE_ENCODINGS.get(encoding, encoding), newline="")
    writer = csv.writer(text, delimiter=layout.delimiter or ",")
    width = len(layout.headers)
    writer.writerow(csv_row([*layout.headers, REASON_COLUMN]))
    for cells, reason in rows:
        writer.writerow(csv_row([*_padded(["" if c is None else c for c in cells], width), reason]))
    text.flush()
    text.detach()


def _write_xlsx(out: BinaryIO, layout: Layout, rows: Iterable[RejectedRow]) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout.sheet or "错误数据")
    width = len(layout.headers)
    sheet.append(xlsx_row(sheet, [*layout.headers, REASON_COLUMN]))
    for cells, reason in rows:
        sheet.append(xlsx_row(sheet, [*_padded(cells, width), reason]))
    workbook.save(out)


def _write_json(out: BinaryIO, layout: Layout, rows: Iterable[RejectedRow]) -> None:
    """Each rejected object as sent (keys it did not carry stay absent) plus 错误原因."""
    array = layout.format is Format.JSON
    out.write(b"[\n" if array else b"")
    for index, (cells, reason) in enumerate(rows):
        record = {k: v for k, v in zip(layout.headers, cells, strict=False) if v is not None}
        record[REASON_COLUMN] = reason
        line = json.dumps(record, ensure_ascii=False)
        out.write(((",\n" if array and index else "") + line + ("" if array else "\n")).encode())
    out.write(b"\n]\n" if array else b"")
