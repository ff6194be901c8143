"""Checking rows against the catalog, in a second process for big files.

Validation and the stored payload's text are pure CPU work on each row alone; linking and
storing need the batch's database transaction. A big file therefore has its chunks checked in a
worker process while the batch's own process links and stores the chunk before, so both cores
work. The worker needs no database: only the settings (for the keyed hash in natural keys) and
the catalog item, sent to it once. It is a `workers.limited_worker`: rows are untrusted input,
so a worker that dies on one is a refused file, not a dead batch process.
"""

from __future__ import annotations

import os
import re
from collections import deque
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import date
from typing import Any

from xinyong.catalog import header_unit, validate_payload
from xinyong.codes import find_personal_numbers
from xinyong.collection.readers import FileRefused, Row
from xinyong.collection.workers import limited_worker
from xinyong.config import get_settings
from xinyong.policy.schemas import CatalogItem, FieldType
from xinyong.records.service import payload_json, personal_fields, record_key, storage_issues

REASON_SEPARATOR = "；"
PARALLEL_MIN_BYTES = 4 << 20  # below this, starting a process costs more than it saves
IN_FLIGHT = 2  # chunks handed to the worker ahead of the one being stored

# Per row: (typed values, natural key, stored payload text, warnings) when it passes, else
# the reasons.
Checked = tuple[dict[str, Any], str, str, list[str]] | str
Columns = list[tuple[int, str]]  # (cell index, field code)
FREE_TEXT = frozenset({FieldType.STRING, FieldType.TEXT})  # where a clerk types what they like
Units = dict[str, str]  # field code → the unit its column's header states (罚款金额（元）)


def column_units(item: CatalogItem, headers: Sequence[str], columns: Columns) -> Units:
    """The unit each money column's header states, by field code."""
    stated = ((code, header_unit(item, headers[i])) for i, code in columns if i < len(headers))
    return {code: unit for code, unit in stated if unit is not None}


def check_rows(
    item: CatalogItem, columns: Columns, rows: list[Row], received_on: date, units: Units
) -> list[Checked]:
    checked: list[Checked] = []
    for _, cells, problem in rows:
        if problem:
            checked.append(problem)
            continue
        result = validate_payload(
            item, {code: cells[i] for i, code in columns}, received_on=received_on, units=units
        )
        values = result.values
        key = "" if result.issues else record_key(item, values)
        issues = result.issues or storage_issues(item, values, key)
        if issues:
            checked.append(REASON_SEPARATOR.join(issue.message for issue in issues))
        else:
            warnings = [warning.message for warning in result.warnings]
            if typed := typed_personal_numbers(item, values):
                warnings.append(typed)
            checked.append((values, key, payload_json(item, values), warnings))
    return checked


def typed_personal_numbers(item: CatalogItem, values: dict[str, Any]) -> str | None:
    """A 提示 when free text holds ID or mobile numbers (个人信息保护法): the row is stored and
    the numbers are masked wherever it is shown, but the clerk should check they belong there."""
    texts = [
        (label, value)
        for code, label in _free_text(item)
        if isinstance(value := values.get(code), str) and value
    ]
    # Both kinds are runs of 11 digits or more: most rows have none, and one search over the
    # row's texts together tells so without looking for numbers field by field.
    if not texts or not _DIGIT_RUN.search("\n".join(value for _, value in texts)):
        return None
    found = []
    for label, value in texts:
        kinds = dict.fromkeys(number.kind.label for number in find_personal_numbers(value))
        if kinds:
            found.append(f"“{label}”含{'、'.join(kinds)}")
    if not found:
        return None
    return "，".join(found) + "；公示时脱敏显示，请核实是否应当填写"


_DIGIT_RUN = re.compile("[0-9\uff10-\uff19]{11}")


_free_texts: dict[int, tuple[CatalogItem, list[tuple[str, str]]]] = {}


def _free_text(item: CatalogItem) -> list[tuple[str, str]]:
    """(code, label) of the fields where a clerk types what they like, structured personal
    fields aside (kept per item object, as records.service keeps its plans)."""
    cached = _free_texts.get(id(item))
    if cached is None or cached[0] is not item:
        structured = personal_fields(item)
        fields = [
            (spec.code, spec.label)
            for spec in item.fields
            if spec.type in FREE_TEXT and spec.code not in structured
        ]
        cached = _free_texts[id(item)] = (item, fields)
    return cached[1]


@contextmanager
def checked_chunks(
    chunks: Iterable[list[Row]],
    item: CatalogItem,
    columns: Columns,
    received_on: date,
    units: Units,
    *,
    parallel: bool,
) -> Iterator[Iterator[tuple[list[Row], list[Checked]]]]:
    """Each chunk with its rows' checks, in file order; in a worker process if `parallel`."""
    if not parallel or (os.cpu_count() or 1) < 2:
        yield ((chunk, check_rows(item, columns, chunk, received_on, units)) for chunk in chunks)
        return
    job = (item, columns, received_on, units)
    memory = get_settings().reader_memory_mb
    with limited_worker(memory, initializer=_remember, initargs=job) as worker:
        yield _pipelined(worker, chunks)


def _pipelined(
    worker: ProcessPoolExecutor, chunks: Iterable[list[Row]]
) -> Iterator[tuple[list[Row], list[Checked]]]:
    pending: deque[tuple[list[Row], Future[list[Checked]]]] = deque()
    try:
        for chunk in chunks:
            pending.append((chunk, worker.submit(_check_in_worker, chunk)))
            if len(pending) > IN_FLIGHT:
                done, checks = pending.popleft()
                yield done, checks.result()
        while pending:
            done, checks = pending.popleft()
            yield done, checks.result()
    except BrokenProcessPool:
        raise FileRefused(
            "校验该文件的进程超出了内存上限而终止，文件未入库（请检查是否有异常巨大的单元格，"
            "或把文件分成几个较小的文件报送）",
            "file.worker_died",
        ) from None


_job: tuple[CatalogItem, Columns, date, Units] | None = None


def _remember(item: CatalogItem, columns: Columns, received_on: date, units: Units) -> None:
    global _job
    _job = item, columns, received_on, units


def _check_in_worker(rows: list[Row]) -> list[Checked]:
    assert _job is not None, "the worker is started with its job"
    item, columns, received_on, units = _job
    return check_rows(item, columns, rows, received_on, units)
