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
    # The registration status: a 注销 or 吊销 subject is said so in every answer.
    subject_status: str | None = None

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
    finding = find_one(session, viewer, key, matter, as_of)
    ((_batch_id, ids),) = keep(session, [finding])
    (answer,) = finding.answers(ids)
    return answer


def find_one(
    session: Session,
    viewer: Principal,
    key: SubjectKey,
    matter: str,
    as_of: datetime | date | None = None,
) -> Finding:
    """The reads of one check, refused when the key names no subject (nothing is kept then:
    the caller's transaction rolls back on the error, as it always did)."""
    finding = find(session, viewer, [key], matter, as_of, batch=False)
    (problem,) = finding.problems
    if problem:
        refusal = InvalidCode if problem.code == INVALID_CODE else NotFound
        raise refusal(problem.message, problem.code)
    return finding


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
    finding = find(session, viewer, keys, matter, as_of, batch=batch)
    ((_batch_id, ids),) = keep(session, [finding])
    return finding.answers(ids)


@dataclass(frozen=True)
class Finding:
    """What one call found, before it is kept: the answers wait for their check ids, which
    `keep` gives when it stores them (alone, or in a group with other calls: decision 0011)."""

    actor: str
    department_id: int | None
    matter: str
    asked_at: datetime
    as_of: datetime
    batch: bool
    keys: list[str]
    subjects: list[tuple[int, str, str] | None]
    lists: list[list[Membership]]
    measures: list[list[Applied]]
    problems: list[Missing | None]
    hits: int
    viewed: list[audit.Draft] = field(default_factory=list)  # staff shown non-public records

    @property
    def size(self) -> int:
        return len(self.keys)

    def answers(self, ids: Sequence[int]) -> list[Answer]:
        return [
            Answer(
                check_id=ids[i],
                key=self.keys[i],
                subject_id=subject[0] if subject else None,
                subject_name=subject[1] if subject else None,
                matter=self.matter,
                lists=self.lists[i],
                measures=self.measures[i],
                problem=self.problems[i],
                subject_status=subject[2] if subject else None,
            )
            for i, subject in enumerate(self.subjects)
        ]

    def batch_row(self, batch_id: int) -> dict[str, Any]:
        return {
            "id": batch_id,
            "matter": self.matter,
            "department_id": self.department_id,
            "actor": self.actor,
            "asked_at": self.asked_at,
            "as_of": self.as_of,
            "size": self.size,
            "hits": self.hits,
        }

    def check_rows(self, batch_id: int, ids: Sequence[int]) -> list[dict[str, Any]]:
        return [
            _row(ids[i], batch_id, subject, self.keys[i], self.lists[i], self.measures[i])
            for i, subject in enumerate(self.subjects)
        ]

    def entries(self, batch_id: int, ids: Sequence[int]) -> list[audit.Draft]:
        kind, target = ("check_batch", batch_id) if self.batch else ("check", ids[0])
        detail = {"matter": self.matter, "checks": self.size, "hits": self.hits}
        detail["as_of"] = str(self.as_of)
        ran = audit.Draft(self.actor, "checks.run", kind, target, detail, at=self.asked_at)
        return [*self.viewed, ran]


