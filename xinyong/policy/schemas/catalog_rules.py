"""The cross-field rules a catalog item lists under `rules:` (`kind` tells them apart), each
with the text it comes from."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from xinyong.policy.schemas.common import PolicyModel, Sourced


class RuleBase(Sourced):
    message: str | None = None  # overrides the default Chinese message


class DateOrderRule(RuleBase):
    """`before` must not be later than `after` (both date fields)."""

    kind: Literal["date_order"]
    before: str
    after: str


class NotFutureRule(RuleBase):
    """A date field must not be later than the day the record is received."""

    kind: Literal["not_future"]
    field: str


class Contains(PolicyModel):
    field: str
    contains: str


class RequiredIfRule(RuleBase):
    """`field` is required when the code-list field `when.field` holds `when.contains`."""

    kind: Literal["required_if"]
    field: str
    when: Contains


class RequiredIdentifier(PolicyModel):
    """For counterparts of the kinds in `when`, `field` must be present and pass `check`
    (only when `document_type_field` holds one of `document_types`, if those are given)."""

    when: list[str] = Field(min_length=1)
    field: str
    check: Literal["uscc", "id_number", "present"] = "present"
    document_type_field: str | None = None
    document_types: list[str] = []


class IdentifierForSubjectTypeRule(RuleBase):
    kind: Literal["identifier_for_subject_type"]
    type_field: str
    identifiers: list[RequiredIdentifier] = Field(min_length=1)


class AmountAgreesWithTextRule(RuleBase):
    """An amount field must not differ by about ×10,000 from an amount `text_field` states
    (罚款四百元 beside 400 in a 万元 field): the clerk sent 元 where 万元 was meant."""

    kind: Literal["amount_agrees_with_text"]
    field: str
    text_field: str
    # Only amounts the text states after this word count (罚款 for the fine, 没收 for the
    # confiscation): a decision text that fines 586,000元 says nothing of a 75元 confiscation.
    after: str | None = None


class CategoryFromCodeRule(RuleBase):
    """When the code-list field `field` is empty, it is derived from the counterpart's code:
    a USCC by its first two characters (else `uscc_default`), an ID number as `id_number`."""

    kind: Literal["category_from_code"]
    field: str
    uscc_field: str
    by_uscc_prefix: dict[str, str] = {}
    uscc_default: str
    id_number_field: str | None = None
    id_number: str | None = None


Rule = Annotated[
    DateOrderRule
    | NotFutureRule
    | RequiredIfRule
    | IdentifierForSubjectTypeRule
    | AmountAgreesWithTextRule
    | CategoryFromCodeRule,
    Field(discriminator="kind"),
]
