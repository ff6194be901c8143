"""Drawing a plan (双随机): its candidates by class (`candidates`), the draw itself by
`drawing.draw`, stored with the seed and the inputs that let anyone re-run it; `verify` re-runs
a stored draw and says whether its inputs and result are the same."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass
from decimal import Decimal
from operator import attrgetter
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.db import bulk_insert, table_of
from xinyong.errors import DomainError, NotFound
from xinyong.policy import load_policy
from xinyong.policy.schemas.supervision import Scheme
from xinyong.supervision import drawing
from xinyong.supervision.candidates import candidates, runs_for
from xinyong.supervision.inspectors import drawable
from xinyong.supervision.models import Draw, DrawnSubject, Plan
from xinyong.supervision.plans import find_plan, plan_for, unseen_plan

_SEED = re.compile(r"^[0-9A-Za-z_-]{1,64}$")


def scheme_of(session: Session, plan: Plan) -> Scheme:
    department = session.get_one(Department, plan.department_id)
    return load_policy().supervision.scheme_for(department.code)


def _policy_digest(scheme: Scheme) -> str:
    """What of the policy decided the draw (the scheme, the model per type), hashed."""
    supervision = load_policy().supervision
    decided = {
        "version": supervision.version,
        "scheme": scheme.model_dump(mode="json"),
        "models": {t.value: m for t, m in supervision.models.items()},
        "default_model": supervision.default_model,
    }
    return hashlib.sha256(json.dumps(decided, sort_keys=True).encode()).hexdigest()


def _rerun(classes: dict[str, list[int]], inputs: dict[str, Any], seed: str) -> list[drawing.Drawn]:
    """The draw again from stored inputs (ratios, pool, 回避 links as they were)."""
    ratios = {code: Decimal(c["ratio"]) for code, c in inputs["classes"].items()}
    avoided: dict[int, set[int]] = {}
    for subject_id, inspector_id in inputs["avoided"]:
        avoided.setdefault(subject_id, set()).add(inspector_id)
    pool, per_subject = inputs["inspectors"], inputs["per_subject"]
    return drawing.draw(seed, classes, ratios, pool, avoided, per_subject, inputs["method"])


def run(session: Session, principal: Principal, plan_id: int, seed: str | None = None) -> Draw:
    """Draw the plan, once: a second draw would let a department keep the one it liked."""
    permissions.require(session, principal, "supervision.manage")  # by role first: ids unknown
    plan = find_plan(session, plan_id)
    permissions.require(session, principal, "supervision.manage", plan, unseen=unseen_plan())
    if session.scalar(select(Draw.id).where(Draw.plan_id == plan.id)) is not None:
        raise DomainError("该计划已抽取，抽取结果不能重抽", "supervision.already_drawn")
    if seed is not None and not _SEED.match(seed):
        raise DomainError("随机种子只能由1至64位字母、数字、-、_组成", "supervision.bad_seed")
    seed = seed or drawing.new_seed()
    at = clock.now()
    scheme = scheme_of(session, plan)
    runs = runs_for(session, plan, scheme, at)
    classes, digest, reached = candidates(session, plan, scheme, runs, at)
    pool, avoided = drawable(session, plan.department_id, at)
    ratios = {klass.code: klass.ratio for klass in scheme.classes}
    try:
        drawn = drawing.draw(seed, classes, ratios, pool, avoided, plan.inspectors_per_subject)
    except drawing.TooFewInspectors as short:
        raise DomainError(
            f"可抽取的检查人员不足：主体 {short.subject_id} 回避后只有 {short.eligible} 人，"
            f"每户需要 {plan.inspectors_per_subject} 人",
            "supervision.too_few_inspectors",
        ) from None
    inputs = {
        "method": drawing.METHOD,
        "scheme": scheme.code,
        "policy_version": load_policy().supervision.version,
        "policy_digest": _policy_digest(scheme),
        "runs": runs,
        "classes": {
            code: {
                "candidates": len(ids),
                "ratio": str(ratios[code]),
                "drawn": drawing.sample_size(ratios[code], len(ids)),
                "reached_per_year": reached.get(code, 0),
            }
            for code, ids in classes.items()
        },
        "candidates": sum(len(ids) for ids in classes.values()),
        "candidates_digest": digest,
        "inspectors": pool,
        "per_subject": plan.inspectors_per_subject,
        # Only the links that bore on the result (those of drawn subjects), as they held then.
        "avoided": sorted(
            [d.subject_id, i] for d in drawn for i in sorted(avoided.get(d.subject_id, ()))
        ),
    }
    made = Draw(plan_id=plan.id, seed=seed, drawn_at=at, actor=principal.actor, inputs=inputs)
    try:
        with session.begin_nested():  # another draw of the plan committed meanwhile: refused
            session.add(made)
            session.flush()
    except IntegrityError:
        raise DomainError("该计划已抽取，抽取结果不能重抽", "supervision.already_drawn") from None
    rows = [  # in the primary key's order: each row goes at the end of its index
        {
            "draw_id": made.id,
            "subject_id": d.subject_id,
            "class_code": d.class_code,
            "draw_key": d.key,
            "inspector_ids": f"[{','.join(map(str, d.inspector_ids))}]",  # JSON of ints
        }
        for d in sorted(drawn, key=attrgetter("subject_id"))
    ]
    bulk_insert(session, table_of(DrawnSubject), rows, json_text=frozenset({"inspector_ids"}))
    detail = {"plan_id": plan.id, "drawn": len(drawn), "candidates": inputs["candidates"]}
    audit.write(session, principal.actor, "supervision.drawn", "draw", made.id, detail)
    return made


@dataclass(frozen=True)
class Verified:
    draw_id: int
    same_inputs: bool  # the candidates read again as of the draw give the stored digest
    same_result: bool  # the seed on them gives exactly the stored subjects and inspectors
    drawn: int


def find_draw(session: Session, draw_id: int) -> Draw:
    draw = session.get(Draw, draw_id)
    if draw is None:
        raise NotFound("抽取记录不存在", "supervision.draw_not_found")
    return draw


def draw_for(session: Session, principal: Principal, draw_id: int) -> Draw:
    """The draw, when the principal may see its plan."""
    draw = find_draw(session, draw_id)
    plan_for(session, principal, draw.plan_id)
    return draw


def verify(session: Session, principal: Principal, draw_id: int) -> Verified:
    """Re-run a stored draw: its candidates read again as they stood when it was drawn (the
    evaluation runs it read, the subjects registered by then), its seed, ratios, inspector
    pool and 回避 links as stored."""
    draw = draw_for(session, principal, draw_id)
    plan = session.get_one(Plan, draw.plan_id)
    scheme = scheme_of(session, plan)
    classes, digest, _reached = candidates(
        session, plan, scheme, draw.inputs["runs"], draw.drawn_at
    )
    same_inputs = digest == draw.inputs["candidates_digest"]
    again = {
        (d.subject_id, d.class_code, d.key, d.inspector_ids)
        for d in _rerun(classes, draw.inputs, draw.seed)
    }
    rows = session.execute(
        select(
            DrawnSubject.subject_id,
            DrawnSubject.class_code,
            DrawnSubject.draw_key,
            DrawnSubject.inspector_ids,
        ).where(DrawnSubject.draw_id == draw.id)
    )
    stored = {(subject, code, key, tuple(ids)) for subject, code, key, ids in rows}
    return Verified(draw.id, same_inputs, again == stored, len(stored))


def drawn_count(session: Session, draw_id: int) -> int:
    return (
        session.scalar(
            select(func.count()).select_from(DrawnSubject).where(DrawnSubject.draw_id == draw_id)
        )
        or 0
    )
