"""The credit information catalog (信用信息目录): item lookup, header resolution, payload
validation and natural keys. Items come from the loaded policy (`xinyong.policy`)."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from xinyong import clock
from xinyong.catalog.validation import (
    Bad,
    Compiled,
    FieldIssue,
    compile_item,
    excuse_superseded,
    in_field_unit,
    issue,
    missing,
    rekeyed,
    too_long,
)
from xinyong.errors import NotFound
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import CatalogField, CatalogItem, Policy, lookup_key

__all__ = [
    "FieldIssue",
    "PayloadResult",
    "get_item",
    "header_unit",
    "json_safe",
    "json_value",
    "list_items",
    "natural_key_of",
    "resolve_header",
    "subject_type_of",
    "validate_payload",
]


def list_items(policy: Policy | None = None) -> list[CatalogItem]:
    """Every catalog item, in display order (category, then the item's `order`)."""
    return list((policy or load_policy()).items.values())


def get_item(code_or_name: str, policy: Policy | None = None) -> CatalogItem:
    """The item with this code (e.g. `xzcf`) or Chinese name (e.g. `行政处罚`)."""
    items = (policy or load_policy()).items
    wanted = code_or_name.strip()
    if wanted in items:
        return items[wanted]
    key = lookup_key(wanted)
    for item in items.values():
        if key in (lookup_key(item.code), lookup_key(item.name)):
            return item
    raise NotFound(f"信用信息目录中没有“{wanted}”", "catalog.item_not_found")


# --- headers ----------------------------------------------------------------------------

_REQUIRED_MARKS = str.maketrans("", "", "*＊")


def _header_key(header: str) -> str:
    return lookup_key(header.translate(_REQUIRED_MARKS))


def _header_index(item: CatalogItem) -> dict[str, CatalogField]:
    index: dict[str, CatalogField] = {}
    for f in item.fields:
        for name in (f.code, f.label, *f.aliases):
            index.setdefault(_header_key(name), f)
    return index


# A unit a header states after the name: 罚款金额（元）, 罚款金额(万元), 罚款金额/元,
# 罚款数额（单位：元）, 罚款金额单位：万元 (after NFKC: half-width brackets and colons).
_STATED_UNIT = re.compile(
    r"^(?P<name>.+?)\s*(?:\(\s*(?:单位\s*:?\s*)?(?P<a>万元|元)\s*\)"
    r"|/\s*(?P<b>万元|元)|,?\s*单位\s*:?\s*(?P<c>万元|元))$"
)


def _split_unit(header: str) -> tuple[str, str | None]:
    match = _STATED_UNIT.match(unicodedata.normalize("NFKC", header).strip())
    if match is None:
        return header, None
    return match["name"], match["a"] or match["b"] or match["c"]


def resolve_header(item: CatalogItem, header: str) -> CatalogField | None:
    """The field a file's column header means: by field code, label or alias, compared after
    NFKC, without any spaces (full-width too), case-folded, and without `*` required marks.
    An amount's header may add its unit (罚款金额（元）): see `header_unit`."""
    index = _compiled(item).header_index
    found = index.get(_header_key(header))
    if found is None:
        name, unit = _split_unit(header)
        found = index.get(_header_key(name)) if unit else None
        if found is not None and found.unit is None:
            return None  # a unit after a field that holds no money is not that field
    return found


def header_unit(item: CatalogItem, header: str) -> str | None:
    """The unit a header states for a money field (罚款金额（元） → 元), None if it states
    none: the value is then read in the field's own unit and checked against the text."""
    field = resolve_header(item, header)
    return _split_unit(header)[1] if field is not None and field.unit else None


# --- validation -------------------------------------------------------------------------


@dataclass
class PayloadResult:
    """Typed values of the fields that passed, and one issue per problem found."""

    values: dict[str, Any]
    issues: list[FieldIssue] = field(default_factory=list)
    warnings: list[FieldIssue] = field(default_factory=list)  # 提示: the row is kept

    @property
    def ok(self) -> bool:
        return not self.issues

    def json(self) -> dict[str, Any]:
        """JSON-safe form: {ok, values (dates ISO, Decimals as strings, None left out), issues}."""
        return {
            "ok": self.ok,
            "values": json_safe(self.values),
            "issues": [issue.json() for issue in self.issues],
            "warnings": [warning.json() for warning in self.warnings],
        }


def json_safe(values: Mapping[str, Any]) -> dict[str, Any]:
    """Values as stored in a record's JSON payload: dates ISO, Decimals as strings, no None."""
    return {
        key: json_value(value) if isinstance(value, date | Decimal) else value
        for key, value in values.items()
        if value is not None
    }


def json_value(value: Any) -> str:
    """The JSON text of a typed value JSON has no type for (usable as `json.dumps(default=)`)."""
    if isinstance(value, date):  # datetimes too
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    raise TypeError(f"{type(value).__name__} 不能写入 JSON")


@dataclass(frozen=True)
class _ItemValidator:
    compiled: Compiled
    header_index: dict[str, CatalogField]


_validators: dict[int, tuple[CatalogItem, _ItemValidator]] = {}


def _compiled(item: CatalogItem) -> _ItemValidator:
    """The item's validator, built on first use. Keyed by identity: items are immutable and
    each policy load makes new ones (the entry keeps its item alive, so ids are not reused)."""
    entry = _validators.get(id(item))
    if entry is None or entry[0] is not item:
        codelists = item.codelists or load_policy().codelists
        entry = (item, _ItemValidator(compile_item(item, codelists), _header_index(item)))
        _validators[id(item)] = entry
    return entry[1]


def validate_payload(
    item: CatalogItem,
    raw: Mapping[str, Any],
    *,
    received_on: date | None = None,
    units: Mapping[str, str] | None = None,
) -> PayloadResult:
    """Check and type one record's fields. Keys are field codes (labels and aliases are also
    accepted, with a unit where the header states one; unknown keys are ignored). `units`:
    field code → the unit its amount was sent in, when the keys are codes. `received_on`
    (default today) bounds decision dates."""
    validator = _compiled(item)
    compiled = validator.compiled
    specs = compiled.specs
    if not specs.keys() >= raw.keys():
        units = {**(units or {}), **_stated_units(item, raw)}
        raw = rekeyed(raw, lambda key: resolve_header(item, key))
    values: dict[str, Any] = {}
    issues: list[FieldIssue] = []
    bad: set[str] = set()
    for code, value in raw.items():
        label, parse, text_limit = specs[code]
        if value.__class__ is str:
            value = value.strip()
            if value and text_limit > 0:  # plain text, checked inline (most fields)
                if len(value) <= text_limit:
                    values[code] = value
                else:
                    issues.append(too_long(code, label, text_limit))
                    bad.add(code)
                continue
        if value is None or value == "":
            continue
        try:
            values[code] = parse(value)
        except Bad as error:
            issues.append(issue(code, label, error))
            bad.add(code)
    warnings: list[FieldIssue] = []
    if units:
        for code, unit in units.items():
            if code in values:
                values[code] = in_field_unit(compiled, code, values[code], unit)
    for derive in compiled.derivations:
        derive(values, bad, warnings)
    if compiled.superseded and issues:
        issues = excuse_superseded(compiled, values, issues, bad, warnings)
    if not compiled.required <= values.keys():
        _report_missing(compiled, values, bad, issues)
    if compiled.rules:
        today = received_on or (clock.today() if compiled.needs_today else date.max)
        for rule in compiled.rules:
            rule(values, issues, bad, today)
    return PayloadResult(values, issues, warnings)


def _stated_units(item: CatalogItem, raw: Mapping[str, Any]) -> dict[str, str]:
    units = {}
    for key in raw:
        unit = header_unit(item, key)
        if unit is not None:
            units[resolve_header(item, key).code] = unit  # type: ignore[union-attr]
    return units


def _report_missing(
    compiled: Compiled, values: dict[str, Any], bad: set[str], issues: list[FieldIssue]
) -> None:
    for code, label in compiled.required_in_order:
        if code not in values and code not in bad:
            issues.append(missing(code, label))
            bad.add(code)


def subject_type_of(item: CatalogItem, values: Mapping[str, Any]) -> SubjectType | None:
    """The counterpart's SubjectType from validated values (columns.subject_type)."""
    column = item.columns.subject_type
    code = values.get(column.field) if column.field else None
    return column.mapping.get(code, column.default) if code is not None else column.default


# --- natural keys -----------------------------------------------------------------------


def natural_key_of(item: CatalogItem, values: Mapping[str, Any]) -> str:
    """A stable string for the item's natural key (e.g. document number + counterpart code),
    so the same record sent again is recognised. Parts are NFKC-normalised without spaces."""
    return "|".join(_key_part(values.get(code)) for code in item.natural_key)


def _key_part(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        text = value.isoformat()
    elif isinstance(value, list | tuple):
        text = ";".join(str(v) for v in value)
    else:
        text = str(value)
    text = "".join(unicodedata.normalize("NFKC", text).split())
    return text.replace("\\", "\\\\").replace("|", "\\|")
