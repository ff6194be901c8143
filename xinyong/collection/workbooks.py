"""Excel workbooks from untrusted senders, read so that no file can take the platform down.

The Excel reader (python-calamine, native code) holds a sheet's used range densely, from A1 to
the last cell: a 2 KB file with one cell at XFD1048576 asks for ~512 GiB and aborts the process,
which Python cannot catch. So a workbook is read in a `workers.limited_worker` with a memory and
CPU ceiling, and inside it, before the reader allocates anything, the zip directory (member
sizes, compression ratio) and every sheet's XML (declared dimension and the cells really there,
read with a streaming parser) are checked against limits. What the worker reads it writes to a
spool file, one JSON line per row, which the batch's process reads lazily; a worker that dies is
a refused file.
"""

from __future__ import annotations

import json
import logging
import os
import re
import tempfile
import zipfile
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from datetime import date, datetime, time, timedelta
from functools import cache
from itertools import islice
from pathlib import Path
from typing import IO, Any
from xml.parsers import expat

from python_calamine import CalamineError, CalamineWorkbook

from xinyong.catalog.validation import FLOAT_DIGITS
from xinyong.collection.readers import (
    HEADER_SEARCH_ROWS,
    FileRefused,
    Format,
    Layout,
    Row,
    Table,
    _check_required,
    _find_header,
    _fitted,
    _no_header,
    restored,
)
from xinyong.collection.workers import limited_worker
from xinyong.config import get_settings
from xinyong.policy.schemas import CatalogItem

log = logging.getLogger(__name__)

# The reader keeps 32 bytes a cell for the used range: 50M cells (1M rows × 50 columns, more
# than any department's file) is 1.6 GB, within the worker's memory.
MAX_CELLS = 50_000_000
MAX_MEMBERS = 10_000  # an .xlsx has a few dozen parts
MAX_UNPACKED_MB = 4096  # a 1M-row sheet's XML is ~700 MB
# XML sheets compress 5-30 times; a member that claims far more is a zip bomb (a 4.9 MB file
# expanding to 1 GB is 200 times). Small members are left alone: their ratio means nothing.
MAX_RATIO = 100
RATIO_FROM_BYTES = 1 << 20
READ_CPU_SECONDS = 900  # a 1M-row workbook reads in ~1 minute of CPU
SCAN_BLOCK = 1 << 20
_XLSX_BROKEN = "无法作为 Excel 工作簿打开（文件损坏或不是 .xlsx/.xls）"


def open_workbook(path: Path, item: CatalogItem, sheet: str | None) -> Table:
    """The workbook's sheet for `item` (the one named, else the first with a header), read in a
    limited worker; or FileRefused with the reason."""
    fd, name = tempfile.mkstemp(dir=get_settings().spool_dir, suffix=".rows")
    os.close(fd)
    try:
        found = _read_in_worker(path, item, sheet, Path(name))
        # The table holds the open file, which outlives its name: nothing is left behind.
        rows = Path(name).open("rb")  # noqa: SIM115
    finally:
        Path(name).unlink(missing_ok=True)
    header = _find_header(item, (_decoded(line) for line in islice(rows, HEADER_SEARCH_ROWS)))
    if header is None:  # the worker found it; only a changed catalog could lose it
        raise _no_header(item)
    _check_required(item, header.fields)
    width = len(header.cells)

    def table_rows() -> Iterator[Row]:
        rows.seek(0)
        for number, line in enumerate(rows, start=1):
            if number > header.index + 1:
                cells = _decoded(line)
                if any(c != "" for c in cells):
                    yield number, *_fitted(restored(cells), width)

    layout = Layout(Format.XLSX, header.cells, sheet=found)
    return Table(layout, header.index + 1, header.fields, header.extra, table_rows)


def _read_in_worker(path: Path, item: CatalogItem, sheet: str | None, out: Path) -> str:
    memory = get_settings().reader_memory_mb
    with limited_worker(memory, cpu_seconds=READ_CPU_SECONDS) as worker:
        try:
            outcome = worker.submit(read_workbook, str(path), item, sheet, str(out)).result()
        except BrokenProcessPool:
            raise FileRefused(
                f"读取该工作簿时超出了内存（{memory:,} MB）或时间上限，文件未入库：工作簿可能"
                "含有异常巨大的区域或数据。请把数据另存为新的 .xlsx 或 CSV 文件后重新报送",
                "file.xlsx_limits",
            ) from None
    if outcome[0] == "refused":
        raise FileRefused(outcome[1], outcome[2])
    return outcome[1]


