"""Filing an objection over HTTP, for a window system or a signed-in clerk (multipart: the
evidence files travel with the form). Its later steps go through the generic
`POST /api/v1/cases/{id}/transitions`."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, UploadFile

from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import MAX_ID, NO_NUL
from xinyong.http.principal import SignedIn, api_router
from xinyong.objections import service as objections
from xinyong.objections.schemas import ObjectionOut, objection_out

router = api_router("异议")
RowIdForm = Annotated[int, Form(ge=1, le=MAX_ID)]


def _text(limit: int, description: str) -> object:
    return Form(pattern=NO_NUL, max_length=limit, description=description)


@router.post(
    "/objections",
    summary="提出异议（窗口或部门系统代主体提出；证据材料随表单上传）",
    response_model=ObjectionOut,
    status_code=201,
    responses=refusals(400, 401, 403, 404, 413, 422),
)
def file_objection(
    session: Database,
    caller: SignedIn,
    subject_id: RowIdForm,
    category: Annotated[
        str,
        _text(
            32,
            "异议类别：wrong 信息错误 / missing 信息遗漏 / overdue 超期公示 / "
            "wrongly_listed 错误列入名单 / not_removed 未及时移出",
        ),
    ],
    statement: Annotated[str, _text(2000, "异议内容及理由")],
    applicant_name: Annotated[str, _text(100, "申请人姓名（窗口核验身份后登记）")],
    applicant_id_number: Annotated[str, _text(40, "申请人身份证件号码（遮蔽后保存）")],
    record_id: Annotated[
        int | None, Form(ge=1, le=MAX_ID, description="有异议的信用记录；不填：对基本信息的异议")
    ] = None,
    field: Annotated[str | None, _text(100, "有异议的事项，如“主体名称”")] = None,
    applicant_id_type: Annotated[str, _text(20, "证件类型")] = "居民身份证",
    evidence: Annotated[list[UploadFile], File(description="证据材料（PDF、PNG、JPG）")] = [],  # noqa: B006  (FastAPI reads it)
) -> ObjectionOut:
    # Each file is read no further than the largest the kind accepts (larger: refused).
    files = [
        objections.Evidence(upload.filename, upload.file.read(objections.evidence_limit() + 1))
        for upload in evidence[: objections.evidence_count() + 1]
    ]
    identity = objections.FiledFor(applicant_name, applicant_id_type, applicant_id_number)
    case = objections.file_objection(
        session,
        caller,
        subject_id,
        record_id=record_id,
        category=category,
        statement=statement,
        field=field,
        filed_for=identity,
        evidence=files,
    )
    return objection_out(case, len(files))
