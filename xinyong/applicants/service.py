"""Activation codes and applicant accounts: issue a code to a subject, activate an account
with it, sign in, and the applicant's home (its subject as the public sees it).

A code is 12 characters from an alphabet without 0/O/1/I (read off paper without doubt),
printed as XXXX-XXXX-XXXX; only its HMAC under `Settings.derived_key("activation-code")` is
stored, so a copy of the database opens no account. A code that is not known counts as a
failed login of the caller's address (the staff login's throttle), so guessing is stopped;
a real code that is used or expired does not count: its holder has the document in hand.

A province's unified login (OIDC) would return the subject's USCC or ID number in a claim;
it would plug in beside `authenticate_applicant` (docs/operations.md), not replace the codes."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import unicodedata
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.applicants.models import USERNAME_LENGTH, ActivationCode, Applicant
from xinyong.auth import audit, permissions
from xinyong.auth import service as auth
from xinyong.auth.principal import Principal
from xinyong.config import get_settings
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound
from xinyong.notices.served import Served, served_on
from xinyong.policy import load_policy
from xinyong.publication.archive import Archive, archive
from xinyong.subjects.models import Subject

ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # no 0/O, no 1/I
CODE_LENGTH = 12
GROUP = 4
ISSUE = "applicants.issue_code"


def new_code() -> str:
    """A fresh code as printed: XXXX-XXXX-XXXX (60 bits)."""
    plain = "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))
    return "-".join(plain[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def normalised(code: str) -> str:
    """The code as typed, without separators or spaces, full-width folded, upper case."""
    folded = unicodedata.normalize("NFKC", code).upper()
    return "".join(c for c in folded if c.isalnum())[: CODE_LENGTH * 2]


def code_hash(code: str) -> str:
    key = get_settings().derived_key("activation-code")
    return hmac.new(key, normalised(code).encode(), hashlib.sha256).hexdigest()


def issue_code(session: Session, principal: Principal, subject: Subject, purpose: str) -> str:
    """A new code for `subject`, returned once (printed on a document or handed over at the
    window). Authorised by role: a subject is no department's object."""
    permissions.require(session, principal, "applicants.issue_code")
    rule = load_policy().applicants.activation_code
    if purpose not in rule.purposes:
        allowed = "、".join(rule.purposes)
        raise DomainError(f"激活码用途须为：{allowed}", "applicants.purpose_unknown")
    plain, now = new_code(), clock.now()
    entry = ActivationCode(
        subject_id=subject.id,
        code_hash=code_hash(plain),
        purpose=purpose,
        issued_by=principal.actor,
        issued_at=now,
        expires_at=now + rule.lifetime,
    )
    session.add(entry)
    session.flush()
    detail = {"code_id": entry.id, "purpose": purpose, "expires_at": entry.expires_at.isoformat()}
    audit.write(session, principal.actor, ISSUE, "subject", subject.id, detail)
    return plain


class ActivationRefused(DomainError):
    """The code does not open an account: unknown, already used or expired."""


def activate(
    session: Session, code: str, username: str, password: str, address: str | None = None
) -> Applicant:
    """Open an account bound to the code's subject and use the code up. An unknown code is
    counted as a failed login of `address`; past the limit it raises `auth.LoginThrottled`.
    Commits here, so a refused attempt stays counted and audited."""
    counted = f"activation:{address or '-'}"
    with committing(session):
        lock = auth.throttle(session, counted, address)
        if lock is not None:
            detail = {"by": lock[0], "until": lock[1].isoformat(), "address": address}
            audit.write(session, "anonymous", "applicant.activation_throttled", None, None, detail)
        else:
            found = session.scalar(
                select(ActivationCode).where(ActivationCode.code_hash == code_hash(code))
            )
            refusal = _refusal(found)
            if refusal is None and found is not None:
                return _open_account(session, found, username, password)
            detail = {"address": address, "reason": refusal.code if refusal else None}
            target = found.subject_id if found else None
            audit.write(
                session, "anonymous", "applicant.activation_failure", "subject", target, detail
            )
            if found is None:
                auth.count_failure(session, auth.counted_name(counted), address)
    if lock is not None:
        raise auth.LoginThrottled(lock[1])
    assert refusal is not None
    raise refusal


def _refusal(found: ActivationCode | None) -> ActivationRefused | None:
    if found is None:
        return ActivationRefused("激活码不正确，请核对告知书上的激活码", "applicants.code_invalid")
    if found.used_at is not None:
        return ActivationRefused(
            "该激活码已使用，请直接登录或重新申领激活码", "applicants.code_used"
        )
    if found.expires_at <= clock.now():
        return ActivationRefused("该激活码已过期，请重新申领激活码", "applicants.code_expired")
    return None


