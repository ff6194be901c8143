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
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal, InvalidOperation
from typing import Any

from xinyong.catalog.amounts import amounts_in_text
from xinyong.clock import SHANGHAI
from xinyong.errors import InvalidCode
from xinyong.policy.schemas import (
    UNIT_FACTORS,
    AmountAgreesWithTextRule,
    CatalogField,
    CatalogItem,
    CategoryFromCodeRule,
    CodeList,
    DateOrderRule,
    FieldType,
    IdentifierForSubjectTypeRule,
    NotFutureRule,
    OpenEnd,
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
# Fills a missing field from others; what it did goes to the warnings (提示).
Derivation = Callable[[dict[str, Any], set[str], list[FieldIssue]], None]


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
    derivations: tuple[Derivation, ...]
    units: dict[str, str]  # code → unit of the money fields
    superseded: dict[str, str]  # legacy code field → the field whose valid code makes it optional


def compile_item(item: CatalogItem, codelists: Mapping[str, CodeList]) -> Compiled:
    required = tuple((f.code, f.label) for f in item.fields if f.required)
    derived = [rule for rule in item.rules if isinstance(rule, CategoryFromCodeRule)]
    checked = [rule for rule in item.rules if not isinstance(rule, CategoryFromCodeRule)]
    return Compiled(
        specs={f.code: (f.label, _parser(f, codelists), _text_limit(f)) for f in item.fields},
        required=frozenset(code for code, _ in required),
        required_in_order=required,
        rules=tuple(_rule(item, codelists, rule) for rule in checked),
        needs_today=any(isinstance(rule, NotFutureRule) for rule in item.rules),
        derivations=tuple(_category_from_code(item, codelists, rule) for rule in derived),
        units={f.code: f.unit for f in item.fields if f.unit},
        superseded={f.code: f.superseded_by for f in item.fields if f.superseded_by},
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
        parse = _open_end_parser(field.open_end) if field.open_end else _parse_date
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


# A date, optionally with a time and (ISO 8601) a zone: a zoned time is a date in Beijing.
_DATE = re.compile(
    r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$"
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
        return value.astimezone(SHANGHAI).date() if value.tzinfo else value.date()
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
    match = _DATE.match(text)
    if match and match[7]:
        return _zoned_date(match)
    match = match or _COMPACT_DATE.match(text)
    if match:
        try:
            return date(int(match[1]), int(match[2]), int(match[3]))
        except ValueError:
            raise Bad("field.date", "日期不存在") from None
    raise Bad("field.date", "日期格式不正确")


def _zoned_date(match: re.Match[str]) -> date:
    """2024-03-14T16:30:00Z → 2024-03-15: the day it was in Beijing."""
    zone = match[7]
    offset = timedelta(0)
    if zone != "Z":
        hours, minutes = int(zone[1:3]), int(zone[-2:])
        offset = timedelta(hours=hours, minutes=minutes) * (-1 if zone[0] == "-" else 1)
    year, month, day, hour, minute = (int(match[i]) for i in (1, 2, 3, 4, 5))
    try:
        moment = datetime(
            year, month, day, hour, minute, int(match[6] or 0), tzinfo=timezone(offset)
        )
    except ValueError:
        raise Bad("field.date", "日期不存在") from None
    return moment.astimezone(SHANGHAI).date()


def _open_end_parser(open_end: OpenEnd) -> Parser:
    """长期 (no end) is the date the standard writes for it, 2099-12-31."""
    words = {lookup_key(word) for word in open_end.words}

    def parse_open_end(value: Any) -> date:
        if value.__class__ is str and lookup_key(value) in words:
            return open_end.date
        return _parse_date(value)

    return parse_open_end


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
    if isinstance(rule, AmountAgreesWithTextRule):
        return _amount_agrees(item, rule)
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


# "About ten thousand times": a clerk who sent 元 for 万元 (or converted twice) is off by
# exactly 10,000 when the text's amount is whole; the band allows for a text that rounds.
WRONG_UNIT_RATIOS = (Decimal(5000), Decimal(20000))


def _amount_agrees(item: CatalogItem, rule: AmountAgreesWithTextRule) -> RuleCheck:
    field, text_field = item.field(rule.field), item.field(rule.text_field)
    unit = field.unit or "元"
    factor = UNIT_FACTORS[unit]
    name = re.sub(r"[（(].*?[)）]$", "", field.label)  # 罚款金额（万元） → 罚款金额
    low, high = WRONG_UNIT_RATIOS

    def check(values: dict[str, Any], issues: list[FieldIssue], bad: set[str], today: date) -> None:
        amount, text = values.get(field.code), values.get(text_field.code)
        if amount is None or not text or not amount:
            return
        yuan = amount * factor
        stated = [s for s in amounts_in_text(text) if rule.after is None or rule.after in s.lead]
        if any(s.yuan == yuan for s in stated):
            return
        for s in stated:
            ratio = max(yuan / s.yuan, s.yuan / yuan)
            if low <= ratio <= high:
                quoted = text if len(text) <= QUOTE_CHARS else s.words
                message = rule.message or (
                    f"{name} {amount.normalize():f} {unit}与{text_field.label}“{quoted}”"
                    "相差约一万倍，请确认单位"
                )
                issues.append(FieldIssue(field.code, field.label, "rule.amount_unit", message))
                return

    return check


QUOTE_CHARS = 40  # a longer 处罚内容 is quoted by the words of its amount only


def _category_from_code(
    item: CatalogItem, codelists: Mapping[str, CodeList], rule: CategoryFromCodeRule
) -> Derivation:
    field = item.field(rule.field)
    kinds = codelists[field.codelist or ""]
    by_prefix = {prefix: kinds.resolve(label) for prefix, label in rule.by_uscc_prefix.items()}
    default = kinds.resolve(rule.uscc_default)
    person = kinds.resolve(rule.id_number) if rule.id_number else None
    uscc = item.field(rule.uscc_field)
    id_field = item.field(rule.id_number_field) if rule.id_number_field else None

    def derive(values: dict[str, Any], bad: set[str], warnings: list[FieldIssue]) -> None:
        if field.code in values or field.code in bad:
            return
        code, basis = None, None
        if values.get(uscc.code):
            code, basis = by_prefix.get(values[uscc.code][:2], default), uscc.label
        elif id_field and person and _is_id_number(values.get(id_field.code)):
            code, basis = person, id_field.label
        if code is None:
            return
        values[field.code] = code
        message = f"{field.label}：未填写，已按{basis}推定为“{kinds.label_of(code)}”"
        warnings.append(FieldIssue(field.code, field.label, "derived.category", message))

    return derive


def _is_id_number(value: Any) -> bool:
    if not value:
        return False
    try:
        check_code(FieldType.ID_NUMBER, value)
    except Bad:
        return False
    return True


def excuse_superseded(
    compiled: Compiled,
    values: dict[str, Any],
    issues: list[FieldIssue],
    bad: set[str],
    warnings: list[FieldIssue],
) -> list[FieldIssue]:
    """A malformed legacy code (工商注册号, 组织机构代码) beside a valid USCC is dropped with a
    warning: the USCC identifies the subject. Returns the issues that remain."""
    kept = []
    for found in issues:
        over = compiled.superseded.get(found.field)
        if over is None or over not in values or over in bad:
            kept.append(found)
            continue
        message = f"{found.message}，已忽略该代码（主体按统一社会信用代码识别）"
        warnings.append(FieldIssue(found.field, found.label, found.code, message))
        bad.discard(found.field)
    return kept


def in_field_unit(compiled: Compiled, code: str, value: Decimal, stated: str) -> Decimal:
    """An amount sent in `stated` (the header's unit), in the unit of field `code`."""
    unit = compiled.units.get(code)
    if unit is None or unit == stated:
        return value
    return value * UNIT_FACTORS[stated] / UNIT_FACTORS[unit]


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
