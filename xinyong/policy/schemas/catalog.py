"""`catalog/<code>.yaml`: one credit information catalog item per file — its fields, the
common record columns they fill, how long its records are published and when they are due.
The cross-field rules of its `rules:` are in `catalog_rules`."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from enum import StrEnum
from typing import Any, Literal

from pydantic import Field, PrivateAttr

from xinyong.policy.enums import DisclosureLevel, SubjectType
from xinyong.policy.schemas.catalog_rules import CategoryFromCodeRule, Rule
from xinyong.policy.schemas.codelists import CodeList
from xinyong.policy.schemas.common import (
    CODE_PATTERN,
    Duration,
    MaySource,
    PolicyModel,
    Sourced,
)


class Category(StrEnum):
    """Catalog categories as the public credit information directories name them."""

    LICENSE = "行政许可"
    PENALTY = "行政处罚"
    OTHER_ADMINISTRATIVE = "其他行政管理信息"
    TRUST_INCENTIVE = "守信激励"
    DISHONESTY_DISCIPLINE = "失信惩戒"
    JUDICIAL = "司法信息"
    COMMITMENT = "信用承诺"
    REGISTRATION = "登记信息"


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
    # What the record is for, in a word or a line (列入原因, 失信情形, 评价年度): the lists'
    # 列入原因 column; items without one show their name there.
    reason: str | None = None

    def field_refs(self) -> dict[str, str]:
        """Column name → field code, for every column that names a field."""
        refs = {k: v for k, v in self if isinstance(v, str)}
        if self.subject_type.field:
            refs["subject_type"] = self.subject_type.field
        return refs


class Registration(Sourced):
    """The item is a registration source (登记信息): a subject its records name is 已核实, and
    its profile (法人库) is read from these fields (field codes); other items' records only link
    to subjects. Name changes go to the name history."""

    legal_representative: str | None = None  # 法定代表人 / 负责人 / 经营者
    organisation_type: str | None = None  # 类型 (有限责任公司, 社会团体, ...)
    founded_on: str | None = None
    authority: str | None = None  # 登记机关
    status: str | None = None  # a `registration_status` codelist field
    address: str | None = None
    capital: str | None = None
    currency: str | None = None
    scope: str | None = None  # 经营范围 / 业务范围
    approved_on: str | None = None  # 核准日期: the date a change takes effect
    term_until: str | None = None  # 营业期限 to

    def field_refs(self) -> dict[str, str]:
        return {k: v for k, v in self if k not in ("source", "verified") and isinstance(v, str)}


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
    registration: Registration | None = None

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
