"""`evaluation/<model>.yaml`: a 公共信用综合评价 model — the subject types it grades, its
dimensions (一级指标) with their weights, the indicators (二级指标) of each with the records they
read and how they score them, the grade bands, the overrides that cap a grade, and who may see
the results. `xinyong.evaluation` compiles a model to set-based SQL.

How a score is made: every dimension starts at `start` × its full points (weight × `scale`);
each indicator adds its points (negative for 失信, positive for 守信); the dimension is then held
between 0 and its full points; the score is the sum of the dimensions. So every contribution,
the bases and the holds add up to the score exactly."""

from __future__ import annotations

from decimal import Decimal
from typing import Literal

from pydantic import Field, model_validator

from xinyong.policy.enums import Role, SubjectType
from xinyong.policy.schemas.common import CODE_PATTERN, PolicyModel, Sourced

SEVERITIES = ("minor", "general", "serious")


class Step(PolicyModel):
    """Time decay: a record decided within `years` of the evaluation counts × `factor` (the first
    step that holds applies; older than every step: not at all)."""

    years: int = Field(ge=1, le=50)
    factor: Decimal = Field(gt=0, le=1)


class Reads(PolicyModel):
    """Which records an indicator reads: current versions of these items, in force (status) at
    the evaluation's moment, optionally of some severities or with a field among some codes."""

    items: list[str] = Field(min_length=1)
    severities: list[Literal["minor", "general", "serious"]] = []  # empty: any
    field: str | None = None  # a payload field, compared as stored (codes of a code list)
    values: list[str] = []
    statuses: list[Literal["valid", "repaired", "revoked", "expired", "invalid"]] = ["valid"]
    skip_in_objection: bool = True  # a record under objection counts only once it is settled

    @model_validator(mode="after")
    def _field_with_values(self) -> Reads:
        if bool(self.field) != bool(self.values):
            raise ValueError("`field` and `values` go together")
        return self


class Indicator(Sourced):
    """One 二级指标. `each`: `points` per record read (by severity where `by_severity` says,
    decayed by age); `any`: `points` once when at least one record is read; `years_founded`:
    `points` per full year since the subject's 成立日期 (its registration). `cap` bounds the
    indicator's total (same sign as its points)."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    measure: Literal["each", "any", "years_founded"] = "each"
    reads: Reads | None = None
    points: Decimal
    by_severity: dict[Literal["minor", "general", "serious"], Decimal] = {}
    decay: list[Step] = []
    cap: Decimal | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Indicator:
        if (self.measure == "years_founded") == (self.reads is not None):
            raise ValueError("`years_founded` reads the registration; the others need `reads`")
        signs = {p > 0 for p in (self.points, *self.by_severity.values()) if p != 0}
        if len(signs) > 1:
            raise ValueError("an indicator's points all have one sign (a 失信 or a 守信 one)")
        if self.cap is not None and signs and (self.cap > 0) not in signs:
            raise ValueError("`cap` has the sign of the points it bounds")
        if self.decay != sorted(self.decay, key=lambda s: s.years):
            raise ValueError("decay steps go from the most recent years to the oldest")
        return self

    @property
    def positive(self) -> bool:
        return max(self.points, *self.by_severity.values(), Decimal(0)) > 0


class Dimension(PolicyModel):
    """One 一级指标: its share of the score (`weight`) and its indicators."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    weight: Decimal = Field(gt=0, le=1)
    indicators: list[Indicator] = Field(min_length=1)


class Band(PolicyModel):
    grade: str = Field(min_length=1, max_length=8)
    label: str = Field(min_length=1)
    min: Decimal  # the lowest score of the band


class Override(Sourced):
    """A subject with a record of these items in force is graded at most `at_most`."""

    code: str = Field(pattern=CODE_PATTERN)
    items: list[str] = Field(min_length=1)
    at_most: str
    reason: str = Field(min_length=1)


class Visibility(PolicyModel):
    # Staff who may see grades at all (permissions.yaml `evaluation.view` says how far): the
    # departments too, whose 分级分类监管 the grades are for.
    roles: list[Role] = [
        Role.PLATFORM_ADMIN,
        Role.CREDIT_OFFICE,
        Role.REGULATOR,
        Role.DATA_PROVIDER,
    ]
    subject: bool = True  # the subject itself, signed in to its applicant account
    public: bool = False


class EvaluationModel(Sourced):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    version: int = Field(ge=1)
    subject_types: list[SubjectType] = Field(min_length=1)
    scale: Decimal = Field(gt=0)  # full points of the whole score
    start: Decimal = Field(ge=0, le=1)  # the share of each dimension's full points it starts at
    dimensions: list[Dimension] = Field(min_length=1)
    bands: list[Band] = Field(min_length=2)  # best first
    overrides: list[Override] = []
    visible_to: Visibility = Visibility()

    @model_validator(mode="after")
    def _consistent(self) -> EvaluationModel:
        if sum(d.weight for d in self.dimensions) != 1:
            raise ValueError("the dimensions' weights add up to 1")
        codes = [i.code for i in self.indicators()] + [d.code for d in self.dimensions]
        if len(set(codes)) != len(codes):
            raise ValueError("dimension and indicator codes are unique within a model")
        if [b.min for b in self.bands] != sorted((b.min for b in self.bands), reverse=True):
            raise ValueError("bands go from the best (highest `min`) to the worst")
        if self.bands[-1].min > 0:
            raise ValueError("the worst band starts at 0 or below, so every score has a grade")
        grades = [b.grade for b in self.bands]
        if len(set(grades)) != len(grades):
            raise ValueError("grades are unique")
        for override in self.overrides:
            if override.at_most not in grades:
                raise ValueError(f"override {override.code}: no grade '{override.at_most}'")
        return self

    def indicators(self) -> list[Indicator]:
        return [i for d in self.dimensions for i in d.indicators]

    def full_points(self, dimension: Dimension) -> Decimal:
        return dimension.weight * self.scale

    def base(self, dimension: Dimension) -> Decimal:
        return dimension.weight * self.scale * self.start

    def rank(self, grade: str) -> int:
        """0 for the best grade."""
        return [b.grade for b in self.bands].index(grade)

    def band(self, grade: str) -> Band:
        return self.bands[self.rank(grade)]