def read_workbook(path: str, item: CatalogItem, sheet: str | None, out: str) -> tuple[str, ...]:
    """In the worker: check the file, then write the chosen sheet's rows to `out`.
    Returns ("ok", sheet name) or ("refused", message, code): exceptions do not cross."""
    try:
        if zipfile.is_zipfile(path):
            check_zip(Path(path))
        with open(out, "w", encoding="utf-8") as rows:
            return ("ok", _write_sheet(path, item, sheet, rows))
    except FileRefused as refusal:
        return ("refused", refusal.message, refusal.code)
    except MemoryError:
        return ("refused", "读取该工作簿时超出了内存上限，文件未入库", "file.xlsx_limits")
    except Exception:  # whatever an untrusted file provokes is a refusal, never a 500
        log.warning("workbook refused: unexpected error reading it", exc_info=True)
        return ("refused", _XLSX_BROKEN, "file.xlsx")


def _write_sheet(path: str, item: CatalogItem, sheet: str | None, out: IO[str]) -> str:
    try:
        workbook = CalamineWorkbook.from_path(path)
    except (CalamineError, ValueError, OSError):
        raise FileRefused(_XLSX_BROKEN, "file.xlsx") from None
    names = workbook.sheet_names
    if sheet is not None and sheet not in names:
        raise FileRefused(
            f"工作簿中没有名为“{sheet}”的工作表（现有：{'、'.join(names)}）", "file.sheet_not_found"
        )
    for name in [sheet] if sheet else names:
        out.seek(0)
        out.truncate()
        rows = _sheet_rows(workbook, name)
        head = list(islice(rows, HEADER_SEARCH_ROWS))
        if _find_header(item, head) is not None:
            for row in (*head, *rows):
                out.write(json.dumps(_trimmed(row), ensure_ascii=False, default=_cell_json))
                out.write("\n")
            return name
    raise _no_header(item)


def _sheet_rows(workbook: CalamineWorkbook, name: str) -> Iterator[list[Any]]:
    """Rows from the sheet's first row (calamine starts at row 1 even when it is empty), with
    whole numbers as int: Excel stores every number as a float. Numbers too long for a float
    to hold exactly stay floats, so validation can say their digits were lost."""
    try:
        for row in workbook.get_sheet_by_name(name).iter_rows():
            yield [
                int(cell)
                if cell.__class__ is float and cell.is_integer() and abs(cell) < FLOAT_DIGITS
                else cell
                for cell in row
            ]
    except CalamineError as error:
        raise FileRefused(f"工作表“{name}”无法读取（{error}）", "file.xlsx") from None


def _trimmed(row: list[Any]) -> list[Any]:
    end = len(row)
    while end and row[end - 1] == "":
        end -= 1
    return row[:end]


def _cell_json(value: Any) -> dict[str, Any]:
    """Cells JSON has no type for, tagged so they come back as the same type."""
    if isinstance(value, datetime):
        return {"datetime": value.isoformat()}
    if isinstance(value, date):
        return {"date": value.isoformat()}
    if isinstance(value, time):
        return {"time": value.isoformat()}
    if isinstance(value, timedelta):
        return {"seconds": value.total_seconds()}
    raise TypeError(type(value).__name__)


def _typed(tagged: dict[str, Any]) -> Any:
    ((kind, text),) = tagged.items()
    if kind == "datetime":
        return datetime.fromisoformat(text)
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "time":
        return time.fromisoformat(text)
    return timedelta(seconds=text)


def _decoded(line: bytes) -> list[Any]:
    cells: list[Any] = json.loads(line, object_hook=_typed)
    return cells


# --- checks before the reader allocates --------------------------------------------------


def check_zip(path: Path) -> None:
    """The zip directory's sizes and ratios, then every XML part's used ranges, against the
    limits; refuses (FileRefused) what is over them."""
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(_XLSX_BROKEN, "file.xlsx") from None
    with archive:
        members = archive.infolist()
        _check_sizes(members)
        for member in members:
            if member.filename.lower().endswith(".xml"):
                _check_sheet(archive, member)


