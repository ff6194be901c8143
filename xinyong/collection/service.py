"""Collection (依目录归集): the one service behind console uploads, `POST /api/v1/batches` and
`xinyong ingest`. Every row sent ends as a stored record or a rejection with a Chinese reason;
a batch's accepted rows are stored in one transaction, so a crash leaves nothing half-done."""

from __future__ import annotations

import hashlib
import json
import logging
import unicodedata
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any, BinaryIO

from sqlalchemy import insert, select
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.auth.service import get_department
from xinyong.catalog import get_item
from xinyong.collection.checking import (
    PARALLEL_MIN_BYTES,
    Checked,
    checked_chunks,
    column_units,
)
from xinyong.collection.linking import SubjectLinker
from xinyong.collection.models import Batch, BatchStatus, Channel, Rejection
from xinyong.collection.readers import FileRefused, Layout, Row, Table, open_table
from xinyong.collection.rejects import rejected_filename, write_rejected
from xinyong.collection.timeliness import due_date, on_time
from xinyong.collection.unchanged import Held, SourceDigests
from xinyong.config import get_settings
from xinyong.db import (
    RETRY_BUSY_SECONDS,
    hold_exclusive,
    is_lock_timeout,
    prepare_bulk_work,
    refresh_statistics,
    table_of,
    transaction,
)
from xinyong.errors import Busy, DomainError, NotFound
from xinyong.policy.schemas import CatalogItem
from xinyong.records.models import Record
from xinyong.records.service import Outcome, RecordDraft, store_many
from xinyong.sealing import seal, unseal
from xinyong.subjects import profiles
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.profiles import Registered

log = logging.getLogger(__name__)

CHUNK_ROWS = 5_000
ANALYZE_FIRST_AT = 20_000  # rows; then at each doubling (see db.refresh_statistics)
GROWING_TABLES = (table_of(Record), table_of(Subject), table_of(SubjectIdentifier))
WARNINGS_KEPT = 200
BATCH_LOCK = 0x78696E79_62617463  # PostgreSQL advisory lock key of batch storing ("xinybatc")


@dataclass
class Receipt:
    """What the clerk is told at once (回执)."""

    batch_id: int
    item_code: str
    item_name: str
    department: str
    filename: str
    status: BatchStatus
    received_at: datetime
    layout: str | None = None
    refusal: str | None = None
    total: int = 0
    new: int = 0
    corrected: int = 0
    unchanged: int = 0
    rejected: int = 0
    on_time: int = 0
    late: int = 0
    warnings_total: int = 0
    warnings: list[str] = field(default_factory=list)

    @property
    def accepted(self) -> int:
        return self.new + self.corrected + self.unchanged

    def json(self) -> dict[str, Any]:
        return {
            "batch_id": self.batch_id,
            "item": {"code": self.item_code, "name": self.item_name},
            "department": self.department,
            "filename": self.filename,
            "format": self.layout,
            "status": self.status.value,
            "status_label": self.status.label,
            "refusal": self.refusal,
            "received_at": self.received_at.isoformat(),
            "total": self.total,
            "accepted": self.accepted,
            "new": self.new,
            "corrected": self.corrected,
            "unchanged": self.unchanged,
            "rejected": self.rejected,
            "on_time": self.on_time,
            "late": self.late,
            "warnings_total": self.warnings_total,
            "warnings": self.warnings,
        }


Progress = Callable[[int], None]


def batch_department(session: Session, actor: Principal, wanted: str | None) -> str:
    """The code of the department a batch is for, once the actor may send in its name: the
    one named (the credit office may name any of its region), else the sender's own."""
    if wanted and wanted.strip():
        department = get_department(session, wanted.strip())
    elif actor.department_id is not None:
        department = session.get_one(Department, actor.department_id)
    else:
        permissions.require(session, actor, "batches.send")
        raise DomainError("请选择报送部门", "batch.department_required")
    permissions.require(session, actor, "batches.send", department)
    if not department.active:  # its key and staff are stopped: nobody sends in its name either
        raise DomainError(f"{department.name}已停用，不能以其名义报送", "batch.department_inactive")
    return department.code


