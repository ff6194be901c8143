"""The change feed partner platforms read (`GET /api/v1/changes?since=`): every change to whether
or how a record may be shown — repaired, revoked, expired, invalid, corrected, marked or cleared
异议中 — in the order of the `record_changes` ids, so that 信用中国, the provincial platform, the
国家企业信用信息公示系统 and credit agencies drop a repaired record as the portal does.

A page holds the changes after a cursor (the last id a partner has applied), each with its
record as it was changed, its subject (the USCC, or a person's ID number masked: the registry
opens none here) and whether the record is shown to the public now. A partner sees the changes
of records of departments inside its region (`permissions.departments_where`), as staff do, and
only of catalog items disclosed to the public (`disclosure.yaml`): nothing else was ever theirs.

Ids are drawn when a row is inserted, not when its transaction commits: on PostgreSQL a reader
could see id 12 committed while id 11 is still being written, move its cursor past 11 and never
see it. A page is therefore read under a SHARE lock on the table, which waits for the
transactions writing to it to commit (and holds new writers back for the moment it reads);
SQLite has one writer at a time, so its ids are in commit order already."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, func, select, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, aliased

from xinyong.auth import audit, permissions
from xinyong.auth.principal import Principal
from xinyong.codes import mask_personal_numbers
from xinyong.db import committing, is_lock_timeout
from xinyong.errors import Busy, DomainError
from xinyong.policy import load_policy
from xinyong.publication.service import shown_to_public
from xinyong.records.models import Record, RecordChange
from xinyong.subjects.models import Subject

READ = "changes.read"
DEFAULT_LIMIT = 100
MAX_LIMIT = 1000
LOCK_WAIT_MS = 3000  # how long a reader waits for writers of the feed before answering busy
AUDITED_IDS = 200  # record ids named in one audit entry (an entry's detail is bounded)

CHANGE_LABELS = {
    "repaired": "信用修复，停止公示",
    "revoked": "撤销",
    "expired": "公示期满，停止公示",
    "invalid": "信息标明无效",
    "corrected": "更正（新版本）",
    "objection_opened": "标注异议中",
    "objection_closed": "异议处理完毕，取消标注",
    "subject_merged": "主体合并，记录归入保留的主体",
    "subject_split": "撤销主体合并，记录归回原主体",
    "subject_relinked": "更正记录关联的主体",
}


@dataclass(frozen=True)
class ChangedRecord:
    """The version of the record the change is about (a correction: the new version)."""

    id: int
    item_code: str
    item_name: str
    natural_key: str
    version: int
    document_number: str | None
    decision_date: date | None


@dataclass(frozen=True)
class ChangedSubject:
    id: int
    name: str
    uscc: str | None
    id_number_masked: str | None  # a person's number, masked as the registry keeps it


@dataclass(frozen=True)
class Change:
    cursor: str
    at: datetime
    change: str
    from_status: str | None
    to_status: str | None
    reason: str | None
    case_id: int | None
    record: ChangedRecord
    subject: ChangedSubject
    public: bool  # the public sees the record (its current version) now

    @property
    def label(self) -> str:
        return CHANGE_LABELS.get(self.change, self.change)


@dataclass(frozen=True)
class ChangePage:
    changes: list[Change]
    next: str  # the cursor to ask with next time (the last change's, else the one asked with)
    more: bool  # changes after `next` are already waiting


def cursor_of(text_: str | None) -> int:
    """The id a cursor stands for; a bad one is a Chinese 400 naming what a cursor is."""
    if text_ is None or text_ == "":
        return 0
    if not (text_.isascii() and text_.isdigit()) or len(text_) > 18:
        raise DomainError(
            "游标无效：请使用上一页返回的 next 值，首次读取不带 since", "changes.bad_cursor"
        )
    return int(text_)


def read(
    session: Session, principal: Principal, since: str | None, limit: int = DEFAULT_LIMIT
) -> ChangePage:
    """The changes after `since` the principal may read, oldest first, at most `limit`
    (1–1000). Every reading is audited, naming the records that are no longer public."""
    permissions.require(session, principal, "changes.read")
    after = cursor_of(since)
    if not 1 <= limit <= MAX_LIMIT:
        raise DomainError(f"limit 须在 1 到 {MAX_LIMIT} 之间", "changes.bad_limit")
    with committing(session):
        _wait_for_writers(session)
        last = session.scalar(select(func.max(RecordChange.id))) or 0
        if after > last:
            raise DomainError(
                f"游标 {after} 超出已有的变更（最新为 {last}）：数据库可能已从备份恢复，"
                "请从更早的游标或不带 since 重新读取",
                "changes.cursor_ahead",
            )
        rows = session.execute(_query(principal, after, limit + 1)).all()
        changes = [_change(row) for row in rows[:limit]]  # read before commit expires them
    hidden = [c.record.id for c in changes if not c.public]
    # Audited once the table's lock is released: a writer holding the audit chain's lock while
    # it waits to write a change must not wait on a reader that waits on the chain.
    with committing(session):
        next_cursor = changes[-1].cursor if changes else str(after)
        detail = {
            "since": after,
            "next": next_cursor,
            "count": len(changes),
            "not_public": hidden[:AUDITED_IDS],
        }
        audit.write(session, principal.actor, READ, "record_changes", None, detail)
    return ChangePage(changes, next_cursor, len(rows) > limit)


def _wait_for_writers(session: Session) -> None:
    if session.get_bind().dialect.name != "postgresql":
        return
    session.execute(text(f"SET LOCAL lock_timeout = '{LOCK_WAIT_MS}ms'"))
    try:
        session.execute(text("LOCK TABLE record_changes IN SHARE MODE"))
    except OperationalError as error:
        if not is_lock_timeout(error):
            raise
        # A long transaction (a large batch correcting records) is still writing.
        raise Busy("变更正在写入，请稍后再读取", "changes.busy", 30) from error


def _query(principal: Principal, after: int, limit: int):  # type: ignore[no-untyped-def]
    changed = aliased(Record)
    return (
        select(
            RecordChange,
            changed.item_code,
            changed.natural_key,
            changed.version,
            changed.document_number,
            changed.decision_date,
            Subject.name,
            Subject.uscc,
            Subject.id_number_masked,
            func.coalesce(shown_to_public(), False).label("public"),
        )
        .join(changed, changed.id == RecordChange.record_id)
        .join(Subject, Subject.id == RecordChange.subject_id)
        .outerjoin(  # the version current now: what the portal shows of the record
            Record,
            and_(
                Record.item_code == changed.item_code,
                Record.natural_key == changed.natural_key,
                Record.is_current,
            ),
        )
        .where(
            RecordChange.id > after,
            RecordChange.item_code.in_(_public_items()),
            permissions.departments_where(principal, READ, changed.department_id),
        )
        .order_by(RecordChange.id)
        .limit(limit)
    )


def _public_items() -> list[str]:
    """Items whose records are disclosed to the public: partners copy only those, so a change
    to a shared or authorised-only record would tell them of a record they could never see."""
    policy = load_policy()
    levels = set(policy.disclosure.public_levels)
    return [code for code, item in policy.items.items() if item.disclosure in levels]


def _change(row) -> Change:  # type: ignore[no-untyped-def]
    entry: RecordChange = row.RecordChange
    items = load_policy().items
    item = items.get(row.item_code)
    return Change(
        cursor=str(entry.id),
        at=entry.at,
        change=entry.change,
        from_status=entry.from_status,
        to_status=entry.to_status,
        reason=mask_personal_numbers(entry.reason) if entry.reason else None,
        case_id=entry.case_id,
        record=ChangedRecord(
            id=entry.record_id,
            item_code=row.item_code,
            item_name=item.name if item else row.item_code,
            natural_key=row.natural_key,
            version=row.version,
            document_number=row.document_number,
            decision_date=row.decision_date,
        ),
        subject=ChangedSubject(
            id=entry.subject_id,
            name=row.name,
            uscc=row.uscc,
            id_number_masked=None if row.uscc else row.id_number_masked,
        ),
        public=bool(row.public),
    )
