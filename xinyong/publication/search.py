"""The credit website's search (信用查询): subjects a viewer may find, each as one result row
with its status, badges and count of 行政处罚 published now; the type and district filters."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.auth.principal import Principal
from xinyong.catalog import list_items
from xinyong.codes import Region
from xinyong.config import get_settings
from xinyong.errors import DomainError
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import Category
from xinyong.publication.archive import findable
from xinyong.publication.service import Badge, badges, published_now
from xinyong.records.models import Record
from xinyong.subjects import profiles
from xinyong.subjects.search import SearchFilter, SearchPage, Tier, search
from xinyong.subjects.status import SubjectStatus

# The type filter as 信用中国 names it; 法人 there means an enterprise (企业法人).
SEARCH_TYPES: tuple[tuple[str, SubjectType], ...] = (
    ("法人", SubjectType.ENTERPRISE),
    ("个体工商户", SubjectType.INDIVIDUAL_BUSINESS),
    ("社会组织", SubjectType.SOCIAL_ORGANIZATION),
    ("事业单位", SubjectType.PUBLIC_INSTITUTION),
    ("机关", SubjectType.GOVERNMENT_AGENCY),
    ("自然人", SubjectType.NATURAL_PERSON),
)


@dataclass(frozen=True)
class SearchRow:
    """One result as the viewer may see it: the one place a result's columns are added."""

    subject_id: int
    name: str
    subject_type: SubjectType
    uscc: str | None
    id_number_masked: str | None  # a person's number, only ever masked
    region_code: str | None
    status: SubjectStatus
    badges: list[Badge]
    penalties: int  # 行政处罚 records the viewer sees published now
    legal_representative: str | None = None  # from the registration record (registry profile)
    founded_on: date | None = None
    by_former_name: bool = False  # found by an earlier name (曾用名)

    @property
    def region_name(self) -> str | None:
        return codes.region_name(self.region_code) if self.region_code else None


@dataclass(frozen=True)
class Found:
    page: SearchPage
    rows: list[SearchRow]


def find_subjects(
    session: Session,
    viewer: Principal,
    query: str,
    page: int = 1,
    per_page: int = 20,
    filters: SearchFilter | None = None,
) -> Found:
    """A page of results with each hit's badges, penalty count and registry basics: three
    set-based queries for the page's hits, never one per hit. The public may be limited to
    finding natural persons by full name (`disclosure.yaml`)."""
    persons_limited = viewer.sees_as_public and load_policy().disclosure.persons_by_full_name_only
    found = search(
        session,
        query,
        page=page,
        per_page=per_page,
        persons_by_full_name_only=persons_limited,
        only=findable(viewer),
        filters=filters,
    )
    ids = [hit.subject_id for hit in found.hits]
    marks = badges(session, viewer, ids)
    penalties = published_counts(session, viewer, ids, Category.PENALTY)
    profiled = profiles.basics(session, ids)
    none = profiles.Basics(None, None)
    rows = [
        SearchRow(
            subject_id=h.subject_id,
            name=h.name,
            subject_type=h.subject_type,
            uscc=h.uscc,
            id_number_masked=h.id_number_masked,
            region_code=h.region_code,
            status=h.status,
            badges=[b for b in Badge if b in marks[h.subject_id]],
            penalties=penalties.get(h.subject_id, 0),
            legal_representative=profiled.get(h.subject_id, none).legal_representative,
            founded_on=profiled.get(h.subject_id, none).founded_on,
            by_former_name=h.tier is Tier.FORMER,
        )
        for h in found.hits
    ]
    return Found(found, rows)


def published_counts(
    session: Session, viewer: Principal, subject_ids: Sequence[int], category: Category
) -> dict[int, int]:
    """How many records of `category` each subject has that `viewer` sees published now, in
    one grouped query. A count shows no record's content, so it is not a view to audit."""
    items = [item.code for item in list_items() if item.category is category]
    if not subject_ids or not items:
        return {}
    rows = session.execute(
        select(Record.subject_id, func.count())
        .where(
            Record.subject_id.in_(subject_ids),
            Record.item_code.in_(items),
            published_now(viewer),
        )
        .group_by(Record.subject_id)
    )
    return {subject_id: count for subject_id, count in rows}


def districts() -> list[Region]:
    """The districts (and county-level cities) of the city this instance serves, for the
    region filter."""
    return codes.children(get_settings().city_code)


def district(wanted: str) -> Region:
    """The district named `wanted` (天河区), or given by its code (440106), among the city's."""
    wanted = wanted.strip()
    for region in districts():
        if wanted in (region.name, region.code):
            return region
    raise DomainError(f"本市没有名为“{wanted}”的区县，请从列表中选择", "search.unknown_region")


def subject_type(wanted: str) -> SubjectType:
    """The type the filter names: by its machine value (enterprise) or its label (法人)."""
    for label, kind in SEARCH_TYPES:
        if wanted.strip() in (label, kind.value):
            return kind
    raise DomainError(f"没有这种主体类型：{wanted}", "search.unknown_type")
