"""Record status changes: the one table of allowed changes (from → to, and why) and the one
function that applies them, set-based, with an event per record.

Every status change goes through `apply` — a decision on one record (repair, revocation) as
much as the expiry job ending thousands of windows — so a change the table does not declare
cannot happen anywhere, and the expiry job stays set-based (an INSERT … SELECT for the events,
one for the change feed partners read, and one UPDATE per call). 异议中 is a flag beside the
status (`records.service.set_objection`), not a status."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, insert, literal, select, update
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.errors import DomainError
from xinyong.records.models import Record, RecordChange, RecordEvent, RecordStatus


@dataclass(frozen=True)
class Transition:
    """An allowed status change and the reason it exists."""

    before: RecordStatus
    after: RecordStatus
    why: str


_V, _R, _X, _E, _I = (
    RecordStatus.VALID,
    RecordStatus.REPAIRED,
    RecordStatus.REVOKED,
    RecordStatus.EXPIRED,
    RecordStatus.INVALID,
)

TRANSITIONS: tuple[Transition, ...] = (
    Transition(_V, _R, "信用修复：主体纠正失信行为、履行义务并作出信用承诺后停止公示（令第36号）"),
    Transition(_V, _X, "撤销：认定部门撤销决定，或名单移出决定"),
    Transition(_V, _E, "公示期满：最长公示期届满，自动停止公示"),
    Transition(_V, _I, "信息自身标明无效（目录 invalid_when，如许可当前状态为无效）"),
    Transition(_R, _X, "修复后决定被撤销：记录不再作为依据"),
    Transition(_E, _X, "公示期满后决定被撤销"),
    # 无效 becomes 有效 again only by a corrected version, never by a status change.
    Transition(_I, _X, "无效信息所依据的决定被撤销"),
)

_ALLOWED = {(t.before, t.after): t for t in TRANSITIONS}

# Statuses a decision gave (repair, revocation), which a re-sent correction keeps.
DECIDED = frozenset({RecordStatus.REPAIRED, RecordStatus.REVOKED})


def allowed_from(before: RecordStatus) -> frozenset[RecordStatus]:
    """The statuses a record in `before` may change to."""
    return frozenset(t.after for t in TRANSITIONS if t.before is before)


def transition(before: RecordStatus, after: RecordStatus) -> Transition:
    """The declared change from `before` to `after`; a DomainError when there is none."""
    found = _ALLOWED.get((before, after))
    if found is None:
        raise DomainError(
            f"记录状态不能从“{before.label}”变为“{after.label}”", "record.status_transition"
        )
    return found


def apply(
    session: Session,
    where: ColumnElement[bool],
    before: RecordStatus,
    after: RecordStatus,
    actor: str,
    reason: str,
    at: datetime | None = None,
    case_id: int | None = None,
) -> int:
    """Change every record matching `where` that is in `before` to `after`, with one event
    and one change-feed entry each (`case_id`: the case that decided it), in set-based
    statements; returns how many changed. Refuses (DomainError) a change the table does not
    declare, before touching anything."""
    transition(before, after)
    due = and_(where, Record.status == before.value)
    moment = at or clock.now()
    events = select(
        Record.id,
        literal(moment, RecordEvent.at.type),
        literal("status"),
        literal(before.value),
        literal(after.value),
        literal(actor),
        literal(reason),
    ).where(due)
    columns = ["record_id", "at", "event", "from_status", "to_status", "actor", "reason"]
    session.execute(insert(RecordEvent).from_select(columns, events))
    changes = select(
        literal(moment, RecordChange.at.type),
        Record.id,
        Record.subject_id,
        Record.item_code,
        literal(after.value),
        literal(before.value),
        literal(after.value),
        literal(reason),
        literal(case_id, RecordChange.case_id.type),
    ).where(due)
    feed = ["at", "record_id", "subject_id", "item_code", "change", "from_status", "to_status"]
    session.execute(insert(RecordChange).from_select([*feed, "reason", "case_id"], changes))
    result = session.execute(
        update(Record).where(due).values(status=after.value),
        execution_options={"synchronize_session": False},
    )
    return int(result.rowcount)  # type: ignore[attr-defined]


def change(
    session: Session,
    record: Record,
    after: RecordStatus,
    actor: str,
    reason: str,
    case_id: int | None = None,
) -> RecordEvent:
    """Change one record's status (a decision on it) through `apply`; returns its event."""
    before = RecordStatus(record.status)
    transition(before, after)
    session.flush()
    apply(session, Record.id == record.id, before, after, actor, reason, case_id=case_id)
    session.expire(record, ["status"])
    return session.scalars(
        select(RecordEvent)
        .where(RecordEvent.record_id == record.id, RecordEvent.event == "status")
        .order_by(RecordEvent.id.desc())
        .limit(1)
    ).one()
