"""A subject's registration status (`subjects.status`) and its Chinese label: the one table every
page and answer reads, so 注销 or 吊销 is marked alike wherever the subject appears."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SubjectStatus:
    code: str  # as stored in subjects.status
    label: str
    ended: bool  # no longer carrying on: marked on every page (issue 15)


# 登记状态 as the registration authorities publish it; "active" is what a subject has until a
# registration record says otherwise.
STATUSES: dict[str, SubjectStatus] = {
    s.code: s
    for s in (
        SubjectStatus("active", "存续", False),
        SubjectStatus("operating", "在业", False),
        SubjectStatus("revoked", "吊销", True),
        SubjectStatus("cancelled", "注销", True),
        SubjectStatus("moved_out", "迁出", True),
        SubjectStatus("withdrawn", "撤销", True),
    )
}


def subject_status(code: str | None) -> SubjectStatus:
    """The status of a stored code; a code this table lacks is shown as stored and marked,
    rather than passed off as 存续."""
    if code is None:
        return STATUSES["active"]
    return STATUSES.get(code) or SubjectStatus(code, code, True)
