"""重错码 (seed 001 二(一)2): two subjects in the registry that are one — a company recorded
once by its old 组织机构代码 and once by its USCC, say — merged by staff into one (a record
linked to the wrong subject is moved by `relinking`). Audited and reversible: a merge
keeps the absorbed subject (marked `merged_into`) and a list of every row it moved, so that
reversing it moves exactly those rows back.

What moves is read off the schema: every table with a column referring to subjects moves its
rows to the survivor, except those that record history as it was (MOVES_NOT) — a new table
must be placed on one side or the other (tests/subjects/test_merging.py). Each step is one
set-based statement per table, whatever the number of records."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import ColumnElement, Table, and_, insert, literal, select, update
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong import models as schema  # the whole schema: every table that refers to subjects
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.auth.service import staff_names
from xinyong.db import table_of
from xinyong.errors import DomainError, NotFound
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record, RecordChange
from xinyong.subjects.models import Subject, SubjectMerge, SubjectMove, SubjectProfile
from xinyong.subjects.service import subject_target

REASON_LENGTH = 500

# Tables that refer to subjects but stay as they are: what was answered, published or
# registered then, under the subject it was about then.
MOVES_NOT = frozenset(
    {
        "checks",  # a check's answer as given
        "evaluation_results",  # a run's grades, as graded then (the next run grades the survivor)
        "evaluation_contributions",
        "record_changes",  # the change feed: partners read what happened, in order
        "reports",  # an issued report stays about the subject it was issued for (its PDF says so)
        "subject_names",  # each subject's own name history (the absorbed one keeps its own)
        # Each subject's own registration (基本信息) and its changes, except to a survivor
        # with none of its own (REGISTRATION below).
        "subject_profiles",
        "subject_changes",
        "subject_merges",
        "subjects",  # merged_into itself
        "supervision_results",  # what was found there; the xzjc record it became moves
    }
)  # supervision_drawn (who a draw took, as published) names subjects without a foreign key


class MergedAway(NotFound):
    """A subject that is another now: the answer says which, so that links to it still lead
    somewhere (the website redirects)."""

    def __init__(self, subject_id: int, survivor_id: int) -> None:
        super().__init__(f"主体 {subject_id} 已并入主体 {survivor_id}", "subject.merged")
        self.survivor_id = survivor_id


# A subject's registration: it follows the merge only to a survivor that has none of its own
# (its profile is keyed by the subject, so it moves by its own UPDATE, `_move_profile`).
REGISTRATION = frozenset({"subject_changes"})


@dataclass(frozen=True)
class Merged:
    merge_id: int
    survivor_id: int
    absorbed_id: int
    moved: dict[str, int]  # table → rows moved


@dataclass(frozen=True)
class MergeRow:
    merge_id: int
    survivor_id: int
    survivor_name: str
    absorbed_id: int
    absorbed_name: str
    reason: str
    merged_by: str
    merged_at: datetime
    reversed_at: datetime | None
    reversed_by: str | None
    reverse_reason: str | None


def moving_columns(*, profile: bool = False) -> list[tuple[Table, str]]:
    """(table, column) for every reference to subjects.id whose rows follow a merge; with
    `profile`, the registration's change history too (the survivor takes the registration)."""
    return [
        (table, column)
        for table, column in _references()
        if table.name not in MOVES_NOT or (profile and table.name in REGISTRATION)
    ]


def referring_tables() -> set[str]:
    """Every table with a column referring to subjects.id."""
    return {table.name for table, _column in _references()}


def _references() -> list[tuple[Table, str]]:
    subjects = table_of(Subject)
    return [
        (table, fk.parent.name)
        for table in schema.Base.metadata.sorted_tables
        for fk in table.foreign_keys
        if fk.column is subjects.c.id
    ]


