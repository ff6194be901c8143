"""Storing credit records idempotently with versions, and reading them back."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from enum import StrEnum
from typing import Any, NamedTuple, cast

from sqlalchemy import Numeric, String, and_, func, insert, literal, select, update
from sqlalchemy.orm import Session, aliased

from xinyong import clock
from xinyong.catalog import FieldIssue, json_value, natural_key_of
from xinyong.catalog.validation import storage_issues as payload_storage_issues
from xinyong.codes import mask_id_number
from xinyong.db import allocate_ids, bulk_insert, table_of
from xinyong.errors import DomainError, NotFound
from xinyong.policy import load_policy
from xinyong.policy.schemas import UNIT_FACTORS, CatalogItem, FieldType
from xinyong.records import status
from xinyong.records.models import Record, RecordChange, RecordEvent, RecordStatus
from xinyong.records.status import DECIDED
from xinyong.records.windows import WindowOf, window_of
from xinyong.subjects.registry import person_key

# Fine amounts in the 双公示 standard are in 万元 (the field's `unit`); the records table keeps 元.
CENTS = Decimal("0.01")
KEY_CHUNK = 500  # natural keys per lookup query, well under SQLite's parameter limit
_AMOUNT_COLUMN = cast(Numeric, table_of(Record).c.amount_yuan.type)
AMOUNT_LIMIT = Decimal(10) ** ((_AMOUNT_COLUMN.precision or 0) - (_AMOUNT_COLUMN.scale or 0))
DOCUMENT_CHARS = cast(String, table_of(Record).c.document_number.type).length or 0
KEY_CHARS = cast(String, table_of(Record).c.natural_key.type).length or 0


class Outcome(StrEnum):
    NEW = "new"
    CORRECTED = "corrected"
    UNCHANGED = "unchanged"


@dataclass(frozen=True)
class RecordDraft:
    """A validated row (catalog `validate_payload(...).values`) already linked to its subject."""

    subject_id: int
    values: Mapping[str, Any]
    department_id: int | None = None
    region_code: str | None = None
    received_at: datetime | None = None
    on_time: bool | None = None  # received within the item's timeliness rule (None: no rule)
    payload: str | None = None  # `payload_json(item, values)`, when the caller has it already
    source_hash: str | None = None  # collection.unchanged: the digest of the cells read


@dataclass(frozen=True)
class Stored:
    outcome: Outcome
    record_id: int
    on_time: bool | None = None  # of the version now current (for unchanged: the earlier one)


@dataclass(frozen=True)
class _Plan:
    """What storing needs of an item, worked out once per item: reading the catalog's pydantic
    models is slow next to a row's other work."""

    personal: frozenset[str]  # fields holding a person's ID number
    document: str | None
    amount: str | None
    amount_factor: Decimal
    window: WindowOf


_plans: dict[int, tuple[CatalogItem, _Plan]] = {}


def _plan(item: CatalogItem) -> _Plan:
    cached = _plans.get(id(item))
    if cached is None or cached[0] is not item:
        columns = item.columns
        personal = frozenset(
            f.code
            for f in item.fields
            if f.type is FieldType.ID_NUMBER
            or f.code == columns.subject_id_number
            or f.label.endswith(("证件号码", "身份证号码"))
        )
        unit = item.field(columns.amount).unit if columns.amount else None
        plan = _Plan(
            personal=personal,
            document=columns.document_number,
            amount=columns.amount,
            amount_factor=UNIT_FACTORS[unit] if unit else Decimal(1),
            window=window_of(item, item.codelists or load_policy().codelists),
        )
        cached = _plans[id(item)] = (item, plan)
    return cached[1]


def personal_fields(item: CatalogItem) -> frozenset[str]:
    """The item's fields that hold a person's ID number (stored masked)."""
    return _plan(item).personal


def _protected(
    item: CatalogItem, values: Mapping[str, Any], protect: Callable[[str], str]
) -> Mapping[str, Any]:
    """Personal ID numbers never reach a record in clear: the payload keeps them masked (the
    subject registry holds them encrypted) and the natural key keeps their keyed hash."""
    fields = _plan(item).personal
    if not fields.intersection(values):
        return values
    return {k: protect(v) if k in fields and isinstance(v, str) else v for k, v in values.items()}


def content_hash(subject_id: int, payload: Mapping[str, Any]) -> str:
    return _digest(subject_id, _payload_json(payload))


def payload_json(item: CatalogItem, values: Mapping[str, Any]) -> str:
    """A record's payload as stored: the item's values with personal ID numbers masked."""
    return _payload_json(_protected(item, values, mask_id_number))


def _payload_json(values: Mapping[str, Any]) -> str:
    """The payload as stored: the text of `json_safe(values)`, in one C-encoder pass."""
    if None in values.values():
        values = {k: v for k, v in values.items() if v is not None}
    return json.dumps(values, ensure_ascii=False, sort_keys=True, default=json_value)


