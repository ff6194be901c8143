"""The public credit website (信用网站): search, a subject's credit archive, the red and black
lists. Always the public view: staff read fuller views through the API and the console."""

from __future__ import annotations

from collections.abc import Callable
from typing import Annotated, TypeVar

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from xinyong.auth.principal import PUBLIC
from xinyong.errors import DomainError, NotFound
from xinyong.evaluation import published
from xinyong.http.deps import Database
from xinyong.http.params import PageNumber, RowId, Text
from xinyong.publication import list_export, tabs
from xinyong.publication.list_export import ExportFormat, export_list
from xinyong.publication.list_form import ListForm, read_form
from xinyong.publication.lists import ListKind, browse, departments, list_items_of
from xinyong.publication.search import (
    SEARCH_TYPES,
    SearchFilter,
    district,
    districts,
    find_subjects,
    subject_type,
)
from xinyong.repairs import eligibility
from xinyong.subjects.merging import MergedAway
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
def archive_page(
    request: Request,
    session: Database,
    subject_id: RowId,
    tab: str = "",
    page: PageNumber = 1,
) -> Response:
    """One tab of the archive per URL (`?tab=xzcf&page=2`), so it works without JavaScript;
    an unknown tab is a 404 that still shows the tabs as the way on. 信用评价 is a tab only
    while the subject has a public grade (of now: the public page takes no `as_of`)."""
    # The evaluation is above publication: the page asks, as for repair eligibility below.
    graded = published.public_grade(session, subject_id)
    more = (tabs.EVALUATION,) if graded else ()
    wanted = tabs.tab_named(tab, more)
    try:
        opened = wanted or tabs.BASIC
        found = tabs.archive_page(session, PUBLIC, subject_id, opened, page, more=more)
    except MergedAway as moved:
        return RedirectResponse(f"/subjects/{moved.survivor_id}", status_code=308)
    except NotFound as exc:
        return _not_found(request, exc)
    # Repair eligibility needs the open repair cases, which are above publication: the page asks.
    context = {
        "archive": found,
        "pager": pager(f"/subjects/{subject_id}", {"tab": found.tab.slug}, found.page, found.pages),
        "repair": eligibility.for_records(session, found.records),
        "problem": None if wanted else "没有这一栏目，请从上方的栏目中选择。",
        "registry": tabs.registry_of(session, found.subject) if found.tab is tabs.BASIC else None,
        "evaluation": graded if found.tab is tabs.EVALUATION else None,
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


def list_form(
    request: Request,
    kind: Text = "",
    item: Text = "",
    region: Text = "",
    department: Text = "",
    decided_from: Text = "",
    decided_to: Text = "",
    page: Text = "",
) -> ListForm:
    """The lists' filters as text: a plain GET form or an old link, read leniently."""
    city = request.app.state.settings.city_code
    return ListForm(city, kind, item, region, department, decided_from, decided_to, page)


ListFormIn = Annotated[ListForm, Depends(list_form)]


@router.get("/lists", response_class=HTMLResponse)
def lists_page(request: Request, session: Database, form: ListFormIn) -> Response:
    """Filters that cannot be used are dropped with a message; a page past the end shows the
    last page."""
    read = read_form(form)
    found = browse(session, PUBLIC, read.wanted, last_page=True)
    problems = list(read.problems)
    if found.page < read.wanted.page:
        problems.append(f"页码超出范围，已显示最后一页（第 {found.page} 页）")
    return templates.TemplateResponse(
        request,
        "publication/lists.html",
        {
            "found": found,
            "wanted": read.wanted,
            "kinds": list(ListKind),
            "items": list_items_of(read.wanted.kind),
            "districts": districts(),
            "departments": departments(session),
            "problems": problems,
            "query": read.query(),
            "export_cap": list_export.EXPORT_MAX_ROWS,
        },
    )


@router.get("/lists/export.{format}")
def lists_export(session: Database, form: ListFormIn, format: ExportFormat) -> Response:
    """What the lists page shows for the same query, on all its pages, as a file."""
    made = export_list(session, read_form(form).wanted, format)
    headers = {"Content-Disposition": made.disposition, "X-Export-Rows": str(made.rows)}
    return Response(made.content, media_type=format.media_type, headers=headers)