def ingest(
    sessions: sessionmaker[Session],
    path: Path,
    item: CatalogItem | str,
    department_code: str,
    *,
    filename: str | None = None,
    sheet: str | None = None,
    channel: Channel = Channel.CLI,
    submitted_by: str = "system",
    progress: Progress | None = None,
) -> Receipt:
    """Read, check, link and store one department's file for one catalog item.

    A file refused as a whole (encoding, missing columns...) is recorded as a refused batch
    and raised as FileRefused; otherwise the receipt is returned."""
    item = get_item(item) if isinstance(item, str) else item
    filename = stored_filename(filename or path.name)
    received_at = clock.now()
    with transaction(sessions) as session:
        department = get_department(session, department_code)
    facts = _FileFacts(filename, _sha256(path), path.stat().st_size, received_at)
    try:
        table = open_table(path, item, filename=filename, sheet=sheet)
        _refuse_without_rows(table)
        with transaction(sessions) as session:
            _wait_for_other_batches(session)
            prepare_bulk_work(session)
            batch = _new_batch(item, department, facts, channel, submitted_by, table.layout)
            session.add(batch)
            session.flush()
            parallel = facts.size >= PARALLEL_MIN_BYTES
            _Run(session, item, department, batch, table).run(progress, parallel)
            receipt = _receipt(batch, item, department)
            counts = {
                "new": receipt.new,
                "corrected": receipt.corrected,
                "rejected": receipt.rejected,
            }
            audit.write(session, submitted_by, "batch.store", "batch", batch.id, counts)
            return receipt
    except FileRefused as refusal:
        _record_refusal(
            sessions, _new_batch(item, department, facts, channel, submitted_by, None), refusal
        )
        raise


def _record_refusal(sessions: sessionmaker[Session], batch: Batch, refusal: FileRefused) -> None:
    """The refused batch with its reason. On SQLite a long batch may hold the one writer past
    the wait: the clerk is still told the reason, the operator's log keeps the record."""
    batch.status, batch.refusal = BatchStatus.REFUSED.value, refusal.message
    batch.finished_at = clock.now()
    try:
        with transaction(sessions) as session:
            session.add(batch)
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        log.warning("refused batch %r not recorded (database busy): %s", batch.filename, refusal)


def _wait_for_other_batches(session: Session) -> None:
    """Batches are stored one at a time: two at once would both create the same new subjects
    and records (a unique-key collision on PostgreSQL), and on SQLite the second would fail
    waiting for the one writer. A batch waits its turn for `batch_wait_seconds`, then is told
    to come back."""
    if not hold_exclusive(session, BATCH_LOCK, get_settings().batch_wait_seconds):
        raise Busy(
            f"另一批次正在处理，请约 {RETRY_BUSY_SECONDS} 秒后重新报送（本批次未入库）",
            "batch.busy",
            RETRY_BUSY_SECONDS,
        )


def ingest_records(
    sessions: sessionmaker[Session],
    records: Sequence[dict[str, Any]],
    item: CatalogItem | str,
    department_code: str,
    *,
    spool: Path,
    channel: Channel = Channel.API,
    submitted_by: str = "system",
) -> Receipt:
    """Rows posted as JSON objects go through the same path as a JSON Lines file."""
    with spool.open("w", encoding="utf-8") as out:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
    return ingest(
        sessions,
        spool,
        item,
        department_code,
        filename="接口报送.jsonl",
        channel=channel,
        submitted_by=submitted_by,
    )


FILENAME_CHARS = 255  # batches.filename


def stored_filename(name: str) -> str:
    """The name as a batch keeps it: without control characters (PostgreSQL refuses NUL) and
    cut to the column's length, keeping the suffix that tells the format."""
    name = "".join(ch for ch in name if unicodedata.category(ch) not in ("Cc", "Cs")).strip()
    name = name or "未命名文件"
    if len(name) <= FILENAME_CHARS:
        return name
    suffix = Path(name).suffix[:16]
    return name[: FILENAME_CHARS - len(suffix) - 1] + "…" + suffix


def _refuse_without_rows(table: Table) -> None:
    for _row in table.rows():
        return
    raise FileRefused(
        "文件只有表头，没有数据行：没有可入库的记录（请确认文件已填写数据后重新报送）",
        "file.no_rows",
    )


