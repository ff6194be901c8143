"""The lists as a file (CSV or XLSX): every entry the filter shows on all its pages, up to
EXPORT_MAX_ROWS, in the page's columns with the reason whole. Always the public view; cells go
through `collection.cells` (no formula runs when the file is opened); the CSV has a UTF-8 BOM
so that Excel reads it as UTF-8."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum
from urllib.parse import quote

from openpyxl import Workbook
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth.principal import PUBLIC
from xinyong.collection.cells import csv_row, xlsx_row
from xinyong.publication.lists import ListEntry, ListFilter, every_entry

# A bigger export is cut here and says so (docs/operations.md): a list that long is narrowed by
# its filters, and the file stays one request's work.
EXPORT_MAX_ROWS = 10_000

HEADERS = [
    "主体名称",
    "统一社会信用代码",
    "名单",
    "列入原因",
    "认定部门",
    "决定日期",
    "公示截止",
    "异议中",
]
BOM = "\ufeff"


class ExportFormat(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"

    @property
    def media_type(self) -> str:
        if self is ExportFormat.CSV:
            return "text/csv; charset=utf-8"
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@dataclass(frozen=True)
class ListExport:
    content: bytes
    filename: str  # Chinese, for Content-Disposition's filename*
    ascii_name: str
    rows: int
    total: int

    @property
    def capped(self) -> bool:
        return self.total > self.rows

    @property
    def disposition(self) -> str:
        """Content-Disposition with an ASCII fallback and the Chinese name (RFC 5987/6266)."""
        fallback = f'filename="{self.ascii_name}"'
        return f"attachment; {fallback}; filename*=UTF-8''{quote(self.filename)}"


def export_list(session: Session, wanted: ListFilter, format: ExportFormat) -> ListExport:
    entries, total = every_entry(session, PUBLIC, wanted, EXPORT_MAX_ROWS)
    rows = list(_rows(entries))
    note = _cap_note(len(rows), total)
    content = _csv(rows, note) if format is ExportFormat.CSV else _xlsx(rows, note)
    stamp = clock.today().strftime("%Y%m%d")
    return ListExport(
        content,
        f"{wanted.kind.label}_{stamp}.{format.value}",
        f"lists-{wanted.kind.value}-{stamp}.{format.value}",
        len(rows),
        total,
    )


def _rows(entries: list[ListEntry]) -> Iterator[list[str]]:
    for e in entries:
        r = e.record
        yield [
            e.subject_name,
            e.uscc or "",
            r.item.name,
            e.reason,
            e.authority or "",
            r.decision_date.isoformat() if r.decision_date else "",
            r.publish_until.isoformat() if r.publish_until else "长期",
            "是" if r.in_objection else "",
        ]


def _cap_note(rows: int, total: int) -> str | None:
    if total <= rows:
        return None
    return (
        f"共 {total} 条，仅导出前 {rows} 条（导出上限 {EXPORT_MAX_ROWS} 条），"
        "请缩小筛选范围后分别导出"
    )


def _csv(rows: list[list[str]], note: str | None) -> bytes:
    out = io.StringIO(newline="")
    out.write(BOM)
    writer = csv.writer(out)
    writer.writerow(csv_row(HEADERS))
    writer.writerows(csv_row(row) for row in rows)
    if note:
        writer.writerow(csv_row([note]))
    return out.getvalue().encode("utf-8")


def _xlsx(rows: list[list[str]], note: str | None) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    sheet.append(xlsx_row(sheet, HEADERS))
    for row in rows:
        sheet.append(xlsx_row(sheet, row))
    if note:
        sheet.append(xlsx_row(sheet, [note]))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
