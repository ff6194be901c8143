"""Checks (联合奖惩核查): before acting on a subject, a department asks which lists the subject is
on and which measures apply to its matter. Lists come from the publication view (an entry is a
published record of a list's item, as of the time asked), measures from the policy catalog; a
punishment applies only through a measure with its legal basis (依清单惩戒). Every answer is
kept, and every call is audited."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.db import allocate_ids, bulk_insert, table_of
from xinyong.errors import DomainError, InvalidCode, NotFound
from xinyong.measures.identify import CHUNK, INVALID_CODE, Missing, SubjectKey, resolve
from xinyong.measures.models import Check, CheckBatch, CheckFeedback
from xinyong.policy import load_policy
from xinyong.policy.schemas import Measure
from xinyong.publication import RecordQuery, visible_records
from xinyong.publication.service import as_of_moment

MAX_BATCH = 100_000


@dataclass(frozen=True)
class Membership:
    list_type: str
    list_name: str
    kind: str  # black / red / focus
    record_id: int
    item_code: str  # the catalog item of the entry: a measure's legal basis depends on it
    item_name: str
    since: date | None
    until: date | None
    authority: str | None
    # The entry is disputed (异议中): the clerk knows before acting on it.
    in_objection: bool = False


@dataclass(frozen=True)
class Applied:
    code: str
    text: str
    kind: str
    legal_basis: str
    list_types: list[str]
    departments: list[str]


@dataclass(frozen=True)
class Answer:
    check_id: int
    key: str
    subject_id: int | None
    subject_name: str | None
    matter: str
    lists: list[Membership] = field(default_factory=list)
    measures: list[Applied] = field(default_factory=list)
    problem: Missing | None = None  # why the key names no subject

    @property
    def hit(self) -> bool:
        return bool(self.measures)


def check(
    session: Session,
    viewer: Principal,
    key: SubjectKey,
    matter: str,
    as_of: datetime | date | None = None,
) -> Answer:
    """One subject; an unidentifiable key is an error here (a batch reports it per item)."""
    (answer,) = check_many(session, viewer, [key], matter, as_of, batch=False)
    if answer.problem:
        refusal = InvalidCode if answer.problem.code == INVALID_CODE else NotFound
        raise refusal(answer.problem.message, answer.problem.code)
    return answer


def check_many(
    session: Session,
    viewer: Principal,
    keys: Sequence[SubjectKey],
    matter: str,
    as_of: datetime | date | None = None,
    *,
    batch: bool = True,
) -> list[Answer]:
    """Every key answered in order, set-based: a hundred thousand subjects in a few queries per
    five hundred. Runs in one transaction with its audit entry."""
    permissions.require(session, viewer, "checks.run")
    if matter not in load_policy().matters:
        raise DomainError(f"未知的事项：{matter}", "checks.unknown_matter")
    if not keys:
        raise DomainError("请至少提供一个核查对象", "checks.empty")
    if len(keys) > MAX_BATCH:
        raise DomainError(f"一次最多核查 {MAX_BATCH:,} 个主体", "checks.too_many")
    resolved = resolve(session, keys)
    found = sorted({r[0] for r in resolved if isinstance(r, tuple)})
    # Asked about now, the publication view takes its fast path (current versions and status).
    lists = _memberships(session, viewer, found, as_of)
    candidates = [m for m in load_policy().measures.values() if matter in m.matters]
    ids = allocate_ids(session, table_of(Check), len(keys))
    answers = []
    for check_id, key, named in zip(ids, keys, resolved, strict=True):
        subject = named if isinstance(named, tuple) else None
        on = lists.get(subject[0], []) if subject else []
        answers.append(
            Answer(
                check_id=check_id,
                key=key.shown(),
                subject_id=subject[0] if subject else None,
                subject_name=subject[1] if subject else None,
                matter=matter,
                lists=on,
                measures=_applied(candidates, on) if on else [],
                problem=named if isinstance(named, Missing) else None,
            )
        )
    hits = sum(a.hit for a in answers)
    now = clock.now()
    asked = CheckBatch(
        matter=matter,
        department_id=viewer.department_id,
        actor=viewer.actor,
        asked_at=now,
        as_of=as_of_moment(as_of) or now,
        size=len(answers),
        hits=hits,
    )
    session.add(asked)
    session.flush()
    rows = [_row(answer, asked.id) for answer in answers]
    bulk_insert(session, table_of(Check), rows, json_text=frozenset({"lists", "measures"}))
    kind, target = ("check_batch", asked.id) if batch else ("check", ids[0])
    detail = {"matter": matter, "checks": len(answers), "hits": hits, "as_of": str(asked.as_of)}
    audit.write(session, viewer.actor, "checks.run", kind, target, detail)
    return answers


def _applied(candidates: Sequence[Measure], on: Sequence[Membership]) -> list[Applied]:
    """The measures the subject's entries call for, each with the basis for those entries (a
    punishment only where its basis covers the entry's item: 依法依规惩戒)."""
    applied = []
    for m in candidates:
        entries = [e for e in on if e.list_type in m.list_types and m.applies_to(e.item_code)]
        if not entries:
            continue
        bases = (m.basis_for(e.item_code) for e in entries)
        basis = "；".join(dict.fromkeys(b.text for b in bases if b is not None))
        types = {e.list_type for e in entries}
        applied.append(
            Applied(
                m.code,
                m.text,
                m.kind,
                basis,
                [t for t in m.list_types if t in types],
                list(m.departments),
            )
        )
    return applied


