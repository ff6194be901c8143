"""Joint reward/punishment checks over HTTP: one subject, a batch of up to 100,000, feedback."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from xinyong.db import committing
from xinyong.http.deps import Database
from xinyong.http.params import RowId, Text, as_moment
from xinyong.http.principal import Caller
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.measures.service import MAX_BATCH, Answer

router = APIRouter(tags=["联合奖惩核查"])


class SubjectIn(BaseModel):
    uscc: Text | None = Field(None, description="统一社会信用代码")
    id_number: Text | None = Field(None, description="公民身份号码")
    name: Text | None = Field(None, description="名称（与 code 同用）")
    code: Text | None = Field(None, description="统一社会信用代码、组织机构代码或注册号")

    def key(self) -> SubjectKey:
        return SubjectKey(self.uscc, self.id_number, self.name, self.code)


class CheckIn(BaseModel):
    subject: SubjectIn
    matter: Text = Field(description="事项编码，如 procurement（政府采购）")
    as_of: date | datetime | None = Field(None, description="按该时点作答，默认当前")


class BatchIn(BaseModel):
    subjects: list[SubjectIn] = Field(max_length=MAX_BATCH)
    matter: Text
    as_of: date | datetime | None = None


class FeedbackIn(BaseModel):
    measure: Text = Field(description="措施编码")
    applied: bool = Field(description="是否已采取该措施")
    reason: Text | None = Field(None, description="未采取时的理由")


def answer_json(answer: Answer) -> dict[str, Any]:
    """Plain dicts (not response models): a batch answer has a hundred thousand of them."""
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


@router.post("/checks", summary="核查一个主体", status_code=201)
def check_one(session: Database, viewer: Caller, body: CheckIn) -> JSONResponse:
    with committing(session):
        answer = checks.check(
            session, viewer, body.subject.key(), body.matter, as_moment(body.as_of)
        )
    return JSONResponse(answer_json(answer), status_code=201)


@router.post("/checks/batch", summary="批量核查（最多 100,000 个主体）", status_code=201)
def check_batch(session: Database, viewer: Caller, body: BatchIn) -> JSONResponse:
    keys = [s.key() for s in body.subjects]
    with committing(session):
        answers = checks.check_many(session, viewer, keys, body.matter, as_moment(body.as_of))
    found = [answer_json(a) for a in answers]
    hits = sum(1 for a in answers if a.hit)
    return JSONResponse({"checks": len(found), "hits": hits, "items": found}, status_code=201)


@router.post("/checks/{check_id}/feedback", summary="反馈措施采取情况", status_code=201)
def check_feedback(
    session: Database, viewer: Caller, check_id: RowId, body: FeedbackIn
) -> dict[str, Any]:
    with committing(session):
        entry = checks.feedback(session, viewer, check_id, body.measure, body.applied, body.reason)
    return {"check_id": check_id, "measure": entry.measure_code, "applied": entry.applied}


@router.get("/checks/figures", summary="核查与反馈统计")
def check_figures(
    session: Database,
    viewer: Caller,
    department_id: RowId | None = None,
) -> list[dict[str, Any]]:
    figures = checks.figures(session, viewer)
    return [
        {
            "department_id": f.department_id,
            "measure": f.measure_code,
            "checks": f.checks,
            "hits": f.hits,
            "feedback": f.feedback,
            "feedback_rate": f.feedback_rate,
        }
        for f in figures
        if department_id is None or f.department_id == department_id
    ]