def find(
    session: Session,
    viewer: Principal,
    keys: Sequence[SubjectKey],
    matter: str,
    as_of: datetime | date | None = None,
    *,
    batch: bool = True,
) -> Finding:
    """The reads of a check: who each key names, the lists each subject is on as the viewer
    may see them, and the measures they call for. Writes nothing but refusals."""
    permissions.require(session, viewer, "checks.run")
    policy = load_policy()
    if matter not in policy.matters:
        raise DomainError(f"未知的事项：{matter}", "checks.unknown_matter")
    if not keys:
        raise DomainError("请至少提供一个核查对象", "checks.empty")
    if len(keys) > MAX_BATCH:
        raise DomainError(f"一次最多核查 {MAX_BATCH:,} 个主体", "checks.too_many")
    now = clock.now()
    resolved = resolve(session, keys)
    found = sorted({r[0] for r in resolved if isinstance(r, tuple)})
    # Asked about now, the publication view takes its fast path (current versions and status).
    lists, viewed = _memberships(session, viewer, found, as_of)
    candidates = [m for m in policy.measures.values() if matter in m.matters]
    subjects = [named if isinstance(named, tuple) else None for named in resolved]
    on = [lists.get(subject[0], []) if subject else [] for subject in subjects]
    measures = [_applied(candidates, entries) if entries else [] for entries in on]
    return Finding(
        actor=viewer.actor,
        department_id=viewer.department_id,
        matter=matter,
        asked_at=now,
        as_of=as_of_moment(as_of) or now,
        batch=batch,
        keys=[key.shown() for key in keys],
        subjects=subjects,
        lists=on,
        measures=measures,
        problems=[named if isinstance(named, Missing) else None for named in resolved],
        hits=sum(1 for applied in measures if applied),
        viewed=viewed,
    )


def keep(session: Session, findings: Sequence[Finding]) -> list[tuple[int, list[int]]]:
    """Store the findings of one or many calls in the caller's transaction, each with its
    batch row, its check rows and its audit entries, the audit chain locked once for all of
    them: the batch id and the check ids of each."""
    batch_ids = allocate_ids(session, table_of(CheckBatch), len(findings))
    check_ids = allocate_ids(session, table_of(Check), sum(f.size for f in findings))
    kept: list[tuple[int, list[int]]] = []
    rows, entries, taken = [], [], 0
    for finding, batch_id in zip(findings, batch_ids, strict=True):
        ids = check_ids[taken : taken + finding.size]
        taken += finding.size
        kept.append((batch_id, ids))
        rows.extend(finding.check_rows(batch_id, ids))
        entries.extend(finding.entries(batch_id, ids))
    batches = [f.batch_row(batch_id) for f, (batch_id, _) in zip(findings, kept, strict=True)]
    bulk_insert(session, table_of(CheckBatch), batches)
    bulk_insert(session, table_of(Check), rows, json_text=frozenset({"lists", "measures"}))
    audit.write_many(session, entries)
    return kept


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


def _row(
    check_id: int,
    batch_id: int,
    subject: tuple[int, str, str] | None,
    key: str,
    listed: Sequence[Membership],
    applied: Sequence[Applied],
) -> dict[str, Any]:
    return {
        "id": check_id,
        "batch_id": batch_id,
        "subject_id": subject[0] if subject else None,
        "identifier": key[:255],
        "lists": json.dumps([m.list_type for m in listed]) if listed else "[]",
        "measures": json.dumps([m.code for m in applied]) if applied else "[]",
        "measure_codes": "," + "".join(f"{m.code}," for m in applied),
        "hit": bool(applied),
    }


# --- lists --------------------------------------------------------------------------------


def _memberships(
    session: Session, viewer: Principal, subject_ids: Sequence[int], as_of: datetime | date | None
) -> tuple[dict[int, list[Membership]], list[audit.Draft]]:
    """The lists each subject is on as of then (None: now), as the caller may see them, and the
    audit entries of what the publication view showed that the public could not see."""
    policy = load_policy()
    types_of: dict[str, list[str]] = defaultdict(list)
    for list_type in policy.list_types.values():
        for item in list_type.items:
            types_of[item].append(list_type.code)
    found: dict[int, list[Membership]] = defaultdict(list)
    views: list[audit.Draft] = []
    for start in range(0, len(subject_ids), CHUNK):
        query = RecordQuery(
            subject_ids=subject_ids[start : start + CHUNK],
            item_codes=list(types_of),
            published_only=True,
        )
        for record in visible_records(session, viewer, query, as_of, views=views).records:
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
    return found, views


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
