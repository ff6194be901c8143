"""The printed 联合奖惩核查结果 of a check (issue 17): the window clerk attaches it to the file.
Numbered like a credit report (`reports.numbers`, the receipt prefix) and kept as first printed,
so every reprint is the same file and the number verifies at `/verify` (decision 0017). It
says what the check answered then: who asked, about whom, for which matter, when and as of
when, the lists found and the measures with their legal basis — never more than the
department that made the check was told."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.auth import audit, permissions
from xinyong.auth.models import Department
from xinyong.auth.permissions import Target
from xinyong.auth.principal import Principal
from xinyong.codes import mask_person_name, mask_personal_numbers
from xinyong.documents.pdf import PdfFile, pdf_created, render_pdf
from xinyong.errors import DomainError, NotFound
from xinyong.measures.models import Check, CheckBatch, CheckReceipt
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.reports.content import qr_svg, verify_page, verify_url
from xinyong.reports.numbers import new_number
from xinyong.subjects.models import Subject
from xinyong.subjects.status import status_label

TEMPLATE = "reports/check_receipt.html"
ATTEMPTS = 5  # new numbers drawn when one is taken (60 random bits: never in practice)


@dataclass(frozen=True)
class Listed:
    name: str
    kind: str  # 黑名单 / 红名单 / 重点关注名单


@dataclass(frozen=True)
class Measured:
    code: str
    text: str
    kind: str  # 惩戒 / 激励
    bases: list[str]


def missing(check_id: int) -> NotFound:
    return NotFound(f"核查记录不存在：{check_id}", "checks.not_found")


def receipt(session: Session, principal: Principal, check_id: int) -> PdfFile:
    """The check's receipt, printed the first time it is asked for and the same file after:
    only the department (its system or staff) that made the check gets it; to anyone else the
    check does not exist."""
    permissions.require(session, principal, "checks.receipt")  # by role first: ids unknown
    answered = session.get(Check, check_id)
    asked = session.get(CheckBatch, answered.batch_id) if answered else None
    if answered is None or asked is None:
        raise missing(check_id)
    made = Target("check", check_id, asked.department_id, made_by=asked.actor)
    permissions.require(session, principal, "checks.receipt", made, unseen=missing(check_id))
    kept = session.get(CheckReceipt, check_id)
    if kept is None:
        kept = _print(session, principal, answered, asked)
    audit.write(
        session, principal.actor, "checks.receipt", "check", check_id, {"number": kept.number}
    )
    return PdfFile(f"联合奖惩核查结果{kept.number}.pdf", kept.content, "receipt.pdf")


def _print(
    session: Session, principal: Principal, answered: Check, asked: CheckBatch
) -> CheckReceipt:
    rule = load_policy().reports.number
    now = clock.now()
    year = now.astimezone(clock.SHANGHAI).year
    for _attempt in range(ATTEMPTS):
        number = new_number(rule.receipt_prefix, year, rule.random_length)
        pdf = render_pdf(TEMPLATE, _context(session, answered, asked, number, now))
        kept = CheckReceipt(
            check_id=answered.id,
            number=number,
            issued_at=now,
            issued_by=principal.actor,
            sha256=hashlib.sha256(pdf).hexdigest(),
            size=len(pdf),
            content=pdf,
        )
        try:
            with session.begin_nested():
                session.add(kept)
                session.flush()
        except IntegrityError:
            # The number was taken, or another print of the check won: that one is the receipt.
            if (first := session.get(CheckReceipt, answered.id)) is not None:
                return first
            continue
        return kept
    raise DomainError("凭证编号冲突，请稍后重试", "reports.busy")


def subject_line(session: Session, answered: Check) -> tuple[str, str | None, str | None]:
    """The subject's name, code and type as a receipt or its verification shows them: a
    person's name and ID number masked; an unidentified key as it was asked (masked)."""
    subject = session.get(Subject, answered.subject_id) if answered.subject_id else None
    if subject is None:
        return mask_personal_numbers(answered.identifier), None, None
    return shown_subject(subject)


def shown_subject(subject: Subject) -> tuple[str, str | None, str]:
    """A subject's name, code and type as a public document shows them: a person's name and
    ID number masked, an organisation's name and USCC."""
    if subject.subject_type == SubjectType.NATURAL_PERSON.value:
        return (
            mask_person_name(subject.name),
            subject.id_number_masked,
            SubjectType.NATURAL_PERSON.label,
        )
    return subject.name, subject.uscc, SubjectType(subject.subject_type).label


def found_lists(answered: Check) -> list[Listed]:
    types = load_policy().list_types
    kinds = {"black": "黑名单", "red": "红名单", "focus": "重点关注名单"}
    shown = []
    for code in answered.lists:
        known = types.get(code)
        shown.append(Listed(known.name, kinds[known.kind]) if known else Listed(code, ""))
    return shown


def _measures(answered: Check) -> list[Measured]:
    measures = load_policy().measures
    shown = []
    for code in answered.measures:
        known = measures.get(code)
        if known is None:  # withdrawn from the policy since: said by its code
            shown.append(Measured(code, code, "", []))
            continue
        bases = list(dict.fromkeys(b.text for b in known.bases))
        shown.append(Measured(code, known.text, known.kind_label, bases))
    return shown


def _context(
    session: Session, answered: Check, asked: CheckBatch, number: str, now: object
) -> dict[str, object]:
    policy = load_policy()
    name, code, subject_type = subject_line(session, answered)
    subject = session.get(Subject, answered.subject_id) if answered.subject_id else None
    department = session.get(Department, asked.department_id) if asked.department_id else None
    matter = policy.matters.get(asked.matter)
    url = verify_url(number)
    return {
        "number": number,
        "created": pdf_created(now),  # type: ignore[arg-type]
        "issued_at": now,
        "subject_name": name,
        "subject_code": code,
        "subject_type": subject_type,
        "subject_status": status_label(subject.status) if subject else None,
        "identifier": mask_personal_numbers(answered.identifier),
        "matter": matter.name if matter else asked.matter,
        "department": department.name if department else "—",
        "asked_at": asked.asked_at,
        "as_of": asked.as_of,
        "lists": found_lists(answered),
        "measures": _measures(answered),
        "hit": answered.hit,
        "issuer": policy.reports.issuer,
        "statement": policy.reports.statements.receipt,
        "verify_page": verify_page(),
        "qr": qr_svg(url),
    }