@dataclass(frozen=True)
class _FileFacts:
    filename: str
    sha256: str
    size: int
    received_at: datetime


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as data:
        while block := data.read(1 << 20):
            digest.update(block)
    return digest.hexdigest()


def _new_batch(
    item: CatalogItem,
    department: Department,
    facts: _FileFacts,
    channel: Channel,
    submitted_by: str,
    layout: Layout | None,
) -> Batch:
    return Batch(
        item_code=item.code,
        department_id=department.id,
        channel=channel.value,
        submitted_by=submitted_by,
        filename=facts.filename,
        file_sha256=facts.sha256,
        size_bytes=facts.size,
        layout=layout.json() if layout else None,
        period=facts.received_at.astimezone(clock.SHANGHAI).strftime("%Y-%m"),
        received_at=facts.received_at,
        status=BatchStatus.DONE.value,
        warnings=[],
    )


class _Run:
    """One batch's pass over its file, chunk by chunk, inside the batch's transaction."""

    def __init__(
        self,
        session: Session,
        item: CatalogItem,
        department: Department,
        batch: Batch,
        table: Table,
    ) -> None:
        self.session, self.item, self.batch, self.table = session, item, batch, table
        self.department = department
        self.received_on: date = batch.received_at.astimezone(clock.SHANGHAI).date()
        self.columns = [(i, code) for i, code in enumerate(table.fields) if code is not None]
        self.units = column_units(item, table.layout.headers, self.columns)
        self.decision_field = item.columns.decision_date
        self.linker = SubjectLinker(session, item, f"{department.name}报送", department.region_code)
        self.digests = SourceDigests(item, self.columns, self.units)
        # Per chunk handed to checking, in file order: its rows' digests and the rows held
        # already (sent again unchanged), which skip checking.
        self.held: deque[tuple[dict[int, str], list[tuple[int, list[Any], Held]]]] = deque()
        self.seen: dict[str, int] = {}  # natural key → first row number in this file
        self.warnings: list[str] = []
        self.provisional = 0
        self.analyze_at = ANALYZE_FIRST_AT
        if table.extra_columns:
            self._warn(f"以下列不在“{item.name}”目录中，已忽略：{'、'.join(table.extra_columns)}")

    def run(self, progress: Progress | None, parallel: bool) -> None:
        chunks = self._new_rows(self.table.chunks(CHUNK_ROWS))
        with checked_chunks(
            chunks, self.item, self.columns, self.received_on, self.units, parallel=parallel
        ) as checked:
            for chunk, checks in checked:
                rows = self._take(chunk, checks)
                if self.batch.total >= self.analyze_at:
                    refresh_statistics(self.session, *GROWING_TABLES)
                    self.analyze_at *= 2
                if progress:
                    progress(rows)
        if self.provisional:
            self._warn(
                f"{self.provisional} 条记录的报送时限所涉年份尚无国务院节假日安排，"
                "按周末推算，及时性为暂定结果"
            )
        batch = self.batch
        batch.warnings_total = len(self.warnings)
        batch.warnings = self.warnings[:WARNINGS_KEPT]
        batch.finished_at = clock.now()

    def _new_rows(self, chunks: Iterable[list[Row]]) -> Iterator[list[Row]]:
        """Each chunk without the rows already held as they are (see collection.unchanged);
        those wait in `self.held` for `_take`, which counts them in file order."""
        for chunk in chunks:
            digests = {
                number: self.digests.of(cells) for number, cells, problem in chunk if not problem
            }
            held = self.digests.held(self.session, list(digests.values()))
            kept, skipped = [], []
            for row in chunk:
                found = held.get(digests.get(row[0], ""))
                if found is None:
                    kept.append(row)
                else:
                    skipped.append((row[0], row[1], found))
            self.held.append((digests, skipped))
            yield kept

    def _take(self, chunk: list[Row], checks: list[Checked]) -> int:
        """Store one chunk's rows; returns how many rows of the file it held."""
        digests, skipped = self.held.popleft()
        accepted: list[tuple[int, list[Any], dict[str, Any], str, str, list[str]]] = []
        rejected: list[tuple[int, list[Any], str]] = []
        unchanged: list[bool | None] = []  # on_time of each held row stored as it was
        item = self.item
        rows: list[tuple[int, list[Any], Checked | Held]] = [
            (number, cells, check) for (number, cells, _), check in zip(chunk, checks, strict=True)
        ]
        if skipped:
            rows = sorted([*rows, *skipped], key=lambda row: row[0])
        for number, cells, check in rows:
            if isinstance(check, str):
                rejected.append((number, cells, check))
                continue
            if isinstance(check, Held):
                first = self.seen.setdefault(check.natural_key, number)
                if first != number:
                    rejected.append((number, cells, f"与第 {first} 行是同一条记录（业务主键相同）"))
                else:
                    unchanged.append(check.on_time)
                continue
            values, key, payload, notes = check
            first = self.seen.setdefault(key, number)
            if first != number:
                rejected.append((number, cells, f"与第 {first} 行是同一条记录（业务主键相同）"))
                continue
            accepted.append((number, cells, values, key, payload, notes))
        links = self.linker.link([row[2] for row in accepted])
        drafts, keys = [], []
        for (number, cells, values, key, payload, notes), link in zip(accepted, links, strict=True):
            if link.subject_id is None:
                rejected.append((number, cells, link.problem or "无法关联主体"))
                continue
            for note in (*notes, link.warning) if link.warning else notes:
                self._warn(f"第 {number} 行：{note}")
            drafts.append(self._draft(link.subject_id, values, payload, digests.get(number)))
            keys.append(key)
        stored = store_many(self.session, item, drafts, keys)
        if item.registration is not None:
            profiles.apply(
                self.session,
                item,
                [
                    Registered(draft.subject_id, result.record_id, draft.values)
                    for draft, result in zip(drafts, stored, strict=True)
                    if result.outcome is not Outcome.UNCHANGED
                ],
            )
        self._count(len(rows), stored, unchanged)
        self._reject(sorted(rejected, key=lambda row: row[0]))
        return len(rows)

    def _draft(
        self, subject_id: int, values: dict[str, Any], payload: str, source_hash: str | None
    ) -> RecordDraft:
        rule, received_at = self.item.timeliness, self.batch.received_at
        decided = values.get(self.decision_field) if self.decision_field else None
        if rule is not None and decided is not None and due_date(rule, decided).provisional:
            self.provisional += 1
        return RecordDraft(
            subject_id=subject_id,
            values=values,
            department_id=self.department.id,
            region_code=self.department.region_code,
            received_at=received_at,
            on_time=on_time(rule, decided, received_at),
            payload=payload,
            source_hash=source_hash,
        )

    def _count(self, rows: int, stored: Sequence[Any], unchanged: Sequence[bool | None]) -> None:
        batch = self.batch
        batch.total = (batch.total or 0) + rows
        outcomes = {outcome: 0 for outcome in Outcome}
        outcomes[Outcome.UNCHANGED] = len(unchanged)
        timely = {True: 0, False: 0, None: 0}
        for result in stored:
            outcomes[result.outcome] += 1
            timely[result.on_time] += 1
        for held in unchanged:
            timely[held] += 1
        batch.new = (batch.new or 0) + outcomes[Outcome.NEW]
        batch.corrected = (batch.corrected or 0) + outcomes[Outcome.CORRECTED]
        batch.unchanged = (batch.unchanged or 0) + outcomes[Outcome.UNCHANGED]
        batch.on_time = (batch.on_time or 0) + timely[True]
        batch.late = (batch.late or 0) + timely[False]

    def _reject(self, rows: list[tuple[int, list[Any], str]]) -> None:
        if not rows:
            return
        self.batch.rejected = (self.batch.rejected or 0) + len(rows)
        self.session.execute(
            insert(table_of(Rejection)),
            [
                {
                    "batch_id": self.batch.id,
                    "row_number": number,
                    "reasons": reasons,
                    "cells": seal(json.dumps(cells, ensure_ascii=False, default=_cell_text)),
                }
                for number, cells, reasons in rows
            ],
        )

    def _warn(self, message: str) -> None:
        self.warnings.append(message)


