"""The publication view: the one place that decides which records a viewer sees, and how much.

A record is shown to the public when its catalog item's disclosure level is public (policy
`disclosure.yaml`), the day asked about lies inside its publication window, it is valid as of
that time (not repaired, revoked or expired) and, under objection, it is kept up marked
异议中. Staff see, for records of their region (and providers for their own department's
records), the levels their role allows, with every field and, for most roles, past records with
their status. The portal, the API and later reports, checks and evaluation all ask here.

`as_of` (default: now) answers as the platform would have then: the version current then, the
status and objection flag then (from the record's events), and the window on that day — for
staff whose role has `history`. Everyone else (the public, partners, service windows) is bounded
by today: a record is shown as of then only if it was published then and is published now, with
today's text, so that `as_of` never brings back what was repaired, removed or corrected."""

from __future__ import annotations

import functools
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    ColumnElement,
    ColumnExpressionArgument,
    and_,
    exists,
    false,
    func,
    literal,
    or_,
    select,
    true,
)
from sqlalchemy.orm import Session, aliased

from xinyong import clock
from xinyong.auth import audit
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.catalog import list_items
from xinyong.db import committing, in_region, one_of
from xinyong.errors import NotFound
from xinyong.policy import list_kinds, load_policy
from xinyong.policy.enums import DisclosureLevel
from xinyong.policy.loader import on_forget
from xinyong.policy.schemas import CatalogItem
from xinyong.publication.display import ShownField, repair_from, shown_fields
from xinyong.records.as_of import state_as_of
from xinyong.records.models import Record, RecordStatus
from xinyong.subjects.models import Subject


class Badge(StrEnum):
    TRUST = "守信激励"
    SERIOUS_DISHONESTY = "严重失信"
    OBJECTION = "异议中"


@dataclass(frozen=True)
class ShownRecord:
    """A record as one viewer may see it, as of one time."""

    id: int
    item: CatalogItem
    subject_id: int
    region_code: str | None
    decision_date: date | None
    publish_from: date | None
    publish_until: date | None
    severity: str | None
    status: RecordStatus  # as of the time asked about
    in_objection: bool
    public: bool  # the public sees it too
    full: bool  # shown with every field (staff view)
    fields: list[ShownField]
    repair_from: date | None  # when the subject may apply for credit repair (severity rules)

    in_window: bool  # the day asked about lies inside its publication window

    @property
    def published(self) -> bool:
        """Inside its window and valid: what badges, lists and checks count."""
        return self.in_window and self.status is RecordStatus.VALID

    @property
    def never_published(self) -> bool:
        """An empty window: e.g. a penalty of 警告 or 通报批评 only."""
        return self.publish_from is not None and self.publish_from == self.publish_until


@dataclass(frozen=True)
class RecordQuery:
    """Which records to look at, before the viewer's rights narrow them."""

    subject_id: int | None = None
    subject_ids: Sequence[int] | None = None
    record_id: int | None = None
    item_codes: Sequence[str] | None = None
    region_code: str | None = None
    department_id: int | None = None
    decided_from: date | None = None
    decided_to: date | None = None
    published_only: bool = False  # inside the window and valid, as lists and badges count
    limit: int | None = None
    offset: int = 0


@dataclass(frozen=True)
class RecordPage:
    records: list[ShownRecord]
    total: int | None = None  # when asked for


@dataclass(frozen=True)
class _Scope:
    """The viewer's rights as SQL over the records table, as of one time."""

    where: ColumnElement[bool]
    public: ColumnElement[bool]
    full: ColumnElement[bool]
    status: ColumnElement[Any]
    objection: ColumnElement[bool]
    in_window: ColumnElement[bool]
    published: ColumnElement[bool]  # inside the window and valid, as of then
    day: date
    items: dict[str, CatalogItem] = field(default_factory=dict)


