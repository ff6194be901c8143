"""The 信用修复告知书 (两书同达): for each published penalty (a catalog item whose publication is
by severity) and each entry of a list made through the listing procedure, one numbered notice,
issued once by the deciding department and printed as often as it needs — with its decision,
to the subject — as a PDF saying what was published, for how long, from when and how repair
may be applied for, and the activation code that opens the subject's applicant account.

The code is derived from the notice's number under the platform's key
(`applicants.derived_code`), so a reprint carries the same code while only its HMAC is stored.
Numbers run per year (Beijing time) in the city's format (`notices.yaml`); two departments
issuing at once are kept apart by the unique number (the later one counts again), and two
clicks on one record by the unique (kind, record): the second gets the first's notice."""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong import clock, workdays
from xinyong.applicants import service as applicants
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item
from xinyong.clock import SHANGHAI
from xinyong.db import committing
from xinyong.documents.pdf import PdfFile, pdf_created, render_pdf
from xinyong.errors import DomainError, NotFound
from xinyong.notices.models import Notice
from xinyong.policy import load_policy
from xinyong.policy.enums import Scope
from xinyong.policy.schemas import CatalogItem, Policy
from xinyong.publication import service as publication
from xinyong.publication.display import repair_from
from xinyong.publication.service import RecordQuery, ShownRecord
from xinyong.records import service as records
from xinyong.records.models import Record
from xinyong.records.windows import add_duration
from xinyong.subjects.models import Subject

KIND = "repair_notice"
ISSUE, VIEW, DOWNLOAD = "notices.issue", "notices.view", "notices.download"
TEMPLATE = "notices/repair_notice.html"
ATTEMPTS = 5  # numbers taken by departments issuing at the same moment
SEVERITY_LABELS = {"minor": "轻微", "general": "一般", "serious": "严重"}


# --- which records get a notice, and when repair opens ----------------------------------------


def notice_items(policy: Policy | None = None) -> list[str]:
    """Catalog items whose published records get a notice, in catalog order: penalties (their
    publication is by severity class, 36号令) and the items the listing procedure enters for
    a black list (lists.yaml `procedure.item`); a court's 失信被执行人 list is not repaired here."""
    policy = policy or load_policy()
    listed = {
        t.procedure.item
        for t in policy.list_types.values()
        if t.procedure is not None and t.kind == "black"
    }
    return [
        code
        for code, item in policy.items.items()
        if item.publication.kind == "severity" or code in listed
    ]


def repair_date(item: CatalogItem, severity: str | None, decided: date | None) -> date | None:
    """The day the shortest publication period ends, from which repair may be applied for: a
    penalty's by its severity class (publication.display.repair_from, what the archive shows),
    a list entry's by its item's fixed window."""
    if item.publication.kind == "severity":
        return repair_from(item, severity, decided)
    window = item.publication.window
    if decided is None or window is None or window.min is None:
        return None
    return add_duration(decided, window.min)


# --- issuing -------------------------------------------------------------------------------


def issue_for(session: Session, principal: Principal, record_id: int) -> Notice:
    """`issue` for a record named by its id (a form, the API): a missing one is a 404."""
    permissions.require(session, principal, "notices.issue")
    found = session.get(Record, record_id)
    if found is None:
        raise NotFound(f"信用记录不存在：{record_id}", "record.not_found")
    return issue(session, principal, found)


def issue(session: Session, principal: Principal, record: Record) -> Notice:
    """The record's notice, issued now unless it already has one (then that one, unchanged)."""
    permissions.require(session, principal, "notices.issue", record)
    existing = _notice_of(session, record.id)
    if existing is not None:
        return existing
    item, shown = _published(session, principal, record)
    repair_on = repair_date(item, shown.severity, shown.decision_date)
    if repair_on is None:
        raise DomainError("该信息没有最短公示期，无需出具信用修复告知书", "notices.not_repairable")
    for _attempt in range(ATTEMPTS):
        try:
            with session.begin_nested():
                notice = _insert(session, principal, record)
        except IntegrityError:
            existing = _notice_of(session, record.id)
            if existing is not None:  # the same record issued by someone else meanwhile
                return existing
            continue  # the number was taken: count again
        break
    else:
        raise DomainError("告知书编号繁忙，请稍后重试", "notices.busy")
    rule = load_policy().notices.repair_notice.activation_code
    code = applicants.store_document_code(
        session,
        principal.actor,
        record.subject_id,
        applicants.derived_code(notice.number),
        rule.purpose,
        code_expiry(notice.issued_at, repair_on),
    )
    notice.activation_code_id = code.id
    detail = {"number": notice.number, "record_id": record.id, "code_id": code.id}
    audit.write(session, principal.actor, ISSUE, "notice", notice.id, detail)
    return notice


