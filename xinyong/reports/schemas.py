"""The request and response shapes of the reports API, and the PDF answer."""

from __future__ import annotations

from datetime import date, datetime

from fastapi.responses import Response
from pydantic import BaseModel, Field

from xinyong.documents.pdf import PdfFile
from xinyong.http.params import NO_NUL, RowId
from xinyong.reports.verification import Verification

PDF = "application/pdf"


class AuthorisedIn(BaseModel):
    uscc: str = Field(max_length=40, pattern=NO_NUL, description="信用主体的统一社会信用代码")
    code: str = Field(max_length=40, pattern=NO_NUL, description="信用主体给出的授权码")


class ReportIn(BaseModel):
    subject_id: RowId = Field(description="主体编号")
    kind: str | None = Field(
        None,
        max_length=32,
        pattern=NO_NUL,
        description="报告种类：org、person、special（默认按主体类型）",
    )
    sections: list[str] | None = Field(
        None, max_length=20, description="查询领域（种类的栏目代码，默认全部）"
    )
    starts_on: date | None = Field(None, description="查询期间起始日（决定日期）")
    ends_on: date | None = Field(None, description="查询期间截止日，默认信息截止日")
    as_of: date | datetime | None = Field(None, description="信息截止时间（北京时间），默认现在")


class ReportOut(BaseModel):
    id: int
    number: str
    kind: str
    subject_id: int
    as_of: datetime
    issued_at: datetime
    sha256: str
    size: int
    download: str  # where the PDF is


class VerificationOut(BaseModel):
    number: str
    kind: str
    subject_name: str
    subject_code: str | None
    subject_type: str
    sections: list[str]
    period: str
    as_of: datetime
    issued_at: datetime
    sha256: str
    size: int
    matches: bool | None = Field(description="所给摘要是否与存档一致（未给出时为空）")
    receipt: bool = Field(
        description="联合奖惩核查结果凭证：sections 为所在名单，period 为办理事项"
    )


def verification_out(found: Verification) -> VerificationOut:
    return VerificationOut(
        number=found.number,
        kind=found.kind_name,
        subject_name=found.subject_name,
        subject_code=found.subject_code,
        subject_type=found.subject_type,
        sections=found.sections,
        period=found.period,
        as_of=found.as_of,
        issued_at=found.issued_at,
        sha256=found.sha256,
        size=found.size,
        matches=found.matches,
        receipt=found.receipt,
    )


def pdf_response(printed: PdfFile) -> Response:
    """The PDF as a download, never kept by a shared cache (a person's report is personal)."""
    headers = {"Content-Disposition": printed.disposition, "Cache-Control": "private, no-store"}
    return Response(printed.content, media_type=PDF, headers=headers)
