"""Browsing the red and black lists on the credit website: the records a viewer sees published
of the catalog items that lists.yaml puts on a red (守信激励) or black (失信惩戒) list, with the
subjects they name, the reason and the deciding authority (the item's `columns`)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item
from xinyong.db import one_of
from xinyong.errors import DomainError
from xinyong.policy import list_kinds
from xinyong.policy.schemas import CatalogItem, FieldType
from xinyong.publication.service import RecordQuery, ShownRecord, visible_records
from xinyong.subjects.models import Subject

PER_PAGE = 20
# The 列入原因 column is shortened to this many characters on the page (the export has it whole).
REASON_CHARS = 60
# Fields whose bare value says nothing without its label ("2025" → "评价年度：2025").
_LABELLED_TYPES = frozenset({FieldType.INTEGER, FieldType.DECIMAL, FieldType.DATE})


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

    @property
    def reason(self) -> str:
        """Why the subject is on the list, from the record's public fields (already masked)."""
        code = self.record.item.columns.reason
        shown = next((f for f in self.record.fields if f.code == code), None)
        if shown is None:
            return self.record.item.name
        if self.record.item.field(shown.code).type in _LABELLED_TYPES:
            return f"{shown.label}：{shown.value}"
        return shown.value

    @property
    def short_reason(self) -> str:
        """The reason cut after masking (a cut number could escape the mask) at a whole
        character, marked with an ellipsis."""
        reason = self.reason
        return reason if len(reason) <= REASON_CHARS else reason[: REASON_CHARS - 1] + "…"

    @property
    def authority(self) -> str | None:
        """The deciding authority (认定部门) as the record names it."""
        code = self.record.item.columns.authority_name
        return next((f.value for f in self.record.fields if f.code == code), None)


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


def browse(
    session: Session, viewer: Principal, wanted: ListFilter, *, last_page: bool = False
) -> ListPage:
    """One page of the list. A page past the end is empty, or with `last_page` (the website)
    the last page instead."""
    page = max(1, wanted.page)
    found = _entries(session, viewer, wanted, PER_PAGE, (page - 1) * PER_PAGE)
    listed = ListPage(*found, page=page)
    if last_page and not listed.entries and page > listed.pages:
        offset = (listed.pages - 1) * PER_PAGE
        return ListPage(*_entries(session, viewer, wanted, PER_PAGE, offset), page=listed.pages)
    return listed


def every_entry(
    session: Session, viewer: Principal, wanted: ListFilter, cap: int
) -> tuple[list[ListEntry], int]:
    """Every entry the filter shows on all its pages, at most `cap` of them, and their total
    (for an export: the caller says when the total passes the cap)."""
    return _entries(session, viewer, wanted, cap, 0)


def _entries(
    session: Session, viewer: Principal, wanted: ListFilter, limit: int, offset: int
) -> tuple[list[ListEntry], int]:
    items = [item.code for item in list_items_of(wanted.kind)]
    if wanted.item_code is not None:
        if wanted.item_code not in items:
            raise DomainError(f"名单类型不存在：{wanted.item_code}", "lists.unknown_item")
        items = [wanted.item_code]
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
            limit=limit,
            offset=offset,
        ),
        count=True,
    )
    subject_ids = {r.subject_id for r in found.records}
    names = {
        row[0]: (row[1], row[2])
        for row in session.execute(
            select(Subject.id, Subject.name, Subject.uscc).where(
                one_of(session, Subject.id, list(subject_ids))
            )
        )
    }
    entries = [ListEntry(r, *names[r.subject_id]) for r in found.records]
    return entries, found.total or 0


def departments(session: Session) -> list[tuple[int, str]]:
    """(id, name) of every department, for the lists' department filter."""
    rows = session.execute(select(Department.id, Department.name).order_by(Department.name))
    return [(department_id, name) for department_id, name in rows]