def _digest(subject_id: int, payload_json: str) -> str:
    # the text json.dumps([subject_id, payload], sort_keys=True) gives, without a second dumps
    return hashlib.sha256(f"[{subject_id}, {payload_json}]".encode()).hexdigest()


def record_key(item: CatalogItem, values: Mapping[str, Any]) -> str:
    """The natural key as stored: personal ID numbers in it are replaced by their keyed hash."""
    return natural_key_of(item, _protected(item, values, person_key))


def storage_issues(item: CatalogItem, values: Mapping[str, Any], key: str) -> list[FieldIssue]:
    """What the records table could not hold for these values (its typed columns and the
    payload's limits); each becomes a rejected row's reason before anything is stored."""
    issues = payload_storage_issues(item, values)
    plan = _plan(item)
    amount: Any = values.get(plan.amount) if plan.amount and not issues else None
    if (
        isinstance(amount, Decimal | int)
        and abs(Decimal(amount)) * plan.amount_factor >= AMOUNT_LIMIT
    ):
        label = item.field(plan.amount or "").label
        issues.append(
            FieldIssue(
                plan.amount or "",
                label,
                "field.unstorable",
                f"{label}：数额过大，折合人民币超过 {AMOUNT_LIMIT - CENTS:,} 元，超出可存储的范围",
            )
        )
    document = values.get(plan.document) if plan.document else None
    limit = DOCUMENT_CHARS
    if isinstance(document, str) and len(document) > limit:
        label = item.field(plan.document or "").label
        issues.append(
            FieldIssue(
                plan.document or "", label, "field.too_long", f"{label}：长度超过 {limit} 个字符"
            )
        )
    if len(key) > KEY_CHARS:
        labels = "、".join(item.field(code).label for code in item.natural_key)
        issues.append(
            FieldIssue("", labels, "field.too_long", f"{labels}合起来过长，无法作为记录的业务主键")
        )
    return issues


def store_many(
    session: Session,
    item: CatalogItem,
    drafts: Sequence[RecordDraft],
    keys: Sequence[str] | None = None,
) -> list[Stored]:
    """Store drafts of one item: new keys are inserted, changed content adds a version, the same
    content is left alone. Runs in the caller's transaction, so a batch is all-or-nothing.
    `keys` are the drafts' `record_key`s when the caller has them already."""
    keys = list(keys) if keys is not None else [record_key(item, d.values) for d in drafts]
    if len(set(keys)) != len(keys):
        raise DomainError("同一批次中存在重复的记录（业务主键相同）", "record.duplicate_key")
    current = _current_versions(session, item.code, keys)
    now = clock.now()
    plan = _plan(item)
    rows, outcomes, superseded = [], [], []
    for key, draft in zip(keys, drafts, strict=True):
        payload = draft.payload or payload_json(item, draft.values)
        digest = _digest(draft.subject_id, payload)
        previous = current.get(key)
        if previous is not None and previous.content_hash == digest:
            outcomes.append(Stored(Outcome.UNCHANGED, previous.id, previous.on_time))
            continue
        if previous is not None:
            superseded.append(previous.id)
        rows.append(_row(item, plan, key, draft, payload, digest, previous, now))
        outcomes.append(Stored(Outcome.CORRECTED if previous else Outcome.NEW, 0, draft.on_time))
    if superseded:
        for chunk in _chunks(superseded):
            session.execute(update(Record).where(Record.id.in_(chunk)).values(is_current=False))
    inserted = _insert(session, rows)
    if superseded:
        corrected = [i for i, row in zip(inserted, rows, strict=True) if row["version"] > 1]
        _feed_corrections(session, corrected, now)
    new_ids = iter(inserted)
    return [
        s if s.outcome is Outcome.UNCHANGED else Stored(s.outcome, next(new_ids), s.on_time)
        for s in outcomes
    ]


CORRECTED = "更正：报送部门重新报送了内容不同的记录，新版本取代原版本"


def _feed_corrections(session: Session, new_ids: Sequence[int], at: datetime) -> None:
    """One `corrected` change per new version, for partners to refresh their copy: an INSERT …
    SELECT per chunk, each new version beside the one it supersedes (its status before)."""
    previous = aliased(Record)
    columns = ["at", "record_id", "subject_id", "item_code", "change", "from_status"]
    for chunk in _chunks(new_ids):
        rows = (
            select(
                literal(at, RecordChange.at.type),
                Record.id,
                Record.subject_id,
                Record.item_code,
                literal(Outcome.CORRECTED.value),
                previous.status,
                Record.status,
                literal(CORRECTED),
            )
            .join(
                previous,
                and_(
                    previous.item_code == Record.item_code,
                    previous.natural_key == Record.natural_key,
                    previous.version == Record.version - 1,
                ),
            )
            .where(Record.id.in_(chunk))
        )
        target = [*columns, "to_status", "reason"]
        session.execute(insert(RecordChange).from_select(target, rows))


def _insert(session: Session, rows: list[dict[str, Any]]) -> list[int]:
    ids = allocate_ids(session, table_of(Record), len(rows))
    for record_id, row in zip(ids, rows, strict=True):
        row["id"] = record_id
    bulk_insert(session, table_of(Record), rows, json_text=frozenset({"payload"}))
    return ids


