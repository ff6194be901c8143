"""The registry over HTTP for the credit office: the 待核实 queue and verifying a subject,
merging subjects that are one (and reversing it), and moving a record to the right subject."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from pydantic import BaseModel, Field

from xinyong.db import committing
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import NO_NUL, PageNumber, RowId
from xinyong.http.principal import Caller, api_router
from xinyong.subjects import merging, relinking, verification

router = api_router("主体登记")


class WaitingOut(BaseModel):
    subject_id: int
    name: str
    subject_type: str
    uscc: str | None
    created_at: datetime
    records: int = Field(description="本地区报送的现行记录数")


class QueueOut(BaseModel):
    total: int
    page: int
    pages: int
    items: list[WaitingOut]


class VerifyIn(BaseModel):
    basis: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="核实依据")


class VerifiedOut(BaseModel):
    subject_id: int
    verified: bool


@router.get(
    "/registry/unverified",
    summary="待核实主体",
    response_model=QueueOut,
    responses=refusals(401, 403, 422),
)
def unverified_subjects(session: Database, caller: Caller, page: PageNumber = 1) -> QueueOut:
    with committing(session):  # refusals are audited
        queue = verification.unverified(session, caller, page)
    return QueueOut(
        total=queue.total,
        page=queue.page,
        pages=queue.pages,
        items=[
            WaitingOut(
                subject_id=w.subject_id,
                name=w.name,
                subject_type=w.subject_type.value,
                uscc=w.uscc,
                created_at=w.created_at,
                records=w.records,
            )
            for w in queue.subjects
        ],
    )


@router.post(
    "/registry/subjects/{subject_id}/verify",
    summary="核实主体",
    response_model=VerifiedOut,
    responses=refusals(401, 403, 404, 422),
)
def verify_subject(
    session: Database, caller: Caller, subject_id: RowId, body: VerifyIn
) -> VerifiedOut:
    with committing(session):
        subject = verification.verify(session, caller, subject_id, body.basis)
    return VerifiedOut(subject_id=subject.id, verified=subject.verified)


class MergeIn(BaseModel):
    survivor_id: RowId = Field(description="保留的主体")
    absorbed_id: RowId = Field(description="并入的主体")
    reason: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="合并理由")


class ReasonIn(BaseModel):
    reason: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="理由")


class RelinkIn(BaseModel):
    subject_id: RowId = Field(description="正确的主体")
    reason: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="更正理由")


class MergedOut(BaseModel):
    merge_id: int
    survivor_id: int
    absorbed_id: int
    moved: dict[str, int] = Field(description="各表移动的行数")


class MergeOut(BaseModel):
    merge_id: int
    survivor_id: int
    survivor_name: str
    absorbed_id: int
    absorbed_name: str
    reason: str
    merged_by: str
    merged_at: datetime
    reversed_at: datetime | None
    reversed_by: str | None
    reverse_reason: str | None


class RelinkedOut(BaseModel):
    record_id: int
    subject_id: int
    versions: int = Field(description="改正关联的记录版本数")


def _merged_out(merged: merging.Merged) -> MergedOut:
    return MergedOut(
        merge_id=merged.merge_id,
        survivor_id=merged.survivor_id,
        absorbed_id=merged.absorbed_id,
        moved=merged.moved,
    )


@router.post(
    "/registry/merges",
    summary="合并主体（重错码）",
    response_model=MergedOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 422),
)
def merge_subjects(session: Database, caller: Caller, body: MergeIn) -> MergedOut:
    with committing(session):
        merged = merging.merge(session, caller, body.survivor_id, body.absorbed_id, body.reason)
    return _merged_out(merged)


@router.get(
    "/registry/merges",
    summary="主体合并记录",
    response_model=list[MergeOut],
    responses=refusals(401, 403),
)
def list_merges(session: Database, caller: Caller) -> list[MergeOut]:
    with committing(session):
        found = merging.merges(session, caller)
    return [MergeOut(**asdict(m)) for m in found]


@router.post(
    "/registry/merges/{merge_id}/reverse",
    summary="撤销主体合并",
    response_model=MergedOut,
    responses=refusals(400, 401, 403, 404, 422),
)
def reverse_merge(session: Database, caller: Caller, merge_id: RowId, body: ReasonIn) -> MergedOut:
    with committing(session):
        merged = merging.reverse(session, caller, merge_id, body.reason)
    return _merged_out(merged)


@router.post(
    "/registry/records/{record_id}/relink",
    summary="更正记录关联的主体",
    response_model=RelinkedOut,
    responses=refusals(400, 401, 403, 404, 422),
)
def relink_record(
    session: Database, caller: Caller, record_id: RowId, body: RelinkIn
) -> RelinkedOut:
    with committing(session):
        versions = relinking.relink(session, caller, record_id, body.subject_id, body.reason)
    return RelinkedOut(record_id=record_id, subject_id=body.subject_id, versions=versions)
