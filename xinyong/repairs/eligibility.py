"""Whether, and from when, the subject may apply to repair a record: the pure rule on what the
publication view shows of it (`assess`), and the set-based answer for a page of records with
the one case check it needs (`for_records`: one query for the open repair cases on them).

When repair may be applied for is the end of the item's shortest publication period, which the
publication view already works out from the catalog (`publication.display.repair_from`); which
items may be repaired here and who decides is `policy/repair.yaml`. The archive page calls
`for_records` with the records it shows: publication stays below repairs in the layering."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth.principal import PUBLIC
from xinyong.cases.models import Case
from xinyong.db import one_of
from xinyong.policy import load_policy
from xinyong.publication.service import RecordQuery, ShownRecord, visible_records
from xinyong.records.models import Record, RecordStatus
from xinyong.repairs.models import KIND

NOT_SHOWN = {
    RecordStatus.REPAIRED: "该信息已修复，已停止公示。",
    RecordStatus.REVOKED: "该信息已撤销，已停止公示。",
    RecordStatus.EXPIRED: "该信息公示期已满，已停止公示，无需修复。",
    RecordStatus.INVALID: "该信息已无效，不予公示，无需修复。",
}


@dataclass(frozen=True)
class Eligibility:
    """`from_date`: the first day an application may be made (None: never here);
    `can_apply_now`: today, with no repair of it under way; `reason`: why not, in Chinese."""

    from_date: date | None
    can_apply_now: bool
    reason: str | None = None
    open_case_id: int | None = None
    concerned: bool = True  # 失信 information the repair rule speaks about at all


def assess(record: ShownRecord, today: date, open_case_id: int | None = None) -> Eligibility:
    """The rule for one record as the publication view shows it now."""
    policy = load_policy().repair
    rule = policy.rule_for(record.item.code)
    if rule is None:
        return Eligibility(None, False, policy.not_concerned, concerned=False)
    if not rule.repairable:
        return Eligibility(None, False, rule.reason)
    if record.never_published:  # 轻微: not published in principle, so nothing to repair
        return Eligibility(None, False, "该信息依规不予公示，无需修复。")
    if record.status is not RecordStatus.VALID:
        return Eligibility(None, False, NOT_SHOWN[record.status])
    if not record.in_window:
        return Eligibility(None, False, "该信息当前未在公示期内，无需修复。")
    start = record.repair_from
    if start is None:
        return Eligibility(None, False, "该信息没有最短公示期，无法确定可申请修复的日期。")
    if open_case_id is not None:
        reason = f"已有正在办理的信用修复申请（第 {open_case_id} 号），办结后方可再次申请。"
        return Eligibility(start, False, reason, open_case_id)
    if today < start:
        return Eligibility(start, False, f"最短公示期未满，可于 {start} 起申请信用修复。")
    return Eligibility(start, True)


def open_cases(session: Session, record_ids: Sequence[int]) -> dict[int, int]:
    """record id → the open repair case on it, for every record of `record_ids` that has one."""
    if not record_ids:
        return {}
    rows = session.execute(
        select(Case.record_id, Case.id).where(
            Case.kind == KIND,
            Case.closed_at.is_(None),
            one_of(session, Case.record_id, list(record_ids)),
        )
    )
    return {record_id: case_id for record_id, case_id in rows if record_id is not None}


def for_records(
    session: Session, records: Sequence[ShownRecord], today: date | None = None
) -> dict[int, Eligibility]:
    """record id → its eligibility, for a page of records (one query, whatever their number)."""
    day = today or clock.today()
    under_way = open_cases(session, [r.id for r in records])
    return {r.id: assess(r, day, under_way.get(r.id)) for r in records}


def for_record(session: Session, record: Record, today: date | None = None) -> Eligibility:
    """One record's eligibility (an application being made): judged on what the public sees of
    it now, since repair is about ending its publication."""
    shown = visible_records(session, PUBLIC, RecordQuery(record_id=record.id)).records
    if shown:
        return for_records(session, shown, today)[record.id]
    policy = load_policy().repair
    rule = policy.rule_for(record.item_code)
    if rule is None:
        return Eligibility(None, False, policy.not_concerned, concerned=False)
    if not rule.repairable:
        return Eligibility(None, False, rule.reason)
    status = RecordStatus(record.status)
    return Eligibility(None, False, NOT_SHOWN.get(status, "该信息当前未公示，无需修复。"))
