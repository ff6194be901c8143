"""`supervision.yaml`: 分级分类监管 and 双随机、一公开 — which evaluation model grades each type of
subject, per department (by the suffix of its code) the mapping of grades to supervision
classes with each class's sampling ratio and yearly frequency, the class of a subject with no
grade, whether classes are public, and the results an inspector records with the
`inspection_result` code each becomes."""

from __future__ import annotations

from decimal import Decimal

from pydantic import Field, model_validator

from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas.common import CODE_PATTERN, Sourced


class SupervisionClass(Sourced):
    """One class: the grades it takes (of the general model; `sector_grades` of the scheme's
    sector model), the share of its subjects a plan draws, and how often in a calendar year a
    subject of it may be drawn by the department's plans: once `per_year` is reached, the
    year's later plans leave it out."""

    code: str = Field(min_length=1, max_length=8)
    label: str = Field(min_length=1)
    grades: list[str] = Field(min_length=1)
    sector_grades: list[str] = []
    ratio: Decimal = Field(ge=0, le=1)
    per_year: Decimal = Field(ge=0)


class Scheme(Sourced):
    """The classes of the departments whose code ends with one of `departments` (`scjg`:
    every 市场监管局); the default scheme names none."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    departments: list[str] = []
    classes: list[SupervisionClass] = Field(min_length=1)
    ungraded: str  # the class of a subject the model in force has not graded
    # The departments' own sector evaluation (行业信用评价), an evaluation model: where its run
    # in force graded a subject, that grade places it (`sector_grades`) before the general one.
    sector_model: str | None = None

    @model_validator(mode="after")
    def _consistent(self) -> Scheme:
        codes = [c.code for c in self.classes]
        if len(set(codes)) != len(codes):
            raise ValueError("duplicate class code")
        grades = [g for c in self.classes for g in c.grades]
        if len(set(grades)) != len(grades):
            raise ValueError("a grade is in two classes")
        sector = [g for c in self.classes for g in c.sector_grades]
        if len(set(sector)) != len(sector):
            raise ValueError("a sector grade is in two classes")
        if bool(sector) != bool(self.sector_model):
            raise ValueError("`sector_grades` and `sector_model` go together")
        if self.ungraded not in codes:
            raise ValueError(f"`ungraded` '{self.ungraded}' is not one of the classes")
        return self

    def class_of(self, grade: str | None) -> SupervisionClass:
        for klass in self.classes:
            if grade in klass.grades:
                return klass
        return self.klass(self.ungraded)

    def klass(self, code: str) -> SupervisionClass:
        return next(c for c in self.classes if c.code == code)


class Outcome(Sourced):
    """A result an inspector records (合格, 责令整改…) and the `inspection_result` code its
    行政监督检查 record carries; `negative` ones count against the subject's next grade."""

    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    result: str  # a code of the inspection_result code list
    negative: bool


class ClassVisibility(Sourced):
    public: bool


class SupervisionPolicy(Sourced):
    version: int = Field(ge=1)
    # Which model's grade places a subject of each type; types not named use `default`.
    models: dict[SubjectType, str] = {}
    default_model: str
    inspectable: list[SubjectType] = Field(min_length=1)  # subject types a plan may cover
    schemes: list[Scheme] = Field(min_length=1)
    default_scheme: str
    classes_visibility: ClassVisibility
    outcomes: list[Outcome] = Field(min_length=1)
    inspection_method: str  # the inspection_method code of a 双随机 record (检查方式)

    @model_validator(mode="after")
    def _consistent(self) -> SupervisionPolicy:
        if self.default_scheme not in {s.code for s in self.schemes}:
            raise ValueError(f"`default_scheme` '{self.default_scheme}' is not a scheme")
        if len({o.code for o in self.outcomes}) != len(self.outcomes):
            raise ValueError("duplicate outcome code")
        return self

    def model_for(self, subject_type: str) -> str:
        return self.models.get(SubjectType(subject_type), self.default_model)

    def scheme_for(self, department_code: str) -> Scheme:
        """The scheme naming the department's code suffix, else the default one."""
        for scheme in self.schemes:
            if any(department_code.endswith(s) for s in scheme.departments):
                return scheme
        return next(s for s in self.schemes if s.code == self.default_scheme)

    def outcome(self, code: str) -> Outcome | None:
        return next((o for o in self.outcomes if o.code == code), None)
