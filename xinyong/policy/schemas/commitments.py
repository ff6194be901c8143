"""`commitments.yaml`: the credit commitment templates (信用承诺书) per type and matter — the
text a subject signs, the matters it applies to, the department that accepts it, who may not
use it (`bars`) and what keeping it means (`fulfilment`). The types are a local taxonomy, not
national categories (DOMAIN.md); their labels are the `commitment_type` code list's."""

from __future__ import annotations

import string
from typing import Literal

from pydantic import Field, field_validator, model_validator

from xinyong.policy.schemas.common import CODE_PATTERN, Duration, Sourced

# What a template's text may name; filled by `xinyong.commitments.service.commitment_text`.
PLACEHOLDERS = frozenset({"name", "code", "matter", "department", "days", "due"})
Severity = Literal["minor", "general", "serious"]


class Bar(Sourced):
    """A reason a subject may not sign (深圳 条例 第五十九条: a serious bad record, an unrepaired
    broken commitment): it holds while a record of `items`, an entry of `list_types` or a
    record of one of `severities` is published now (a repaired or expired one no longer bars)."""

    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)  # the refusal names the bar by it
    items: list[str] = Field(default_factory=list)
    list_types: list[str] = Field(default_factory=list)
    severities: list[Severity] = Field(default_factory=list)

    @model_validator(mode="after")
    def _says_what_bars(self) -> Bar:
        if not (self.items or self.list_types or self.severities):
            raise ValueError("a bar names `items`, `list_types` or `severities`")
        return self


class Fulfilment(Sourced):
    """What keeping the commitment means and by when, in working days from the signing (the
    case kind's `sign` deadline reads it), and what the platform does when the day passes with
    neither fulfilment nor breach recorded: `breach` (the subject had to act: 容缺 materials),
    `fulfil` (the subject had only to refrain: the term passing is the keeping), `wait` (the
    department had to verify: the case stays, overdue, in its queue)."""

    working_days: int = Field(ge=1, le=750)
    label: str = Field(min_length=1)  # 补齐容缺材料
    terms: str = Field(min_length=1)  # the terms, as the subject reads them
    on_due: Literal["breach", "fulfil", "wait"]


class CommitmentTemplate(Sourced):
    code: str = Field(pattern=CODE_PATTERN)
    type: str = Field(min_length=1)  # a `commitment_type` label: 容缺受理型
    name: str = Field(min_length=1)  # 食品经营许可容缺受理信用承诺书
    matters: list[str] = Field(min_length=1)  # the matters it applies to
    # Whose matter: a signing goes to a department whose name ends so (市场监督管理局). None:
    # the caller names it (a repair commitment goes to the department that decided the record).
    department: str | None = Field(default=None, min_length=1)
    text: str = Field(min_length=1, max_length=3500)  # with {name} {code} {matter} ...
    bars: list[str] = Field(default_factory=list)  # codes of `CommitmentsPolicy.bars`
    fulfilment: Fulfilment
    # How long the 信用承诺 record states the commitment is valid (`cn_yxqz`), and so how long it
    # is published (xycn's while_valid rule).
    valid_for: Duration
    online: bool = True  # may the subject sign it itself, online

    @field_validator("text")
    @classmethod
    def _one_paragraph(cls, value: str) -> str:
        """Written over several lines (`|-`); Chinese joins them without a space."""
        return "".join(line.strip() for line in value.splitlines())

    @property
    def placeholders(self) -> set[str]:
        return {name for _, name, _, _ in string.Formatter().parse(self.text) if name is not None}


class BreachRule(Sourced):
    """What a 违背信用承诺 record states as its basis (认定依据), before the template's name."""

    basis: str = Field(min_length=1)


class CommitmentsPolicy(Sourced):
    breach: BreachRule
    bars: list[Bar] = Field(default_factory=list)
    templates: list[CommitmentTemplate] = Field(min_length=1)

    def template(self, code: str) -> CommitmentTemplate | None:
        return next((t for t in self.templates if t.code == code), None)

    def bar(self, code: str) -> Bar | None:
        return next((b for b in self.bars if b.code == code), None)
