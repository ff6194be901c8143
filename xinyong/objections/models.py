"""An objection case: a subject disputes one record of its own (or its basic information), a
case of the `objection` kind (`policy/cases/objection.yaml` declares its states and steps)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import ClassVar

from xinyong.cases import kinds
from xinyong.cases.models import Case, Detail

KIND = "objection"


class ObjectionState(StrEnum):
    """The states the objection code names; labels and steps are the policy's."""

    RECEIVED = "received"
    FORWARDED = "forwarded"
    CORRECTED = "corrected"
    SUPPLEMENTED = "supplemented"
    DELETED = "deleted"
    STOPPED = "stopped"
    DELISTED = "delisted"
    KEPT = "kept"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return kinds.kind(KIND).state(self.value).label


# outcome step → what it does to the record (the policy's transition names)
OUTCOMES = ("correct", "supplement", "delete", "stop", "delist", "keep")


class ObjectionCase(Case):
    """`record_id` is the disputed record (None: the subject's basic information, then `field`
    names what is disputed). A correction's new version is `corrected_record_id`."""

    category: Detail[str] = Detail()  # the policy's reason category code (信息错误 …)
    field: Detail[str | None] = Detail()
    statement: Detail[str] = Detail()
    # Filed at a window on the subject's behalf: who the applicant is (its ID number masked).
    filed_for: Detail[dict[str, str] | None] = Detail()
    forwarded_at: Detail[datetime | None] = Detail(datetime.fromisoformat)
    outcome: Detail[str | None] = Detail()  # the outcome step taken
    reasons: Detail[str | None] = Detail()  # told to the applicant
    corrected_record_id: Detail[int | None] = Detail()

    required_states: ClassVar[frozenset[str]] = frozenset(s.value for s in ObjectionState)
    required_transitions: ClassVar[frozenset[str]] = frozenset(
        {"file", "forward", "withdraw", *OUTCOMES}
    )
    __mapper_args__ = {"polymorphic_identity": KIND}  # noqa: RUF012  (read by SQLAlchemy)

    @property
    def on_basic_information(self) -> bool:
        return self.record_id is None
