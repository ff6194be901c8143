"""The progress query for people without an account: a case number and its query code, both
printed on the receipt a window or a notice gives, show the case's kind, state, dates and
deadlines and the labels of its steps — no names, no other data.

The code is derived, not stored: an HMAC of the case id under `Settings.derived_key
("progress-code")`, 8 characters of the activation codes' alphabet (40 bits), so any part can
print it (`progress_code`) and a copy of the database reveals none. A wrong code and a missing
case get the same answer; each miss counts as a failed login of the address and of the case
number (the staff login's throttle), so guessing is stopped long before 2^40."""

from __future__ import annotations

import hashlib
import hmac
import re
import unicodedata
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import clock
from xinyong.applicants.service import ALPHABET, normalised
from xinyong.auth import audit
from xinyong.auth import service as auth
from xinyong.cases import kinds
from xinyong.cases.models import Case, CaseStep
from xinyong.config import get_settings
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound

NUMBER_PREFIX = "XY"
NUMBER_DIGITS = 8
CODE_LENGTH = 8
GROUP = 4
_NUMBER = re.compile(rf"^(?:{NUMBER_PREFIX})?0*(\d{{1,18}})$")
SPECIAL_STEPS = {"suspend": "中止期限", "resume": "恢复期限"}


def case_number(case: Case) -> str:
    """The number a case is known by on receipts and notices: XY00000123."""
    return number_of(case.id)


def number_of(case_id: int) -> str:
    return f"{NUMBER_PREFIX}{case_id:0{NUMBER_DIGITS}d}"


def case_id_of(number: str) -> int | None:
    """The case id a number as typed stands for (XY00000123, xy123, １２３), or None."""
    folded = unicodedata.normalize("NFKC", number).upper()
    match = _NUMBER.match("".join(c for c in folded if c.isalnum()))
    return int(match.group(1)) if match else None


def progress_code(case_id: int) -> str:
    """The query code printed beside the case number: XXXX-XXXX, the same for a case always."""
    key = get_settings().derived_key("progress-code")
    digest = hmac.new(key, f"case:{case_id}".encode(), hashlib.sha256).digest()
    bits = int.from_bytes(digest[:5])  # 40 bits: 8 symbols of a 32-symbol alphabet
    plain = "".join(ALPHABET[(bits >> (5 * i)) & 31] for i in range(CODE_LENGTH))
    return f"{plain[:GROUP]}-{plain[GROUP:]}"


def _code_matches(case_id: int, typed: str) -> bool:
    return hmac.compare_digest(normalised(progress_code(case_id)), normalised(typed))


@dataclass(frozen=True)
class ProgressStep:
    label: str
    on: date  # the day in Beijing


@dataclass(frozen=True)
class Progress:
    number: str
    kind_name: str
    state_label: str
    opened_on: date
    closed_on: date | None
    due: date | None  # the running deadline's last day
    answer_due: date | None  # the day the applicant must have its answer by
    suspended_on: date | None
    steps: list[ProgressStep]


class ProgressThrottled(DomainError):
    status_code = 429

    def __init__(self, retry_at: datetime) -> None:
        shown = (retry_at + timedelta(seconds=59)).astimezone(clock.SHANGHAI)
        super().__init__(
            f"查询失败次数过多，请于 {shown:%Y-%m-%d %H:%M}（北京时间）后再试", "progress.throttled"
        )


NOT_FOUND = "案件编号或查询码不正确，请核对回执上的案件编号和查询码"


def progress(session: Session, number: str, code: str, address: str | None = None) -> Progress:
    """The progress of the case `number` when `code` is its query code; otherwise the same
    NotFound whether the case exists or not. Commits here: a miss stays counted and audited."""
    case_id = case_id_of(number)
    counted = auth.counted_name(f"progress:{case_id if case_id is not None else '-'}")
    with committing(session):
        lock = auth.throttle(session, counted, address)
        if lock is None:
            case = session.get(Case, case_id) if case_id is not None else None
            if case is not None and _code_matches(case.id, code):
                audit.write(
                    session, "anonymous", "progress.view", "case", case.id, {"address": address}
                )
                return _progress(session, case)
            detail = {"address": address, "number": number[:32]}
            audit.write(session, "anonymous", "progress.failure", "case", None, detail)
            auth.count_failure(session, counted, address)
        else:
            detail = {"by": lock[0], "until": lock[1].isoformat(), "address": address}
            audit.write(session, "anonymous", "progress.throttled", "case", None, detail)
    if lock is not None:
        raise ProgressThrottled(lock[1])
    raise NotFound(NOT_FOUND, "progress.not_found")


def _progress(session: Session, case: Case) -> Progress:
    kind = kinds.kind(case.kind)
    steps = session.scalars(
        select(CaseStep).where(CaseStep.case_id == case.id).order_by(CaseStep.id)
    ).all()
    shown = []
    for step in steps:
        transition = kind.transition(step.transition)
        label = transition.label if transition else SPECIAL_STEPS.get(step.transition)
        if label is not None:
            shown.append(ProgressStep(label, _day(step.at)))
    return Progress(
        number=case_number(case),
        kind_name=kind.name,
        state_label=kind.state(case.state).label,
        opened_on=_day(case.opened_at),
        closed_on=_day(case.closed_at) if case.closed_at else None,
        due=case.due if case.is_open else None,
        answer_due=case.answer_due if case.is_open else None,
        suspended_on=case.suspended_on,
        steps=shown,
    )


def _day(moment: datetime) -> date:
    return moment.astimezone(clock.SHANGHAI).date()
