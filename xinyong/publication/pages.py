"""The public credit website (信用网站): search, a subject's credit archive, the red and black
lists. Always the public view: staff read fuller views through the API and the console."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Annotated, TypeVar

from fastapi import APIRouter, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.auth.principal import PUBLIC
from xinyong.errors import DomainError, NotFound
from xinyong.http.deps import Database
from xinyong.http.params import PageNumber, RowId, row_id
from xinyong.publication.archive import archive
from xinyong.publication.lists import ListFilter, ListKind, browse, departments, list_items_of
from xinyong.publication.search import (
    SEARCH_TYPES,
    SearchFilter,
    district,
    districts,
    find_subjects,
    subject_type,
)
from xinyong.repairs import eligibility
from xinyong.web.paging import pager
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)
_T = TypeVar("_T")


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: Database,
    q: str = "",
    kind: Annotated[str, Query(alias="type")] = "",
    region: str = "",
    page: PageNumber = 1,
) -> Response:
    """Filters come from a plain GET form: an unknown value is said and left out, not a 422.
    A code, or an exact name only one subject bears, opens that archive directly."""
    problems: list[str] = []
    chosen = _parsed(kind, subject_type, problems)
    wanted = _parsed(region, district, problems)
    filters = SearchFilter(
        subject_types=frozenset([chosen]) if chosen else frozenset(),
        region_code=wanted.code if wanted else None,
    )
    # What the links keep: the filters as understood, so a bad value is not carried on.
    form = {
        "q": q,
        "type": chosen.value if chosen else "",
        "region": wanted.name if wanted else "",
    }
    context: dict[str, object] = {
        "q": q,
        "found": None,
        "error": None,
        "problems": problems,
        "form": form,
        "types": SEARCH_TYPES,
        "districts": districts(),
        "pager": None,
    }
    if q.strip():
        try:
            found = find_subjects(session, PUBLIC, q, page, filters=filters)
        except DomainError as exc:
            context["error"] = exc.message
        else:
            if found.page.named is not None and page == 1 and not problems:
                return RedirectResponse(f"/subjects/{found.page.named}", status_code=303)
            context["found"] = found
            context["pager"] = pager("/search", form, found.page.page, found.page.pages)
    return templates.TemplateResponse(request, "publication/search.html", context)


def _parsed(text: str, parse: Callable[[str], _T], problems: list[str]) -> _T | None:
    if not text.strip():
        return None
    try:
        return parse(text)
    except DomainError as exc:
        problems.append(exc.message)
        return None


@router.get("/subjects/{subject_id}", response_class=HTMLResponse)
def archive_page(request: Request, session: Database, subject_id: RowId) -> Response:
    try:
        found = archive(session, PUBLIC, subject_id)
    except NotFound as exc:
        return templates.TemplateResponse(
            request, "publication/not_found.html", {"message": exc.message}, status_code=404
        )
    # Repair eligibility needs the open repair cases, which are above publication: the page asks.
    repair = eligibility.for_records(session, [r for s in found.sections for r in s.records])
    context = {"archive": found, "repair": repair}
    return templates.TemplateResponse(request, "publication/subject.html", context)


@router.get("/lists", response_class=HTMLResponse)
def lists_page(
    request: Request,
    session: Database,
    kind: ListKind = ListKind.BLACK,
    item: str = "",
    region: str = "",
    department: str = "",
    decided_from: str = "",
    decided_to: str = "",
    page: PageNumber = 1,
) -> Response:
    """Filters come from a plain GET form, so empty or malformed fields are ignored with a
    message rather than answered with a 422 page."""
    problems: list[str] = []
    wanted = ListFilter(
        kind=kind,
        item_code=item or None,
        region_code=region if region.isdigit() and len(region) == 6 else None,
        department_id=row_id(department),
        decided_from=_date(decided_from, "起始日期", problems),
        decided_to=_date(decided_to, "截止日期", problems),
        page=page,
    )
    if region and wanted.region_code is None:
        problems.append("地区代码应为6位数字")
    try:
        found = browse(session, PUBLIC, wanted)
    except DomainError as exc:
        problems.append(exc.message)
        found = browse(session, PUBLIC, ListFilter(kind=kind))
    return templates.TemplateResponse(
        request,
        "publication/lists.html",
        {
            "found": found,
            "wanted": wanted,
            "kinds": list(ListKind),
            "items": list_items_of(kind),
            "departments": departments(session),
            "problems": problems,
            "form": {
                "item": item,
                "region": region,
                "department": department,
                "decided_from": decided_from,
                "decided_to": decided_to,
            },
        },
    )


def _date(text: str, label: str, problems: list[str]) -> date | None:
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        problems.append(f"{label}格式应为 年-月-日，如 2026-01-31")
        return None
