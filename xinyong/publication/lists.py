"""Browsing the red and black lists on the credit website: the records a viewer sees published
of the catalog items that lists.yaml puts on a red (守信激励) or black (失信惩戒) list, with the
subjects they name."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item
from xinyong.errors import DomainError
from xinyong.policy import list_kinds
from xinyong.policy.schemas import CatalogItem
from xinyong.publication.service import RecordQuery, ShownRecord, visible_records
from xinyong.subjects.models import Subject

PER_PAGE = 20


class ListKind(StrEnum):
    """The list kinds the portal shows; values are lists.yaml's `kind`."""

    RED = list_kinds.RED
    BLACK = list_kinds.BLACK

    @property
    def label(self) -> str:
        return "红名单（守信激励）" if self is ListKind.RED else "黑名单（失信惩戒）"


@dataclass(frozen=True)
class ListFilter:
    kind: ListKind = ListKind.BLACK
    item_code: str | None = None
    region_code: str | None = None
    department_id: int | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    page: int = 1


@dataclass(frozen=True)
class ListEntry:
    record: ShownRecord
    subject_name: str
    uscc: str | None


@dataclass(frozen=True)
class ListPage:
    entries: list[ListEntry]
    total: int
    page: int
    per_page: int = PER_PAGE

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def list_items_of(kind: ListKind) -> list[CatalogItem]:
    """The items whose records are entries of a list of this kind (lists.yaml), in catalog order."""
    return [get_item(code) for code in list_kinds.items_of_kind(kind.value)]


def browse(session: Session, viewer: Principal, wanted: ListFilter) -> ListPage:
    items = [item.code for item in list_items_of(wanted.kind)]
    if wanted.item_code is not None:
        if wanted.item_code not in items:
            raise DomainError(f"名单类型不存在：{wanted.item_code}", "lists.unknown_item")
        items = [wanted.item_code]
    page = max(1, wanted.page)
    found = visible_records(
        session,
        viewer,
        RecordQuery(
            item_codes=items,
            region_code=wanted.region_code,
            department_id=wanted.department_id,
            decided_from=wanted.decided_from,
            decided_to=wanted.decided_to,
            published_only=True,
            limit=PER_PAGE,
            offset=(page - 1) * PER_PAGE,
        ),
        count=True,
    )
    subject_ids = {r.subject_id for r in found.records}
    names = {
        row[0]: (row[1], row[2])
        for row in session.execute(
            select(Subject.id, Subject.name, Subject.uscc).where(Subject.id.in_(subject_ids))
        )
    }
    return ListPage(
        entries=[ListEntry(r, *names[r.subject_id]) for r in found.records],
        total=found.total or 0,
        page=page,
    )


def departments(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every department, for the lists' department filter."""
    rows = session.execute(select(Department.id, Department.name).order_by(Department.name))
    return [(department_id, name) for department_id, name in rows]
