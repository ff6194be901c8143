"""`reports.yaml`: the credit report kinds (信用报告 of an organisation or a person, the
专项信用报告 that replaces 无违法违规记录证明), the sections each lists with the catalog items
behind them, their wording, the report number's form and the free-reports option."""

from __future__ import annotations

import string
from typing import Literal

from pydantic import Field, field_validator, model_validator

from xinyong.policy.schemas.common import CODE_PATTERN, PolicyModel, Sourced

ACTION_PATTERN = r"^reports\.[a-z][a-z_]*$"
STATEMENT_FIELDS = {"verify_url"}


class ReportNumber(Sourced):
    """XYBG + year + `random_length` Crockford Base32 characters + one check character."""

    prefix: str = Field(pattern=r"^[A-Z]{2,8}$")
    receipt_prefix: str = Field(pattern=r"^[A-Z]{2,8}$")  # a check receipt's (联合奖惩核查结果)
    random_length: int = Field(ge=10, le=20)  # ≥ 50 bits: numbers cannot be counted through

    @model_validator(mode="after")
    def _prefixes_apart(self) -> ReportNumber:
        if self.prefix.startswith(self.receipt_prefix) or self.receipt_prefix.startswith(
            self.prefix
        ):
            raise ValueError("`prefix` and `receipt_prefix` must not begin one another")
        return self


class FreeReports(Sourced):
    """河南 条例 第四十条: own reports free `per_year` times a calendar year (None: no limit)."""

    per_year: int | None = Field(default=None, ge=1)


class Period(Sourced):
    """The time range a report covers: decisions from `from` to `to`, at most `max_years`."""

    required: bool = False
    default_years: int | None = Field(default=None, ge=1)
    max_years: int = Field(ge=1, le=5)

    @model_validator(mode="after")
    def _default_within(self) -> Period:
        if self.required and self.default_years is None:
            raise ValueError("a required period needs its default_years")
        if self.default_years is not None and self.default_years > self.max_years:
            raise ValueError("default_years is at most max_years")
        return self


class Section(PolicyModel):
    """One domain of a report: the catalog items whose records it lists, and what it says when
    there are none. No items: the platform does not collect that domain (`uncollected`)."""

    code: str = Field(pattern=CODE_PATTERN)
    title: str = Field(min_length=1)
    items: list[str]
    empty: str = Field(min_length=1)
    uncollected: str | None = None

    @model_validator(mode="after")
    def _uncollected_without_items(self) -> Section:
        if not self.items and not self.uncollected:
            raise ValueError("a section without items says why (`uncollected`)")
        return self


class ReportKind(Sourced):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    title: str = Field(min_length=1)
    subtitle: str = ""
    subjects: Literal["organisation", "person", "any"]
    action: str = Field(pattern=ACTION_PATTERN)  # the permission that gives it (permissions.yaml)
    default: bool = False  # the kind a subject of its type gets when none is named
    evaluation: bool = False  # shows the grade where the model's visible_to lets the reader
    period: Period
    intro: str = ""
    sections: list[Section] = Field(min_length=1)

    @field_validator("sections")
    @classmethod
    def _distinct(cls, value: list[Section]) -> list[Section]:
        codes = [s.code for s in value]
        if len(set(codes)) != len(codes):
            raise ValueError("section codes are unique within a kind")
        return value

    def section(self, code: str) -> Section | None:
        return next((s for s in self.sections if s.code == code), None)


class Statements(Sourced):
    sources: str = Field(min_length=1)
    objection: str = Field(min_length=1)
    validity: str = Field(min_length=1)
    receipt: str = Field(min_length=1)  # closes a check receipt

    @field_validator("sources", "objection", "validity", "receipt")
    @classmethod
    def _known_fields(cls, value: str) -> str:
        try:
            names = {n for _t, n, _s, _c in string.Formatter().parse(value) if n}
        except ValueError as exc:
            raise ValueError(f"bad text: {exc}") from exc
        if names - STATEMENT_FIELDS:
            raise ValueError(f"unknown placeholder {{{sorted(names - STATEMENT_FIELDS)[0]}}}")
        return value


class Authorisations(Sourced):
    """A subject's authorisation code (授权码) for a third party's 专项信用报告: of `kind`, valid
    for at most `max_days` (`default_days` unless chosen) and `max_uses` reports."""

    kind: str = Field(pattern=CODE_PATTERN)
    default_days: int = Field(ge=1)
    max_days: int = Field(ge=1, le=366)
    max_uses: int = Field(ge=1, le=100)

    @model_validator(mode="after")
    def _default_within(self) -> Authorisations:
        if self.default_days > self.max_days:
            raise ValueError("`default_days` exceeds `max_days`")
        return self


class ReportsPolicy(Sourced):
    issuer: str = Field(min_length=1)
    number: ReportNumber
    free_own_reports: FreeReports
    authorisations: Authorisations
    public_reuse_minutes: int = Field(ge=0, le=24 * 60)
    public_reuse_source: str
    public_reuse_verified: bool
    statements: Statements
    kinds: list[ReportKind] = Field(min_length=1)

    @field_validator("kinds")
    @classmethod
    def _distinct_kinds(cls, value: list[ReportKind]) -> list[ReportKind]:
        codes = [k.code for k in value]
        if len(set(codes)) != len(codes):
            raise ValueError("kind codes are unique")
        return value

    @model_validator(mode="after")
    def _authorised_kind_exists(self) -> ReportsPolicy:
        if self.kind(self.authorisations.kind) is None:
            raise ValueError(f"authorisations.kind '{self.authorisations.kind}' is no kind")
        return self

    def kind(self, code: str) -> ReportKind | None:
        return next((k for k in self.kinds if k.code == code), None)