def code_expiry(issued_at: datetime, repair_on: date) -> datetime:
    """When the notice's code stops opening an account: `validity` after the issue or after
    the day repair may be applied for (notices.yaml), never before the issue."""
    rule = load_policy().notices.repair_notice.activation_code
    start = issued_at
    if rule.counted_from == "repair_from":
        opens = datetime.combine(repair_on, time(0), SHANGHAI)
        start = max(issued_at, opens)
    return start + rule.lifetime


def _published(
    session: Session, principal: Principal, record: Record
) -> tuple[CatalogItem, ShownRecord]:
    if record.item_code not in notice_items():
        raise DomainError(
            "只有行政处罚信息和列入严重失信主体名单的信息出具信用修复告知书",
            "notices.not_eligible",
        )
    shown = publication.get_record(session, principal, record.id)
    if not record.is_current or not shown.published:
        raise DomainError("该信息不在公示期内，无需出具信用修复告知书", "notices.not_published")
    return get_item(record.item_code), shown


def _insert(session: Session, principal: Principal, record: Record) -> Notice:
    now = clock.now()
    year = now.astimezone(SHANGHAI).year
    number = load_policy().notices.repair_notice.number.number(year, _issued_in(session, year) + 1)
    notice = Notice(
        number=number,
        kind=KIND,
        record_id=record.id,
        subject_id=record.subject_id,
        department_id=record.department_id,
        issued_at=now,
        issued_by=principal.actor,
    )
    session.add(notice)
    session.flush()
    return notice


def _issued_in(session: Session, year: int) -> int:
    """Notices issued in `year` (Beijing time): the serial runs per year."""
    start = datetime(year, 1, 1, tzinfo=SHANGHAI)
    end = datetime(year + 1, 1, 1, tzinfo=SHANGHAI)
    return (
        session.scalar(
            select(func.count())
            .select_from(Notice)
            .where(Notice.kind == KIND, Notice.issued_at >= start, Notice.issued_at < end)
        )
        or 0
    )


def _notice_of(session: Session, record_id: int) -> Notice | None:
    return session.scalar(select(Notice).where(Notice.kind == KIND, Notice.record_id == record_id))


# --- printing ------------------------------------------------------------------------------


def download(session: Session, principal: Principal, notice_id: int) -> PdfFile:
    """The notice's PDF for its deciding department or its own subject; any other notice is
    the same 404 as a missing one (the refusal audited), and each download is audited."""
    notice = _visible(session, principal, notice_id)
    with committing(session):
        detail = {"number": notice.number, "record_id": notice.record_id}
        audit.write(session, principal.actor, DOWNLOAD, "notice", notice.id, detail)
    return PdfFile(f"{notice.number}.pdf", render(session, notice), "notice.pdf")


def download_for_record(session: Session, principal: Principal, record_id: int) -> PdfFile:
    """The notice of a record (for a department's system), issued first if it has none."""
    with committing(session):
        notice = issue_for(session, principal, record_id)
    return download(session, principal, notice.id)


def render(session: Session, notice: Notice) -> bytes:
    return render_pdf(TEMPLATE, notice_context(session, notice))


def notice_context(session: Session, notice: Notice) -> dict[str, object]:
    """What the notice says, all from the record, the catalog and notices.yaml."""
    record = records.get(session, notice.record_id)
    item = get_item(record.item_code)
    subject = session.get_one(Subject, notice.subject_id)
    department = session.get(Department, notice.department_id) if notice.department_id else None
    wording = load_policy().notices.repair_notice
    repair_on = repair_date(item, record.severity, record.decision_date)
    authority = item.columns.authority_name
    decided_by = record.payload.get(authority) if authority else None
    return {
        "notice": notice,
        "wording": wording,
        "created": pdf_created(notice.issued_at),
        "subject_name": subject.name,
        "subject_code": subject.uscc or subject.id_number_masked,
        "subject_code_label": "统一社会信用代码" if subject.uscc else "证件号码",
        "item": item,
        "severity": SEVERITY_LABELS.get(record.severity or ""),
        "document_number": record.document_number,
        "decision_date": record.decision_date,
        "decided_by": decided_by or (department.name if department else ""),
        "publish_from": record.publish_from,
        "publish_until": record.publish_until,
        "repair_from": repair_on,
        "code": applicants.derived_code(notice.number),
        "code_expires": code_expiry(notice.issued_at, repair_on) - timedelta(seconds=1)
        if repair_on
        else None,
        "issuer": department.name if department else "公共信用信息平台",
    }


def _visible(session: Session, principal: Principal, notice_id: int) -> Notice:
    notice = session.get(Notice, notice_id)
    missing = NotFound(f"信用修复告知书不存在：{notice_id}", "notices.not_found")
    permissions.require(session, principal, "notices.download", notice, unseen=missing)
    if notice is None:
        raise missing
    return notice