def visible_records(
    session: Session,
    viewer: Principal,
    query: RecordQuery,
    as_of: datetime | date | None = None,
    *,
    count: bool = False,
    views: list[audit.Draft] | None = None,
) -> RecordPage:
    """The records of `query` that `viewer` may see as of `as_of`, newest decision first.
    Staff views of what the public could not see are written to the audit log, or, given
    `views`, added to it for a caller that keeps them with its own writes (checks)."""
    scope = _scope(viewer, as_of)
    statement = (
        select(
            Record.id,
            Record.item_code,
            Record.subject_id,
            Record.region_code,
            Record.decision_date,
            Record.publish_from,
            Record.publish_until,
            Record.severity,
            scope.status.label("status_then"),
            scope.objection.label("objection_then"),
            scope.public.label("public"),
            scope.full.label("full"),
            scope.in_window.label("in_window"),
            Record.payload,
        )
        .where(*_conditions(session, scope, query))
        .order_by(Record.decision_date.desc(), Record.id.desc())
    )
    total = None
    if count:
        total = session.scalar(
            select(func.count()).select_from(statement.order_by(None).subquery())
        )
    if query.limit is not None:
        statement = statement.limit(query.limit).offset(query.offset)
    records = [_shown(scope, row) for row in session.execute(statement)]
    private = [
        r.id
        for r in records
        if r.full and (not r.public or any(not r.item.field(f.code).public for f in r.fields))
    ]
    target = (
        ("subject", query.subject_id)
        if query.subject_id is not None
        else ("record", query.record_id)
    )
    if views is None:
        _audit(session, viewer, private, target, as_of)
    elif (seen := _view_entry(viewer, private, target, as_of)) is not None:
        views.append(seen)
    return RecordPage(records, total)


def counts_by_item(
    session: Session,
    viewer: Principal,
    query: RecordQuery,
    as_of: datetime | date | None = None,
) -> dict[str, int]:
    """item code → how many records of `query` `viewer` sees as of `as_of`, by the rule of
    `visible_records`, in one grouped query: the archive's tab counts without loading records."""
    scope = _scope(viewer, as_of)
    rows = session.execute(
        select(Record.item_code, func.count())
        .where(*_conditions(session, scope, query))
        .group_by(Record.item_code)
    )
    return {item_code: count for item_code, count in rows}


def _conditions(session: Session, scope: _Scope, query: RecordQuery) -> list[ColumnElement[bool]]:
    """The rows of `query` the scope shows: what listing and counting records share."""
    shown = [scope.where, *_filters(session, query)]
    return [*shown, scope.published] if query.published_only else shown


def get_record(
    session: Session, viewer: Principal, record_id: int, as_of: datetime | date | None = None
) -> ShownRecord:
    """One record if `viewer` may see it; otherwise the same 404 as a record that does not
    exist, so that hidden records cannot be discovered."""
    page = visible_records(session, viewer, RecordQuery(record_id=record_id), as_of)
    if not page.records:
        raise NotFound(f"信用记录不存在或未公示：{record_id}", "record.not_found")
    return page.records[0]


def badges(
    session: Session,
    viewer: Principal,
    subject_ids: Sequence[int],
    as_of: datetime | date | None = None,
) -> dict[int, set[Badge]]:
    """Badges of each subject from the records the viewer sees published as of then."""
    found: dict[int, set[Badge]] = {i: set() for i in subject_ids}
    if not subject_ids:
        return found
    scope = _scope(viewer, as_of)
    kinds = list_kinds.kinds_by_item()
    rows = session.execute(
        select(
            Record.id,
            Record.subject_id,
            Record.item_code,
            Record.severity,
            scope.objection,
            scope.public,
        ).where(
            scope.where,
            Record.subject_id.in_(subject_ids),
            scope.published,
        )
    )
    private = []
    for record_id, subject_id, item_code, severity, objection, public in rows:
        found[subject_id].update(badges_of(kinds.get(item_code, frozenset()), severity, objection))
        if not public:
            private.append(record_id)
    _audit(session, viewer, private, ("subjects", None), as_of)
    return found


def sees_public_only(viewer: Principal) -> bool:
    """The public, or a role whose view holds only the public levels (a partner such as a
    bank): it finds natural persons only through what is published about them."""
    policy = load_policy().disclosure
    view = policy.roles.get(viewer.role) if viewer.role else None
    return view is None or set(view.levels) <= set(policy.public_levels)


def has_published_record(
    viewer: Principal, subject_id: ColumnExpressionArgument[int]
) -> ColumnElement[bool]:
    """SQL: the subject (an id or a column to correlate with) has a record `viewer` sees
    published now."""
    return exists().where(Record.subject_id == subject_id, published_now(viewer))


