"""Verifying a report (public, no account): its number says which report it is and what it
covers — the subject (a person's name and ID number masked), kind, scope, issue time — and its
SHA-256; a file uploaded or a hash typed matches or does not. Only the `reports` row is read,
so a verification years later works whatever happened to the data since (decision 0017).

Numbers are read leniently and checked (check character) before the database is asked; a
made-up number is 未找到. The number format and this answer are what a check receipt reuses."""

from __future__ import annotations

import hashlib
import hmac
import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.errors import DomainError, NotFound
from xinyong.measures import receipts
from xinyong.measures.models import Check, CheckBatch, CheckReceipt
from xinyong.policy import load_policy
from xinyong.reports import scope as scopes
from xinyong.reports.content import period_text
from xinyong.reports.models import Report
from xinyong.reports.numbers import normalised
from xinyong.subjects.models import Subject

HEX = re.compile(r"^[0-9a-f]{64}$")
MAX_UPLOAD = 20 << 20  # a report is well under 1 MB; a bigger upload is not one of ours


@dataclass(frozen=True)
class Verification:
    number: str
    kind_name: str
    subject_name: str  # a natural person's masked
    subject_code: str | None  # USCC, or a person's masked ID number
    subject_type: str
    sections: list[str]
    period: str
    as_of: datetime
    issued_at: datetime
    sha256: str
    size: int
    matches: bool | None  # None: nothing was given to compare
    # A check receipt (联合奖惩核查结果): `sections` are the lists it found, `period` its matter.
    receipt: bool = False


def unknown(number: str) -> NotFound:
    return NotFound(f"未找到编号为 {number[:40]} 的信用报告，请核对编号", "reports.number_unknown")


def verify(
    session: Session,
    number: str,
    sha256: str | None = None,
    content: bytes | None = None,
) -> Verification:
    """The report numbered `number` and whether `content` (a file) or `sha256` (typed) is it."""
    rule = load_policy().reports.number
    if (receipt_number := normalised(number, rule.receipt_prefix)) is not None:
        return _receipt(session, number, receipt_number, _given_hash(sha256, content))
    stored = normalised(number, rule.prefix)
    if stored is None:
        raise unknown(number)
    report = session.scalar(select(Report).where(Report.number == stored))
    if report is None:
        raise unknown(number)
    given = _given_hash(sha256, content)
    name, code, subject_type = receipts.shown_subject(session.get_one(Subject, report.subject_id))
    kind = scopes.kind_named(report.kind)
    covered = scopes.Scope.from_json(report.scope)
    titles = {s.code: s.title for s in kind.sections}
    return Verification(
        number=report.number,
        kind_name=kind.name,
        subject_name=name,
        subject_code=code,
        subject_type=subject_type,
        sections=[titles.get(c, c) for c in covered.sections],
        period=period_text(covered),
        as_of=report.as_of,
        issued_at=report.issued_at,
        sha256=report.sha256,
        size=report.size,
        matches=None if given is None else hmac.compare_digest(given, report.sha256),
    )


def _receipt(session: Session, typed: str, number: str, given: str | None) -> Verification:
    kept = session.scalar(select(CheckReceipt).where(CheckReceipt.number == number))
    if kept is None:
        raise NotFound(
            f"未找到编号为 {typed[:40]} 的核查结果凭证，请核对编号", "reports.number_unknown"
        )
    answered = session.get_one(Check, kept.check_id)
    asked = session.get_one(CheckBatch, answered.batch_id)
    name, code, subject_type = receipts.subject_line(session, answered)
    matter = load_policy().matters.get(asked.matter)
    return Verification(
        number=kept.number,
        kind_name="联合奖惩核查结果",
        subject_name=name,
        subject_code=code,
        subject_type=subject_type or "未识别",
        sections=[listed.name for listed in receipts.found_lists(answered)],
        period=matter.name if matter else asked.matter,
        as_of=asked.as_of,
        issued_at=kept.issued_at,
        sha256=kept.sha256,
        size=kept.size,
        matches=None if given is None else hmac.compare_digest(given, kept.sha256),
        receipt=True,
    )


def _given_hash(sha256: str | None, content: bytes | None) -> str | None:
    if content is not None:
        if len(content) > MAX_UPLOAD:
            raise DomainError(
                f"文件超过 {MAX_UPLOAD >> 20} MB，不是本平台出具的报告", "reports.upload"
            )
        return hashlib.sha256(content).hexdigest()
    if sha256 is None or not sha256.strip():
        return None
    typed = re.sub(r"\s+", "", sha256).lower()
    if not HEX.match(typed):
        raise DomainError("SHA-256 摘要应为 64 位十六进制字符（0-9、a-f）", "reports.sha256")
    return typed