# --- the console's lists ---------------------------------------------------------------------


@dataclass(frozen=True)
class Line:
    """A published penalty or list entry of the principal's departments, with its notice (None:
    not yet issued) and the day repair may be applied for."""

    record: ShownRecord
    subject_name: str
    document_number: str | None
    notice: Notice | None
    repair_from: date | None


def department_lines(session: Session, principal: Principal, limit: int = 200) -> list[Line]:
    """The newest published records the principal may issue notices for, each with its notice
    (None: not yet issued). Audited: notice numbers are not public."""
    return _department_lines(session, principal, [(notice_items(), None, None)], limit)


def reminder_lines(session: Session, principal: Principal, limit: int = 200) -> list[Line]:
    """The department's reminder list: its published records whose repair may be applied for
    within the furthest reminder's working days from today, or could be in the last
    `late_days` (notices.yaml), soonest first."""
    first, last = reminder_span(clock.today())
    lines = _department_lines(session, principal, decided_between(first, last), None)
    due = [line for line in lines if line.repair_from and first <= line.repair_from <= last]
    return sorted(due, key=lambda line: (line.repair_from, line.record.id))[:limit]


def reminder_span(today: date) -> tuple[date, date]:
    """The repair days the reminders look at today: from `late_days` ago to the day the
    furthest reminder is for."""
    rule = load_policy().notices.reminders
    furthest = workdays.add_working_days(today, max(rule.before_working_days)).on
    return today - timedelta(days=rule.late_days), furthest


def decided_between(first: date, last: date) -> list[tuple[list[str], date | None, date | None]]:
    """Per shortest period (3 months, 1 year, ...): the notice items having it and the decision
    dates whose repair opens between `first` and `last` — widened by a few days for month ends,
    so callers check each record's own date — to let the database narrow by decision date."""
    policy = load_policy()
    by_period: dict[tuple[int, str], set[str]] = {}
    for code in notice_items(policy):
        rule = policy.items[code].publication
        windows = (
            [rule.minor, rule.general, rule.serious] if rule.kind == "severity" else [rule.window]
        )
        for window in windows:
            if window is not None and window.min is not None and window.publish:
                by_period.setdefault((window.min.amount, window.min.unit), set()).add(code)
    slack = timedelta(days=4)
    return [
        (sorted(codes), _back(first, amount, unit) - slack, _back(last, amount, unit) + slack)
        for (amount, unit), codes in sorted(by_period.items())
    ]


def _back(day: date, amount: int, unit: str) -> date:
    """`day` less a period (month ends clamped, as records.windows.add_duration adds them)."""
    if unit == "day":
        return day - timedelta(days=amount)
    months = amount * (12 if unit == "year" else 1)
    year, month = divmod(day.month - 1 - months, 12)
    year += day.year
    return date(year, month + 1, min(day.day, calendar.monthrange(year, month + 1)[1]))


def _department_lines(
    session: Session,
    principal: Principal,
    groups: list[tuple[list[str], date | None, date | None]],
    limit: int | None,
) -> list[Line]:
    permissions.require(session, principal, "notices.view")
    reach = permissions.scope(principal, VIEW)
    if reach is Scope.OWN and principal.department_id is None:
        return []
    shown: list[ShownRecord] = []
    with committing(session):
        for codes, decided_from, decided_to in groups:
            query = RecordQuery(
                item_codes=codes,
                department_id=principal.department_id if reach is Scope.OWN else None,
                region_code=principal.region_code if reach is Scope.REGION else None,
                decided_from=decided_from,
                decided_to=decided_to,
                published_only=True,
                limit=limit,
            )
            shown += publication.visible_records(session, principal, query).records
        lines = _lines(session, shown)
        if lines:
            detail = {"records": [line.record.id for line in lines]}
            audit.write(session, principal.actor, VIEW, "notice", None, detail)
    return lines


def _lines(session: Session, shown: Sequence[ShownRecord]) -> list[Line]:
    ids = [r.id for r in shown]
    notices = {
        n.record_id: n
        for n in session.scalars(
            select(Notice).where(Notice.kind == KIND, Notice.record_id.in_(ids))
        )
    }
    facts = {
        rid: (name, number)
        for rid, name, number in session.execute(
            select(Record.id, Subject.name, Record.document_number)
            .join(Subject, Subject.id == Record.subject_id)
            .where(Record.id.in_(ids))
        )
    }
    return [
        Line(
            r,
            facts[r.id][0],
            facts[r.id][1],
            notices.get(r.id),
            repair_date(r.item, r.severity, r.decision_date),
        )
        for r in shown
    ]
