"""The applicant's pages' router: every page under it requires a signed-in applicant account
(else the applicant's login form) and every form it receives the session's CSRF token — the
applicant's counterpart of `console.console_router`. The applicant's session keeps
`applicant_id`, never the staff `user_id`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import RedirectResponse, Response

from xinyong.applicants import service as applicants
from xinyong.applicants.models import Applicant
from xinyong.auth.principal import Principal
from xinyong.http.csrf import require_form_token
from xinyong.http.deps import Database

APPLICANT_LOGIN = "/account/login"


class ApplicantLoginRequired(Exception):
    """No applicant is signed in on this browser: the page sends it to the login form."""


def session_applicant(request: Request, session: Database) -> Applicant | None:
    """The applicant signed in on this browser, if its session is still current."""
    applicant_id = request.session.get("applicant_id")
    if applicant_id is None:
        return None
    generation = request.session.get("applicant_generation")
    return applicants.signed_in_applicant(session, applicant_id, generation)


def signed_in_applicant(request: Request, session: Database) -> Applicant:
    found = session_applicant(request, session)
    if found is None:
        raise ApplicantLoginRequired
    return found


ApplicantUser = Annotated[Applicant, Depends(signed_in_applicant)]


def applicant_principal(applicant: ApplicantUser) -> Principal:
    return Principal.of_applicant(applicant)


ApplicantPrincipal = Annotated[Principal, Depends(applicant_principal)]


async def applicant_form_token(request: Request, _applicant: ApplicantUser) -> None:
    """Signed in first, then the form's token (`csrf.require_form_token`)."""
    await require_form_token(request)


def applicant_router() -> APIRouter:
    """A part's pages for applicants: mounted with the sign-in and the form token checked."""
    return APIRouter(include_in_schema=False, dependencies=[Depends(applicant_form_token)])


async def to_applicant_login(_request: Request, _exc: Exception) -> Response:
    return RedirectResponse(APPLICANT_LOGIN, status_code=303)
