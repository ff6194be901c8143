"""What a report says, from its stored row alone: the subject and its registry basics as of the
report's day, each chosen section's records through the publication view as the report's
viewer saw them (as of `as_of`, within the period), the grades that viewer may read, and the
policy's wording; then the PDF (`documents.pdf`), with a QR code of the verification address.

Nothing here reads the clock: the same row and the same data give the same bytes."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import segno
from markupsafe import Markup
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit
from xinyong.auth.principal import Principal
from xinyong.config import get_settings
from xinyong.documents.pdf import beijing_date, pdf_created, render_pdf
from xinyong.evaluation import explain, results
from xinyong.policy import load_policy
from xinyong.policy.enums import Role, SubjectType
from xinyong.policy.schemas import ReportKind
from xinyong.policy.schemas.reports import Section
from xinyong.publication import tabs
from xinyong.publication.archive import SubjectCard, card_as_of
from xinyong.publication.display import ShownField
from xinyong.publication.service import RecordQuery, ShownRecord, visible_records
from xinyong.records.models import RecordStatus
from xinyong.reports.models import Report
from xinyong.reports.scope import Scope
from xinyong.subjects.models import Subject
from xinyong.subjects.service import subject_target

TEMPLATE = "reports/report.html"
NUMERALS = "一二三四五六七八九十"


@dataclass(frozen=True)
class ShownSection:
    section: Section
    records: list[ShownRecord]

    @property
    def collected(self) -> bool:
        return bool(self.section.items)


@dataclass(frozen=True)
class Grade:
    model: str
    grade: str
    evaluated_as_of: datetime


def viewer_of(report: Report) -> Principal:
    """The principal whose view the report was made from (None in the row: the public)."""
    seen = report.viewer or {}
    role = seen.get("role")
    return Principal(
        Role(role) if role else None,
        seen.get("department_id"),
        seen.get("region_code"),
        report.requested_by,
        None,
        seen.get("subject_id"),
    )


def viewer_json(principal: Principal, public_view: bool) -> dict[str, Any] | None:
    """What `viewer_of` needs to see again as `principal` saw; None for the public's view (a
    bank's or a partner's is the public's too); an applicant's keeps its subject (its grade)."""
    if public_view and principal.subject_id is None:
        return None
    return {
        "role": principal.role.value if principal.role else None,
        "department_id": principal.department_id,
        "region_code": principal.region_code,
        "subject_id": principal.subject_id,
    }


def verify_page() -> str:
    """The public verification page, as a report or receipt prints it."""
    return f"{get_settings().site_url.rstrip('/')}/verify"


def verify_url(number: str) -> str:
    """Where a report's or receipt's QR code leads."""
    return f"{verify_page()}/{number}"


def render(
    session: Session, report: Report, kind: ReportKind, views: list[audit.Draft] | None = None
) -> bytes:
    """The report's PDF. Staff views of what the public could not see are audited by the
    publication view, or collected into `views` (a reprint for verification keeps none)."""
    return render_pdf(TEMPLATE, context(session, report, kind, views))


def context(
    session: Session, report: Report, kind: ReportKind, views: list[audit.Draft] | None = None
) -> dict[str, object]:
    viewer = viewer_of(report)
    scope = Scope.from_json(report.scope)
    subject = session.get_one(Subject, report.subject_id)
    day = report.as_of.astimezone(clock.SHANGHAI).date()
    card = card_as_of(session, _card(subject), day)
    policy = load_policy().reports
    sections = [
        ShownSection(s, _records(session, viewer, report, s, scope, views))
        for s in kind.sections
        if s.code in scope.sections
    ]
    url = verify_url(report.number)
    return {
        "report": report,
        "kind": kind,
        "scope": scope,
        "period": period_text(scope),
        "created": pdf_created(report.issued_at),
        "subject": card,
        "registry": tabs.registry_of(session, card, day),
        "sections": sections,
        "numerals": NUMERALS,
        "grades": _grades(session, viewer, subject, report.as_of) if kind.evaluation else [],
        "evaluation": kind.evaluation,
        "statements": policy.statements,
        "issuer": policy.issuer,
        "verify_url": url,
        "verify_page": verify_page(),
        "qr": qr_svg(url),
        "marks": marks,
        "fields": fields,
        "public_view": report.public_view,
    }


SUBJECT_COLUMNS = (
    "subject_name", "subject_uscc", "subject_org_code", "subject_reg_no", "subject_id_number",
)  # fmt: skip


def fields(record: ShownRecord) -> list[ShownField]:
    """The record's fields as its viewer sees them, less those naming the subject (its name,
    codes and kind), which the report says once on its cover."""
    columns = record.item.columns
    about = {getattr(columns, name) for name in SUBJECT_COLUMNS} | {columns.subject_type.field}
    return [f for f in record.fields if f.code not in about]


def marks(record: ShownRecord) -> list[str]:
    """已修复 (and the other ends of a record's validity), 异议中, outside its window."""
    shown = []
    if record.status is not RecordStatus.VALID:
        shown.append(record.status.label)
    elif not record.in_window:
        shown.append("不在公示期内")
    if record.in_objection:
        shown.append("异议中")
    return shown


@cache
def qr_svg(url: str) -> Markup:
    """The verification address as an inline SVG QR code (error correction M), 30 mm wide."""
    out = io.BytesIO()
    qr = segno.make(url, error="m")
    qr.save(out, kind="svg", xmldecl=False, svgns=True, omitsize=True)  # a viewBox: it scales
    svg = out.getvalue().decode()
    return Markup(svg.replace("<svg ", '<svg style="width:30mm;height:30mm" ', 1))


def _card(subject: Subject) -> SubjectCard:
    return SubjectCard(
        subject.id,
        subject.name,
        SubjectType(subject.subject_type),
        subject.uscc,
        subject.region_code,
        subject.id_number_masked,
        subject.status,
    )


def _records(
    session: Session,
    viewer: Principal,
    report: Report,
    section: Section,
    scope: Scope,
    views: list[audit.Draft] | None,
) -> list[ShownRecord]:
    if not section.items:
        return []
    query = RecordQuery(
        subject_id=report.subject_id,
        item_codes=section.items,
        decided_from=scope.starts_on,
        decided_to=scope.ends_on,
    )
    return visible_records(session, viewer, query, report.as_of, views=views).records


def _grades(session: Session, viewer: Principal, subject: Subject, at: datetime) -> list[Grade]:
    target = subject_target(session, subject)
    shown = []
    for model in explain.models_for(subject.subject_type):
        if not explain.grade_visible(viewer, model, target):
            continue
        run_id = results.run_in_force(session, model.code, at)
        if run_id is None:
            continue
        grade = results.grades_of(session, run_id, [subject.id]).get(subject.id)
        if grade is not None:
            shown.append(Grade(model.name, grade, results.run_as_of(session, run_id)))
    return shown


def period_text(scope: Scope) -> str:
    if scope.starts_on is None or scope.ends_on is None:
        return "不限"
    return f"{beijing_date(scope.starts_on)} 至 {beijing_date(scope.ends_on)}"
