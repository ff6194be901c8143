"""Credit information over HTTP: subject search, a subject's archive, its records, the lists.
Anonymous callers get the public view; API keys and staff sessions the view their role,
department and region allow (decided by `xinyong.publication`, nothing here)."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Query

from xinyong.errors import DomainError
from xinyong.http.answers import refusals
from xinyong.http.deps import Database
from xinyong.http.params import AsOf, PageNumber, RowId, as_moment
from xinyong.http.principal import Caller, api_router
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import Category
from xinyong.publication import get_record
from xinyong.publication.archive import archive
from xinyong.publication.lists import ListFilter, ListKind, browse
from xinyong.publication.schemas import (
    ArchiveOut,
    ListOut,
    RecordOut,
    RecordsOut,
    SearchOut,
    SectionOut,
    record_out,
    registry_out,
    search_out,
    subject_out,
)
from xinyong.publication.search import SearchFilter, district, find_subjects
from xinyong.publication.service import as_of_day
from xinyong.publication.tabs import registry_of

router = api_router("信用信息查询")


@router.get(
    "/subjects", response_model=SearchOut, summary="查询信用主体", responses=refusals(400, 401, 422)
)
def search_subjects(
    session: Database,
    viewer: Caller,
    q: Annotated[
        str,
        Query(description="名称（全称、部分，或空格分开的几个关键字）、统一社会信用代码或原代码"),
    ],
    page: PageNumber = 1,
    per_page: Annotated[int, Query(ge=1, le=100)] = 20,
    subject_type: Annotated[SubjectType | None, Query(alias="type", description="主体类型")] = None,
    region: Annotated[
        str | None, Query(description="本市的区县：名称（如 天河区）或6位代码", max_length=20)
    ] = None,
) -> SearchOut:
    filters = SearchFilter(
        subject_types=frozenset([subject_type]) if subject_type else frozenset(),
        region_code=district(region).code if region else None,
    )
    found = find_subjects(session, viewer, q, page, per_page, filters)
    return search_out(found)


@router.get(
    "/subjects/{subject_id}",
    response_model=ArchiveOut,
    summary="信用档案概览",
    responses=refusals(401, 404),
)
def subject_archive(
    session: Database, viewer: Caller, subject_id: RowId, as_of: AsOf = None
) -> ArchiveOut:
    moment = as_moment(as_of)
    found = archive(session, viewer, subject_id, moment)
    registry = registry_of(session, found.subject, as_of_day(moment))
    return ArchiveOut(
        subject=subject_out(found.subject, found.badges),
        registry=registry_out(found.subject, registry),
        sections=[
            SectionOut(category=s.category.value, records=len(s.records)) for s in found.sections
        ],
    )


@router.get(
    "/subjects/{subject_id}/records",
    response_model=RecordsOut,
    summary="主体的信用记录",
    responses=refusals(401, 404, 422),
)
def subject_records(
    session: Database,
    viewer: Caller,
    subject_id: RowId,
    as_of: AsOf = None,
    category: Annotated[Category | None, Query(description="信息类别，如 行政处罚")] = None,
) -> RecordsOut:
    found = archive(session, viewer, subject_id, as_moment(as_of))
    return RecordsOut(
        items=[
            record_out(r)
            for s in found.sections
            if category is None or s.category is category
            for r in s.records
        ]
    )


@router.get(
    "/records/{record_id}",
    response_model=RecordOut,
    summary="一条信用记录",
    responses=refusals(401, 404),
)
def one_record(
    session: Database, viewer: Caller, record_id: RowId, as_of: AsOf = None
) -> RecordOut:
    return record_out(get_record(session, viewer, record_id, as_moment(as_of)))


@router.get("/lists", response_model=ListOut, summary="红黑名单", responses=refusals(401, 422))
def lists(
    session: Database,
    viewer: Caller,
    kind: ListKind = ListKind.BLACK,
    item: str | None = None,
    region: Annotated[str | None, Query(pattern=r"^\d{6}$")] = None,
    department_id: RowId | None = None,
    decided_from: date | None = None,
    decided_to: date | None = None,
    page: PageNumber = 1,
) -> ListOut:
    if decided_from and decided_to and decided_from > decided_to:
        raise DomainError("起始日期不能晚于截止日期", "lists.date_range")
    found = browse(
        session,
        viewer,
        ListFilter(kind, item, region, department_id, decided_from, decided_to, page),
    )
    return ListOut(
        kind=kind.value,
        total=found.total,
        page=found.page,
        pages=found.pages,
        items=[record_out(e.record) for e in found.entries],
    )
