"""A subject's credit archive (信用档案) as one viewer may see it, and who may find whom."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from xinyong.auth.principal import Principal
from xinyong.codes import region_name
from xinyong.errors import NotFound
from xinyong.policy import list_kinds, load_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import Category
from xinyong.publication.service import (
    Badge,
    RecordQuery,
    ShownRecord,
    as_of_day,
    badges_of,
    has_published_record,
    sees_public_only,
    visible_records,
)
from xinyong.subjects import merging, profiles
from xinyong.subjects.models import Subject
from xinyong.subjects.service import as_of_name
from xinyong.subjects.status import subject_status


@dataclass(frozen=True)
class SubjectCard:
    """基本信息: what is shown of the subject itself. Personal ID numbers only masked."""

    id: int
    name: str
    subject_type: SubjectType
    uscc: str | None
    region_code: str | None
    id_number_masked: str | None
    status: str = "active"

    @property
    def region_name(self) -> str | None:
        return region_name(self.region_code) if self.region_code else None

    @property
    def status_label(self) -> str:
        return subject_status(self.status).label

    @property
    def ended_mark(self) -> str | None:
        return subject_status(self.status).mark


@dataclass(frozen=True)
class Section:
    category: Category
    records: list[ShownRecord]


@dataclass(frozen=True)
class Archive:
    subject: SubjectCard
    badges: list[Badge]
    sections: list[Section]  # one per catalog category, in the catalog's order


def archive(
    session: Session, viewer: Principal, subject_id: int, as_of: datetime | date | None = None
) -> Archive:
    card = subject_card(session, viewer, subject_id)
    if (day := as_of_day(as_of)) is not None:
        card = card_as_of(session, card, day)
    shown = visible_records(session, viewer, RecordQuery(subject_id=subject_id), as_of).records
    by_category: dict[Category, list[ShownRecord]] = {c: [] for c in Category}
    marks: set[Badge] = set()
    kinds = list_kinds.kinds_by_item()
    for record in shown:
        by_category[record.item.category].append(record)
        if record.published:
            of_item = kinds.get(record.item.code, frozenset())
            marks |= badges_of(of_item, record.severity, record.in_objection)
    return Archive(
        subject=card,
        badges=_ordered(marks),
        sections=[Section(c, found) for c, found in by_category.items()],
    )


def card_as_of(session: Session, card: SubjectCard, day: date) -> SubjectCard:
    """The card with the name and registration status the subject had on `day`."""
    _made, then = profiles.as_it_was(profiles.history(session, card.id), day)
    name = as_of_name(session, card.id, day) or card.name
    return replace(card, name=name, status=then.get("status") or card.status)


def subject_card(session: Session, viewer: Principal, subject_id: int) -> SubjectCard:
    """The subject if `viewer` may find it; otherwise the same 404 as an id that does not
    exist, so that persons cannot be enumerated."""
    row = session.execute(
        select(
            Subject.id,
            Subject.name,
            Subject.subject_type,
            Subject.uscc,
            Subject.region_code,
            Subject.id_number_masked,
            Subject.status,
        ).where(Subject.id == subject_id, findable(viewer))
    ).first()
    if row is None:
        survivor = merging.survivor_of(session, subject_id)
        if survivor is not None and _findable_id(session, viewer, survivor):
            raise merging.MergedAway(subject_id, survivor)
        raise NotFound(f"未找到该信用主体：{subject_id}", "subject.not_found")
    return SubjectCard(row[0], row[1], SubjectType(row[2]), row[3], row[4], row[5], row[6])


def _findable_id(session: Session, viewer: Principal, subject_id: int) -> bool:
    found = session.scalar(select(Subject.id).where(Subject.id == subject_id, findable(viewer)))
    return found is not None


def findable(viewer: Principal) -> ColumnElement[bool]:
    """Which subjects `viewer` may find, as SQL on subjects: staff every subject; the public
    and partners every organisation a registration record has verified (or any, where the city
    publishes 待核实 subjects), and a natural person only while a record of theirs is published
    now (个人信息保护法 第六条: no more personal data than the purpose needs). Nobody finds a
    subject merged into another (subjects.merging): it is the other now."""
    if not sees_public_only(viewer):
        return Subject.merged_into.is_(None)
    organisation = Subject.subject_type != SubjectType.NATURAL_PERSON.value
    if not load_policy().disclosure.unverified_public:
        organisation = and_(organisation, Subject.verified)
    return and_(
        Subject.merged_into.is_(None), or_(organisation, has_published_record(viewer, Subject.id))
    )


def _ordered(marks: set[Badge]) -> list[Badge]:
    return [badge for badge in Badge if badge in marks]
