"""Payload validation compiled once per catalog item into a list of per-field closures.

Ingest and the demo validate millions of rows, so each field's parser is built once with
everything it needs bound in (code list index, limits, messages) and the hot loop only calls
them. Values are typed: `date`, `Decimal`, `int`, `str`, or a list of codes for multi-value
code-list fields.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal, InvalidOperation
from typing import Any

from xinyong.errors import InvalidCode
from xinyong.policy.schemas import (
    CatalogField,
    CatalogItem,
    CodeList,
    DateOrderRule,
    FieldType,
    IdentifierForSubjectTypeRule,
    NotFutureRule,
    RequiredIfRule,
    lookup_key,
)


@dataclass(frozen=True, slots=True)
class FieldIssue:
    """One problem in a payload: the field (code and label), a machine code, a Chinese message."""

    field: str
    label: str
    code: str
    message: str

    def json(self) -> dict[str, str]:
        return {
            "field": self.field,
            "label": self.label,
            "code": self.code,
            "message": self.message,
        }


class Bad(Exception):
    """Raised by a field parser: the machine code and the reason (without the label)."""

    def __init__(self, code: str, reason: str) -> None:
        self.code = code
        self.reason = reason


Parser = Callable[[Any], Any]
RuleCheck = Callable[[dict[str, Any], list[FieldIssue], set[str], date], None]


CODE_CACHE_SIZE = 1 << 16
NOT_TEXT = -1  # `text_limit` of fields that are not plain text
NO_LIMIT = 1 << 30


@dataclass(frozen=True, slots=True)
class Compiled:
    # code → (label, parser, text_limit): text fields are checked inline by the caller when
    # the value is already a string (the common case), to save a call per field.
    specs: dict[str, tuple[str, Parser, int]]
    required: frozenset[str]
    required_in_order: tuple[tuple[str, str], ...]  # (code, label)
    rules: tuple[RuleCheck, ...]
    needs_today: bool


def compile_item(item: CatalogItem, codelists: Mapping[str, CodeList]) -> Compiled:
    required = tuple((f.code, f.label) for f in item.fields if f.required)
    return Compiled(
        specs={f.code: (f.label, _parser(f, codelists), _text_limit(f)) for f in item.fields},
        required=frozenset(code for code, _ in required),
        required_in_order=required,
        rules=tuple(_rule(item, codelists, rule) for rule in item.rules),
        needs_today=any(isinstance(rule, NotFutureRule) for rule in item.rules),
    )


def _text_limit(field: CatalogField) -> int:
    if field.type in (FieldType.STRING, FieldType.TEXT):
        return field.max_length or NO_LIMIT
    return NOT_TEXT


def issue(code: str, label: str, bad: Bad) -> FieldIssue:
    """Prefix the label unless the reason already starts with it (code validators name it)."""
    reason = bad.reason
    message = reason if reason.startswith(label) else f"{label}：{reason}"
    return FieldIssue(code, label, bad.code, message)


def too_long(code: str, label: str, limit: int) -> FieldIssue:
    return FieldIssue(code, label, "field.too_long", f"{label}：长度超过 {limit} 个字符")


def missing(code: str, label: str) -> FieldIssue:
    return FieldIssue(code, label, "field.required", f"缺少必填项“{label}”")


# --- field parsers ----------------------------------------------------------------------


def _parser(field: CatalogField, codelists: Mapping[str, CodeList]) -> Parser:
    kind = field.type
    parse: Parser
    if kind is FieldType.DATE:
        parse = _parse_date
    elif kind is FieldType.DECIMAL:
        parse = _decimal_parser(field.minimum)
    elif kind is FieldType.INTEGER:
        parse = _integer_parser(field.minimum)
    elif kind is FieldType.CODELIST:
        parse = _codelist_parser(codelists[field.codelist or ""], field.multiple)
    elif kind in _CODE_VALIDATORS:
        parse = _code_parser(_CODE_VALIDATORS[kind])
    else:
        parse = _text_parser(field.max_length)
    return parse


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip()


_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?)?$"
)
_COMPACT_DATE = re.compile(r"^(\d{4})(\d{2})(\d{2})$")


def _parse_date(value: Any) -> date:
    if value.__class__ is str:
        if len(value) == 10 and value[4] == "-" and value[7] == "-":
            try:
                return date.fromisoformat(value)
            except ValueError:
                pass
        return _parse_date_text(value)
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return _excel_serial(value)
    raise Bad("field.date", "日期格式不正确")


# Excel's day numbers count from 1899-12-30 (its 1900 leap-year bug makes that the epoch for
# every date after February 1900); a cell typed as a number arrives as one.
EXCEL_EPOCH = date(1899, 12, 30).toordinal()
EXCEL_SERIALS = range(61, 2958466)  # 1900-03-01 … 9999-12-31
_SERIAL = re.compile(r"^\d{5}(?:\.0+)?$")


def _excel_serial(value: float) -> date:
    if value != int(value) or int(value) not in EXCEL_SERIALS:
        raise Bad("field.date", "日期格式不正确")
    return date.fromordinal(EXCEL_EPOCH + int(value))


def _parse_date_text(value: str) -> date:
    text = _nfkc(value)
    if _SERIAL.match(text):
        return _excel_serial(float(text))
    match = _DATE.match(text) or _COMPACT_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise Bad("field.date", "日期不存在") from None
    raise Bad("field.date", "日期格式不正确")


_NUMBER_NOISE = re.compile(r"[,，\s]")


def _to_decimal(value: Any) -> Decimal:
    cls = value.__class__
    if cls is str:
        try:
            number = Decimal(value)
        except InvalidOperation:
            try:
                number = Decimal(_NUMBER_NOISE.sub("", _nfkc(value)))
            except InvalidOperation:
                raise Bad("field.decimal", "不是有效的数字") from None
    elif cls is Decimal or cls is int:
        number = Decimal(value)
    elif cls is float:
        number = Decimal(repr(value))  # spreadsheet cells arrive as floats: keep what was shown
    else:
        raise Bad("field.decimal", "不是有效的数字")
    if not number.is_finite():
        raise Bad("field.decimal", "不是有效的数字")
    return number


def _decimal_parser(minimum: Decimal | None) -> Parser:
    def parse_decimal(value: Any) -> Decimal:
        number = _to_decimal(value)
        if minimum is not None and number < minimum:
            raise Bad("field.minimum", f"不能小于 {minimum}")
        return number

    return parse_decimal


def _integer_parser(minimum: Decimal | None) -> Parser:
    def parse_integer(value: Any) -> int:
        try:
            number = _to_decimal(value)
        except Bad:
            raise Bad("field.integer", "不是有效的整数") from None
        if number != number.to_integral_value():
            raise Bad("field.integer", "不是有效的整数")
        if minimum is not None and number < minimum:
            raise Bad("field.minimum", f"不能小于 {minimum}")
        return int(number)

    return parse_integer


_SEPARATORS = re.compile(r"[;；、,，|/\n]+")


def _codelist_parser(codelist: CodeList, multiple: bool) -> Parser:
    exact = {e.code: e.code for e in codelist.entries} | {e.label: e.code for e in codelist.entries}
    index = codelist.index

    def resolve(text: str) -> str:
        code = exact.get(text) or index.get(lookup_key(text))
        if code is None:
            raise Bad("field.codelist", f"“{text}”不是有效的{codelist.label}")
        return code

    def parse_one(value: Any) -> str:
        return resolve(value if value.__class__ is str else str(value))

    def resolve_part(part: str) -> list[str]:
        """One value, or several a clerk separated by spaces only (`罚款 警告`)."""
        try:
            return [resolve(part.strip())]
        except Bad:
            words = part.split()
            if len(words) < 2:
                raise
            return [resolve(word) for word in words]

    def parse_many(value: Any) -> list[str]:
        if value.__class__ is str and value in exact:
            return [exact[value]]
        parts = value if isinstance(value, list | tuple) else _SEPARATORS.split(str(value))
        codes = [code for part in parts if str(part).strip() for code in resolve_part(str(part))]
        if not codes:
            raise Bad("field.codelist", f"不是有效的{codelist.label}")
        return list(dict.fromkeys(codes))

    return parse_many if multiple else parse_one


# A float keeps 15 significant digits: a longer code typed as a number in a spreadsheet has
# lost its last digits before it reaches us.
FLOAT_DIGITS = 10**15


def _as_text(value: Any) -> str:
    if value.__class__ is str:
        return value
    if isinstance(value, float) and value.is_integer():
        if abs(value) >= FLOAT_DIGITS:
            raise Bad(
                "field.number_too_long",
                "在表格中被存成了数字，末几位已丢失（请把该列设为文本格式后重新填写）",
            )
        return str(int(value))  # 文书号 or 编号 read from a spreadsheet as a number
    return str(value).strip()


def _text_parser(max_length: int | None) -> Parser:
    def parse_text(value: Any) -> str:
        text = _as_text(value)
        if max_length is not None and len(text) > max_length:
            raise Bad("field.too_long", f"长度超过 {max_length} 个字符")
        return text

    return parse_text


# --- identifier codes (validators from xinyong.codes, imported lazily) -----------------


def _code_validator(name: str) -> Callable[[str], tuple[bool, Any]]:
    """`xinyong.codes.<name>` behind a bounded cache: authority codes repeat on every row."""
    cache: dict[str, tuple[bool, Any]] = {}
    validate: Callable[[str], str] | None = None

    def check(text: str) -> tuple[bool, Any]:
        nonlocal validate
        hit = cache.get(text)
        if hit is not None:
            return hit
        if validate is None:
            from xinyong import codes  # imported on first use: codes may load after policy

            validate = getattr(codes, name)
        try:
            result: tuple[bool, Any] = (True, validate(text))
        except InvalidCode as exc:
            result = (False, (exc.code, exc.message))
        if len(cache) >= CODE_CACHE_SIZE:
            cache.clear()
        cache[text] = result
        return result

    return check


_CODE_VALIDATORS = {
    FieldType.USCC: _code_validator("validate_uscc"),
    FieldType.ID_NUMBER: _code_validator("validate_id_number"),
    FieldType.ORG_CODE: _code_validator("validate_org_code"),
    FieldType.REG_NO: _code_validator("validate_reg_no"),
    FieldType.REGION: _code_validator("validate_region"),
}


def _code_parser(check: Callable[[str], tuple[bool, Any]]) -> Parser:
    def parse_code(value: Any) -> str:
        ok, result = check(_as_text(value))
        if ok:
            return result  # type: ignore[no-any-return]
        raise Bad(*result)

    return parse_code


def check_code(kind: FieldType, text: str) -> str:
    """Validate `text` as an identifier of `kind`; raises Bad with the validator's message."""
    return _code_parser(_CODE_VALIDATORS[kind])(text)  # type: ignore[no-any-return]