def merge(
    session: Session, viewer: Principal, survivor_id: int, absorbed_id: int, reason: str
) -> Merged:
    """Merge `absorbed` into `survivor`: its records (every version), identifiers, cases,
    notices and accounts move; the survivor is then known by both subjects' codes."""
    reason = clean_reason(reason)
    if survivor_id == absorbed_id:
        raise DomainError("不能把主体与其自身合并", "subject.merge_self")
    survivor = correctable(session, viewer, survivor_id)
    absorbed = correctable(session, viewer, absorbed_id)
    for subject in (survivor, absorbed):
        if subject.merged_into is not None:
            raise DomainError(
                f"主体 {subject.id} 已并入主体 {subject.merged_into}，请先撤销该合并",
                "subject.already_merged",
            )
    person = SubjectType.NATURAL_PERSON.value
    if (survivor.subject_type == person) != (absorbed.subject_type == person):
        raise DomainError("自然人与组织不能合并", "subject.merge_kinds")
    now = clock.now()
    took_uscc = survivor.uscc is None and absorbed.uscc is not None
    took_verified = absorbed.verified and not survivor.verified
    took_profile = _has_profile(session, absorbed.id) and not _has_profile(session, survivor.id)
    row = SubjectMerge(
        survivor_id=survivor.id,
        absorbed_id=absorbed.id,
        reason=reason,
        merged_by=viewer.actor,
        merged_at=now,
        took_uscc=took_uscc,
        took_verified=took_verified,
        took_profile=took_profile,
        status_before=survivor.status if took_profile else None,
    )
    session.add(row)
    session.flush()
    moves = table_of(SubjectMove)
    moved: dict[str, int] = {}
    for table, column in moving_columns(profile=took_profile):
        source = select(literal(row.id), literal(table.name), table.c.id).where(
            table.c[column] == absorbed.id
        )
        session.execute(insert(moves).from_select(["merge_id", "table_name", "row_id"], source))
        # Counted by the UPDATE: PostgreSQL answers -1 for the rows an INSERT … SELECT added.
        moving = session.execute(
            update(table).where(table.c[column] == absorbed.id).values({column: survivor.id})
        )
        if moves_in := int(moving.rowcount):  # type: ignore[attr-defined]
            moved[table.name] = moved.get(table.name, 0) + moves_in
    if took_uscc:
        survivor_uscc, absorbed.uscc = absorbed.uscc, None
        session.flush()  # the column is unique: free it before the survivor takes it
        survivor.uscc = survivor_uscc
    survivor.verified = survivor.verified or absorbed.verified
    if took_profile:
        _move_profile(session, absorbed.id, survivor.id)
        survivor.status = absorbed.status
    absorbed.merged_into = survivor.id
    survivor.updated_at = absorbed.updated_at = now
    _announce(session, _moved_records(row.id), "subject_merged", reason)
    audit.write(
        session,
        viewer.actor,
        "subjects.merge",
        "subject",
        survivor.id,
        {"merge_id": row.id, "absorbed_id": absorbed.id, "moved": moved},
        note=reason,
    )
    return Merged(row.id, survivor.id, absorbed.id, moved)


def reverse(session: Session, viewer: Principal, merge_id: int, reason: str) -> Merged:
    """Undo a merge: the rows it moved that are still on the survivor go back to the absorbed
    subject (a record staff relinked since stays where they put it), and the absorbed subject
    is a subject of its own again. Records received since the merge under the absorbed
    subject's codes stay on the survivor: relink them if they belong to the other."""
    reason = clean_reason(reason)
    missing = NotFound(f"合并记录不存在：{merge_id}", "subject.merge_not_found")
    permissions.require(session, viewer, "subjects.merge")  # by role first: ids stay unknown
    row = session.get(SubjectMerge, merge_id)
    if row is None:
        raise missing
    survivor = correctable(session, viewer, row.survivor_id, unseen=missing)
    absorbed = correctable(session, viewer, row.absorbed_id, unseen=missing)
    if row.reversed_at is not None:
        raise DomainError("该合并已撤销", "subject.merge_reversed")
    if survivor.merged_into is not None:
        raise DomainError(
            f"主体 {survivor.id} 已又并入主体 {survivor.merged_into}，请先撤销那次合并",
            "subject.already_merged",
        )
    _announce(session, _moved_records(row.id, on=survivor.id), "subject_split", reason)
    moves = table_of(SubjectMove)
    moved: dict[str, int] = {}
    for table, column in moving_columns(profile=row.took_profile):
        ours = select(moves.c.row_id).where(
            moves.c.merge_id == row.id, moves.c.table_name == table.name
        )
        sent_back = session.execute(
            update(table)
            .where(table.c.id.in_(ours), table.c[column] == survivor.id)
            .values({column: absorbed.id})
        )
        back = int(sent_back.rowcount)  # type: ignore[attr-defined]
        if back:
            moved[table.name] = moved.get(table.name, 0) + back
    if row.took_uscc:
        absorbed_uscc, survivor.uscc = survivor.uscc, None
        session.flush()
        absorbed.uscc = absorbed_uscc
    if row.took_verified:
        survivor.verified = False
    if row.took_profile:
        _move_profile(session, survivor.id, absorbed.id)
        survivor.status = row.status_before or "active"
    now = clock.now()
    absorbed.merged_into = None
    survivor.updated_at = absorbed.updated_at = now
    row.reversed_at, row.reversed_by, row.reverse_reason = now, viewer.actor, reason
    audit.write(
        session,
        viewer.actor,
        "subjects.merge_reverse",
        "subject",
        absorbed.id,
        {"merge_id": row.id, "survivor_id": survivor.id, "moved": moved},
        note=reason,
    )
    return Merged(row.id, survivor.id, absorbed.id, moved)


