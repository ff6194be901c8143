"""A listing case: one subject going through the listing procedure of one list type, a case
of the `listing` kind (`policy/cases/listing.yaml` declares its states and steps)."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import ClassVar

from xinyong.cases import kinds
from xinyong.cases.models import Case, Detail

KIND = "listing"


class CaseStatus(StrEnum):
    """The states the listing code names; their labels and the steps between them are the
    policy's (the engine checks at first use that the policy declares exactly these)."""

    PROPOSED = "proposed"
    NOTIFIED = "notified"
    LISTED = "listed"
    REMOVED = "removed"
    DROPPED = "dropped"

    @property
    def label(self) -> str:
        return kinds.kind(KIND).state(self.value).label


class ListCase(Case):
    """Every step is in the case's log and the audit log; once listed, the entry itself is
    the record `record_id` (published, expired, repaired or removed like any record)."""

    list_type: Detail[str] = Detail()
    document_number: Detail[str] = Detail()
    reason: Detail[str] = Detail()
    legal_basis: Detail[str] = Detail()
    notified_at: Detail[datetime | None] = Detail(datetime.fromisoformat)
    # The period the subject was given, kept after the running deadline (`due`) ends.
    statement_due: Detail[date | None] = Detail(date.fromisoformat)
    statement: Detail[str | None] = Detail()  # what the subject said in its defence
    listed_on: Detail[date | None] = Detail(date.fromisoformat)
    close_reason: Detail[str | None] = Detail()

    required_states: ClassVar[frozenset[str]] = frozenset(s.value for s in CaseStatus)
    required_transitions: ClassVar[frozenset[str]] = frozenset(
        {"propose", "notify", "statement", "enter", "drop", "remove"}
    )
    __mapper_args__ = {"polymorphic_identity": KIND}  # noqa: RUF012  (read by SQLAlchemy)

    @property
    def status(self) -> str:
        return self.state

    @property
    def proposed_at(self) -> datetime:
        return self.opened_at

    @property
    def status_label(self) -> str:
        return CaseStatus(self.state).label

    @property
    def next_steps(self) -> list[tuple[str, str]]:
        """(step, Chinese label) of the steps the procedure allows from here."""
        return [(t.name, t.label) for t in kinds.kind(KIND).next_steps(self.state)]
