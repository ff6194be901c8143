"""The reports' pages. The public's: 下载信用报告 on an organisation's archive (issued or reused,
then downloaded), the verification page (`/verify`: a number, with a file or a SHA-256 to
compare; `/verify/{number}`, where a report's QR code leads) and the third party's
(`/reports/authorised`: the subject's USCC and authorisation code give its report). The
applicant's (`/account/reports`): its own report, a 专项信用报告 of the sections and period it
chooses, and the authorisation codes it gives (make, list with each use, revoke). The console's
(`/admin/reports`): a window clerk or the credit office issues any kind for the subject in front
of them and prints it — the staff view, so a staff copy, audited. Every step goes through
`xinyong.reports.service` or `.authorisations`."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.auth import permissions
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.http.applicant import ApplicantPrincipal, applicant_router
from xinyong.http.console import StaffUser, console_router, refuse_unless_usable
from xinyong.http.csrf import check_csrf, csrf_token
from xinyong.http.deps import Database
from xinyong.http.limits import FORM_OVERHEAD, BodyCap
from xinyong.http.params import FormText, RowId
from xinyong.policy import load_policy
from xinyong.reports import authorisations, scope, service, verification
from xinyong.reports.schemas import pdf_response
from xinyong.subjects.service import subject_identified
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)
account = applicant_router()
console = console_router()

PAGE = "reports/verify.html"
FIELD_CHARS = 80
VERIFY_UPLOAD_CAP = BodyCap.of(
    verification.MAX_UPLOAD, "请上传本平台出具的信用报告 PDF", overhead=FORM_OVERHEAD
)
Sections = Annotated[list[str], Form()]
CONSOLE_ACTION = "reports.special"  # the console's menu shows the page to who may issue a 专项


def _verify_page(request: Request, status: int = 200, **context: Any) -> Response:
    context = {"csrf": csrf_token(request), "error": None, "found": None, "number": "", **context}
    return templates.TemplateResponse(request, PAGE, context, status_code=status)


@router.get("/verify", response_class=HTMLResponse)
def verify_form(request: Request) -> Response:
    return _verify_page(request)


@router.get("/verify/{number}", response_class=HTMLResponse)
def verify_number(request: Request, session: Database, number: str) -> Response:
    """Where the QR code leads: the report's particulars, and the form to compare a file."""
    try:
        found = verification.verify(session, number[:FIELD_CHARS])
    except DomainError as exc:
        return _verify_page(
            request, exc.status_code, error=exc.message, number=number[:FIELD_CHARS]
        )
    return _verify_page(request, found=found, number=found.number)


@router.post("/verify", response_class=HTMLResponse)
async def verify_answer(
    request: Request,
    session: Database,
    number: Annotated[str, Form()] = "",
    sha256: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
    file: Annotated[UploadFile | None, File()] = None,
) -> Response:
    kept = number[:FIELD_CHARS]
    if not check_csrf(request, csrf):
        return _verify_page(request, 400, error="页面已过期，请重新提交", number=kept)
    content = None
    if file is not None and file.filename:
        content = await file.read(verification.MAX_UPLOAD + 1)  # bounded (the body is capped too)
    try:
        found = verification.verify(session, kept, sha256=sha256[:FIELD_CHARS], content=content)
    except DomainError as exc:
        return _verify_page(request, exc.status_code, error=exc.message, number=kept)
    return _verify_page(request, found=found, number=found.number)


@router.post("/subjects/{subject_id}/report")
def public_report(session: Database, subject_id: RowId) -> Response:
    """下载信用报告 on an organisation's archive: the public's report, then its PDF. A POST, so
    crawlers following links issue nothing; no form token, as it acts for no one (the public's
    view, anyone may) and sets no cookie on the archive page; repeats reuse the report."""
    with committing(session):
        made = service.issue(session, PUBLIC, service.ReportRequest(subject_id))
        report_id = made.id
    return RedirectResponse(f"/reports/{report_id}.pdf", status_code=303)


@router.get("/reports/{report_id}.pdf")
def public_download(session: Database, report_id: RowId) -> Response:
    with committing(session):
        printed = service.download(session, PUBLIC, report_id)
    return pdf_response(printed)


@account.post("/account/reports")
def own_report(session: Database, applicant: ApplicantPrincipal) -> Response:
    """The applicant's own subject's 信用报告 (its type's default kind), then its PDF."""
    assert applicant.subject_id is not None
    with committing(session):
        made = service.issue(session, applicant, service.ReportRequest(applicant.subject_id))
        report_id = made.id
    return RedirectResponse(f"/account/reports/{report_id}.pdf", status_code=303)


@account.get("/account/reports/{report_id}.pdf")
def own_download(session: Database, applicant: ApplicantPrincipal, report_id: RowId) -> Response:
    with committing(session):
        printed = service.download(session, applicant, report_id)
    return pdf_response(printed)


def _account_page(
    request: Request, session: Any, applicant: Any, status: int = 200, **context: Any
) -> Response:
    policy = load_policy().reports
    values = {
        "csrf": csrf_token(request),
        "kind": scope.kind_named(policy.authorisations.kind),
        "rule": policy.authorisations,
        "granted": authorisations.mine(session, applicant),
        "error": None,
        "code": None,
        **context,
    }
    return templates.TemplateResponse(request, "reports/account.html", values, status_code=status)


@account.get("/account/reports", response_class=HTMLResponse)
def reports_page(request: Request, session: Database, applicant: ApplicantPrincipal) -> Response:
    return _account_page(request, session, applicant)


