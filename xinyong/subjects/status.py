"""A subject's registration status (`subjects.status`) and its Chinese label: the one table every
page and answer reads, so 注销 or 吊销 is marked alike wherever the subject appears. The codes and
labels are the `registration_status` code list (policy/codelists.yaml), which the registration
records' 登记状态 is read with."""

from __future__ import annotations

import functools
from dataclasses import dataclass

from xinyong.policy import load_policy
from xinyong.policy.loader import on_forget

ACTIVE = "active"  # what a subject is until a registration record says otherwise
# No longer carrying on: marked on every page and in every check (issue 15).
ENDED = frozenset({"revoked", "deregistered", "moved_out", "cancelled"})


@dataclass(frozen=True)
class SubjectStatus:
    code: str  # as stored in subjects.status
    label: str
    ended: bool

    @property
    def mark(self) -> str | None:
        """The mark beside an ended subject's name (已注销, 已吊销…), else None."""
        return f"已{self.label}" if self.ended else None


def subject_status(code: str | None) -> SubjectStatus:
    """The status of a stored code; a code the list lacks is shown as stored and marked,
    rather than passed off as 存续."""
    return _status(code or ACTIVE)


# Every answer of a 100,000-subject check batch and every search hit asks: resolving the code
# through the code list each time cost ≈ 8 µs, ≈ 0.8 s of such a batch.
@functools.lru_cache(maxsize=64)
def _status(code: str) -> SubjectStatus:
    codelist = load_policy().codelists["registration_status"]
    if codelist.resolve(code) != code:
        return SubjectStatus(code, code, True)
    return SubjectStatus(code, codelist.label_of(code), code in ENDED)


on_forget(_status.cache_clear)


def status_label(code: str | None) -> str | None:
    """登记状态 in Chinese; None for no status."""
    return None if code is None else subject_status(code).label


def ended_mark(code: str | None) -> str | None:
    return None if code is None else subject_status(code).mark
