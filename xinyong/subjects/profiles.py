"""The registry profile (法人库): what a subject's registration records say about it, and the
history of what they changed.

A registration record (an item with a `registration` block: 市场主体、社会组织、事业单位、机关)
makes its subject 已核实 and sets its profile and status; a later record with other content
records each changed field with the record's 核准日期. Names keep their own history
(`SubjectName`, written by the linker), which the history shown here includes. Set-based: a
chunk of a registration file costs a few statements, not a few per row."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.db import allocate_ids, bulk_insert, one_of, table_of
from xinyong.policy.schemas import CatalogItem
from xinyong.subjects.models import Subject, SubjectChange, SubjectName, SubjectProfile
from xinyong.subjects.status import status_label

CHUNK = 500

# Profile columns, in the order the 基本信息 block shows them.
PROFILE_FIELDS = (
    "organisation_type",
    "legal_representative",
    "founded_on",
    "authority",
    "address",
    "capital",
    "currency",
    "scope",
    "approved_on",
    "term_until",
)
# What a later registration record's change is recorded for (the 核准日期 moves with every
# change, so it is the date of the change, not a change itself).
TRACKED = ("status", *(f for f in PROFILE_FIELDS if f != "approved_on"))

LABELS = {
    "name": "名称",
    "status": "登记状态",
    "organisation_type": "类型",
    "legal_representative": "法定代表人（负责人）",
    "founded_on": "成立日期",
    "authority": "登记机关",
    "address": "住所",
    "capital": "注册资本（万元）",
    "currency": "币种",
    "scope": "经营范围",
    "approved_on": "核准日期",
    "term_until": "营业期限至",
}


@dataclass(frozen=True)
class Registered:
    """A registration record just stored (new or a new version) and its subject."""

    subject_id: int
    record_id: int
    values: Mapping[str, Any]


@dataclass(frozen=True)
class Change:
    field: str  # a PROFILE_FIELDS name, "status" or "name"
    label: str
    old: str | None
    new: str | None
    on: date


def apply(session: Session, item: CatalogItem, registered: Sequence[Registered]) -> None:
    """Describe each subject by its registration record, in the caller's transaction."""
    if item.registration is None or not registered:
        return
    refs = item.registration.field_refs()
    for start in range(0, len(registered), CHUNK):
        _apply_chunk(session, item.code, refs, registered[start : start + CHUNK])


def _apply_chunk(
    session: Session, item_code: str, refs: dict[str, str], chunk: Sequence[Registered]
) -> None:
    ids = [r.subject_id for r in chunk]
    profiles = {
        p.subject_id: p
        for p in session.scalars(
            select(SubjectProfile).where(one_of(session, SubjectProfile.subject_id, ids))
        )
    }
    statuses = dict(
        session.execute(
            select(Subject.id, Subject.status).where(one_of(session, Subject.id, ids))
        ).all()
    )
    now, today = clock.now(), clock.today()
    inserts, updates, changes, subjects = [], [], [], []
    for r in chunk:
        new = {f: r.values.get(refs[f]) if f in refs else None for f in PROFILE_FIELDS}
        status = r.values.get(refs["status"]) if "status" in refs else None
        status = status or statuses.get(r.subject_id) or "active"
        row = {**new, "item_code": item_code, "record_id": r.record_id, "updated_at": now}
        old = profiles.get(r.subject_id)
        if old is None:
            inserts.append({"subject_id": r.subject_id, **row})
        else:
            updates.append({"key": r.subject_id, **row})
            before = {f: getattr(old, f) for f in PROFILE_FIELDS}
            before["status"] = statuses.get(r.subject_id)
            after = {**new, "status": status}
            on = new["approved_on"] or today
            for field in TRACKED:
                if _text(before[field]) != _text(after[field]):
                    changes.append(
                        {
                            "subject_id": r.subject_id,
                            "field": field,
                            "old_value": _text(before[field]),
                            "new_value": _text(after[field]),
                            "changed_on": on,
                            "record_id": r.record_id,
                            "recorded_at": now,
                        }
                    )
        subjects.append({"key": r.subject_id, "status": status, "updated_at": now})
    if inserts:
        session.execute(insert(table_of(SubjectProfile)), inserts)
    if updates:
        session.execute(
            update(table_of(SubjectProfile))
            .where(table_of(SubjectProfile).c.subject_id == bindparam("key"))
            .values({c: bindparam(c) for c in updates[0] if c != "key"}),
            updates,
        )
    if changes:
        ids_of = allocate_ids(session, table_of(SubjectChange), len(changes))
        bulk_insert(
            session,
            table_of(SubjectChange),
            [{"id": i, **c} for i, c in zip(ids_of, changes, strict=True)],
        )
    session.execute(
        update(table_of(Subject))
        .where(table_of(Subject).c.id == bindparam("key"))
        .values(status=bindparam("status"), verified=True, updated_at=bindparam("updated_at")),
        subjects,
    )


def _text(value: Any) -> str | None:
    """A profile value as the history keeps it: dates ISO, amounts without trailing zeros."""
    if value is None or value == "":
        return None
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal | float | int):
        return format(Decimal(str(value)).normalize(), "f")
    return str(value)


@dataclass(frozen=True)
class Basics:
    """What a search result shows of a subject's profile."""

    legal_representative: str | None
    founded_on: date | None


def basics(session: Session, subject_ids: Sequence[int]) -> dict[int, Basics]:
    """The profile basics of these subjects (those with a registration record), in one query."""
    if not subject_ids:
        return {}
    rows = session.execute(
        select(
            SubjectProfile.subject_id,
            SubjectProfile.legal_representative,
            SubjectProfile.founded_on,
        ).where(SubjectProfile.subject_id.in_(subject_ids))
    )
    return {subject_id: Basics(person, founded) for subject_id, person, founded in rows}


def profile(session: Session, subject_id: int) -> SubjectProfile | None:
    return session.get(SubjectProfile, subject_id)


def history(session: Session, subject_id: int) -> list[Change]:
    """The subject's changes, newest first: its registration changes and its names (曾用名)."""
    found = [
        Change(c.field, LABELS.get(c.field, c.field), c.old_value, c.new_value, c.changed_on)
        for c in session.scalars(
            select(SubjectChange).where(SubjectChange.subject_id == subject_id)
        )
    ]
    names = session.scalars(
        select(SubjectName)
        .where(SubjectName.subject_id == subject_id)
        .order_by(SubjectName.valid_from, SubjectName.id)
    ).all()
    for before, after in pairwise(names):
        found.append(Change("name", LABELS["name"], before.name, after.name, after.valid_from))
    return sorted(found, key=lambda c: c.on, reverse=True)


def as_it_was(changes: Sequence[Change], day: date) -> tuple[list[Change], dict[str, str | None]]:
    """The changes made by `day`, and the value each field changed since had on that day (the
    old value of its first later change) — as text, as changes keep them."""
    made = [c for c in changes if c.on <= day]
    then: dict[str, str | None] = {}
    for change in sorted((c for c in changes if c.on > day), key=lambda c: c.on):
        then.setdefault(change.field, change.old)
    return made, then


def shown(change: Change) -> tuple[str | None, str | None]:
    """A change's before and after as a page shows them: statuses by their Chinese labels."""
    if change.field == "status":
        return status_label(change.old), status_label(change.new)
    return change.old, change.new
