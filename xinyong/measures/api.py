"""Joint reward/punishment checks over HTTP: one subject, a batch of up to 100,000, feedback.

Answers are built as plain dicts and serialised with orjson: the declared models describe them
in the OpenAPI schema, but a batch has 100,000 items and a single check is the hottest route."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Sequence
from enum import StrEnum
from typing import Annotated, Any

import orjson
from fastapi import Depends, Request
from fastapi.responses import Response, StreamingResponse

from xinyong.collection.cells import csv_row
from xinyong.db import committing
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import RowId, as_moment
from xinyong.http.principal import Caller, api_router
from xinyong.measures import receipts
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
from xinyong.measures.writer import CheckWriter
from xinyong.reports.schemas import PDF, pdf_response
from xinyong.subjects.status import status_label

router = api_router("联合奖惩核查")


def answer_json(answer: Answer) -> dict[str, Any]:
    """A plain dict shaped as AnswerOut (declared, not built): a batch has 100,000 of them."""
    return {
        "check_id": answer.check_id,
        "subject": answer.key,
        "subject_id": answer.subject_id,
        "subject_name": answer.subject_name,
        "subject_status": answer.subject_status,
        "subject_status_label": status_label(answer.subject_status),
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


def check_writer(request: Request) -> CheckWriter:
    writer: CheckWriter = request.app.state.check_writer
    return writer


Writer = Annotated[CheckWriter, Depends(check_writer)]


@router.post(
    "/checks",
    summary="核查一个主体",
    status_code=201,
    response_model=AnswerOut,
    responses=refusals(401, 403, 404, 422),
)
def check_one(session: Database, caller: Caller, writer: Writer, body: CheckIn) -> Response:
    with committing(session):  # reads only, and the key's use (once a minute)
        finding = checks.find_one(
            session, caller, body.subject.key(), body.matter, as_moment(body.as_of)
        )
    # Answered once recorded and audited, in a group with the checks queued beside it.
    (answer,) = writer.answer(finding)
    return Response(orjson.dumps(answer_json(answer)), 201, media_type="application/json")


class BatchFormat(StrEnum):
    JSON = "json"
    NDJSON = "ndjson"
    CSV = "csv"


NDJSON = "application/x-ndjson"
CSV = "text/csv"
STREAMED = {
    NDJSON: {"schema": {"type": "string"}, "description": "首行为汇总，其后每行一个核查结果"},
    CSV: {"schema": {"type": "string"}, "description": "每行一个核查结果（UTF-8，带 BOM）"},
}
CSV_COLUMNS = (
    "check_id",
    "subject",
    "subject_id",
    "subject_name",
    "subject_status",  # the registration status's label: 已注销 subjects stand out in the sheet
    "matter",
    "found",
)
CSV_TAIL = ("message", "lists", "measures", "legal_basis", "in_objection")
LINES_PER_CHUNK = 2000


def batch_format(request: Request, format: BatchFormat | None) -> BatchFormat:
    """The `format` parameter, else the Accept header; JSON unless either asks otherwise."""
    if format is not None:
        return format
    accept = request.headers.get("accept", "")
    if NDJSON in accept or "application/ndjson" in accept:
        return BatchFormat.NDJSON
    if CSV in accept:
        return BatchFormat.CSV
    return BatchFormat.JSON


@router.post(
    "/checks/batch",
    summary="批量核查（最多 100,000 个主体）",
    description="默认以 JSON 一次返回；format=ndjson 或 csv（或 Accept 头）时逐行流式返回。",
    status_code=201,
    response_model=BatchAnswerOut,
    responses={201: {"content": STREAMED}, **refusals(401, 403, 413, 422)},
)
def check_batch(
    request: Request,
    session: Database,
    caller: Caller,
    body: BatchIn,
    format: BatchFormat | None = None,
) -> Response:
    shape = batch_format(request, format)
    keys = [s.key() for s in body.subjects]
    with committing(session):  # every check kept and audited before any line is sent
        answers = checks.check_many(session, caller, keys, body.matter, as_moment(body.as_of))
    hits = sum(1 for a in answers if a.hit)
    if shape is BatchFormat.NDJSON:
        return StreamingResponse(_ndjson(answers, hits), 201, media_type=NDJSON)
    if shape is BatchFormat.CSV:
        return StreamingResponse(_csv(answers), 201, media_type=f"{CSV}; charset=utf-8")
    found = [answer_json(a) for a in answers]
    content = orjson.dumps({"checks": len(found), "hits": hits, "items": found})
    return Response(content, 201, media_type="application/json")


def _ndjson(answers: Sequence[Answer], hits: int) -> Iterator[bytes]:
    yield orjson.dumps({"checks": len(answers), "hits": hits}) + b"\n"
    for start in range(0, len(answers), LINES_PER_CHUNK):
        chunk = answers[start : start + LINES_PER_CHUNK]
        yield b"".join(orjson.dumps(answer_json(a)) + b"\n" for a in chunk)


def _csv(answers: Sequence[Answer]) -> Iterator[bytes]:
    """One row per answer; its lists and measures as names and codes, texts formula-safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    out.write("\ufeff")  # spreadsheets on Chinese Windows read UTF-8 only with a BOM
    writer.writerow(CSV_COLUMNS + CSV_TAIL)
    for start in range(0, len(answers), LINES_PER_CHUNK):
        for a in answers[start : start + LINES_PER_CHUNK]:
            writer.writerow(csv_row(_csv_cells(a)))
        yield out.getvalue().encode()
        out.seek(0)
        out.truncate()


def _csv_cells(a: Answer) -> list[Any]:
    bases = "；".join(dict.fromkeys(m.legal_basis for m in a.measures if m.legal_basis))
    return [
        a.check_id,
        a.key,
        a.subject_id,
        a.subject_name,
        status_label(a.subject_status),
        a.matter,
        _flag(a.problem is None),
        a.problem.message if a.problem else None,
        "；".join(m.list_name for m in a.lists),
        ",".join(m.code for m in a.measures),
        bases,
        _flag(any(m.in_objection for m in a.lists)),
    ]


def _flag(value: bool) -> str:
    return "true" if value else "false"


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
    "/checks/{check_id}/receipt.pdf",
    summary="联合奖惩核查结果凭证（PDF）",
    response_class=Response,
    responses={
        200: {"content": {PDF: {}}, "description": "核查结果凭证 PDF"},
        **refusals(401, 403, 404, 422),
    },
)
def check_receipt(session: Database, caller: Caller, check_id: RowId) -> Response:
    with committing(session):
        printed = receipts.receipt(session, caller, check_id)
    return pdf_response(printed)


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
