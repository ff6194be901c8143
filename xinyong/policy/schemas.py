"""Typed policy: code lists and credit catalog items, as read from the YAML policy files.

Every model forbids unknown keys, so a typo in a policy file fails at start-up instead of
being silently ignored. Cross-references (field codes, code-list names) are checked by
`xinyong.policy.checks` once the whole policy is loaded.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, model_validator

from xinyong.policy.enums import DisclosureLevel, Role, SubjectType

CODE_PATTERN = r"^[a-z][a-zA-Z0-9_]*$"


_SPACES = re.compile(r"\s+")


def lookup_key(text: str) -> str:
    """The form in which headers, labels and code-list values are compared: NFKC (full-width
    to half-width), no whitespace at all (full-width spaces included), case-folded."""
    return _SPACES.sub("", unicodedata.normalize("NFKC", text)).casefold()


class PolicyModel(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class MaySource(PolicyModel):
    """A model whose source is optional; when it has one, it says how sure it is."""

    source: str | None = None
    verified: bool | None = None

    @model_validator(mode="after")
    def _confidence_given(self) -> MaySource:
        if self.source and self.verified is None:
            raise ValueError("a source needs its confidence, `verified: true` or `false`")
        return self


class Sourced(PolicyModel):
    """A policy value with the text it comes from and whether that text itself was read
    (`verified: true` only then, see DOMAIN.md): required, so no value is shipped unmarked."""

    source: str
    verified: bool


class Category(StrEnum):
    """Catalog categories as the public credit information directories name them."""

    LICENSE = "行政许可"
    PENALTY = "行政处罚"
    OTHER_ADMINISTRATIVE = "其他行政管理信息"
    TRUST_INCENTIVE = "守信激励"
    DISHONESTY_DISCIPLINE = "失信惩戒"
    JUDICIAL = "司法信息"
    COMMITMENT = "信用承诺"


class FieldType(StrEnum):
    STRING = "string"
    TEXT = "text"
    DATE = "date"
    DECIMAL = "decimal"
    INTEGER = "integer"
    CODELIST = "codelist"
    USCC = "uscc"
    ID_NUMBER = "id_number"
    ORG_CODE = "org_code"
    REG_NO = "reg_no"
    REGION = "region"


# --- durations ("3 months", "1 year") -------------------------------------------------

UNIT_LABELS = {"day": "天", "month": "个月", "year": "年"}
_DURATION = re.compile(r"^\s*(\d+)\s*(day|days|month|months|year|years)\s*$")


def _parse_duration(value: Any) -> Any:
    if isinstance(value, str):
        match = _DURATION.match(value)
        if not match:
            raise ValueError(f"bad duration '{value}' (write e.g. '3 months' or '1 year')")
        return {"amount": int(match[1]), "unit": match[2].rstrip("s")}
    return value


class Duration(PolicyModel):
    """A period written in policy files as "3 months", "1 year" or "90 days"."""

    amount: int = Field(ge=0)
    unit: Literal["day", "month", "year"]

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, value: Any) -> Any:
        return _parse_duration(value)

    def __str__(self) -> str:
        return f"{self.amount} {self.unit}{'' if self.amount == 1 else 's'}"

    @property
    def label(self) -> str:
        return f"{self.amount}{UNIT_LABELS[self.unit]}"


# --- code lists -------------------------------------------------------------------------


class CodeEntry(PolicyModel):
    code: str = Field(min_length=1)
    label: str = Field(min_length=1)
    aliases: list[str] = []


class CodeList(MaySource):
    name: str = Field(pattern=CODE_PATTERN)
    label: str
    entries: list[CodeEntry] = Field(min_length=1)

    _index: dict[str, str] = PrivateAttr(default_factory=dict)
    _labels: dict[str, str] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._labels = {e.code: e.label for e in self.entries}
        for entry in reversed(self.entries):  # codes win over labels, first entry wins
            for name in (*entry.aliases, entry.label):
                self._index[lookup_key(name)] = entry.code
        for entry in self.entries:
            self._index[lookup_key(entry.code)] = entry.code

    def resolve(self, value: str) -> str | None:
        """The code for a code, label or alias (compared by `lookup_key`), else None."""
        return self._index.get(lookup_key(value))

    def label_of(self, code: str) -> str:
        return self._labels.get(code, code)

    @property
    def index(self) -> dict[str, str]:
        """lookup_key(code, label or alias) → code."""
        return self._index


class CodeListFile(PolicyModel):
    codelists: list[CodeList]


# --- fields -----------------------------------------------------------------------------


# Money units a field or a file's header may state, as multiples of 元.
UNIT_FACTORS: dict[str, Decimal] = {"元": Decimal(1), "万元": Decimal(10000)}
MoneyUnit = Literal["元", "万元"]


class OpenEnd(Sourced):
    """Words a date field may hold for a period without end (长期), and the date they mean."""

    words: list[str] = Field(min_length=1)
    date: date


class CatalogField(MaySource):
    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    aliases: list[str] = []
    type: FieldType
    required: bool = False
    max_length: int | None = Field(default=None, gt=0)
    codelist: str | None = None
    multiple: bool = False  # several code-list values in one cell, separated by ; or 、
    unit: MoneyUnit | None = None  # headers stating another unit are converted to this one
    minimum: Decimal | None = None
    public: bool = True  # may appear on the public website
    description: str | None = None
    open_end: OpenEnd | None = None  # date fields: 长期 and the date it stands for
    # A legacy code made redundant by this field (a USCC): when that field holds a valid code,
    # a malformed value here is dropped with a warning instead of rejecting the row.
    superseded_by: str | None = None


# --- publication and timeliness -------------------------------------------------------


class Window(PolicyModel):
    """A publication window: at least `min` (repair possible after it), at most `max`."""

    min: Duration | None = None
    max: Duration | None = None
    publish: bool = True


class CategoryCondition(Sourced):
    """Matches when a code-list field holds only values from `values` (codes or labels)."""

    field: str
    values: list[str] = Field(min_length=1)


class PublicationRule(Sourced):
    """How long records of an item stay on the public website.

    kinds: `severity` (windows by severity of the dishonest act), `while_valid` (until the
    date in `until_field`), `fixed` (`window.max` from the decision date), `until_removed`
    (until the listing authority removes the record).
    """

    kind: Literal["severity", "while_valid", "fixed", "until_removed"]
    city_policy: bool = False  # 本市规定: a local choice, not a national rule
    start: Literal["decision_date"] = "decision_date"
    window: Window | None = None
    minor: Window | None = None
    general: Window | None = None
    serious: Window | None = None
    default_severity: Literal["minor", "general", "serious"] = "general"
    until_field: str | None = None
    not_published_when_only: CategoryCondition | None = None
    # The record itself says it is no longer valid (a licence 注销, 吊销, 撤销): its status is
    # 无效 and it is not published, whatever its dates say.
    invalid_when: CategoryCondition | None = None
    note: str | None = None


class TimelinessRule(Sourced):
    """When a record is due on the platform: `working_days` after a date, or `monthly`
    (by `day` of the month after the decision)."""

    kind: Literal["working_days", "monthly"]
    days: int | None = Field(default=None, gt=0)
    day: int | None = Field(default=None, ge=1, le=28)
    start: Literal["decision_date"] = Field(default="decision_date", alias="from")


# --- common record columns --------------------------------------------------------------


class SubjectTypeColumn(PolicyModel):
    """Which payload field says the counterpart's kind, and how its codes map to ours."""

    field: str | None = None
    mapping: dict[str, SubjectType] = {}
    default: SubjectType | None = None


