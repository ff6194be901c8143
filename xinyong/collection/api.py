"""Collection over HTTP: departments' systems post batches with their API key; staff use their
session. Files are spooled to disk (size-limited), then handed to the one ingest service."""

from __future__ import annotations

import json
import tempfile
from pathlib import Path
from typing import Annotated, Any

from fastapi import Query, Request
from fastapi.responses import FileResponse, JSONResponse, Response
from starlette.background import BackgroundTask
from starlette.datastructures import UploadFile

from xinyong.auth import service as auth
from xinyong.collection import service as collection
from xinyong.collection.files import rejected_file, remove_folder, spooled
from xinyong.collection.models import Channel
from xinyong.collection.readers import JSON_ARRAY_LIMIT
from xinyong.collection.schemas import QualityOut, ReceiptOut
from xinyong.collection.stats import monthly_quality
from xinyong.config import Settings
from xinyong.errors import DomainError
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.limits import BodyCap
from xinyong.http.params import RowId, refuse_nul
from xinyong.http.principal import SignedIn, api_router

router = api_router("数据归集")

# A JSON batch is parsed whole, like a JSON array file: the same limit, enforced as it streams in.
JSON_BATCH_CAP = BodyCap.of(JSON_ARRAY_LIMIT, "请改用文件（JSON Lines，每行一条记录）报送")

BATCH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["item", "file"],
                    "properties": {
                        "item": {
                            "type": "string",
                            "description": "目录项编码或名称，如 xzcf、行政处罚",
                        },
                        "file": {
                            "type": "string",
                            "format": "binary",
                            "description": "CSV/XLSX/JSON/JSON Lines",
                        },
                        "sheet": {"type": "string", "description": "Excel 工作表名（默认第一个）"},
                        "department": {
                            "type": "string",
                            "description": "部门编码（仅信用办代报时填写）",
                        },
                    },
                }
            },
            "application/json": {
                "schema": {
                    "type": "object",
                    "required": ["item", "records"],
                    "properties": {
                        "item": {"type": "string"},
                        "department": {"type": "string"},
                        "records": {"type": "array", "items": {"type": "object"}},
                    },
                }
            },
        },
    }
}


@router.post(
    "/batches",
    status_code=201,
    summary="报送一批信用信息（文件或 JSON）",
    openapi_extra=BATCH_BODY,
    response_model=ReceiptOut,
    responses=refusals(401, 403, 404, 413, 422, 503),
)
async def post_batch(request: Request, session: Database, actor: SignedIn) -> JSONResponse:
    settings: Settings = request.app.state.settings
    sessions = request.app.state.sessions
    if request.headers.get("content-type", "").startswith("application/json"):
        body = await _json_body(request)
        refuse_nul(body["item"], body.get("department"))
        code = collection.batch_department(session, actor, body.get("department"))
        session.close()
        with tempfile.TemporaryDirectory(dir=settings.spool_dir) as folder:
            receipt = await _in_thread(
                collection.ingest_records,
                sessions,
                body["records"],
                str(body["item"]),
                code,
                spool=Path(folder) / "records.jsonl",
                channel=Channel.API,
                submitted_by=actor.actor,
            )
        return JSONResponse(receipt.json(), status_code=201)
    form = await request.form()
    upload, item = form.get("file"), form.get("item")
    if not isinstance(upload, UploadFile) or not isinstance(item, str) or not item.strip():
        raise DomainError("请上传文件（file）并指定目录项（item）", "batch.form")
    sheet = form.get("sheet")
    wanted = form.get("department")
    refuse_nul(item, sheet, wanted)
    code = collection.batch_department(session, actor, wanted if isinstance(wanted, str) else None)
    session.close()
    with spooled(
        upload.file, upload.filename or "", settings.spool_dir, settings.max_upload_mb
    ) as path:
        receipt = await _in_thread(
            collection.ingest,
            sessions,
            path,
            item,
            code,
            filename=upload.filename or path.name,
            sheet=sheet if isinstance(sheet, str) and sheet.strip() else None,
            channel=Channel.API,
            submitted_by=actor.actor,
        )
    return JSONResponse(receipt.json(), status_code=201)


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except (ValueError, UnicodeDecodeError, RecursionError):  # RecursionError: nested too deep
        raise DomainError("请求体不是有效的 JSON（或嵌套层数过多）", "batch.json") from None
    if (
        not isinstance(body, dict)
        or not isinstance(body.get("records"), list)
        or not body.get("item")
        or not isinstance(body.get("department", ""), str)
    ):
        raise DomainError(
            "JSON 请求体须包含 item 和 records（对象数组）；department 若填写须为部门编码",
            "batch.json",
        )
    return body


async def _in_thread(function: Any, *args: Any, **kwargs: Any) -> collection.Receipt:
    """Ingest is long, synchronous database work: keep it off the event loop."""
    from starlette.concurrency import run_in_threadpool

    receipt: collection.Receipt = await run_in_threadpool(function, *args, **kwargs)
    return receipt


@router.get(
    "/batches",
    summary="最近的报送批次",
    response_model=list[ReceiptOut],
    responses=refusals(401, 403),
)
def list_batches(session: Database, actor: SignedIn) -> list[dict[str, Any]]:
    return [receipt.json() for receipt in collection.recent_receipts(session, actor, limit=50)]


@router.get(
    "/batches/{batch_id}",
    summary="批次回执",
    response_model=ReceiptOut,
    responses=refusals(401, 403, 404),
)
def get_batch(batch_id: RowId, session: Database, actor: SignedIn) -> dict[str, Any]:
    return collection.receipt_of(session, collection.read_batch(session, actor, batch_id)).json()


@router.get(
    "/batches/{batch_id}/rejections",
    summary="下载未通过的行（原格式，附错误原因列）",
    response_class=FileResponse,
    responses={
        200: {"content": {"application/octet-stream": {}}, "description": "与原文件同格式"},
        **refusals(401, 403, 404),
    },
)
def get_rejections(
    batch_id: RowId, request: Request, session: Database, actor: SignedIn
) -> Response:
    path, name = rejected_file(session, batch_id, actor, request.app.state.settings.spool_dir)
    return FileResponse(
        path,
        filename=name,
        media_type="application/octet-stream",
        background=BackgroundTask(remove_folder, path),
    )


@router.get(
    "/collection/stats",
    summary="报送量、合规率、及时率（按部门和月份）",
    response_model=list[QualityOut],
    responses=refusals(401, 403, 404, 422),
)
def collection_stats(
    session: Database,
    actor: SignedIn,
    period: Annotated[
        str | None, Query(pattern=r"^\d{4}-\d{2}$", description="月份 YYYY-MM")
    ] = None,
    department: Annotated[str | None, Query(description="部门编码")] = None,
) -> list[dict[str, Any]]:
    department_id = auth.get_department(session, department).id if department else None
    lines = monthly_quality(session, actor, department_id=department_id, period=period)
    return [line.json() for line in lines]
