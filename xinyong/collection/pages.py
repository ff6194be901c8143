"""Console pages for collection: upload a file, read its receipt, fetch the rejected rows."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from xinyong.auth.models import User
from xinyong.auth.principal import Principal
from xinyong.catalog import list_items
from xinyong.catalog.guide import field_guide
from xinyong.collection import service as collection
from xinyong.collection.files import (
    refuse_declared_oversize,
    rejected_file,
    remove_folder,
    spooled,
)
from xinyong.collection.models import Channel
from xinyong.collection.readers import FileRefused
from xinyong.collection.stats import monthly_quality
from xinyong.collection.upload_templates import template_file
from xinyong.errors import Busy, DomainError, PermissionDenied
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import RowId, refuse_nul
from xinyong.web.templating import templates

router = console_router()

SHOWN_REJECTIONS = 200


def _page(
    request: Request,
    session: Session,
    user: User,
    actor: Principal,
    error: str | None = None,
    status_code: int = 200,
    chosen: tuple[str | None, str | None] = (None, None),
) -> Response:
    batches = collection.recent_receipts(session, actor)  # a role without collection: 403
    return templates.TemplateResponse(
        request,
        "collection/upload.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "items": list_items(),
            "guides": {item.code: field_guide(item) for item in list_items()},
            "departments": collection.sending_departments(session, actor),
            "own_department": collection.own_department(session, actor),
            "batches": batches,
            "quality": monthly_quality(session, actor),
            "error": error,
            "chosen_item": chosen[0],
            "chosen_department": chosen[1],
        },
        status_code=status_code,
    )


@router.get("/admin/collection", response_class=HTMLResponse)
def collection_home(request: Request, session: Database, user: StaffUser) -> Response:
    return _page(request, session, user, Principal.of_user(user))


@router.post("/admin/collection", response_class=HTMLResponse)
async def upload(request: Request, session: Database, user: StaffUser) -> Response:
    actor = Principal.of_user(user)
    settings = request.app.state.settings
    try:
        refuse_declared_oversize(request.headers.get("content-length"), settings.max_upload_mb)
    except FileRefused as error:
        return _page(request, session, user, actor, error.message, 413)
    form = await request.form()
    item, wanted, sheet, upload = (form.get(k) for k in ("item", "department", "sheet", "file"))
    item = item if isinstance(item, str) else None
    wanted = wanted if isinstance(wanted, str) and wanted else None
    if not item or not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, session, user, actor, "请选择目录项和文件", 400, (item, wanted))
    try:
        refuse_nul(item, wanted, sheet)
        department = collection.batch_department(session, actor, wanted)
        with spooled(
            upload.file, upload.filename, settings.spool_dir, settings.max_upload_mb
        ) as path:
            receipt = await run_in_threadpool(
                collection.ingest,
                request.app.state.sessions,
                path,
                item,
                department,
                filename=upload.filename,
                sheet=sheet.strip() if isinstance(sheet, str) and sheet.strip() else None,
                channel=Channel.UPLOAD,
                submitted_by=actor.actor,
            )
    except Busy as busy:
        session.rollback()
        page = _page(request, session, user, actor, busy.message, busy.status_code, (item, wanted))
        page.headers.update(busy.headers)
        return page
    except DomainError as error:
        session.rollback()
        refuse_unless_usable(error, actor, "batches.read")
        status = 403 if isinstance(error, PermissionDenied) else 422
        return _page(request, session, user, actor, error.message, status, (item, wanted))
    return RedirectResponse(f"/admin/collection/batches/{receipt.batch_id}", status_code=303)


@router.get("/admin/collection/templates/{item_code}.{kind}")
def upload_template(item_code: str, kind: str, session: Database, user: StaffUser) -> Response:
    """An empty file with the item's header row, for those who may send batches."""
    made = template_file(session, Principal.of_user(user), item_code, kind)
    disposition = f"attachment; filename=\"{made.ascii_name}\"; filename*=UTF-8''{quote(made.name)}"
    return Response(
        made.content, media_type=made.media_type, headers={"Content-Disposition": disposition}
    )


@router.get("/admin/collection/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(batch_id: RowId, request: Request, session: Database, user: StaffUser) -> Response:
    actor = Principal.of_user(user)
    batch = collection.read_batch(session, actor, batch_id)
    rows = collection.rejection_reasons(session, batch.id, SHOWN_REJECTIONS)
    return templates.TemplateResponse(
        request,
        "collection/batch.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "receipt": collection.receipt_of(session, batch),
            "rejected": list(rows),
        },
    )


@router.get("/admin/collection/batches/{batch_id}/rejections")
def batch_rejections(
    batch_id: RowId, request: Request, session: Database, user: StaffUser
) -> Response:
    path, name = rejected_file(
        session, batch_id, Principal.of_user(user), request.app.state.settings.spool_dir
    )
    return FileResponse(path, filename=name, background=BackgroundTask(remove_folder, path))