def _check_sizes(members: list[zipfile.ZipInfo]) -> None:
    if len(members) > MAX_MEMBERS:
        raise FileRefused(
            f"工作簿由 {len(members):,} 个部件组成，超过 {MAX_MEMBERS:,} 个的上限，不像正常的"
            "Excel 文件",
            "file.xlsx_limits",
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_UNPACKED_MB << 20:
        raise FileRefused(
            f"工作簿解压后共 {unpacked >> 20:,} MB，超过 {MAX_UNPACKED_MB:,} MB 的上限"
            "（请分成多个文件报送）",
            "file.xlsx_limits",
        )
    for member in members:
        ratio = member.file_size / max(member.compress_size, 1)
        if member.file_size > RATIO_FROM_BYTES and ratio > MAX_RATIO:
            raise FileRefused(
                f"工作簿中的“{member.filename}”压缩了 {ratio:,.0f} 倍（解压后 "
                f"{member.file_size >> 20:,} MB），远超正常表格（上限 {MAX_RATIO} 倍），"
                "疑似“压缩炸弹”，文件未读取",
                "file.xlsx_limits",
            )


def _check_sheet(archive: zipfile.ZipFile, member: zipfile.ZipInfo) -> None:
    scan = _UsedRange()
    parser = expat.ParserCreate(namespace_separator=" ")
    parser.ordered_attributes = True  # a list is cheaper than a dict, millions of times
    parser.StartElementHandler = scan.start
    parser.StartDoctypeDeclHandler = _no_doctype
    try:
        # zipfile yields at most the declared size (a lying size fails its CRC at the end)
        with archive.open(member) as data:
            while block := data.read(SCAN_BLOCK):
                parser.Parse(block, False)
                scan.check(member.filename)
            parser.Parse(b"", True)
    except _NotASheet:
        return
    except (expat.ExpatError, zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise FileRefused(_XLSX_BROKEN, "file.xlsx") from None
    except NotImplementedError:  # a compression method zipfile does not know
        raise FileRefused(_XLSX_BROKEN, "file.xlsx") from None
    scan.check(member.filename)


class _NotASheet(Exception):
    """The part's root is not a sheet (shared strings, styles...): no cells to bound."""


SHEET_ROOTS = frozenset({"worksheet", "dialogsheet", "macrosheet"})


def _no_doctype(*_: Any) -> None:
    raise FileRefused("工作簿中含有 DTD 声明，正常的 Excel 文件没有，文件未读取", "file.xlsx")


_REF = re.compile(r"([A-Za-z]{1,4})([0-9]{1,8})")


@cache
def _column(letters: str) -> int:
    column = 0
    for letter in letters.upper():
        column = column * 26 + ord(letter) - 64
    return column


def _position(ref: str) -> tuple[int, int] | None:
    """`XFD1048576` → (1048576, 16384); None when it is not a cell reference."""
    found = _REF.fullmatch(ref)
    return (int(found[2]), _column(found[1])) if found else None


def _attribute(attrs: list[str], name: str) -> str:
    """From expat's ordered attributes [name, value, name, value, ...]."""
    for index in range(0, len(attrs), 2):
        if attrs[index] == name:
            return attrs[index + 1]
    return ""


class _UsedRange:
    """The used range of one sheet part as the reader will see it: the declared <dimension>,
    and the last row and column holding a cell with a value (styled empty cells hold none).
    Cells and rows without a reference follow the one before, as the reader places them.
    Elements are told apart by local name, whatever their namespace or prefix."""

    def __init__(self) -> None:
        self.declared: tuple[int, int] | None = None
        self.row = self.column = 0
        self.rows = self.columns = 0
        self.cell: tuple[int, int] | None = None  # the open <c>, until a value shows
        self.local: dict[str, str] = {}  # expat's qualified names → local names
        self.root = True

    def start(self, name: str, attrs: list[str]) -> None:
        local = self.local.get(name)
        if local is None:
            local = self.local[name] = name.rpartition(" ")[2]
        if self.root:
            if local not in SHEET_ROOTS:
                raise _NotASheet
            self.root = False
        if local == "c":
            place = _position(_attribute(attrs, "r"))
            self.row, self.column = place if place else (max(self.row, 1), self.column + 1)
            self.cell = (self.row, self.column)
        elif self.cell is not None and (local == "v" or local == "is" or local == "f"):
            row, column = self.cell
            if row > self.rows:
                self.rows = row
            if column > self.columns:
                self.columns = column
            self.cell = None
        elif local == "row":
            number = _attribute(attrs, "r")
            self.row = int(number) if number.isdigit() else self.row + 1
            self.column = 0
        elif local == "dimension":
            self.declared = _position(_attribute(attrs, "ref").rpartition(":")[2])

    def check(self, part: str) -> None:
        for rows, columns, what in (
            (*(self.declared or (0, 0)), "声明的已用区域"),
            (self.rows, self.columns, "数据所在区域"),
        ):
            if rows * columns > MAX_CELLS:
                raise FileRefused(
                    f"工作表（{part}）的{what}为 {rows:,} 行 × {columns:,} 列，约 "
                    f"{rows * columns:,} 个单元格，超过 {MAX_CELLS:,} 个单元格的上限（多半是"
                    "远处的某个单元格被误填了内容），文件未读取。请删除多余的行列后另存再报送",
                    "file.xlsx_limits",
                )