# --- cross-field rules ------------------------------------------------------------------


def _rule(item: CatalogItem, codelists: Mapping[str, CodeList], rule: Any) -> RuleCheck:
    if isinstance(rule, DateOrderRule):
        return _date_order(item, rule)
    if isinstance(rule, NotFutureRule):
        return _not_future(item, rule)
    if isinstance(rule, RequiredIfRule):
        return _required_if(item, codelists, rule)
    if isinstance(rule, IdentifierForSubjectTypeRule):
        return _identifier(item, codelists, rule)
    raise TypeError(f"unknown rule {rule!r}")


def _date_order(item: CatalogItem, rule: DateOrderRule) -> RuleCheck:
    before, after = item.field(rule.before), item.field(rule.after)
    message = rule.message or f"{after.label}早于{before.label}"

    def check(values: dict[str, Any], issues: list[FieldIssue], bad: set[str], today: date) -> None:
        start, end = values.get(before.code), values.get(after.code)
        if start is not None and end is not None and end < start:
            issues.append(FieldIssue(after.code, after.label, "rule.date_order", message))

    return check


def _not_future(item: CatalogItem, rule: NotFutureRule) -> RuleCheck:
    field = item.field(rule.field)
    message = rule.message or f"{field.label}晚于报送日期"

    def check(values: dict[str, Any], issues: list[FieldIssue], bad: set[str], today: date) -> None:
        value = values.get(field.code)
        if value is not None and value > today:
            issues.append(FieldIssue(field.code, field.label, "rule.not_future", message))

    return check