def _row(answer: Answer, batch_id: int) -> dict[str, Any]:
    listed, applied = answer.lists, answer.measures
    return {
        "id": answer.check_id,
        "batch_id": batch_id,
        "subject_id": answer.subject_id,
        "identifier": answer.key[:255],
        "lists": json.dumps([m.list_type for m in listed]) if listed else "[]",
        "measures": json.dumps([m.code for m in applied]) if applied else "[]",
        "measure_codes": "," + "".join(f"{m.code}," for m in applied),
        "hit": bool(applied),
    }


# --- lists --------------------------------------------------------------------------------


def _memberships(
    session: Session, viewer: Principal, subject_ids: Sequence[int], as_of: datetime | date | None
) -> dict[int, list[Membership]]:
    """The lists each subject is on as of then (None: now), as the caller may see them."""
    policy = load_policy()
    types_of: dict[str, list[str]] = defaultdict(list)
    for list_type in policy.list_types.values():
        for item in list_type.items:
            types_of[item].append(list_type.code)
    found: dict[int, list[Membership]] = defaultdict(list)
    for start in range(0, len(subject_ids), CHUNK):
        query = RecordQuery(
            subject_ids=subject_ids[start : start + CHUNK],
            item_codes=list(types_of),
            published_only=True,
        )
        for record in visible_records(session, viewer, query, as_of).records:
            authority_field = record.item.columns.authority_name
            authority = next((f.value for f in record.fields if f.code == authority_field), None)
            for code in types_of[record.item.code]:
                list_type = policy.list_types[code]
                found[record.subject_id].append(
                    Membership(
                        code,
                        list_type.name,
                        list_type.kind,
                        record.id,
                        record.item.code,
                        record.item.name,
                        record.decision_date,
                        record.publish_until,
                        authority,
                        record.in_objection,
                    )
                )
    return found


# --- feedback and figures -----------------------------------------------------------------


def feedback(
    session: Session,
    viewer: Principal,
    check_id: int,
    measure_code: str,
    applied: bool,
    reason: str | None,
) -> CheckFeedback:
    """What the department did with a measure of its check (反馈): only the department (its
    system or its staff) that made the check may say; to anyone else the check does not
    exist."""
    permissions.require(session, viewer, "checks.feedback")  # the anonymous: 401, no lookup
    answered = session.get(Check, check_id)
    asked = session.get(CheckBatch, answered.batch_id) if answered else None
    missing = NotFound(f"核查记录不存在：{check_id}", "checks.not_found")
    if answered is None or asked is None:
        raise missing
    made = Target("check", check_id, asked.department_id, made_by=asked.actor)
    permissions.require(session, viewer, "checks.feedback", made, unseen=missing)
    if f",{measure_code}," not in answered.measure_codes:
        raise DomainError(f"该次核查未命中措施 {measure_code}", "checks.measure_not_applied")
    if not applied and not (reason and reason.strip()):
        raise DomainError("未采取措施的，请说明理由", "checks.reason_required")
    entry = CheckFeedback(
        check_id=check_id,
        at=clock.now(),
        actor=viewer.actor,
        measure_code=measure_code,
        applied=applied,
        reason=(reason or "").strip() or None,
    )
    session.add(entry)
    session.flush()
    audit.write(session, viewer.actor, "checks.feedback", "check", check_id, {"applied": applied})
    return entry


@dataclass(frozen=True)
class MeasureFigures:
    department_id: int | None
    measure_code: str
    checks: int  # checks the department made
    hits: int  # of which the measure applied
    feedback: int  # hits with feedback on the measure

    @property
    def feedback_rate(self) -> float | None:
        return self.feedback / self.hits if self.hits else None


def figures(session: Session, viewer: Principal) -> list[MeasureFigures]:
    """Per department and measure: checks made, hits, and how many hits got feedback. A
    department sees its own figures; the credit office and administrators their region's."""
    permissions.require(session, viewer, "checks.figures")
    department = CheckBatch.department_id
    shown = permissions.departments_where(viewer, "checks.figures", department)
    made = dict(
        session.execute(
            select(department, func.sum(CheckBatch.size)).where(shown).group_by(department)
        ).all()
    )
    out = []
    for code in load_policy().measures:
        hits = dict(
            session.execute(
                select(department, func.count())
                .select_from(Check)
                .join(CheckBatch, CheckBatch.id == Check.batch_id)
                .where(shown, Check.measure_codes.like(f"%,{code},%"))
                .group_by(department)
            ).all()
        )
        answered = dict(
            session.execute(
                select(department, func.count(func.distinct(CheckFeedback.check_id)))
                .select_from(CheckFeedback)
                .join(Check, CheckFeedback.check_id == Check.id)
                .join(CheckBatch, CheckBatch.id == Check.batch_id)
                .where(shown, CheckFeedback.measure_code == code)
                .group_by(department)
            ).all()
        )
        for department_id, hit in hits.items():
            fed = answered.get(department_id, 0)
            out.append(MeasureFigures(department_id, code, int(made[department_id]), hit, fed))
    return out
