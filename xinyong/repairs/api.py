"""Credit repair over HTTP for window and department systems: file an application for a
subject with its files, and hand in missing ones. Steps go through the generic
`POST /api/v1/cases/{id}/transitions`."""

from __future__ import annotations

from typing import Annotated

from fastapi import File, Form, UploadFile

from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import NO_NUL, RowId
from xinyong.http.principal import SignedIn, api_router
from xinyong.repairs import service as repairs
from xinyong.repairs.models import RepairCase
from xinyong.repairs.schemas import MaterialOut, RepairOut

router = api_router("信用修复")
CODE = r"^[a-z][a-zA-Z0-9_]{0,31}$"

Files = Annotated[
    list[UploadFile], File(description="材料文件（PDF、PNG、JPG），与 materials 一一对应")
]
Materials = Annotated[
    list[Annotated[str, Form(pattern=CODE)]],
    Form(
        description="每个文件的材料编码：performance_proof（履行义务的证明材料）、commitment（信用修复承诺书）"
    ),
]


def _uploads(files: list[UploadFile], materials: list[str]) -> list[repairs.Upload]:
    if len(files) != len(materials):
        raise DomainError("每个文件须对应一个材料编码（materials）", "repairs.materials_form")
    limit = repairs.largest_material()
    return [
        repairs.Upload(code, upload.filename, upload.file.read(limit + 1))
        for upload, code in zip(files, materials, strict=True)
    ]


def _answer(applied: RepairCase, missing: list[MaterialOut]) -> RepairOut:
    assert applied.record_id is not None
    return RepairOut(
        id=applied.id,
        state=applied.state,
        state_label=applied.state_label,
        record_id=applied.record_id,
        department_id=applied.department_id,
        due=applied.due,
        answer_due=applied.answer_due,
        missing=missing,
    )


@router.post(
    "/repairs",
    status_code=201,
    summary="代主体申请信用修复（窗口或部门系统；登记申请人证件，上传材料）",
    response_model=RepairOut,
    responses=refusals(400, 401, 403, 404, 413, 422),
)
def apply(
    session: Database,
    caller: SignedIn,
    record_id: Annotated[RowId, Form(description="申请修复的信用记录编号")],
    declaration: Annotated[bool, Form(description="申请人已阅读并签署信用修复承诺书")],
    applicant_name: Annotated[
        str, Form(max_length=50, pattern=NO_NUL, description="申请人（经办人）姓名")
    ],
    document_type: Annotated[
        str, Form(max_length=30, pattern=NO_NUL, description="证件类型，如 居民身份证")
    ],
    document_number: Annotated[
        str, Form(max_length=40, pattern=NO_NUL, description="证件号码（只保存脱敏后的形式）")
    ],
    files: Files = [],  # noqa: B006  (FastAPI copies the default)
    materials: Materials = [],  # noqa: B006
    note: Annotated[str | None, Form(max_length=2000, pattern=NO_NUL)] = None,
) -> RepairOut:
    uploads = _uploads(files, materials)
    on_behalf = repairs.OnBehalf(applicant_name, document_type, document_number)
    with committing(session):
        applied = repairs.apply(
            session, caller, record_id, uploads, declaration, on_behalf=on_behalf, note=note
        )
    missing = [MaterialOut(code=m.code, label=m.label) for m in applied.missing]
    return _answer(applied.case, missing)


@router.post(
    "/repairs/{case_id}/materials",
    summary="补交信用修复申请的材料（补齐后以 supplement 步骤提交）",
    response_model=RepairOut,
    responses=refusals(400, 401, 403, 404, 413, 422),
)
def hand_in(
    session: Database,
    caller: SignedIn,
    case_id: RowId,
    files: Files,
    materials: Materials,
) -> RepairOut:
    uploads = _uploads(files, materials)
    with committing(session):
        case = repairs.hand_in(session, caller, case_id, uploads)
        missing = [MaterialOut(code=m.code, label=m.label) for m in repairs.missing(session, case)]
    return _answer(case, missing)