class Columns(PolicyModel):
    """Which payload field supplies each common record column (field codes)."""

    subject_name: str
    subject_type: SubjectTypeColumn
    subject_uscc: str | None = None
    subject_org_code: str | None = None
    subject_reg_no: str | None = None
    subject_id_number: str | None = None
    decision_date: str | None = None
    amount: str | None = None
    document_number: str | None = None
    authority_name: str | None = None
    authority_uscc: str | None = None
    valid_until: str | None = None

    def field_refs(self) -> dict[str, str]:
        """Column name → field code, for every column that names a field."""
        refs = {k: v for k, v in self if isinstance(v, str)}
        if self.subject_type.field:
            refs["subject_type"] = self.subject_type.field
        return refs


# --- cross-field rules ------------------------------------------------------------------


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


class SubjectIdentifier(PolicyModel):
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
    identifiers: list[SubjectIdentifier] = Field(min_length=1)


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


# --- public holidays --------------------------------------------------------------------


class DateRange(PolicyModel):
    """Consecutive days off, `from` to `to` inclusive (a notice's "2月15日至23日放假")."""

    first: date = Field(alias="from")
    last: date = Field(alias="to")

    def days(self) -> Iterator[date]:
        day = self.first
        while day <= self.last:
            yield day
            day += timedelta(days=1)


