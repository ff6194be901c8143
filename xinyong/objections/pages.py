"""The objection forms: the applicant's own (`/account/objections/new?record=<id>`, or without a
record: its basic information) and the window clerk's, filing on a subject's behalf with the
applicant's identity document (`/admin/objections/new`). Both are multipart (evidence files)
and work without JavaScript; every filing goes through `xinyong.objections.service`, then
shows the case on the pages every kind shares (`/account/cases/{id}`, `/admin/cases/{id}`)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.auth.principal import Principal
from xinyong.errors import DomainError, NotFound
from xinyong.http.applicant import ApplicantUser, applicant_router
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, row_id
from xinyong.objections import service as objections
from xinyong.web.templating import templates

router = applicant_router()  # the applicant signed in, its form token checked
console = console_router()

Uploads = Annotated[list[UploadFile], File()]


def _evidence(uploads: list[UploadFile]) -> list[objections.Evidence]:
    """The files chosen (a browser sends an empty part when none is), each read no further than
    the largest the kind accepts, so an oversized one is refused without being held whole."""
    limit, count = objections.evidence_limit(), objections.evidence_count()
    chosen = [u for u in uploads if u.filename][: count + 1]
    return [objections.Evidence(u.filename, u.file.read(limit + 1)) for u in chosen]


def _form(
    request: Request, filing: objections.Filing, status: int = 200, **context: Any
) -> Response:
    context = {
        "csrf": csrf_token(request),
        "filing": filing,
        "error": None,
        "form": {},
        "window": False,
        **context,
    }
    return templates.TemplateResponse(request, "objections/new.html", context, status_code=status)


# --- the applicant -----------------------------------------------------------------------


@router.get("/account/objections/new", response_class=HTMLResponse)
def applicant_form(
    request: Request, session: Database, found: ApplicantUser, record: str | None = None
) -> Response:
    principal = Principal.of_applicant(found)
    record_id = _record_id(record)
    filing = objections.filing_form(session, principal, found.subject_id, record_id)
    return _form(request, filing, form={"record": record_id})


@router.post("/account/objections", response_class=HTMLResponse)
def applicant_file(
    request: Request,
    session: Database,
    found: ApplicantUser,
    evidence: Uploads = [],  # noqa: B006  (FastAPI reads it)
    record: Annotated[str, Form()] = "",
    category: FormText = "",
    field: FormText = "",
    statement: FormText = "",
) -> Response:
    principal = Principal.of_applicant(found)
    record_id = _record_id(record)
    kept = {"record": record_id, "category": category, "field": field, "statement": statement}
    try:
        case = objections.file_objection(
            session,
            principal,
            found.subject_id,
            record_id=record_id,
            category=category,
            statement=statement,
            field=field or None,
            evidence=_evidence(evidence),
        )
    except DomainError as exc:
        if isinstance(exc, NotFound):
            raise  # another subject's record: the same 404 page as a missing one
        filing = objections.filing_form(session, principal, found.subject_id, record_id)
        return _form(request, filing, exc.status_code, error=exc.message, form=kept)
    # Its progress, deadlines and files are on the applicant's case page every kind shares.
    return RedirectResponse(f"/account/cases/{case.id}", status_code=303)


# --- the window ------------------------------------------------------------------------


@console.get("/admin/objections/new", response_class=HTMLResponse)
def window_form(request: Request, session: Database, user: StaffUser) -> Response:
    filing = objections.window_form(session, Principal.of_user(user))  # refused: the 403 page
    return _window(request, user, filing)


@console.post("/admin/objections", response_class=HTMLResponse)
def window_file(
    request: Request,
    session: Database,
    user: StaffUser,
    evidence: Uploads = [],  # noqa: B006  (FastAPI reads it)
    code: FormText = "",
    record: Annotated[str, Form()] = "",
    category: FormText = "",
    field: FormText = "",
    statement: FormText = "",
    applicant_name: FormText = "",
    applicant_id_type: FormText = "居民身份证",
    applicant_id_number: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    record_id = _record_id(record)
    kept = {
        "code": code[:40],
        "record": record_id,
        "category": category,
        "field": field,
        "statement": statement,
        "applicant_name": applicant_name[:100],
        "applicant_id_type": applicant_id_type[:20],
    }
    try:
        subject = objections.subject_by_code(session, principal, code)
        case = objections.file_objection(
            session,
            principal,
            subject.id,
            record_id=record_id,
            category=category,
            statement=statement,
            field=field or None,
            filed_for=objections.FiledFor(applicant_name, applicant_id_type, applicant_id_number),
            evidence=_evidence(evidence),
        )
    except DomainError as exc:
        refuse_unless_usable(exc, principal, "objections.file")
        return _window(request, user, objections.blank_filing(), exc.status_code, exc, kept)
    return RedirectResponse(f"/admin/cases/{case.id}", status_code=303)


def _window(
    request: Request,
    user: Any,
    filing: objections.Filing,
    status: int = 200,
    error: DomainError | None = None,
    form: dict[str, Any] | None = None,
) -> Response:
    message = error.message if error else None
    return _form(request, filing, status, user=user, window=True, error=message, form=form or {})


def _record_id(text: str | None) -> int | None:
    """The record asked about; a malformed one is a 404 like a missing record."""
    if not text:
        return None
    found = row_id(text)
    if found is None:
        raise NotFound(f"信用记录不存在：{text[:20]}", "record.not_found")
    return found
