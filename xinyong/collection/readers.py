"""Departments' files as they really come: CSV in UTF-8 (with or without BOM), GBK or GB18030
with any common delimiter; Excel workbooks (first or named sheet, the header row found below
title rows); JSON arrays and JSON Lines. Columns are matched to the catalog by Chinese label,
alias or field code, in any order. Rows are read lazily, so memory does not grow with the file.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import suppress
from dataclasses import dataclass, field
from enum import StrEnum
from itertools import islice
from pathlib import Path
from typing import Any

from xinyong.catalog import resolve_header
from xinyong.collection.cells import MARK, original_text
from xinyong.errors import DomainError
from xinyong.policy.schemas import CatalogItem

HEADER_SEARCH_ROWS = 20
MIN_HEADER_MATCHES = 2
JSON_ARRAY_LIMIT = 64 << 20  # parsed whole: a JSON array costs many times its size in memory
SNIFF_CHARS = 1 << 16
DECODE_BLOCK = 1 << 20
DELIMITERS = (",", "\t", ";", "|")
# A physical line longer than this is not a table row (a file without line breaks, or a
# binary file): it would be read whole into memory, so the file is refused at that line.
MAX_LINE_CHARS = 1 << 20

# (row number in the file, cells in header order, problem that rejects the row whatever it holds)
Row = tuple[int, list[Any], str | None]


class FileRefused(DomainError):
    """The whole file cannot be taken (encoding, header, missing columns...); nothing is stored
    from it and the message tells the clerk what to change."""

    status_code = 422


class Format(StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSON = "json"
    JSONL = "jsonl"

    @property
    def label(self) -> str:
        return _FORMAT_LABELS[self]


_FORMAT_LABELS = {
    Format.CSV: "CSV",
    Format.XLSX: "Excel",
    Format.JSON: "JSON 数组",
    Format.JSONL: "JSON Lines",
}
_SUFFIXES = {
    ".csv": Format.CSV,
    ".txt": Format.CSV,
    ".tsv": Format.CSV,
    ".xlsx": Format.XLSX,
    ".xlsm": Format.XLSX,
    ".xls": Format.XLSX,
    ".json": Format.JSON,
    ".jsonl": Format.JSONL,
    ".ndjson": Format.JSONL,
}
_ENCODING_LABELS = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8（带 BOM）",
    "utf-16": "UTF-16",
    "gbk": "GBK",
    "gb18030": "GB18030",
}
_DELIMITER_LABELS = {",": "逗号", "\t": "制表符", ";": "分号", "|": "竖线"}


@dataclass(frozen=True)
class Layout:
    """How a file was written, kept with its batch so rejected rows go back the same way."""

    format: Format
    headers: tuple[str, ...]
    encoding: str | None = None
    delimiter: str | None = None
    sheet: str | None = None

    def json(self) -> dict[str, Any]:
        return {
            "format": self.format.value,
            "headers": list(self.headers),
            "encoding": self.encoding,
            "delimiter": self.delimiter,
            "sheet": self.sheet,
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Layout:
        return cls(
            format=Format(data["format"]),
            headers=tuple(data["headers"]),
            encoding=data.get("encoding"),
            delimiter=data.get("delimiter"),
            sheet=data.get("sheet"),
        )

    @property
    def label(self) -> str:
        """E.g. `CSV（GBK，逗号分隔）` or `Excel（工作表“处罚”）`."""
        details = []
        if self.encoding:
            details.append(_ENCODING_LABELS.get(self.encoding, self.encoding))
        if self.delimiter:
            details.append(f"{_DELIMITER_LABELS.get(self.delimiter, self.delimiter)}分隔")
        if self.sheet:
            details.append(f"工作表“{self.sheet}”")
        return self.format.label + (f"（{'，'.join(details)}）" if details else "")


@dataclass
class Table:
    """An opened file: its layout, which catalog field each column holds (None: not in the
    catalog) and its data rows, read again from the file on each pass."""

    layout: Layout
    header_row: int
    fields: list[str | None]
    extra_columns: list[str]
    rows: Callable[[], Iterator[Row]] = field(repr=False)

    def chunks(self, size: int) -> Iterator[list[Row]]:
        chunk: list[Row] = []
        for row in self.rows():
            chunk.append(row)
            if len(chunk) == size:
                yield chunk
                chunk = []
        if chunk:
            yield chunk


def open_table(
    path: Path, item: CatalogItem, *, filename: str | None = None, sheet: str | None = None
) -> Table:
    """Open a file for `item`, or refuse it as a whole with the reason (FileRefused)."""
    if path.stat().st_size == 0:
        raise FileRefused("文件是空的", "file.empty")
    kind = _SUFFIXES.get(Path(filename or path.name).suffix.lower()) or _sniff_format(path)
    if kind is Format.XLSX:
        return _open_xlsx(path, item, sheet)
    if kind is Format.JSON:
        return _open_json(path, item)
    if kind is Format.JSONL:
        return _open_jsonl(path, item)
    return _open_csv(path, item)


def _sniff_format(path: Path) -> Format:
    with path.open("rb") as data:
        head = data.read(SNIFF_CHARS)
    if head.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):  # zip (.xlsx), OLE (.xls)
        return Format.XLSX
    text = head.lstrip(codecs.BOM_UTF8).lstrip()
    if text.startswith(b"["):
        return Format.JSON
    if text.startswith(b"{"):
        return Format.JSONL
    return Format.CSV


# --- headers ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Header:
    index: int  # position among the rows searched
    cells: tuple[str, ...]
    fields: list[str | None]
    extra: list[str]
    matches: int


def _find_header(item: CatalogItem, rows: Iterable[list[Any]]) -> _Header | None:
    """The row among the first ones that names the most catalog fields (at least two)."""
    best: _Header | None = None
    for index, row in enumerate(islice(rows, HEADER_SEARCH_ROWS)):
        header = _read_header(item, index, row)
        if header.matches >= MIN_HEADER_MATCHES and (best is None or header.matches > best.matches):
            best = header
    return best


def _read_header(item: CatalogItem, index: int, row: list[Any]) -> _Header:
    cells = tuple("" if cell is None else str(cell).strip() for cell in row)
    fields: list[str | None] = []
    extra: list[str] = []
    for cell in cells:
        found = resolve_header(item, cell) if cell else None
        if found is not None and found.code in fields:
            extra.append(f"{cell}（重复列）")
            found = None
        elif found is None and cell:
            extra.append(cell)
        fields.append(found.code if found else None)
    matches = sum(code is not None for code in fields)
    return _Header(index, cells, fields, extra, matches)


def _no_header(item: CatalogItem) -> FileRefused:
    return FileRefused(
        f"在文件前 {HEADER_SEARCH_ROWS} 行中找不到表头：没有一行的列名能对上“{item.name}”目录的"
        "字段（请用目录中的中文字段名或字段代码作表头）",
        "file.header_not_found",
    )


def _check_required(item: CatalogItem, fields: list[str | None]) -> None:
    present = set(fields)
    derived = item.derived_fields  # filled from other columns, row by row
    missing = [
        f.label
        for f in item.fields
        if f.required and f.code not in present and f.code not in derived
    ]
    if missing:
        raise FileRefused("缺少必填列：" + "、".join(missing), "file.missing_columns")


# --- CSV ----------------------------------------------------------------------------------


def detect_encoding(path: Path) -> str:
    """The file's encoding: by its BOM, else strict UTF-8 over the whole file, else GBK, else
    GB18030. A file that none decodes is refused, never read with a guess."""
    with path.open("rb") as data:
        head = data.read(4)
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig" if _decodes(path, "utf-8-sig") else _undecodable()
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16" if _decodes(path, "utf-16") else _undecodable()
    for encoding in ("utf-8", "gbk", "gb18030"):
        if _decodes(path, encoding):
            return encoding
    return _undecodable()


def _decodes(path: Path, encoding: str) -> bool:
    decoder = codecs.getincrementaldecoder(encoding)(errors="strict")
    try:
        with path.open("rb") as data:
            while block := data.read(DECODE_BLOCK):
                decoder.decode(block)
            decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return False
    return True


def _undecodable() -> str:
    raise FileRefused(
        "无法识别文件编码：既不是 UTF-8，也不是 GBK 或 GB18030（请另存为“CSV UTF-8”后重新报送）",
        "file.encoding",
    )


def _open_csv(path: Path, item: CatalogItem) -> Table:
    encoding = detect_encoding(path)
    with path.open(encoding=encoding, newline="") as text:
        sample = text.read(SNIFF_CHARS)
    best: tuple[str, _Header] | None = None
    for delimiter in DELIMITERS:
        header = _find_header(item, _sample_rows(sample, delimiter))
        if header and (best is None or header.matches > best[1].matches):
            best = delimiter, header
    if best is None:
        raise _no_header(item)
    delimiter, header = best
    _check_required(item, header.fields)
    layout = Layout(Format.CSV, header.cells, encoding=encoding, delimiter=delimiter)
    width = len(header.cells)

    def rows() -> Iterator[Row]:
        with path.open(encoding=encoding, newline="") as text:
            lines = _Lines(text)
            reader = csv.reader(lines, delimiter=delimiter)
            try:
                for number, cells in enumerate(reader, start=1):
                    # One joined string answers both per-cell questions at C speed.
                    joined = "".join(cells)
                    if number <= header.index + 1 or not joined.strip():
                        continue
                    yield number, *_fitted(restored(cells) if MARK in joined else cells, width)
            except csv.Error as error:
                raise _unreadable_csv(lines.number, error) from None

    return Table(layout, header.index + 1, header.fields, header.extra, rows)


class _Lines:
    """The text's lines for the CSV reader, each at most MAX_LINE_CHARS long."""

    def __init__(self, text: io.TextIOBase) -> None:
        self.text, self.number = text, 0

    def __iter__(self) -> Iterator[str]:
        while line := self.text.readline(MAX_LINE_CHARS + 1):
            self.number += 1
            if len(line) > MAX_LINE_CHARS:
                raise FileRefused(
                    f"第 {self.number} 行超过 {MAX_LINE_CHARS:,} 个字符的上限，不像表格中的一行"
                    "（文件可能缺少换行，或不是 CSV 文件），文件未读取",
                    "file.line_too_long",
                )
            yield line


