"""The public credit website (信用网站): search, a subject's credit archive, the red and black
lists. Always the public view: staff read fuller views through the API and the console."""

from __future__ import annotations

from datetime import date

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, Response

from xinyong.auth.principal import PUBLIC
from xinyong.errors import DomainError, NotFound
from xinyong.http.deps import Database
from xinyong.http.params import PageNumber, RowId, row_id
from xinyong.publication import tabs
from xinyong.publication.archive import find_subjects
from xinyong.publication.lists import ListFilter, ListKind, browse, departments, list_items_of
from xinyong.repairs import eligibility
from xinyong.web.templating import templates

router = APIRouter(include_in_schema=False)


@router.get("/search", response_class=HTMLResponse)
def search_page(
    request: Request,
    session: Database,
    q: str = "",
    page: PageNumber = 1,
) -> Response:
    context: dict[str, object] = {"q": q, "found": None, "error": None}
    if q.strip():
        try:
            context["found"] = find_subjects(session, PUBLIC, q, page)
        except DomainError as exc:
            context["error"] = exc.message
    return templates.TemplateResponse(request, "publication/search.html", context)


@router.get("/subjects/{subject_id}", response_class=HTMLResponse)
def archive_page(
    request: Request,
    session: Database,
    subject_id: RowId,
    tab: str = "",
    page: PageNumber = 1,
) -> Response:
    """One tab of the archive per URL (`?tab=xzcf&page=2`), so it works without JavaScript;
    an unknown tab is a 404 that still shows the tabs as the way on."""
    wanted = tabs.tab_named(tab)
    try:
        found = tabs.archive_page(session, PUBLIC, subject_id, wanted or tabs.BASIC, page)
    except NotFound as exc:
        return _not_found(request, exc)
    # Repair eligibility needs the open repair cases, which are above publication: the page asks.
    context = {
        "archive": found,
        "repair": eligibility.for_records(session, found.records),
        "problem": None if wanted else "没有这一栏目，请从上方的栏目中选择。",
    }
    status = 200 if wanted else 404
    return templates.TemplateResponse(
        request, "publication/subject.html", context, status_code=status
    )


@router.get("/records/{record_id}", response_class=HTMLResponse)
def record_page(request: Request, session: Database, record_id: RowId) -> Response:
    """A record's stable address: unknown and unpublished ids get the same 404."""
    try:
        found = tabs.record_detail(session, PUBLIC, record_id)
    except NotFound as exc:
        return _not_found(request, exc)
    repair = eligibility.for_records(session, [found.record])
    context = {"detail": found, "repair": repair}
    return templates.TemplateResponse(request, "publication/record.html", context)


def _not_found(request: Request, exc: NotFound) -> Response:
    return templates.TemplateResponse(
        request, "publication/not_found.html", {"message": exc.message}, status_code=404
    )


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