def published_now(viewer: Principal) -> ColumnElement[bool]:
    """SQL over `Record`: a row `viewer` sees published now (inside its window and valid),
    as badges and counts on the portal take them."""
    scope = _scope(viewer, None)
    return and_(scope.where, scope.published)


def shown_to_public() -> ColumnElement[bool]:
    """SQL over `Record`: the row is what the public sees now (the current version, public,
    valid, inside its window): what a partner mirroring the portal should show."""
    scope = _scope(PUBLIC, None)
    return and_(scope.where, scope.public)


def badges_of(kinds: frozenset[str], severity: str | None, in_objection: bool) -> set[Badge]:
    """The badges one published record gives its subject: `kinds` are those of the lists its
    item's records are entries of (`policy.list_kinds`, from lists.yaml)."""
    shown = set()
    if list_kinds.RED in kinds:
        shown.add(Badge.TRUST)
    if list_kinds.BLACK in kinds or severity == "serious":
        shown.add(Badge.SERIOUS_DISHONESTY)
    if in_objection:
        shown.add(Badge.OBJECTION)
    return shown


def as_of_moment(as_of: datetime | date | None) -> datetime | None:
    """A date asks about the end of that day in China; a datetime about that moment."""
    if as_of is None or isinstance(as_of, datetime):
        return as_of
    return datetime.combine(as_of, time.max, tzinfo=clock.SHANGHAI).astimezone(UTC)


def as_of_day(as_of: datetime | date | None) -> date | None:
    """The day in China an `as_of` asks about (None: today, not asked)."""
    moment = as_of_moment(as_of)
    return moment.astimezone(clock.SHANGHAI).date() if moment is not None else None


# --- the rule ---------------------------------------------------------------------------


def _scope(viewer: Principal, as_of: datetime | date | None) -> _Scope:
    moment = as_of_moment(as_of)
    if moment is not None:
        return _build_scope(viewer, moment, moment.astimezone(clock.SHANGHAI).date())
    # Asked about now, a viewer's rule changes only with the day: build it once per day.
    return _current_scope(viewer, clock.today())


@functools.lru_cache(maxsize=256)
def _current_scope(viewer: Principal, day: date) -> _Scope:
    return _build_scope(viewer, None, day)


on_forget(_current_scope.cache_clear)


def _build_scope(viewer: Principal, moment: datetime | None, day: date) -> _Scope:
    policy = load_policy()
    items = {item.code: item for item in list_items(policy)}
    view = policy.disclosure.roles.get(viewer.role) if viewer.role else None
    status, objection, version = state_as_of(moment)
    shown_while_objected = _shown_while(policy.disclosure.objection_marked, objection)
    in_window = _in_window(day)
    published = and_(in_window, status == RecordStatus.VALID.value)
    # What is published today bounds every answer about the past for those without history
    # rights: nobody sees through `as_of` a record repaired, removed or expired since.
    now: ColumnElement[bool] = true()
    if moment is not None:
        now = _published_today(policy.disclosure.objection_marked)
        if view is None or not view.history:
            version = _current_and_received_by(moment)
    public = and_(
        _items_of(items, policy.disclosure.public_levels),
        published,
        shown_while_objected,
        now,
        true() if policy.disclosure.unverified_public else _subject_verified(),
    )
    full: ColumnElement[bool] = false()
    if view is not None:
        full = and_(_items_of(items, view.levels), _in_region(viewer.region_code))
        if view.own_department and viewer.department_id is not None:
            full = or_(full, Record.department_id == viewer.department_id)
        if not view.history:
            full = and_(full, published, shown_while_objected, now)
    return _Scope(
        where=and_(version, or_(public, full)),
        public=public,
        full=full,
        status=status,
        objection=objection,
        in_window=in_window,
        published=published,
        day=day,
        items=items,
    )


def _subject_verified() -> ColumnElement[bool]:
    """The record's subject is 已核实 (a registration record or staff described it). An alias,
    so that a query already reading `subjects` (the change feed) does not correlate it away."""
    subject = aliased(Subject)
    return exists().where(subject.id == Record.subject_id, subject.verified).correlate(Record)


