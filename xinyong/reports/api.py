"""Credit reports over the API: issue one (`POST /reports`), download its PDF, and verify a
number (with a hash, optionally) — the last open to anyone, as the QR code on the report is."""

from __future__ import annotations

from typing import Annotated

from fastapi import Path, Query
from fastapi.responses import Response

from xinyong.db import committing
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import NO_NUL, RowId, as_moment
from xinyong.http.principal import Caller, api_router
from xinyong.reports import authorisations, service, verification
from xinyong.reports.schemas import (
    PDF,
    AuthorisedIn,
    ReportIn,
    ReportOut,
    VerificationOut,
    pdf_response,
    verification_out,
)

router = api_router("信用报告")


@router.post(
    "/reports",
    summary="出具信用报告",
    status_code=201,
    response_model=ReportOut,
    responses=refusals(400, 401, 403, 404, 422),
)
def issue(session: Database, caller: Caller, body: ReportIn) -> ReportOut:
    request = service.ReportRequest(
        subject_id=body.subject_id,
        kind=body.kind,
        sections=body.sections,
        starts_on=body.starts_on,
        ends_on=body.ends_on,
        as_of=as_moment(body.as_of),
    )
    with committing(session):
        made = service.issue(session, caller, request)
        answer = ReportOut(
            id=made.id,
            number=made.number,
            kind=made.kind,
            subject_id=made.subject_id,
            as_of=made.as_of,
            issued_at=made.issued_at,
            sha256=made.sha256,
            size=made.size,
            download=f"/api/v1/reports/{made.id}.pdf",
        )
    return answer


@router.post(
    "/reports/authorised",
    summary="凭授权码下载专项信用报告（PDF）",
    response_class=Response,
    responses={
        200: {"content": {PDF: {}}, "description": "专项信用报告 PDF"},
        **refusals(404, 422),
    },
)
def authorised(session: Database, body: AuthorisedIn) -> Response:
    """A third party's report with the subject's USCC and authorisation code (no account)."""
    with committing(session):
        printed = authorisations.redeem(session, body.uscc, body.code)
    return pdf_response(printed)


@router.get(
    "/reports/{report_id}.pdf",
    summary="下载信用报告（PDF）",
    response_class=Response,
    responses={200: {"content": {PDF: {}}, "description": "信用报告 PDF"}, **refusals(404, 422)},
)
def download(session: Database, caller: Caller, report_id: RowId) -> Response:
    with committing(session):
        printed = service.download(session, caller, report_id)
    return pdf_response(printed)


@router.get(
    "/reports/verify/{number}",
    summary="核验信用报告",
    response_model=VerificationOut,
    responses=refusals(400, 404, 422),
)
def verify(
    session: Database,
    number: Annotated[str, Path(max_length=64, pattern=NO_NUL, description="报告编号")],
    sha256: Annotated[
        str | None, Query(max_length=80, pattern=NO_NUL, description="报告文件的 SHA-256 摘要")
    ] = None,
) -> VerificationOut:
    return verification_out(verification.verify(session, number, sha256=sha256))
