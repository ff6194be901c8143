"""The repair application pages: the applicant's own form (`/account/repairs/new?record=`),
the 承诺书 to print and sign, and the window's form in the console (`/admin/repairs/new`),
where staff find the subject, record the applicant's identity document and upload the files.

The applicant's pages check their own session key (`applicant_id`) and form token, as the
account pages do; the console's come with the staff login and token checked."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response
from starlette.datastructures import FormData, UploadFile

from xinyong.auth.principal import Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.applicant import session_applicant
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import check_csrf, csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import RowId, refuse_nul
from xinyong.policy import load_policy
from xinyong.repairs import service as repairs
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)
console = console_router()
STALE = "页面已过期，请重新提交"


def _applicant(request: Request, session: Database) -> Principal | None:
    """The signed-in applicant, or None: the form then asks it to sign in or activate first
    (rather than the login page alone, which would not say why)."""
    found = session_applicant(request, session)
    return Principal.of_applicant(found) if found is not None else None


def _render(request: Request, page: str, status: int = 200, **context: Any) -> Response:
    context = {
        "csrf": csrf_token(request),
        "commitment": load_policy().repair.commitment,
        "materials": repairs.materials(),
        "error": None,
        **context,
    }
    return templates.TemplateResponse(request, f"repairs/{page}.html", context, status_code=status)


def _uploads(form: FormData) -> list[repairs.Upload]:
    """One upload per file chosen under a material's code (empty file inputs are skipped)."""
    limit = repairs.largest_material()
    return [
        repairs.Upload(code, value.filename, value.file.read(limit + 1))
        for code, value in form.multi_items()
        if isinstance(value, UploadFile) and value.filename
    ]


def _text(form: FormData, name: str) -> str:
    value = form.get(name)
    return value.strip() if isinstance(value, str) else ""


# --- the applicant ----------------------------------------------------------------------


@router.get("/account/repairs/new", response_class=HTMLResponse)
def new_repair(request: Request, session: Database, record: RowId) -> Response:
    principal = _applicant(request, session)
    if principal is None:  # sign in (or activate with the code on the 告知书) first
        return _render(request, "sign_in", record_id=record)
    form = repairs.application(session, principal, record)
    return _render(request, "apply", form=form)


@router.post("/account/repairs", response_class=HTMLResponse)
async def apply_online(request: Request, session: Database) -> Response:
    principal = _applicant(request, session)
    form = await request.form()
    record_text = _text(form, "record")
    if principal is None:
        return _render(request, "sign_in", 401, record_id=record_text)
    if not record_text.isdigit():
        raise DomainError("请从信用档案中选择要修复的信息", "repairs.record_not_found")
    record_id = int(record_text)
    if not check_csrf(request, _text(form, "csrf")):
        shown = repairs.application(session, principal, record_id)
        return _render(request, "apply", 400, form=shown, error=STALE)
    try:
        with committing(session):
            applied = repairs.apply(
                session, principal, record_id, _uploads(form), _text(form, "declaration") == "yes"
            )
    except DomainError as exc:
        session.rollback()
        shown = repairs.application(session, principal, record_id)
        return _render(request, "apply", exc.status_code, form=shown, error=exc.message)
    return _render(request, "applied", 201, applied=applied, account=True)


@router.get("/account/repairs/commitment", response_class=HTMLResponse)
def commitment_text(request: Request) -> Response:
    """The 承诺书 to print, sign (and seal) and upload."""
    return _render(request, "commitment")


# --- the window -------------------------------------------------------------------------


@console.get("/admin/repairs/new", response_class=HTMLResponse)
def window_form(request: Request, session: Database, user: StaffUser, code: str = "") -> Response:
    principal = Principal.of_user(user)
    context: dict[str, Any] = {"user": user, "code": code[:40], "found": None}
    if code.strip():
        refuse_nul(code)
        try:
            with committing(session):
                context["found"] = repairs.window_lookup(session, principal, code)
        except DomainError as exc:
            refuse_unless_usable(exc, principal, repairs.APPLY)
            context |= {"error": exc.message, "document_types": _document_types()}
            return _render(request, "window", exc.status_code, **context)
    elif not principal.may(repairs.APPLY):
        repairs.window_lookup(session, principal, "")  # the refusal, audited: the 403 page
    return _render(request, "window", document_types=_document_types(), **context)


@console.post("/admin/repairs", response_class=HTMLResponse)
async def apply_at_window(request: Request, session: Database, user: StaffUser) -> Response:
    principal = Principal.of_user(user)
    form = await request.form()
    record_text, code = _text(form, "record"), _text(form, "code")
    on_behalf = repairs.OnBehalf(
        _text(form, "applicant_name"), _text(form, "document_type"), _text(form, "document_number")
    )
    try:
        refuse_nul(record_text, code, on_behalf.name, on_behalf.document_number)
        if not record_text.isdigit():
            raise DomainError("请选择要修复的信息", "repairs.record_not_found")
        with committing(session):
            applied = repairs.apply(
                session,
                principal,
                int(record_text),
                _uploads(form),
                _text(form, "declaration") == "yes",
                on_behalf=on_behalf,
                note=_text(form, "note") or None,
            )
    except DomainError as exc:
        session.rollback()
        refuse_unless_usable(exc, principal, repairs.APPLY)
        return _window(request, session, user, code, exc)
    return _render(request, "applied", 201, applied=applied, account=False, user=user)


def _window(
    request: Request, session: Database, user: StaffUser, code: str, error: DomainError
) -> Response:
    """The window's form again after a refused application, with the subject looked up anew."""
    found = None
    if code:
        try:
            with committing(session):
                found = repairs.window_lookup(session, Principal.of_user(user), code)
        except DomainError:
            session.rollback()
    context = {"user": user, "code": code[:40], "found": found, "error": error.message}
    return _render(
        request, "window", error.status_code, document_types=_document_types(), **context
    )


def _document_types() -> list[str]:
    return load_policy().repair.document_types