def _unreadable_csv(line: int, error: csv.Error) -> FileRefused:
    if "field larger than field limit" in str(error):
        return FileRefused(
            f"第 {line} 行有一个值超过 {csv.field_size_limit():,} 个字符的上限，文件未读取"
            "（请检查该值；若它本不该这样长，可能是它前面的某个英文双引号没有成对）",
            "file.cell_too_long",
        )
    return FileRefused(
        f"第 {line} 行附近无法按 CSV 读取：引号或分隔符的用法不符合 CSV 格式"
        "（值内的英文双引号须写成两个，并把整个值用双引号括起来）",
        "file.csv",
    )


def _sample_rows(sample: str, delimiter: str) -> list[list[str]]:
    rows: list[list[str]] = []
    # A sample cut inside a quoted value ends in an error; the rows before it are enough.
    with suppress(csv.Error):
        reader = csv.reader(io.StringIO(sample), delimiter=delimiter)
        rows.extend(islice(reader, HEADER_SEARCH_ROWS))
    return rows


def restored(cells: list[Any]) -> list[Any]:
    """Cells as the clerk meant them: the mark `cells.spreadsheet_text` puts before text a
    spreadsheet would run (our rejected-row files) is dropped."""
    return [original_text(c) if c.__class__ is str and c[:1] == MARK else c for c in cells]


