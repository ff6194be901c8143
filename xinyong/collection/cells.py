"""Cells in files the platform writes for spreadsheets (rejected rows, upload templates): a
value a spreadsheet would run as a formula is written so that it stays text, and read back as
it was sent. Every CSV or XLSX writer goes through this module.

The convention (documented for clerks in docs/operations.md): a text beginning with = + - @,
a tab or a carriage return — or with an apostrophe, so the mark is never ambiguous — is
written to CSV with one leading apostrophe ('), as spreadsheets themselves mark text; plain
numbers (-5, +86…) are left alone. A file read back drops that one apostrophe. XLSX cells are
written typed as strings, which no spreadsheet evaluates, so they keep the value unchanged.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from openpyxl.cell import WriteOnlyCell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

MARK = "'"
_RUNS = ("=", "+", "-", "@", "\t", "\r", MARK)
_PLAIN_NUMBER = re.compile(r"[+-]?\d+(?:\.\d+)?")


def spreadsheet_text(value: str) -> str:
    """The text as written to a CSV cell."""
    if value.startswith(_RUNS) and not _PLAIN_NUMBER.fullmatch(value):
        return MARK + value
    return value


def original_text(value: str) -> str:
    """The value a CSV cell written by `spreadsheet_text` (or sent back edited) stands for."""
    if value.startswith(MARK) and value[1:].startswith(_RUNS):
        return value[1:]
    return value


def csv_row(cells: Iterable[Any]) -> list[Any]:
    """A row for `csv.writer`: text cells neutralised, others (numbers, None) as they are."""
    return [spreadsheet_text(c) if isinstance(c, str) else c for c in cells]


def xlsx_row(sheet: WriteOnlyWorksheet, cells: Iterable[Any]) -> list[Any]:
    """A row for a write-only openpyxl sheet: text typed as a string cell, so that neither
    openpyxl nor a spreadsheet turns `=…` into a formula."""
    row: list[Any] = []
    for value in cells:
        if isinstance(value, str):
            cell = WriteOnlyCell(sheet, value)
            cell.data_type = "s"
            row.append(cell)
        else:
            row.append(value)
    return row