@account.post("/account/reports/special", response_model=None)
def special_report(
    request: Request,
    session: Database,
    applicant: ApplicantPrincipal,
    sections: Sections = [],  # noqa: B006 — FastAPI copies defaults
    starts_on: FormText = "",
    ends_on: FormText = "",
) -> Response:
    """申请专项信用报告 of the applicant's own subject, then its PDF."""
    assert applicant.subject_id is not None
    kind = load_policy().reports.authorisations.kind
    try:
        asked = service.ReportRequest(
            applicant.subject_id,
            kind,
            sections,
            *scope.typed_period(starts_on, ends_on),
        )
        with committing(session):
            report_id = service.issue(session, applicant, asked).id
    except DomainError as exc:
        return _account_page(request, session, applicant, 400, error=exc.message)
    return RedirectResponse(f"/account/reports/{report_id}.pdf", status_code=303)


@account.post("/account/reports/authorisations", response_class=HTMLResponse)
def grant(
    request: Request,
    session: Database,
    applicant: ApplicantPrincipal,
    grantee: FormText = "",
    sections: Sections = [],  # noqa: B006
    starts_on: FormText = "",
    ends_on: FormText = "",
    days: FormText = "",
    uses: FormText = "1",
) -> Response:
    try:
        wanted_days = int(days) if days.strip() else None
        wanted_uses = int(uses or "1")
    except ValueError:
        message = "有效天数和可用次数应为整数"
        return _account_page(request, session, applicant, 400, error=message)
    try:
        with committing(session):
            made = authorisations.grant(
                session,
                applicant,
                grantee,
                sections,
                *scope.typed_period(starts_on, ends_on),
                wanted_days,
                wanted_uses,
            )
    except DomainError as exc:
        return _account_page(request, session, applicant, 400, error=exc.message)
    return _account_page(
        request, session, applicant, code=made.code, grantee=made.authorisation.grantee
    )


@account.post("/account/reports/authorisations/{authorisation_id}/revoke", response_model=None)
def revoke(
    request: Request, session: Database, applicant: ApplicantPrincipal, authorisation_id: RowId
) -> Response:
    try:
        with committing(session):
            authorisations.revoke(session, applicant, authorisation_id)
    except DomainError as exc:
        return _account_page(request, session, applicant, exc.status_code, error=exc.message)
    return RedirectResponse("/account/reports", status_code=303)


def _third_party(request: Request, status: int = 200, **context: Any) -> Response:
    values = {"csrf": csrf_token(request), "error": None, "uscc": "", **context}
    return templates.TemplateResponse(
        request, "reports/authorised.html", values, status_code=status
    )


@router.get("/reports/authorised", response_class=HTMLResponse)
def third_party_page(request: Request) -> Response:
    return _third_party(request)


@router.post("/reports/authorised", response_model=None)
def third_party_report(
    request: Request,
    session: Database,
    uscc: FormText = "",
    code: FormText = "",
    csrf: FormText = "",
) -> Response:
    """A third party's report with the subject's authorisation: the PDF itself (the third
    party has no account to download it from later; the subject sees the use)."""
    kept = uscc.strip()[:40]
    if not check_csrf(request, csrf):
        return _third_party(request, 400, error="页面已过期，请重新提交", uscc=kept)
    try:
        with committing(session):
            printed = authorisations.redeem(session, uscc[:40], code[:40])
    except DomainError as exc:
        return _third_party(request, exc.status_code, error=exc.message, uscc=kept)
    return pdf_response(printed)


def _console_page(request: Request, user: Any, status: int = 200, **context: Any) -> Response:
    values = {
        "user": user,
        "csrf": csrf_token(request),
        "kinds": load_policy().reports.kinds,
        "special": load_policy().reports.authorisations.kind,
        "message": None,
        "form": {},
        **context,
    }
    return templates.TemplateResponse(request, "reports/console.html", values, status_code=status)


@console.get("/admin/reports", response_class=HTMLResponse)
def report_page(request: Request, session: Database, user: StaffUser) -> Response:
    permissions.require(session, Principal.of_user(user), CONSOLE_ACTION)  # refused: a Chinese page
    return _console_page(request, user)


@console.post("/admin/reports", response_model=None)
def issue_report(
    request: Request,
    session: Database,
    user: StaffUser,
    subject: FormText = "",
    kind: FormText = "",
    sections: Sections = [],  # noqa: B006 — FastAPI copies defaults
    starts_on: FormText = "",
    ends_on: FormText = "",
) -> Response:
    principal = Principal.of_user(user)
    form = {"subject": subject[:40], "kind": kind}
    try:
        with committing(session):
            asked = service.ReportRequest(
                subject_identified(session, subject[:40]),
                kind or None,
                sections or None,
                *scope.typed_period(starts_on, ends_on),
            )
            report_id = service.issue(session, principal, asked).id
    except DomainError as exc:
        refuse_unless_usable(exc, principal, CONSOLE_ACTION)
        return _console_page(request, user, 400, message=exc.message, form=form)
    return RedirectResponse(f"/admin/reports/{report_id}.pdf", status_code=303)


@console.get("/admin/reports/{report_id}.pdf", response_model=None)
def print_report(
    request: Request, session: Database, user: StaffUser, report_id: RowId
) -> Response:
    principal = Principal.of_user(user)
    try:
        with committing(session):
            printed = service.download(session, principal, report_id)
    except DomainError as exc:
        refuse_unless_usable(exc, principal, CONSOLE_ACTION)
        return _console_page(request, user, exc.status_code, message=exc.message)
    return pdf_response(printed)