def _fitted(cells: list[Any], width: int) -> tuple[list[Any], str | None]:
    if len(cells) < width:
        return cells + [""] * (width - len(cells)), None
    if len(cells) > width and any(str(c).strip() for c in cells[width:]):
        return cells, (
            f"该行有 {len(cells)} 列，比表头多 {len(cells) - width} 列（可能是某个值里含有分隔符"
            "却没有加引号）"
        )
    return cells[:width], None


# --- Excel --------------------------------------------------------------------------------


def _open_xlsx(path: Path, item: CatalogItem, sheet: str | None) -> Table:
    from xinyong.collection.workbooks import open_workbook  # it builds on this module

    return open_workbook(path, item, sheet)


# --- JSON ---------------------------------------------------------------------------------


def _open_json(path: Path, item: CatalogItem) -> Table:
    """A JSON array of objects, or an object whose `records` is one (the API's body)."""
    if path.stat().st_size > JSON_ARRAY_LIMIT:
        raise FileRefused(
            f"JSON 数组文件超过 {JSON_ARRAY_LIMIT >> 20} MB，请改用 JSON Lines（每行一条记录）报送",
            "file.too_large",
        )
    encoding = detect_encoding(path)
    try:
        data = json.loads(path.read_text(encoding=encoding))
    except json.JSONDecodeError as error:
        raise FileRefused(
            f"不是有效的 JSON：第 {error.lineno} 行第 {error.colno} 列附近有误", "file.json"
        ) from None
    except RecursionError:
        raise FileRefused(_TOO_DEEP, "file.json_depth") from None
    except ValueError:  # an integer of thousands of digits (int_max_str_digits)
        raise FileRefused("不是有效的 JSON：含有位数过多的数字", "file.json") from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list):
        raise FileRefused("JSON 文件应是一个数组，每个元素是一条记录", "file.json")
    records: list[Any] = data
    return _json_table(
        item, Format.JSON, encoding, lambda: enumerate(iter(records), start=1), records
    )