def merges(session: Session, viewer: Principal, limit: int = 50) -> list[MergeRow]:
    """The latest merges of subjects in the viewer's region, newest first, with the names of
    the staff who made and reversed them."""
    permissions.require(session, viewer, "subjects.merge")
    survivor, absorbed = Subject.__table__.alias("survivor"), Subject.__table__.alias("absorbed")
    rows = session.execute(
        select(
            SubjectMerge.id,
            survivor.c.id,
            survivor.c.name,
            absorbed.c.id,
            absorbed.c.name,
            SubjectMerge.reason,
            SubjectMerge.merged_by,
            SubjectMerge.merged_at,
            SubjectMerge.reversed_at,
            SubjectMerge.reversed_by,
            SubjectMerge.reverse_reason,
        )
        .join(survivor, survivor.c.id == SubjectMerge.survivor_id)
        .join(absorbed, absorbed.c.id == SubjectMerge.absorbed_id)
        .order_by(SubjectMerge.id.desc())
        .limit(limit)
    )
    found = [MergeRow(*r) for r in rows]
    shown = [m for m in found if permissions.may(viewer, "subjects.merge", _target_of(session, m))]
    # 待核实 subjects are among them, which the public may not see: who looked is kept.
    seen = {"merges": [m.merge_id for m in shown]}
    audit.write(session, viewer.actor, "subjects.merges_view", "subject_merges", None, seen)
    names = staff_names(session, {a for m in shown for a in (m.merged_by, m.reversed_by) if a})
    return [
        replace(
            m,
            merged_by=names.get(m.merged_by, m.merged_by),
            reversed_by=names.get(m.reversed_by or "", m.reversed_by),
        )
        for m in shown
    ]


def _target_of(session: Session, merge: MergeRow) -> Target:
    return subject_target(session, session.get_one(Subject, merge.survivor_id))


def survivor_of(session: Session, subject_id: int) -> int | None:
    """The subject a merged subject now is (following merges of merges), else None."""
    current = session.scalar(select(Subject.merged_into).where(Subject.id == subject_id))
    seen = {subject_id}
    while current is not None and current not in seen:
        seen.add(current)
        later = session.scalar(select(Subject.merged_into).where(Subject.id == current))
        if later is None:
            return current
        current = later
    return None


def _has_profile(session: Session, subject_id: int) -> bool:
    found = session.scalar(
        select(SubjectProfile.subject_id).where(SubjectProfile.subject_id == subject_id)
    )
    return found is not None


def _move_profile(session: Session, source: int, target: int) -> None:
    session.execute(
        update(SubjectProfile).where(SubjectProfile.subject_id == source).values(subject_id=target)
    )


def _moved_records(merge_id: int, on: int | None = None) -> ColumnElement[bool]:
    """The current record versions a merge moved (and, with `on`, still on that subject)."""
    moves = table_of(SubjectMove)
    ours = select(moves.c.row_id).where(
        moves.c.merge_id == merge_id, moves.c.table_name == Record.__tablename__
    )
    where = and_(Record.id.in_(ours), Record.is_current)
    return and_(where, Record.subject_id == on) if on is not None else where


def _announce(session: Session, which: ColumnElement[bool], change: str, reason: str) -> None:
    """One change-feed row per current record moved: partners showing the record under the
    old subject learn where it went."""
    source = select(
        literal(clock.now()),
        Record.id,
        Record.subject_id,
        Record.item_code,
        literal(change),
        Record.status,
        Record.status,
        literal(reason),
    ).where(which)
    session.execute(
        insert(table_of(RecordChange)).from_select(
            [
                "at",
                "record_id",
                "subject_id",
                "item_code",
                "change",
                "from_status",
                "to_status",
                "reason",
            ],
            source,
        )
    )


def correctable(
    session: Session, viewer: Principal, subject_id: int, unseen: DomainError | None = None
) -> Subject:
    missing = unseen or NotFound(f"主体不存在：{subject_id}", "subject.not_found")
    permissions.require(session, viewer, "subjects.merge")
    subject = session.get(Subject, subject_id)
    if subject is None:
        raise missing
    permissions.require(
        session, viewer, "subjects.merge", subject_target(session, subject), unseen=missing
    )
    return subject


def clean_reason(reason: str) -> str:
    cleaned = " ".join(reason.split())[:REASON_LENGTH]
    if not cleaned:
        raise DomainError(
            "请写明理由（如：同一主体的原组织机构代码与统一社会信用代码）", "subject.reason"
        )
    return cleaned