class HolidayYear(PolicyModel):
    """One year's public holidays and make-up working days (调休上班), as the State Council's
    notice lists them: the working-day calendar for a year `chinesecalendar` does not cover."""

    year: int = Field(ge=1900, le=2999)
    holidays: list[date | DateRange] = Field(min_length=1)
    workdays: list[date] = []
    source: str = Field(min_length=1)
    verified: bool

    _days_off: frozenset[date] = PrivateAttr(default_factory=frozenset)

    def model_post_init(self, context: Any, /) -> None:
        spans = (h.days() if isinstance(h, DateRange) else (h,) for h in self.holidays)
        self._days_off = frozenset(day for span in spans for day in span)

    @property
    def days_off(self) -> frozenset[date]:
        """Every holiday, ranges expanded (weekend days inside a range included)."""
        return self._days_off

    def problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(path in the entry, reason) for dates outside the year or contradicting each other."""
        for i, entry in enumerate(self.holidays):
            ends = (entry.first, entry.last) if isinstance(entry, DateRange) else (entry,)
            if isinstance(entry, DateRange) and entry.first > entry.last:
                yield ("holidays", i), f"range ends before it starts ({entry.first} > {entry.last})"
            for day in ends:
                if day.year != self.year:
                    yield ("holidays", i), f"{day} is not in {self.year}"
        for i, day in enumerate(self.workdays):
            if day.year != self.year:
                yield ("workdays", i), f"{day} is not in {self.year}"
            elif day in self._days_off:
                yield ("workdays", i), f"{day} is also listed as a holiday"
            elif day.weekday() < 5:
                yield ("workdays", i), f"{day} is a weekday: a make-up working day is a weekend day"


class HolidayFile(PolicyModel):
    years: list[HolidayYear]


# --- who sees what ---------------------------------------------------------------------


class RoleView(Sourced):
    """What staff of a role see beyond the public view, for records of their own region."""

    levels: list[DisclosureLevel] = Field(min_length=1)
    history: bool = False  # records past their window or no longer valid, labelled as such
    own_department: bool = False  # every record their own department provided, any level


class DisclosurePolicy(PolicyModel):
    """The audience side of publication (`disclosure.yaml`); the record side is each catalog
    item's `disclosure` level and `publication` rule."""

    public_levels: list[DisclosureLevel] = Field(min_length=1)
    public_source: str
    public_verified: bool
    objection_marked: bool  # a record under objection stays up, marked 异议中 (else hidden)
    objection_source: str
    objection_verified: bool
    persons_by_full_name_only: bool  # the public finds natural persons by full name or code
    persons_source: str
    persons_verified: bool
    roles: dict[Role, RoleView]


# --- lists and measures -----------------------------------------------------------------


class ListProcedure(Sourced):
    """How the console lists a subject: proposal, notice with a period to state its case, then
    an entry (a record of `item`)."""

    item: str
    statement_working_days: int = Field(ge=1)


class ListType(Sourced):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    kind: Literal["black", "red", "focus"]
    items: list[str] = Field(min_length=1)  # catalog items whose records are entries
    procedure: ListProcedure | None = None


class ListsFile(PolicyModel):
    list_types: list[ListType]


