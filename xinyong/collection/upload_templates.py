"""Upload templates: an empty file per catalog item, CSV (UTF-8 with BOM, so Excel reads
Chinese) or XLSX, whose one row is the catalog's Chinese field names. The platform reads its own
templates back as they are: the labels are the first names the reader resolves."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from sqlalchemy.orm import Session

from xinyong.auth import permissions
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item, list_items
from xinyong.collection.cells import csv_row, xlsx_row
from xinyong.errors import NotFound
from xinyong.policy.schemas import CatalogItem, FieldType

# Excel turns digits it is left to guess at into numbers: an 18-digit ID number loses its last
# digits, a code its leading zeros. Every column but dates and numbers is formatted as text.
NUMERIC = (FieldType.DATE, FieldType.DECIMAL, FieldType.INTEGER)
TEXT_FORMAT = "@"
COLUMN_WIDTH = 22


def template_csv(item: CatalogItem) -> bytes:
    out = io.StringIO()
    csv.writer(out).writerow(csv_row(f.label for f in item.fields))
    return "\ufeff".encode() + out.getvalue().encode("utf-8")


def template_xlsx(item: CatalogItem) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet(item.name[:31])  # Excel's limit on a sheet name
    for index, field in enumerate(item.fields, start=1):
        column = sheet.column_dimensions[get_column_letter(index)]
        column.width = COLUMN_WIDTH
        if field.type not in NUMERIC:
            column.number_format = TEXT_FORMAT
    sheet.freeze_panes = "A2"
    sheet.append(xlsx_row(sheet, (f.label for f in item.fields)))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@dataclass(frozen=True)
class TemplateFile:
    content: bytes
    media_type: str
    name: str  # 行政处罚报送模板.xlsx
    ascii_name: str  # xzcf-template.xlsx, for clients that do not read RFC 5987 names


KINDS = {
    "csv": (template_csv, "text/csv; charset=utf-8"),
    "xlsx": (template_xlsx, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}


def template_file(
    session: Session, principal: Principal, item_code: str, kind: str
) -> TemplateFile:
    """The template of a catalog item, for those who may send batches."""
    permissions.require(session, principal, "batches.send")
    if kind not in KINDS or item_code not in {i.code for i in list_items()}:
        raise NotFound("没有这个目录项的报送模板", "catalog.template_not_found")
    item = get_item(item_code)
    make, media_type = KINDS[kind]
    return TemplateFile(
        make(item), media_type, f"{item.name}报送模板.{kind}", f"{item.code}-template.{kind}"
    )
