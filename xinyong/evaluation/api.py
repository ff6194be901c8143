"""公共信用综合评价 over HTTP: a subject's grade explained (staff and the subject itself), and
runs asked for on demand by the credit office."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from fastapi import BackgroundTasks
from pydantic import BaseModel, Field
from sqlalchemy.orm import sessionmaker

from xinyong.db import committing
from xinyong.evaluation import explain, recognition, runs
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import NO_NUL, AsOf, RowId, Text, as_moment
from xinyong.http.principal import Caller, api_router
from xinyong.publication.service import as_of_moment

router = api_router("信用评价")


class RecordOut(BaseModel):
    record_id: int
    item_name: str
    decision_date: date | None
    document_number: str | None
    points: Decimal = Field(description="该条记录的得分（封顶前；“有即计分”的指标为 0）")


class IndicatorOut(BaseModel):
    code: str
    name: str
    points: Decimal = Field(description="本次评价中该二级指标的得分（封顶后）")
    cap: Decimal | None
    source: str
    records: list[RecordOut]


class DimensionOut(BaseModel):
    code: str
    name: str
    weight: Decimal
    base: Decimal = Field(description="起评分")
    full: Decimal = Field(description="满分")
    hold: Decimal = Field(description="限定在 0 到满分之间所作的调整")
    score: Decimal
    indicators: list[IndicatorOut]


class OverrideOut(BaseModel):
    code: str
    reason: str
    at_most: str


class PastOut(BaseModel):
    run_id: int
    as_of: datetime
    score: Decimal
    grade: str


class RecognisedOut(BaseModel):
    platform: str = Field(description="评价结果的来源平台")
    model_name: str
    grade: str
    score: Decimal | None
    evaluated_on: date


class EvaluationOut(BaseModel):
    subject_id: int
    model: str
    model_name: str
    model_version: int
    run_id: int
    as_of: datetime
    score: Decimal = Field(description="总分 = 各一级指标的起评分 + 各二级指标得分 + 调整")
    grade: str
    grade_label: str
    band_grade: str = Field(description="仅按分数所得的等级（等级上限规则适用前）")
    dimensions: list[DimensionOut]
    overrides: list[OverrideOut] = Field(description="使等级降低的规则")
    history: list[PastOut]
    recognised: list[RecognisedOut] = Field(description="其他平台对该主体的评价（互认），注明来源")


class GradeIn(BaseModel):
    uscc: str = Field(min_length=1, max_length=40, pattern=NO_NUL, description="统一社会信用代码")
    model_name: str = Field(min_length=1, max_length=200, pattern=NO_NUL, description="评价模型")
    grade: str = Field(min_length=1, max_length=16, pattern=NO_NUL, description="等级")
    score: Decimal | None = Field(default=None, ge=-(10**9), le=10**9, max_digits=14)
    evaluated_on: date = Field(description="评价日期")


class RecognisedIn(BaseModel):
    platform: str = Field(min_length=1, max_length=100, pattern=NO_NUL, description="来源平台")
    items: list[GradeIn] = Field(min_length=1, max_length=recognition.MAX_ROWS)


class RefusedOut(BaseModel):
    row: int
    reason: str


class ImportedOut(BaseModel):
    stored: int
    unchanged: int = Field(description="此前已导入的（再次发送不重复保存）")
    refused: list[RefusedOut]


class RunIn(BaseModel):
    model: str = Field(min_length=1, max_length=32, pattern=NO_NUL)
    as_of: datetime | None = Field(default=None, description="评价时点，默认现在")


class RunOut(BaseModel):
    run_id: int
    status: str = Field(description="queued：已受理，稍后完成")


@router.get(
    "/subjects/{subject_id}/evaluation",
    summary="主体的信用评价及其依据",
    response_model=EvaluationOut,
    responses=refusals(401, 403, 404, 422),
)
def subject_evaluation(
    session: Database,
    caller: Caller,
    subject_id: RowId,
    as_of: AsOf = None,
    model: Text | None = None,
) -> EvaluationOut:
    with committing(session):  # the look is audited
        found = explain.explain(session, caller, subject_id, as_of_moment(as_moment(as_of)), model)
    return EvaluationOut(
        subject_id=found.subject_id,
        model=found.model.code,
        model_name=found.model.name,
        model_version=found.model.version,
        run_id=found.run_id,
        as_of=found.as_of,
        score=found.score,
        grade=found.grade,
        grade_label=found.grade_label,
        band_grade=found.band_grade,
        dimensions=[
            DimensionOut(
                code=d.code,
                name=d.name,
                weight=d.weight,
                base=d.base,
                full=d.full,
                hold=d.hold,
                score=d.score,
                indicators=[
                    IndicatorOut(
                        code=i.code,
                        name=i.name,
                        points=i.points,
                        cap=i.cap,
                        source=i.source,
                        records=[RecordOut(**vars(r)) for r in i.records],
                    )
                    for i in d.indicators
                ],
            )
            for d in found.dimensions
        ],
        overrides=[OverrideOut(**vars(o)) for o in found.overrides],
        history=[PastOut(**vars(p)) for p in found.history],
        recognised=[RecognisedOut(**vars(r)) for r in found.recognised],
    )


@router.post(
    "/evaluation/runs",
    summary="立即运行信用评价",
    response_model=RunOut,
    status_code=202,
    responses=refusals(400, 401, 403, 422),
)
def run_evaluation(
    session: Database, caller: Caller, body: RunIn, background: BackgroundTasks
) -> RunOut:
    with committing(session):
        run_id = runs.request(session, caller, body.model, as_of_moment(as_moment(body.as_of)))
    background.add_task(runs.complete, sessionmaker(bind=session.get_bind()), run_id)
    return RunOut(run_id=run_id, status="queued")


@router.post(
    "/evaluation/recognised",
    summary="导入其他平台的评价结果（互认）",
    response_model=ImportedOut,
    responses=refusals(400, 401, 403, 413, 422),
)
def import_recognised(session: Database, caller: Caller, body: RecognisedIn) -> ImportedOut:
    grades = [
        recognition.Grade(g.uscc, g.model_name.strip(), g.grade.strip(), g.score, g.evaluated_on)
        for g in body.items
    ]
    with committing(session):
        done = recognition.import_grades(session, caller, body.platform, grades)
    return ImportedOut(
        stored=done.stored,
        unchanged=done.unchanged,
        refused=[RefusedOut(row=r.row, reason=r.reason) for r in done.refused],
    )
