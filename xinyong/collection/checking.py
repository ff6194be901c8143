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
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from datetime import date
from typing import Any

from xinyong.catalog import validate_payload
from xinyong.collection.readers import FileRefused, Row
from xinyong.collection.workers import limited_worker
from xinyong.config import get_settings
from xinyong.policy.schemas import CatalogItem
from xinyong.records.service import payload_json, record_key, storage_issues

REASON_SEPARATOR = "；"
PARALLEL_MIN_BYTES = 4 << 20  # below this, starting a process costs more than it saves
IN_FLIGHT = 2  # chunks handed to the worker ahead of the one being stored

# Per row: (typed values, natural key, stored payload text) when it passes, else the reasons.
Checked = tuple[dict[str, Any], str, str] | str
Columns = list[tuple[int, str]]  # (cell index, field code)


def check_rows(
    item: CatalogItem, columns: Columns, rows: list[Row], received_on: date
) -> list[Checked]:
    checked: list[Checked] = []
    for _, cells, problem in rows:
        if problem:
            checked.append(problem)
            continue
        result = validate_payload(
            item, {code: cells[i] for i, code in columns}, received_on=received_on
        )
        values = result.values
        key = "" if result.issues else record_key(item, values)
        issues = result.issues or storage_issues(item, values, key)
        if issues:
            checked.append(REASON_SEPARATOR.join(issue.message for issue in issues))
        else:
            checked.append((values, key, payload_json(item, values)))
    return checked


@contextmanager
def checked_chunks(
    chunks: Iterable[list[Row]],
    item: CatalogItem,
    columns: Columns,
    received_on: date,
    *,
    parallel: bool,
) -> Iterator[Iterator[tuple[list[Row], list[Checked]]]]:
    """Each chunk with its rows' checks, in file order; in a worker process if `parallel`."""
    if not parallel or (os.cpu_count() or 1) < 2:
        yield ((chunk, check_rows(item, columns, chunk, received_on)) for chunk in chunks)
        return
    job = (item, columns, received_on)
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


_job: tuple[CatalogItem, Columns, date] | None = None


def _remember(item: CatalogItem, columns: Columns, received_on: date) -> None:
    global _job
    _job = item, columns, received_on


def _check_in_worker(rows: list[Row]) -> list[Checked]:
    assert _job is not None, "the worker is started with its job"
    return check_rows(*_job[:2], rows, _job[2])