def _cell_text(value: Any) -> str:
    """Cells json cannot write (dates from spreadsheets, Decimals) are kept as their text."""
    return value.isoformat() if isinstance(value, date | datetime) else str(value)


def _receipt(batch: Batch, item: CatalogItem, department: Department) -> Receipt:
    layout = Layout.from_json(batch.layout).label if batch.layout else None
    return Receipt(
        batch_id=batch.id,
        item_code=item.code,
        item_name=item.name,
        department=department.name,
        filename=batch.filename,
        status=BatchStatus(batch.status),
        received_at=batch.received_at,
        layout=layout,
        refusal=batch.refusal,
        total=batch.total,
        new=batch.new,
        corrected=batch.corrected,
        unchanged=batch.unchanged,
        rejected=batch.rejected,
        on_time=batch.on_time,
        late=batch.late,
        warnings_total=batch.warnings_total,
        warnings=list(batch.warnings or []),
    )


# --- reading batches back ---------------------------------------------------------------


def sending_departments(session: Session, actor: Principal) -> list[Department]:
    """The active departments an actor of regional scope may send for (a department sends
    for itself: none to choose from)."""
    if permissions.scope(actor, "batches.send") is not permissions.Scope.REGION:
        return []
    query = (
        select(Department)
        .where(
            Department.active,
            permissions.departments_where(actor, "batches.send", Department.id),
        )
        .order_by(Department.code)
    )
    return list(session.scalars(query))


