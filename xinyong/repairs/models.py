"""A repair case: one subject asking that one record of it stop being published, a case of
the `repair` kind (`policy/cases/repair.yaml` declares its states and steps)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from xinyong.cases import kinds
from xinyong.cases.models import Case, Detail

KIND = "repair"


class RepairState(StrEnum):
    """The states the repair code names; labels and steps are the policy's."""

    APPLIED = "applied"
    INCOMPLETE = "incomplete"
    FORWARDED = "forwarded"
    APPROVED = "approved"
    REFUSED = "refused"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return kinds.kind(KIND).state(self.value).label


class Channel(StrEnum):
    ONLINE = "online"  # the applicant's own account
    WINDOW = "window"  # window staff (or a department's counter) filing on its behalf
    SYSTEM = "system"  # a window or department system over the API


class RepairCase(Case):
    """The record repaired is `record_id`; the case's department is the one that decides it
    (谁认定、谁修复). Who filed it and with which identity document (masked) is kept here."""

    item_code: Detail[str] = Detail()
    channel: Detail[str] = Detail()
    declaration: Detail[bool] = Detail()  # the applicant confirmed the signed 承诺书
    removes_list_entry: Detail[bool | None] = Detail()
    # Window filing: who came to the window, with which document (the number only masked).
    applicant_name: Detail[str | None] = Detail()
    applicant_document_type: Detail[str | None] = Detail()
    applicant_document_masked: Detail[str | None] = Detail()
    # The one-time list of what was missing when the application was received or checked.
    missing: Detail[list[str] | None] = Detail()
    refusal_reason: Detail[str | None] = Detail()
    refusal_explanation: Detail[str | None] = Detail()
    decided_at: Detail[datetime | None] = Detail(datetime.fromisoformat)

    required_states: ClassVar[frozenset[str]] = frozenset(s.value for s in RepairState)
    required_transitions: ClassVar[frozenset[str]] = frozenset(
        {
            "apply",
            "hold",
            "ask_supplement",
            "supplement",
            "forward",
            "approve",
            "refuse",
            "decline",
            "withdraw",
        }
    )
    __mapper_args__ = {"polymorphic_identity": KIND}  # noqa: RUF012  (read by SQLAlchemy)

    @property
    def state_label(self) -> str:
        return RepairState(self.state).label
