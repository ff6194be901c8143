"""The registry over HTTP for the credit office: the 待核实 queue and verifying a subject."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, Field

from xinyong.db import committing
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import NO_NUL, PageNumber, RowId
from xinyong.http.principal import Caller, api_router
from xinyong.subjects import verification

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