def _required_if(
    item: CatalogItem, codelists: Mapping[str, CodeList], rule: RequiredIfRule
) -> RuleCheck:
    field, when = item.field(rule.field), item.field(rule.when.field)
    codelist = codelists[when.codelist or ""]
    wanted = codelist.resolve(rule.when.contains)
    message = rule.message or (
        f"{when.label}包含“{codelist.label_of(wanted or '')}”时必须填写“{field.label}”"
    )

    def check(values: dict[str, Any], issues: list[FieldIssue], bad: set[str], today: date) -> None:
        if field.code in values or field.code in bad:
            return
        held = values.get(when.code)
        if held == wanted or (held.__class__ is list and wanted in held):
            issues.append(FieldIssue(field.code, field.label, "rule.required_if", message))

    return check


def _identifier(
    item: CatalogItem, codelists: Mapping[str, CodeList], rule: IdentifierForSubjectTypeRule
) -> RuleCheck:
    type_field = item.field(rule.type_field)
    kinds = codelists[type_field.codelist or ""]
    checks = []
    for ident in rule.identifiers:
        field = item.field(ident.field)
        when = {kinds.resolve(k) for k in ident.when}
        doc_field = item.field(ident.document_type_field) if ident.document_type_field else None
        doc_list = codelists[doc_field.codelist or ""] if doc_field else None
        doc_types = {doc_list.resolve(d) for d in ident.document_types} if doc_list else set()
        # a field typed uscc/id_number was already checked by its own parser
        how = "present" if ident.check == field.type.value else ident.check
        checks.append((when, field, how, doc_field, doc_types))

    def check(values: dict[str, Any], issues: list[FieldIssue], bad: set[str], today: date) -> None:
        kind = values.get(type_field.code)
        if kind is None:
            return
        for when, field, how, doc_field, doc_types in checks:
            if kind not in when or field.code in bad:
                continue
            value = values.get(field.code)
            if value is None:
                message = rule.message or (
                    f"{type_field.label}为“{kinds.label_of(kind)}”时必须填写“{field.label}”"
                )
                issues.append(FieldIssue(field.code, field.label, "rule.identifier", message))
            elif how in ("uscc", "id_number") and _applies(values, doc_field, doc_types):
                _check_identifier(values, issues, field, FieldType(how), value)

    return check


