"""Authorisation codes (授权码) for a third party's 专项信用报告 (issue 17): the subject, in its
applicant account, names who it authorises (a bidding agency, a bank), the report's sections
and period, for how many days and reports; the code is shown once and only its HMAC kept.
The third party gives the subject's USCC and the code and gets the report the subject itself
would get (issued in its name, counted as its own); each use is listed for the subject, who
may revoke the code at any time. A wrong, used-up, expired or revoked code is one answer."""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.applicants import service as applicants
from xinyong.auth import audit, permissions
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.codes.schemes import normalize_organisation_code
from xinyong.config import get_settings
from xinyong.documents.pdf import PdfFile
from xinyong.errors import DomainError, NotFound
from xinyong.policy import load_policy
from xinyong.reports import scope as scopes
from xinyong.reports import service
from xinyong.reports.content import period_text
from xinyong.reports.models import AuthorisedReport, Report, ReportAuthorisation
from xinyong.subjects.models import Subject

GRANT, REVOKE, USE = "reports.authorise", "reports.authorisation_revoked", "reports.authorised"
GRANTEE_LENGTH = 200


@dataclass(frozen=True)
class Granted:
    authorisation: ReportAuthorisation
    code: str  # shown once


@dataclass(frozen=True)
class Use:
    number: str
    issued_at: datetime


@dataclass(frozen=True)
class Listed:
    authorisation: ReportAuthorisation
    sections: list[str]
    period: str
    uses: list[Use]

    @property
    def state(self) -> str:
        a, now = self.authorisation, clock.now()
        if a.revoked_at is not None:
            return "已撤销"
        if a.expires_at <= now:
            return "已过期"
        return "已用完" if a.uses_left <= 0 else "有效"


def _hash(code: str) -> str:
    key = get_settings().derived_key("report-authorisation")
    return hmac.new(key, applicants.normalised(code).encode(), hashlib.sha256).hexdigest()


def _invalid() -> NotFound:
    return NotFound(
        "统一社会信用代码与授权码不匹配，或授权码已失效（过期、用完或被撤销）",
        "reports.authorisation_invalid",
    )


def grant(
    session: Session,
    principal: Principal,
    grantee: str,
    sections: list[str] | None,
    starts_on: date | None,
    ends_on: date | None,
    days: int | None = None,
    uses: int = 1,
) -> Granted:
    """A new code for the applicant's own subject; the caller commits."""
    permissions.require(session, principal, "reports.authorise")
    assert principal.subject_id is not None  # the rule admits applicants only
    rule = load_policy().reports.authorisations
    kind = scopes.kind_named(rule.kind)
    name = " ".join(grantee.split())
    if not name:
        raise DomainError("请填写被授权单位的名称", "reports.grantee")
    if len(name) > GRANTEE_LENGTH:
        raise DomainError(f"被授权单位名称不能超过 {GRANTEE_LENGTH} 字", "reports.grantee")
    days = rule.default_days if days is None else days
    if not 1 <= days <= rule.max_days:
        raise DomainError(f"授权有效期应为 1 至 {rule.max_days} 天", "reports.authorisation_days")
    if not 1 <= uses <= rule.max_uses:
        raise DomainError(f"可用次数应为 1 至 {rule.max_uses} 次", "reports.authorisation_uses")
    now = clock.now()
    covered = scopes.scope_of(kind, sections, starts_on, ends_on, now)
    code = applicants.new_code()
    made = ReportAuthorisation(
        subject_id=principal.subject_id,
        code_hash=_hash(code),
        grantee=name,
        kind=kind.code,
        scope=covered.as_json(),
        created_at=now,
        created_by=principal.actor,
        expires_at=now + timedelta(days=days),
        uses_left=uses,
    )
    session.add(made)
    session.flush()
    detail = {"grantee": name, "days": days, "uses": uses, "sections": list(covered.sections)}
    audit.write(session, principal.actor, GRANT, "report_authorisation", made.id, detail)
    return Granted(made, code)


def mine(session: Session, principal: Principal) -> list[Listed]:
    """The applicant's codes, newest first, with the reports each gave."""
    permissions.require(session, principal, "reports.authorise")
    kind = scopes.kind_named(load_policy().reports.authorisations.kind)
    titles = {s.code: s.title for s in kind.sections}
    made = session.scalars(
        select(ReportAuthorisation)
        .where(ReportAuthorisation.subject_id == principal.subject_id)
        .order_by(ReportAuthorisation.created_at.desc(), ReportAuthorisation.id.desc())
    ).all()
    used: dict[int, list[Use]] = {}
    rows = session.execute(
        select(AuthorisedReport.authorisation_id, Report.number, Report.issued_at)
        .join(Report, Report.id == AuthorisedReport.report_id)
        .where(AuthorisedReport.authorisation_id.in_([a.id for a in made]))
        .order_by(Report.issued_at)
    )
    for authorisation_id, number, issued_at in rows:
        used.setdefault(authorisation_id, []).append(Use(number, issued_at))
    listed = []
    for a in made:
        covered = scopes.Scope.from_json(a.scope)
        sections = [titles.get(c, c) for c in covered.sections]
        listed.append(Listed(a, sections, period_text(covered), used.get(a.id, [])))
    return listed


def revoke(session: Session, principal: Principal, authorisation_id: int) -> None:
    permissions.require(session, principal, "reports.authorise")  # by role first: ids unknown
    found = session.get(ReportAuthorisation, authorisation_id)
    missing = NotFound("授权记录不存在", "reports.authorisation_not_found")
    if found is None:
        raise missing
    target = Target("report_authorisation", found.id, subject_id=found.subject_id)
    permissions.require(session, principal, "reports.authorise", target, unseen=missing)
    if found.revoked_at is None:
        found.revoked_at = clock.now()
        audit.write(session, principal.actor, REVOKE, "report_authorisation", found.id, {})


def redeem(session: Session, uscc: str, code: str) -> PdfFile:
    """The report a third party gets with the subject's USCC and code: issued as the subject
    would get it; one use taken (atomically: two uses at once cannot both pass the last)."""
    now = clock.now()
    subject = session.scalar(
        select(Subject).where(
            Subject.uscc == normalize_organisation_code(uscc)[:18], Subject.merged_into.is_(None)
        )
    )
    found = (
        session.scalar(
            select(ReportAuthorisation).where(
                ReportAuthorisation.code_hash == _hash(code),
                ReportAuthorisation.subject_id == subject.id,
            )
        )
        if subject is not None and code.strip()
        else None
    )
    if found is None:
        raise _invalid()
    taken = session.execute(
        update(ReportAuthorisation)
        .where(
            ReportAuthorisation.id == found.id,
            ReportAuthorisation.revoked_at.is_(None),
            ReportAuthorisation.expires_at > now,
            ReportAuthorisation.uses_left > 0,
        )
        .values(uses_left=ReportAuthorisation.uses_left - 1)
    )
    if taken.rowcount != 1:  # type: ignore[attr-defined]
        raise _invalid()
    covered = scopes.Scope.from_json(found.scope)
    owner = Principal(actor=found.created_by, name=found.grantee, subject_id=found.subject_id)
    request = service.ReportRequest(
        found.subject_id, found.kind, list(covered.sections), covered.starts_on, covered.ends_on
    )
    report = service.issue(session, owner, request)
    session.add(AuthorisedReport(report_id=report.id, authorisation_id=found.id))
    detail = {"grantee": found.grantee, "number": report.number}
    audit.write(session, found.created_by, USE, "report_authorisation", found.id, detail)
    session.expire(found)
    return service.download(session, owner, report.id)
