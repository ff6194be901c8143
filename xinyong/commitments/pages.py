"""The entry forms of a commitment: the applicant's `/account/commitments/new` (its own
subject) and the window's `/admin/commitments/new` (a subject named by its code, the signer's
identity document recorded). Choose a template, matter and department, read the text filled in
for the subject, declare, sign; then the case's page (the generic case pages)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.auth.principal import Principal
from xinyong.commitments import entry
from xinyong.commitments.service import Signer
from xinyong.errors import DomainError
from xinyong.http.applicant import ApplicantPrincipal, applicant_router
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import csrf_token
from xinyong.http.deps import Database
from xinyong.http.params import FormText, Text
from xinyong.policy import load_policy
from xinyong.web.templating import templates

router = console_router()
applicant = applicant_router()

STAFF, OWN = "/admin", "/account"
Choice = Annotated[Text, Query(max_length=200)]
Chosen = Annotated[int | None, Query(ge=1, le=2**63 - 1)]


@router.get("/admin/commitments/new", response_class=HTMLResponse)
def window_form(
    request: Request,
    session: Database,
    user: StaffUser,
    template: Choice = "",
    matter: Choice = "",
    department: Chosen = None,
    subject: Choice = "",
) -> Response:
    principal = Principal.of_user(user)
    asked = {"template": template, "matter": matter, "department": department, "subject": subject}
    return _form(request, session, principal, STAFF, asked, user=user)


@router.post("/admin/commitments", response_class=HTMLResponse)
def window_sign(
    request: Request,
    session: Database,
    user: StaffUser,
    template: FormText = "",
    matter: FormText = "",
    department: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
    subject: FormText = "",
    signer_name: FormText = "",
    signer_document: FormText = "居民身份证",
    signer_number: FormText = "",
    declared: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    asked = {"template": template, "matter": matter, "department": department, "subject": subject}
    try:
        case = entry.sign_from_form(
            session,
            principal,
            template,
            matter=matter,
            department_id=department,
            subject_code=subject,
            declared=declared == "yes",
            signer=Signer(signer_name, signer_document, signer_number),
        )
    except DomainError as exc:
        refuse_unless_usable(exc, principal, entry.SIGN)
        return _form(request, session, principal, STAFF, asked, exc, user=user)
    return RedirectResponse(f"{STAFF}/cases/{case.id}?done=sign", status_code=303)


@applicant.get("/account/commitments/new", response_class=HTMLResponse)
def own_form(
    request: Request,
    session: Database,
    principal: ApplicantPrincipal,
    template: Choice = "",
    matter: Choice = "",
    department: Chosen = None,
) -> Response:
    asked = {"template": template, "matter": matter, "department": department, "subject": ""}
    return _form(request, session, principal, OWN, asked)


@applicant.post("/account/commitments", response_class=HTMLResponse)
def own_sign(
    request: Request,
    session: Database,
    principal: ApplicantPrincipal,
    template: FormText = "",
    matter: FormText = "",
    department: Annotated[int | None, Form(ge=1, le=2**63 - 1)] = None,
    declared: FormText = "",
) -> Response:
    asked = {"template": template, "matter": matter, "department": department, "subject": ""}
    try:
        case = entry.sign_from_form(
            session,
            principal,
            template,
            matter=matter,
            department_id=department,
            declared=declared == "yes",
        )
    except DomainError as exc:
        return _form(request, session, principal, OWN, asked, exc)
    return RedirectResponse(f"{OWN}/cases/{case.id}?done=sign", status_code=303)


def _form(
    request: Request,
    session: Any,
    principal: Principal,
    base: str,
    asked: dict[str, Any],
    error: DomainError | None = None,
    **context: Any,
) -> Response:
    """The form for the choices so far; a choice the draft refuses (an unknown subject) is
    shown on it. A role that may not sign at all gets the 403 page."""
    status = error.status_code if error else 200
    message = error.message if error else None
    try:
        found = entry.draft(
            session,
            principal,
            asked["template"],
            matter=asked["matter"],
            department_id=asked["department"],
            subject_code=asked["subject"],
        )
    except DomainError as exc:
        refuse_unless_usable(exc, principal, entry.SIGN)
        found = entry.draft(session, principal)
        status, message = exc.status_code, exc.message
    page = {
        "draft": found,
        "asked": asked,
        "base": base,
        "message": message,
        "types": load_policy().codelist("id_document_type"),
        "csrf": csrf_token(request),
        **context,
    }
    return templates.TemplateResponse(request, "commitments/new.html", page, status_code=status)
