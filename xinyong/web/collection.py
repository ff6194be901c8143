"""Console pages for collection: upload a file, read its receipt, fetch the rejected rows."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from sqlalchemy import select
from sqlalchemy.orm import Session
from starlette.background import BackgroundTask
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from xinyong.api.deps import get_session
from xinyong.api.identity import session_user
from xinyong.auth.models import Department, User
from xinyong.catalog import list_items
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
from xinyong.errors import Busy, DomainError
from xinyong.web.pages import check_csrf, csrf_token
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)

SHOWN_REJECTIONS = 200

SessionDep = Annotated[Session, Depends(get_session)]


def _page(
    request: Request,
    session: Session,
    user: User,
    actor: collection.Actor,
    error: str | None = None,
    status_code: int = 200,
    chosen: tuple[str | None, str | None] = (None, None),
) -> Response:
    own = None if actor.office else actor.department_id
    departments = (
        list(session.scalars(select(Department).where(Department.active).order_by(Department.code)))
        if actor.office
        else []
    )
    batches = [
        collection.receipt_of(session, b.id) for b in collection.recent_batches(session, own)
    ]
    return templates.TemplateResponse(
        request,
        "admin/collection/index.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "items": list_items(),
            "departments": departments,
            "own_department": session.get(Department, own) if own else None,
            "batches": batches,
            "quality": monthly_quality(session, department_id=own),
            "error": error,
            "chosen_item": chosen[0],
            "chosen_department": chosen[1],
        },
        status_code=status_code,
    )


def _staff(request: Request, session: Session) -> tuple[User, collection.Actor] | None:
    user = session_user(request, session)
    return None if user is None else (user, collection.Actor.of_user(user))


@router.get("/admin/collection", response_class=HTMLResponse)
def collection_home(request: Request, session: SessionDep) -> Response:
    staff = _staff(request, session)
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    return _page(request, session, *staff)


@router.post("/admin/collection", response_class=HTMLResponse)
async def upload(request: Request, session: SessionDep) -> Response:
    staff = _staff(request, session)
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    user, actor = staff
    settings = request.app.state.settings
    try:
        refuse_declared_oversize(request.headers.get("content-length"), settings.max_upload_mb)
    except FileRefused as error:
        return _page(request, session, user, actor, error.message, 413)
    form = await request.form()
    item, wanted, sheet, upload = (form.get(k) for k in ("item", "department", "sheet", "file"))
    item = item if isinstance(item, str) else None
    wanted = wanted if isinstance(wanted, str) and wanted else None
    if not check_csrf(request, str(form.get("csrf", ""))):
        return _page(request, session, user, actor, "页面已过期，请刷新后重新上传", 400)
    if not item or not isinstance(upload, UploadFile) or not upload.filename:
        return _page(request, session, user, actor, "请选择目录项和文件", 400, (item, wanted))
    try:
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
                submitted_by=user.username,
            )
    except Busy as busy:
        session.rollback()
        page = _page(request, session, user, actor, busy.message, busy.status_code, (item, wanted))
        page.headers.update(busy.headers)
        return page
    except DomainError as error:
        session.rollback()
        return _page(request, session, user, actor, error.message, 422, (item, wanted))
    return RedirectResponse(f"/admin/collection/batches/{receipt.batch_id}", status_code=303)


@router.get("/admin/collection/batches/{batch_id}", response_class=HTMLResponse)
def batch_page(batch_id: int, request: Request, session: SessionDep) -> Response:
    staff = _staff(request, session)
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    user, actor = staff
    actor.check(collection.get_batch(session, batch_id).department_id)
    rows = collection.rejection_reasons(session, batch_id, SHOWN_REJECTIONS)
    return templates.TemplateResponse(
        request,
        "admin/collection/batch.html",
        {
            "user": user,
            "csrf": csrf_token(request),
            "receipt": collection.receipt_of(session, batch_id),
            "rejected": list(rows),
        },
    )


@router.get("/admin/collection/batches/{batch_id}/rejections")
def batch_rejections(batch_id: int, request: Request, session: SessionDep) -> Response:
    staff = _staff(request, session)
    if staff is None:
        return RedirectResponse("/admin/login", status_code=303)
    path, name = rejected_file(session, batch_id, staff[1], request.app.state.settings.spool_dir)
    return FileResponse(path, filename=name, background=BackgroundTask(remove_folder, path))
