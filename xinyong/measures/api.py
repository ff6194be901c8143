"""Joint reward/punishment checks over HTTP: one subject, a batch of up to 100,000, feedback."""

from __future__ import annotations

from typing import Any

from fastapi.responses import JSONResponse

from xinyong.db import committing
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import RowId, as_moment
from xinyong.http.principal import Caller, api_router
from xinyong.measures import service as checks
from xinyong.measures.schemas import (
    AnswerOut,
    BatchAnswerOut,
    BatchIn,
    CheckIn,
    FeedbackIn,
    FeedbackOut,
    FigureOut,
)
from xinyong.measures.service import Answer

router = api_router("联合奖惩核查")


def answer_json(answer: Answer) -> dict[str, Any]:
    """A plain dict shaped as AnswerOut (declared, not built): a batch has 100,000 of them."""
    return {
        "check_id": answer.check_id,
        "subject": answer.key,
        "subject_id": answer.subject_id,
        "subject_name": answer.subject_name,
        "matter": answer.matter,
        "found": answer.problem is None,
        "message": answer.problem.message if answer.problem else None,
        "lists": [
            {
                "list_type": m.list_type,
                "name": m.list_name,
                "kind": m.kind,
                "record_id": m.record_id,
                "item": m.item_name,
                "since": m.since.isoformat() if m.since else None,
                "until": m.until.isoformat() if m.until else None,
                "authority": m.authority,
                "in_objection": m.in_objection,
            }
            for m in answer.lists
        ],
        "measures": [
            {
                "code": m.code,
                "text": m.text,
                "kind": m.kind,
                "legal_basis": m.legal_basis,
                "list_types": m.list_types,
                "departments": m.departments,
            }
            for m in answer.measures
        ],
    }


@router.post(
    "/checks",
    summary="核查一个主体",
    status_code=201,
    response_model=AnswerOut,
    responses=refusals(401, 403, 404, 422),
)
def check_one(session: Database, caller: Caller, body: CheckIn) -> JSONResponse:
    with committing(session):
        answer = checks.check(
            session, caller, body.subject.key(), body.matter, as_moment(body.as_of)
        )
    return JSONResponse(answer_json(answer), status_code=201)


@router.post(
    "/checks/batch",
    summary="批量核查（最多 100,000 个主体）",
    status_code=201,
    response_model=BatchAnswerOut,
    responses=refusals(401, 403, 413, 422),
)
def check_batch(session: Database, caller: Caller, body: BatchIn) -> JSONResponse:
    keys = [s.key() for s in body.subjects]
    with committing(session):
        answers = checks.check_many(session, caller, keys, body.matter, as_moment(body.as_of))
    found = [answer_json(a) for a in answers]
    hits = sum(1 for a in answers if a.hit)
    return JSONResponse({"checks": len(found), "hits": hits, "items": found}, status_code=201)


@router.post(
    "/checks/{check_id}/feedback",
    summary="反馈措施采取情况",
    status_code=201,
    response_model=FeedbackOut,
    responses=refusals(401, 403, 404, 422),
)
def check_feedback(
    session: Database, caller: Caller, check_id: RowId, body: FeedbackIn
) -> FeedbackOut:
    with committing(session):
        entry = checks.feedback(session, caller, check_id, body.measure, body.applied, body.reason)
    return FeedbackOut(check_id=check_id, measure=entry.measure_code, applied=entry.applied)


@router.get(
    "/checks/figures",
    summary="核查与反馈统计",
    response_model=list[FigureOut],
    responses=refusals(401, 403),
)
def check_figures(
    session: Database,
    caller: Caller,
    department_id: RowId | None = None,
) -> list[FigureOut]:
    figures = checks.figures(session, caller)
    return [
        FigureOut(
            department_id=f.department_id,
            measure=f.measure_code,
            checks=f.checks,
            hits=f.hits,
            feedback=f.feedback,
            feedback_rate=f.feedback_rate,
        )
        for f in figures
        if department_id is None or f.department_id == department_id
    ]