class Matter(PolicyModel):
    """A kind of business where measures apply (事项: 政府采购, 招标投标 ...)."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str


class LegalBasis(PolicyModel):
    """The law a measure rests on, for entries of the catalog `items` named (none: every entry
    of the measure's lists): a court rule covers court-made entries only."""

    law: str = Field(min_length=1)
    article: str | None = None
    items: list[str] = []
    verified: bool

    @property
    def text(self) -> str:
        return self.law + (self.article or "")


class Measure(PolicyModel):
    code: str = Field(min_length=1)
    text: str
    kind: Literal["incentive", "punishment"]
    # One basis, or one per kind of entry; a punishment applies to an entry only through a
    # basis that covers the entry's item.
    bases: list[LegalBasis] = Field(default=[], alias="legal_basis")
    list_types: list[str] = Field(min_length=1)
    departments: list[str] = []
    matters: list[str] = Field(min_length=1)

    @model_validator(mode="before")
    @classmethod
    def _one_basis_or_several(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("legal_basis"), dict):
            return {**data, "legal_basis": [data["legal_basis"]]}
        return data

    @model_validator(mode="after")
    def _punishment_has_basis(self) -> Measure:
        # 依法依规、依清单惩戒 (国办发〔2020〕49号): no punishment without a law and its article.
        if self.kind == "punishment" and (
            not self.bases or not all(basis.article for basis in self.bases)
        ):
            raise ValueError(
                "a punishment measure needs its legal basis, law and article (依法依规惩戒)"
            )
        return self

    @property
    def kind_label(self) -> str:
        return "惩戒" if self.kind == "punishment" else "激励"

    def basis_for(self, item: str) -> LegalBasis | None:
        """The basis that covers entries of catalog item `item`, if any."""
        return next((b for b in self.bases if not b.items or item in b.items), None)

    def applies_to(self, item: str) -> bool:
        """Incentives need no basis; a punishment needs one for the entry's item."""
        return self.kind == "incentive" or self.basis_for(item) is not None


class MeasuresFile(Sourced):
    matters: list[Matter] = Field(min_length=1)
    measures: list[Measure]


# --- the catalog item -------------------------------------------------------------------


class CatalogItem(PolicyModel):
    """One kind of credit information (信用信息目录项) and everything the platform needs to
    collect, validate, store and publish it."""

    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)
    category: Category
    order: int = 1000
    description: str | None = None
    subject_types: list[SubjectType] = Field(min_length=1)
    disclosure: DisclosureLevel
    providers: list[str] = []
    fields: list[CatalogField] = Field(min_length=1)
    natural_key: list[str] = Field(min_length=1)
    columns: Columns
    publication: PublicationRule
    timeliness: TimelinessRule | None = None
    rules: list[Rule] = []

    _by_code: dict[str, CatalogField] = PrivateAttr(default_factory=dict)
    _codelists: dict[str, CodeList] = PrivateAttr(default_factory=dict)

    def model_post_init(self, context: Any, /) -> None:
        self._by_code = {f.code: f for f in self.fields}

    def field(self, code: str) -> CatalogField:
        """The field with this code; KeyError if the item has none."""
        return self._by_code[code]

    def has_field(self, code: str) -> bool:
        return code in self._by_code

    @property
    def field_codes(self) -> list[str]:
        return [f.code for f in self.fields]

    @property
    def derived_fields(self) -> frozenset[str]:
        """Fields a rule fills from others when a file leaves them out (行政相对人类别)."""
        return frozenset(r.field for r in self.rules if isinstance(r, CategoryFromCodeRule))

    @property
    def codelists(self) -> dict[str, CodeList]:
        """The code lists of the policy this item was loaded with (empty if built alone)."""
        return self._codelists

    def attach(self, codelists: dict[str, CodeList]) -> None:
        """Bind the item to its policy's code lists (done by the loader)."""
        self._codelists = codelists


class Policy(PolicyModel):
    """The whole loaded policy: code lists by name, catalog items by code (in display order),
    holiday years by year, and who sees what."""

    codelists: dict[str, CodeList]
    items: dict[str, CatalogItem]
    sources: dict[str, str] = {}  # item code → the file it came from
    holidays: dict[int, HolidayYear] = {}
    disclosure: DisclosurePolicy
    list_types: dict[str, ListType] = {}
    matters: dict[str, Matter] = {}
    measures: dict[str, Measure] = {}

    def codelist(self, name: str) -> CodeList:
        return self.codelists[name]