def _row(
    item: CatalogItem,
    plan: _Plan,
    key: str,
    draft: RecordDraft,
    payload: str,
    digest: str,
    previous: _Current | None,
    now: datetime,
) -> dict[str, Any]:
    values = draft.values
    window = plan.window(values)
    # A correction changes the content, not what the platform decided about the record.
    status = window.status.value
    if previous is not None and RecordStatus(previous.status) in DECIDED:
        status = previous.status
    amount = values.get(plan.amount) if plan.amount else None
    return {
        "item_code": item.code,
        "natural_key": key,
        "version": previous.version + 1 if previous else 1,
        "is_current": True,
        "subject_id": draft.subject_id,
        "region_code": draft.region_code,
        "department_id": draft.department_id,
        "document_number": values.get(plan.document) if plan.document else None,
        "decision_date": window.publish_from,
        "severity": window.severity,
        "amount_yuan": None
        if amount is None
        else (Decimal(amount) * plan.amount_factor).quantize(CENTS),
        "publish_from": window.publish_from,
        "publish_until": window.publish_until,
        "status": status,
        "in_objection": previous.in_objection if previous else False,
        "payload": payload,
        "content_hash": digest,
        "source_hash": draft.source_hash,
        "received_at": draft.received_at or now,
        "on_time": draft.on_time,
        "created_at": now,
    }


def _chunks(values: Sequence[Any], size: int = KEY_CHUNK) -> list[Sequence[Any]]:
    return [values[i : i + size] for i in range(0, len(values), size)]


class _Current(NamedTuple):
    """What storing a new version needs of the current one."""

    id: int
    version: int
    content_hash: str
    on_time: bool | None
    status: str
    in_objection: bool


def _current_versions(session: Session, item_code: str, keys: Sequence[str]) -> dict[str, _Current]:
    """natural key → the current version's id, version, content hash, on_time and status."""
    found: dict[str, _Current] = {}
    columns = (
        Record.natural_key,
        Record.id,
        Record.version,
        Record.content_hash,
        Record.on_time,
        Record.status,
        Record.in_objection,
    )
    for chunk in _chunks(keys):
        rows = session.execute(
            select(*columns).where(
                Record.item_code == item_code, Record.natural_key.in_(chunk), Record.is_current
            )
        )
        found.update({row[0]: _Current(*row[1:]) for row in rows})
    return found


def get(session: Session, record_id: int) -> Record:
    record = session.get(Record, record_id)
    if record is None:
        raise NotFound(f"信用记录不存在：{record_id}", "record.not_found")
    return record


def history(session: Session, item_code: str, natural_key: str) -> list[Record]:
    """Every version of one record, oldest first."""
    return list(
        session.scalars(
            select(Record)
            .where(Record.item_code == item_code, Record.natural_key == natural_key)
            .order_by(Record.version)
        )
    )


def for_subject(session: Session, subject_id: int) -> list[Record]:
    return list(
        session.scalars(
            select(Record)
            .where(Record.subject_id == subject_id, Record.is_current)
            .order_by(Record.decision_date.desc(), Record.id.desc())
        )
    )


def change_status(
    session: Session,
    record: Record,
    to: RecordStatus,
    actor: str,
    reason: str,
    case_id: int | None = None,
) -> RecordEvent:
    """A decision on one record (repair, revocation), through the one transition table."""
    return status.change(session, record, to, actor, reason, case_id)


def set_objection(
    session: Session,
    record: Record,
    flag: bool,
    actor: str,
    reason: str,
    case_id: int | None = None,
) -> RecordEvent:
    """Mark or clear 异议中 (in the change feed too); the record keeps its status meanwhile."""
    if record.in_objection == flag:
        raise DomainError(
            "该记录已处于异议中" if flag else "该记录不在异议中", "record.objection_state"
        )
    record.in_objection = flag
    status = RecordStatus(record.status)
    session.add(
        RecordChange(
            at=clock.now(),
            record_id=record.id,
            subject_id=record.subject_id,
            item_code=record.item_code,
            change="objection_opened" if flag else "objection_closed",
            from_status=status.value,
            to_status=status.value,
            reason=reason,
            case_id=case_id,
        )
    )
    return _event(
        session,
        record,
        "objection.open" if flag else "objection.close",
        status,
        status,
        actor,
        reason,
    )


def _event(
    session: Session,
    record: Record,
    event: str,
    before: RecordStatus,
    after: RecordStatus,
    actor: str,
    reason: str,
) -> RecordEvent:
    entry = RecordEvent(
        record_id=record.id,
        at=clock.now(),
        event=event,
        from_status=before.value,
        to_status=after.value,
        actor=actor,
        reason=reason,
    )
    session.add(entry)
    session.flush()
    return entry


def count_current_by_item(session: Session) -> dict[str, int]:
    rows = session.execute(
        select(Record.item_code, func.count()).where(Record.is_current).group_by(Record.item_code)
    )
    return dict(rows.all())