def _open_account(
    session: Session, code: ActivationCode, username: str, password: str
) -> Applicant:
    name = username.strip()
    if not 0 < len(name) <= USERNAME_LENGTH or not name.isprintable():
        raise DomainError(
            f"用户名须为不超过 {USERNAME_LENGTH} 个可见字符", "applicants.username_invalid"
        )
    auth.check_password(password)
    if session.scalar(select(Applicant.id).where(Applicant.username == name)):
        raise DomainError(f"用户名已被使用：{name}", "applicants.username_taken")
    now = clock.now()
    applicant = Applicant(
        subject_id=code.subject_id,
        username=name,
        password_hash=auth.hasher().hash(password),
        created_at=now,
    )
    session.add(applicant)
    session.flush()
    # Claimed by a conditional UPDATE: of two activations racing on one code, the second finds
    # it used once the first commits (PostgreSQL re-reads the row) and opens no account.
    claimed = session.execute(
        update(ActivationCode)
        .where(ActivationCode.id == code.id, ActivationCode.used_at.is_(None))
        .values(used_at=now, used_by=applicant.id)
    )
    if claimed.rowcount != 1:  # type: ignore[attr-defined]
        raise ActivationRefused(
            "该激活码已使用，请直接登录或重新申领激活码", "applicants.code_used"
        )
    detail = {"code_id": code.id, "purpose": code.purpose}
    audit.write(
        session,
        f"applicant:{applicant.id}",
        "applicant.activate",
        "subject",
        code.subject_id,
        detail,
    )
    return applicant


def authenticate_applicant(
    session: Session, username: str, password: str, address: str | None = None
) -> Applicant | None:
    """The applicant whose password this is, or None; throttled and audited like staff login
    (the names are counted apart from staff names). A province's OIDC login would be a second
    way to the same Applicant (docs/operations.md)."""
    name = username.strip()
    counted = auth.counted_name(f"applicant:{name}")
    with committing(session):
        lock = auth.throttle(session, counted, address)
        if lock is None:
            return _verify(session, name, counted, password, address)
        detail = {"by": lock[0], "until": lock[1].isoformat(), "address": address}
        audit.write(session, "anonymous", "applicant.login_throttled", "applicant", counted, detail)
    raise auth.LoginThrottled(lock[1])


def _verify(
    session: Session, name: str, counted: str, password: str, address: str | None
) -> Applicant | None:
    known = 0 < len(name) <= USERNAME_LENGTH and "\x00" not in name
    found = session.scalar(select(Applicant).where(Applicant.username == name)) if known else None
    ok = auth.password_matches(
        found.password_hash if found else auth.unknown_password_hash(), password
    )
    ok = ok and found is not None and found.active
    actor = f"applicant:{found.id}" if found else "anonymous"
    action = "applicant.login_success" if ok else "applicant.login_failure"
    audit.write(session, actor, action, "applicant", counted, {"address": address})
    if not ok or found is None:
        auth.count_failure(session, counted, address)
        return None
    found.last_login_at = clock.now()
    return found


def signed_in_applicant(
    session: Session, applicant_id: object, generation: object
) -> Applicant | None:
    """The applicant an applicant session belongs to while it holds (same generation, active)."""
    if not isinstance(applicant_id, int) or isinstance(applicant_id, bool):
        return None
    found = session.get(Applicant, applicant_id)
    if found is None or not found.active or found.session_generation != generation:
        return None
    return found


def end_sessions(session: Session, applicant: Applicant) -> None:
    applicant.session_generation += 1
    audit.write(session, f"applicant:{applicant.id}", "applicant.logout", "applicant", applicant.id)


@dataclass(frozen=True)
class Home:
    """The applicant's home: its subject's name, its archive as the public sees it (None
    while the public cannot find it, e.g. a person with nothing published), and the
    信用修复告知书 served on it (each a PDF with its activation code)."""

    subject_name: str
    archive: Archive | None
    notices: list[Served]


def home(session: Session, principal: Principal) -> Home:
    if principal.subject_id is None:
        raise NotFound("未找到申请人账号", "applicants.not_found")
    subject = session.get(Subject, principal.subject_id)
    if subject is None:
        raise NotFound("未找到申请人账号", "applicants.not_found")
    try:
        shown: Archive | None = archive(session, principal, subject.id)
    except NotFound:
        shown = None
    return Home(subject.name, shown, served_on(session, principal))


# --- codes printed on the platform's own documents ------------------------------------------


def derived_code(document_number: str) -> str:
    """The code a document carries, derived from its number under the platform's key: the
    same on every reprint, so nothing but its HMAC needs keeping, and unknowable without the
    key (60 bits, like a random code)."""
    key = get_settings().derived_key("document-activation-code")
    digest = hmac.new(key, document_number.encode(), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:8], "big")
    plain = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))
    return "-".join(plain[i : i + GROUP] for i in range(0, CODE_LENGTH, GROUP))


def store_document_code(
    session: Session,
    actor: str,
    subject_id: int,
    code: str,
    purpose: str,
    expires_at: datetime,
) -> ActivationCode:
    """Keep the HMAC of a code printed on a document the caller issues (and authorised), for
    its subject; audited as an issue, with the purpose checked against applicants.yaml."""
    rule = load_policy().applicants.activation_code
    if purpose not in rule.purposes:
        allowed = "、".join(rule.purposes)
        raise DomainError(f"激活码用途须为：{allowed}", "applicants.purpose_unknown")
    entry = ActivationCode(
        subject_id=subject_id,
        code_hash=code_hash(code),
        purpose=purpose,
        issued_by=actor,
        issued_at=clock.now(),
        expires_at=expires_at,
    )
    session.add(entry)
    session.flush()
    detail = {"code_id": entry.id, "purpose": purpose, "expires_at": expires_at.isoformat()}
    audit.write(session, actor, ISSUE, "subject", subject_id, detail)
    return entry