def _open_jsonl(path: Path, item: CatalogItem) -> Table:
    encoding = detect_encoding(path)

    def lines() -> Iterator[tuple[int, Any]]:
        with path.open(encoding=encoding) as text:
            for number, line in enumerate(text, start=1):
                if line.strip():
                    try:
                        yield number, json.loads(line)
                    except ValueError:  # a JSONDecodeError, or an integer of thousands of digits
                        yield number, _BrokenLine("该行不是有效的 JSON")
                    except RecursionError:
                        yield number, _BrokenLine(_TOO_DEEP)

    return _json_table(item, Format.JSONL, encoding, lines, (record for _, record in lines()))


_TOO_DEEP = "JSON 嵌套层数过多（记录的每个值应是文字、数字或由它们组成的数组）"


@dataclass(frozen=True)
class _BrokenLine:
    """A JSON Lines line that does not parse; it becomes a rejected row."""

    problem: str


def _flat(cell: Any) -> Any:
    """A nested value kept as its JSON text, so the rejected row shows what was sent."""
    if cell is None or isinstance(cell, str | int | float):
        return cell
    try:
        return json.dumps(cell, ensure_ascii=False)
    except RecursionError:
        return "（嵌套过深，未保留）"


def _nested_key(record: dict[str, Any]) -> str | None:
    """The first key whose value storage cannot take as a cell: an object, or an array holding
    anything but plain values (a multi-value field is an array of codes)."""
    for key, value in record.items():
        if isinstance(value, dict) or (
            isinstance(value, list) and any(isinstance(v, dict | list) for v in value)
        ):
            return str(key)
    return None


def _json_table(
    item: CatalogItem,
    kind: Format,
    encoding: str,
    records: Callable[[], Iterator[tuple[int, Any]]],
    all_records: Iterable[Any],
) -> Table:
    """Columns are the keys of all objects in the order first met, so no key sent is lost."""
    keys: dict[str, None] = {}
    for record in all_records:
        if isinstance(record, dict):
            keys.update(dict.fromkeys(str(key) for key in record))
    if not keys:
        raise FileRefused("文件中没有记录（JSON 对象）", "file.empty")
    header = _read_header(item, 0, list(keys))
    if header.matches == 0:
        raise _no_header(item)
    _check_required(item, header.fields)
    names = list(keys)
    width = len(names)

    def rows() -> Iterator[Row]:
        for number, record in records():
            if isinstance(record, dict):
                nested = _nested_key(record)
                cells = [record.get(name) for name in names]
                if nested is None:
                    yield number, cells, None
                else:
                    problem = f"“{nested}”的值嵌套了对象或数组（应为文字或数字）"
                    yield number, [_flat(cell) for cell in cells], problem
            elif isinstance(record, _BrokenLine):
                yield number, [None] * width, record.problem
            else:
                yield number, [None] * width, '该条不是 JSON 对象（应为 {"字段名": 值, ...}）'

    return Table(
        Layout(kind, header.cells, encoding=encoding), 0, header.fields, header.extra, rows
    )
