"""Issuing and downloading credit reports.

Who gets which is `permissions.yaml` alone: each kind names its action (reports.yaml) —
`reports.public` (anyone, an organisation's report), `reports.person`, `reports.special`
(the subject's applicant account, staff of its region) — and a report made from a staff view
(content the public could not see) is downloaded under `reports.staff_copy` (its maker, its
department, the region's credit office). The caller is authorised by role before any id is
looked up, and a subject or report it may not see answers as one that does not exist.

A report is issued once: numbered (`numbers`, not guessable), rendered from the publication
view as its requester sees it (`content`), its PDF stored with its SHA-256 in the same
transaction, so a download or a verification years later answers from what was delivered.
Every report of non-public content (a person's, a 专项, one made from a staff view) is audited
when issued and when downloaded."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Kind, Principal
from xinyong.auth.service import AuthError
from xinyong.documents.pdf import PdfFile
from xinyong.errors import DomainError, NotFound, PermissionDenied
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import ReportKind
from xinyong.publication.archive import findable
from xinyong.publication.service import sees_public_only
from xinyong.reports import content, scope
from xinyong.reports.models import Report, ReportFile
from xinyong.reports.numbers import new_number
from xinyong.subjects.models import Subject
from xinyong.subjects.service import region_of, subject_target

ISSUE, DOWNLOAD = "reports.issue", "reports.download"  # audited actions
ATTEMPTS = 5  # a number drawn twice (60 random bits: never seen) is drawn again


@dataclass(frozen=True)
class ReportRequest:
    """What a requester asks for: the kind (None: the subject type's default), the subject,
    the sections (None: all), the period of decisions and the moment (None: now)."""

    subject_id: int
    kind: str | None = None
    sections: list[str] | None = None
    starts_on: date | None = None
    ends_on: date | None = None
    as_of: datetime | date | None = None


def missing_subject(subject_id: int) -> NotFound:
    return NotFound(f"未找到该信用主体：{subject_id}", "subject.not_found")


def missing_report(report_id: object) -> NotFound:
    return NotFound(f"信用报告不存在：{str(report_id)[:40]}", "reports.not_found")


# --- issuing -------------------------------------------------------------------------------


def issue(session: Session, principal: Principal, request: ReportRequest) -> Report:
    """The report asked for, issued now (or, for the public's report of an organisation asked
    again within `public_reuse_minutes`, the one issued then). The caller commits."""
    kind = scope.kind_named(request.kind) if request.kind else None
    if kind is not None:
        permissions.require(session, principal, kind.action)  # by role, before the id
    subject = _subject(session, principal, request.subject_id)
    kind = kind or scope.default_kind(SubjectType(subject.subject_type))
    target = subject_target(session, subject)
    permissions.require(
        session, principal, kind.action, target, unseen=missing_subject(request.subject_id)
    )
    scope.check_subject_type(kind, SubjectType(subject.subject_type))
    now = clock.now()
    moment = scope.as_of_of(request.as_of, now)
    covered = scope.scope_of(kind, request.sections, request.starts_on, request.ends_on, moment)
    public_view = sees_public_only(principal)
    fresh = request.as_of is None
    if public_view and fresh and (reused := _reusable(session, kind, subject, covered, now)):
        return reused
    _check_free(session, principal, subject, now)
    report = _insert(session, principal, kind, subject, covered, moment, now, public_view)
    if _audited(kind, report):
        detail = {"number": report.number, "kind": kind.code, "subject_id": subject.id}
        audit.write(session, principal.actor, ISSUE, "report", report.id, detail)
    return report


def _subject(session: Session, principal: Principal, subject_id: int) -> Subject:
    """The subject if the caller may find it (staff: any; an applicant: its own; the public:
    what the website shows, organisations and, never for a report, persons)."""
    missing = missing_subject(subject_id)
    own = principal.kind is Kind.APPLICANT and principal.subject_id == subject_id
    if sees_public_only(principal) and not own:
        found = session.scalar(select(Subject).where(Subject.id == subject_id, findable(principal)))
        if found is None or found.subject_type == SubjectType.NATURAL_PERSON.value:
            raise missing  # a person's existence is not told by the report route
        return found
    found = session.get(Subject, subject_id)
    if found is None or found.merged_into is not None:
        raise missing
    return found


def _reusable(
    session: Session, kind: ReportKind, subject: Subject, covered: scope.Scope, now: datetime
) -> Report | None:
    """The public's report of this subject, kind and scope issued in the last minutes."""
    minutes = load_policy().reports.public_reuse_minutes
    if minutes == 0:
        return None
    candidates = session.scalars(
        select(Report)
        .where(
            Report.subject_id == subject.id,
            Report.kind == kind.code,
            Report.public_view,
            Report.issued_at >= now - timedelta(minutes=minutes),
        )
        .order_by(Report.issued_at.desc())
    )
    wanted = covered.as_json()
    same = (r for r in candidates if r.viewer is None and r.scope == wanted)
    return next((r for r in same if r.as_of == r.issued_at), None)


def _check_free(session: Session, principal: Principal, subject: Subject, now: datetime) -> None:
    """河南 条例 第四十条 when a city turns it on: a subject's own reports, `per_year` a year."""
    limit = load_policy().reports.free_own_reports.per_year
    if limit is None or principal.kind is not Kind.APPLICANT:
        return
    year = now.astimezone(clock.SHANGHAI).year
    start = datetime(year, 1, 1, tzinfo=clock.SHANGHAI)
    taken = session.scalar(
        select(func.count())
        .select_from(Report)
        .where(
            Report.subject_id == subject.id,
            Report.requested_by.like(f"{Kind.APPLICANT.value}:%"),
            Report.issued_at >= start,
        )
    )
    if (taken or 0) >= limit:
        raise DomainError(
            f"本主体本年度已自行出具信用报告 {taken} 次，已达免费次数上限（每年 {limit} 次）；"
            "如需更多报告，请到政务服务中心信用窗口办理",
            "reports.free_used",
        )


def _insert(
    session: Session,
    principal: Principal,
    kind: ReportKind,
    subject: Subject,
    covered: scope.Scope,
    moment: datetime,
    now: datetime,
    public_view: bool,
) -> Report:
    rule = load_policy().reports.number
    year = now.astimezone(clock.SHANGHAI).year
    for _attempt in range(ATTEMPTS):
        report = Report(
            number=new_number(rule.prefix, year, rule.random_length),
            kind=kind.code,
            subject_id=subject.id,
            scope=covered.as_json(),
            as_of=moment,
            issued_at=now,
            requested_by=principal.actor,
            department_id=principal.department_id,
            viewer=content.viewer_json(principal, public_view),
            public_view=public_view,
            sha256="",
            size=0,
        )
        views: list[audit.Draft] = []  # staff views of non-public records, kept with the report
        pdf = content.render(session, report, kind, views)
        report.sha256, report.size = hashlib.sha256(pdf).hexdigest(), len(pdf)
        try:
            with session.begin_nested():
                session.add(report)
                session.flush()
                session.add(ReportFile(report_id=report.id, content=pdf))
                session.flush()
        except IntegrityError:
            continue
        audit.write_many(session, views)
        return report
    raise DomainError("报告编号冲突，请稍后重试", "reports.busy")


def _audited(kind: ReportKind, report: Report) -> bool:
    """Every report of non-public content: a person's, a 专项, any made from a staff view."""
    return not (kind.action == "reports.public" and report.public_view)


# --- downloading -----------------------------------------------------------------------------


def download(session: Session, principal: Principal, report_id: int) -> PdfFile:
    """The PDF as delivered, for whoever may have it: an organisation's public report anyone;
    a report of a person or a 专项 from the public's view its subject and the region's staff;
    one made from a staff view its maker, its department and the region's credit office.
    Anything else is the same 404 as a missing report (the refusal audited)."""
    report = visible(session, principal, report_id)
    kind = scope.kind_named(report.kind)
    if _audited(kind, report):
        detail = {"number": report.number, "kind": report.kind, "subject_id": report.subject_id}
        audit.write(session, principal.actor, DOWNLOAD, "report", report.id, detail)
    pdf = session.scalars(select(ReportFile.content).where(ReportFile.report_id == report.id)).one()
    return PdfFile(f"{report.number}.pdf", pdf, "report.pdf")


def visible(session: Session, principal: Principal, report_id: int) -> Report:
    """The report if `principal` may have it; a missing one and one it may not have are the
    same 404 (every principal may have some reports, so there is no role to ask first)."""
    missing = missing_report(report_id)
    report = session.get(Report, report_id)
    if report is None:
        raise missing
    kind = scope.kind_named(report.kind)
    region = region_of(session, session.get_one(Subject, report.subject_id))
    try:
        if report.public_view:  # what the public (or the subject itself) saw: the kind's rule
            on = Target("report", report.id, region_code=region, subject_id=report.subject_id)
            permissions.require(session, principal, kind.action, on, unseen=missing)
        else:  # made from a staff view: its maker, its department, the region's credit office
            on = Target(
                "report", report.id, report.department_id, region, made_by=report.requested_by
            )
            permissions.require(session, principal, "reports.staff_copy", on, unseen=missing)
    except (PermissionDenied, AuthError):
        raise missing from None
    return report


def reproduce(session: Session, report: Report) -> bytes:
    """The report rendered again from its row (for checking that stored and rendered agree):
    byte-identical while what its viewer saw as of `as_of` is unchanged (decision 0017)."""
    return content.render(session, report, scope.kind_named(report.kind), views=[])