def _applies(values: dict[str, Any], doc_field: CatalogField | None, doc_types: set[Any]) -> bool:
    """The check applies when no document type is named, or the row's type is one of them."""
    if doc_field is None:
        return True
    doc_type = values.get(doc_field.code)
    return doc_type is None or doc_type in doc_types


def _check_identifier(
    values: dict[str, Any],
    issues: list[FieldIssue],
    field: CatalogField,
    kind: FieldType,
    value: str,
) -> None:
    try:
        values[field.code] = check_code(kind, value)
    except Bad as bad:
        values.pop(field.code, None)
        issues.append(issue(field.code, field.label, bad))


def rekeyed(
    raw: Mapping[str, Any], resolve: Callable[[str], CatalogField | None]
) -> dict[str, Any]:
    """Payload keys given as labels or aliases, turned into field codes; unknown keys dropped."""
    out: dict[str, Any] = {}
    for key, value in raw.items():
        field = resolve(key)
        if field is not None and (field.code not in out or out[field.code] in (None, "")):
            out[field.code] = value
    return out


# --- storage bounds ---------------------------------------------------------------------

# What any stored payload must hold, whatever the item's own limits: PostgreSQL text and JSON
# take no NUL and no unpaired surrogate (JSON sources can carry both); one value is at most
# what a CSV cell may be (csv.field_size_limit); numbers keep exact Decimal arithmetic (28
# significant digits) with room for unit conversion.
STORED_TEXT_CHARS = 131_072
STORED_NUMBER_DIGITS = 18  # integer digits of any number field
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def storage_issues(item: CatalogItem, values: Mapping[str, Any]) -> list[FieldIssue]:
    """Typed values checked against what storage accepts, before they are stored: a value
    storage would refuse is a rejected row with its reason, never a failed batch."""
    issues: list[FieldIssue] = []
    for code, value in values.items():
        problem = _storage_problem(value)
        if problem is not None:
            label = item.field(code).label
            issues.append(FieldIssue(code, label, "field.unstorable", f"{label}：{problem}"))
    return issues


def _storage_problem(value: Any) -> str | None:
    if value.__class__ is str:
        if len(value) > STORED_TEXT_CHARS:
            return f"长度超过 {STORED_TEXT_CHARS:,} 个字符的上限"
        if _UNSTORABLE.search(value):
            return "含有不可见的控制字符（NUL）或残缺的字符编码，请删除后重新填写"
    elif isinstance(value, Decimal | int) and not isinstance(value, bool):
        if abs(value) >= 10**STORED_NUMBER_DIGITS:
            return f"数额过大，超出可存储的范围（整数部分不能超过 {STORED_NUMBER_DIGITS} 位）"
    elif isinstance(value, list):
        return next((p for v in value if (p := _storage_problem(v))), None)
    return None
