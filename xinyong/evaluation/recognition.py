"""互认 (seed 000 四(四): 深中 evaluation results recognised across cities): another platform's
grades of subjects we share, imported as a batch and shown beside ours with their source. A
row names its subject by USCC; a row whose subject the registry does not know, or that is
malformed, is answered with its reason in Chinese and not stored. Sending a batch again stores
nothing twice (one grade per subject, platform, model and day)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock, codes
from xinyong.auth import audit, permissions
from xinyong.auth.principal import Principal
from xinyong.db import one_of
from xinyong.errors import DomainError
from xinyong.evaluation.models import RecognisedEvaluation
from xinyong.subjects.registry import key_of, lookup_many

MAX_ROWS = 10_000


@dataclass(frozen=True)
class Grade:
    """One row as sent: 统一社会信用代码, 评价模型, 等级, 分数 (optional), 评价日期."""

    uscc: str
    model_name: str
    grade: str
    score: Decimal | None
    evaluated_on: date


@dataclass(frozen=True)
class Refused:
    row: int  # 1-based, as sent
    reason: str


@dataclass(frozen=True)
class Imported:
    stored: int
    unchanged: int
    refused: list[Refused]


@dataclass(frozen=True)
class Shown:
    platform: str
    model_name: str
    grade: str
    score: Decimal | None
    evaluated_on: date


def import_grades(
    session: Session, viewer: Principal, platform: str, grades: Sequence[Grade]
) -> Imported:
    """Store another platform's grades (`evaluation.run`: the credit office's), audited."""
    permissions.require(session, viewer, "evaluation.run")
    platform = " ".join(platform.split())[:100]
    if not platform:
        raise DomainError("请写明评价结果的来源平台", "evaluation.platform")
    if len(grades) > MAX_ROWS:
        raise DomainError(f"一次最多导入 {MAX_ROWS:,} 条，请分批导入", "evaluation.too_many")
    refused: list[Refused] = []
    wanted: dict[int, tuple[str, str]] = {}
    for n, grade in enumerate(grades, start=1):
        problem = _problem(grade)
        if problem:
            refused.append(Refused(n, problem))
            continue
        key = key_of("uscc", grade.uscc)
        if key is not None:
            wanted[n] = key
    known = lookup_many(session, set(wanted.values()))
    subject_ids = sorted({k.subject_id for k in known.values()})
    kept = {
        (s, m, d)
        for s, m, d in session.execute(
            select(
                RecognisedEvaluation.subject_id,
                RecognisedEvaluation.model_name,
                RecognisedEvaluation.evaluated_on,
            ).where(
                RecognisedEvaluation.platform == platform,
                one_of(session, RecognisedEvaluation.subject_id, subject_ids),
            )
        )
    }
    stored = unchanged = 0
    now = clock.now()
    for n, grade in enumerate(grades, start=1):
        if n not in wanted:
            continue
        found = known.get(wanted[n])
        if found is None:
            refused.append(Refused(n, f"本平台没有统一社会信用代码为 {grade.uscc} 的主体"))
            continue
        same = (found.subject_id, grade.model_name, grade.evaluated_on)
        if same in kept:
            unchanged += 1
            continue
        kept.add(same)
        session.add(
            RecognisedEvaluation(
                subject_id=found.subject_id,
                platform=platform,
                model_name=grade.model_name,
                grade=grade.grade,
                score=grade.score,
                evaluated_on=grade.evaluated_on,
                imported_at=now,
                imported_by=viewer.actor,
            )
        )
        stored += 1
    session.flush()
    detail = {"platform": platform, "stored": stored, "refused": len(refused)}
    audit.write(session, viewer.actor, "evaluation.import", "recognised_evaluations", None, detail)
    return Imported(stored, unchanged, sorted(refused, key=lambda r: r.row))


def recognised(session: Session, subject_id: int) -> list[Shown]:
    """Other platforms' grades of the subject, newest first (who may see them: as ours)."""
    rows = session.scalars(
        select(RecognisedEvaluation)
        .where(RecognisedEvaluation.subject_id == subject_id)
        .order_by(RecognisedEvaluation.evaluated_on.desc(), RecognisedEvaluation.id.desc())
        .limit(20)
    )
    return [Shown(r.platform, r.model_name, r.grade, r.score, r.evaluated_on) for r in rows]


def _problem(grade: Grade) -> str | None:
    try:
        codes.validate_uscc(grade.uscc)
    except DomainError as exc:
        return exc.message
    if not grade.model_name.strip() or len(grade.model_name) > 200:
        return "评价模型名称为空或超过 200 字"
    if not grade.grade.strip() or len(grade.grade) > 16:
        return "等级为空或超过 16 字"
    if grade.evaluated_on > clock.today():
        return "评价日期晚于今天"
    if grade.score is not None and not Decimal(-(10**9)) < grade.score < Decimal(10**9):
        return "分数超出范围"
    return None