def own_department(session: Session, actor: Principal) -> Department | None:
    """The department an actor sends for when it names none."""
    return session.get(Department, actor.department_id) if actor.department_id else None


def get_batch(session: Session, batch_id: int) -> Batch:
    """Any batch, for the platform's own work (the CLI); callers with a principal use
    `read_batch`."""
    batch = session.get(Batch, batch_id)
    if batch is None:
        raise NotFound(f"报送批次不存在：{batch_id}", "batch.not_found")
    return batch


def read_batch(session: Session, actor: Principal, batch_id: int) -> Batch:
    """A batch the actor may read: its department's, or one of the actor's region."""
    batch = session.get(Batch, batch_id)
    permissions.require(session, actor, "batches.read", batch)
    if batch is None:
        raise NotFound(f"报送批次不存在：{batch_id}", "batch.not_found")
    return batch


def receipt_of(session: Session, batch: Batch) -> Receipt:
    department = session.get_one(Department, batch.department_id)
    return _receipt(batch, get_item(batch.item_code), department)


def recent_receipts(session: Session, actor: Principal, limit: int = 20) -> list[Receipt]:
    """The receipts of the newest batches the actor may read."""
    permissions.require(session, actor, "batches.read")
    query = (
        select(Batch)
        .where(permissions.departments_where(actor, "batches.read", Batch.department_id))
        .order_by(Batch.received_at.desc(), Batch.id.desc())
        .limit(limit)
    )
    return [receipt_of(session, batch) for batch in session.scalars(query)]


def rejections(session: Session, batch_id: int) -> Iterator[tuple[int, list[Any], str]]:
    """(row number, cells as sent, reasons) of a batch's rejected rows, in file order."""
    rows = session.execute(
        select(Rejection.row_number, Rejection.cells, Rejection.reasons)
        .where(Rejection.batch_id == batch_id)
        .order_by(Rejection.row_number)
    )
    for number, sealed, reasons in rows:
        yield number, json.loads(unseal(sealed)), reasons


def rejection_reasons(
    session: Session, batch_id: int, limit: int | None = None
) -> list[tuple[int, str]]:
    """(row number, reasons) in file order, without opening the sealed rows."""
    rows = session.execute(
        select(Rejection.row_number, Rejection.reasons)
        .where(Rejection.batch_id == batch_id)
        .order_by(Rejection.row_number)
        .limit(limit)
    )
    return [(number, reasons) for number, reasons in rows]


def write_rejections(session: Session, batch: Batch, out: BinaryIO, actor: str) -> str:
    """Write the rejected rows in the format they came in, plus 错误原因; returns a file name.
    The rows may hold personal data as sent, so each download is audited."""
    if batch.layout is None:
        raise NotFound("该批次整批退回，没有逐行的错误数据", "batch.no_rows")
    layout = Layout.from_json(batch.layout)
    audit.write(session, actor, "batch.download_rejections", "batch", batch.id)
    write_rejected(
        out, layout, ((cells, reasons) for _, cells, reasons in rejections(session, batch.id))
    )
    return rejected_filename(batch.filename, layout)
