"""`repair.yaml`: which catalog items' records may be repaired on this platform and who decides
(谁认定、谁修复), which may not and why, how the applicant's answer period runs while it hands
in missing materials, and the 信用修复承诺书 the applicant signs."""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from xinyong.policy.schemas.common import Sourced


class RepairableItem(Sourced):
    """One catalog item under the repair rule: repairable here (decided by the department that
    made the record; for a list entry, the listing department, whose entry it is — `removes_
    list_entry`), or not, with the reason the subject reads."""

    item: str
    repairable: bool
    removes_list_entry: bool = False  # approval removes the entry (移出) through lists
    reason: str | None = None  # why not, for the subject (where to go instead)

    @model_validator(mode="after")
    def _reason_when_not(self) -> RepairableItem:
        if not self.repairable and not self.reason:
            raise ValueError("an item that cannot be repaired here says why (`reason`)")
        if self.removes_list_entry and not self.repairable:
            raise ValueError("only a repairable item removes a list entry")
        return self


class Commitment(Sourced):
    """The 信用修复承诺书: its text (shown and downloadable as the template) and what the
    applicant confirms by ticking the box."""

    title: str = Field(min_length=1)
    text: str = Field(min_length=1)
    declaration: str = Field(min_length=1)


class AnswerPeriod(Sourced):
    """From when the platform's answer period (10 working days) runs when the application was
    incomplete: from the complete application (`complete_application`: it starts again once
    the missing materials are in) or from the first receipt (`receipt`)."""

    counted_from: Literal["complete_application", "receipt"]


class RepairPolicy(Sourced):
    items: list[RepairableItem] = Field(min_length=1)
    # What a record of an item this file does not name is told: it is no 失信 information.
    not_concerned: str = Field(min_length=1)
    commitment: Commitment
    answer_period: AnswerPeriod
    # The identity documents window staff record for the person filing (its number masked).
    document_types: list[str] = Field(min_length=1)

    def rule_for(self, item_code: str) -> RepairableItem | None:
        return next((i for i in self.items if i.item == item_code), None)