def _shown_while(objection_marked: bool, objection: Any) -> ColumnElement[bool]:
    """A record under objection stays up marked 异议中, or is hidden (disclosure.yaml)."""
    return literal(True) if objection_marked else ~objection


def _published_today(objection_marked: bool) -> ColumnElement[bool]:
    """The row is the current version, valid and inside its window today."""
    return and_(
        Record.is_current,
        Record.status == RecordStatus.VALID.value,
        _in_window(clock.today()),
        _shown_while(objection_marked, Record.in_objection),
    )


def _current_and_received_by(moment: datetime) -> ColumnElement[bool]:
    """The current version of a record the platform already held at `moment`: a view without
    history answers the past with today's text, never with a version corrected since."""
    earlier = aliased(Record)
    return and_(
        Record.is_current,
        exists().where(
            earlier.item_code == Record.item_code,
            earlier.natural_key == Record.natural_key,
            earlier.created_at <= moment,
        ),
    )


def _in_window(day: date) -> ColumnElement[bool]:
    """[publish_from, publish_until): an empty window (from == until) is never published."""
    return and_(
        Record.publish_from <= day,
        or_(Record.publish_until.is_(None), Record.publish_until > day),
    )


def _items_of(
    items: dict[str, CatalogItem], levels: Iterable[DisclosureLevel]
) -> ColumnElement[bool]:
    wanted = set(levels)
    codes = [code for code, item in items.items() if item.disclosure in wanted]
    return Record.item_code.in_(codes) if codes else false()


def _in_region(region_code: str | None) -> ColumnElement[bool]:
    """Records of the viewer's region: a province's or city's code covers its districts."""
    return in_region(Record.region_code, region_code)


def _filters(session: Session, query: RecordQuery) -> list[ColumnElement[bool]]:
    filters = []
    if query.subject_id is not None:
        filters.append(Record.subject_id == query.subject_id)
    if query.subject_ids is not None:
        filters.append(one_of(session, Record.subject_id, query.subject_ids))
    if query.record_id is not None:
        filters.append(Record.id == query.record_id)
    if query.item_codes is not None:
        filters.append(Record.item_code.in_(query.item_codes))
    if query.region_code:
        filters.append(_in_region(query.region_code))
    if query.department_id is not None:
        filters.append(Record.department_id == query.department_id)
    if query.decided_from is not None:
        filters.append(Record.decision_date >= query.decided_from)
    if query.decided_to is not None:
        filters.append(Record.decision_date <= query.decided_to)
    return filters


# --- rows to what is shown --------------------------------------------------------------


def _shown(scope: _Scope, row: Any) -> ShownRecord:
    item = scope.items[row.item_code]
    full = bool(row.full)
    payload = row.payload if isinstance(row.payload, dict) else {}
    return ShownRecord(
        id=row.id,
        item=item,
        subject_id=row.subject_id,
        region_code=row.region_code,
        decision_date=row.decision_date,
        publish_from=row.publish_from,
        publish_until=row.publish_until,
        severity=row.severity,
        status=RecordStatus(row.status_then),
        in_objection=bool(row.objection_then),
        public=bool(row.public),
        full=full,
        fields=shown_fields(item, payload, full),
        repair_from=repair_from(item, row.severity, row.decision_date),
        in_window=bool(row.in_window),
    )


def _audit(
    session: Session,
    viewer: Principal,
    private: Sequence[int],
    target: tuple[str, object],
    as_of: datetime | date | None,
) -> None:
    seen = _view_entry(viewer, private, target, as_of)
    if seen is not None:
        with committing(session):
            audit.write(
                session, seen.actor, seen.action, seen.target_type, seen.target_id, seen.detail
            )


def _view_entry(
    viewer: Principal,
    private: Sequence[int],
    target: tuple[str, object],
    as_of: datetime | date | None,
) -> audit.Draft | None:
    """One entry per staff request that showed records (or fields) the public could not see."""
    if viewer.is_public or not private:
        return None
    shown = {"records": list(private[:200]), "as_of": str(as_of) if as_of else None}
    return audit.Draft(viewer.actor, "publication.view", *target, shown, at=clock.now())
