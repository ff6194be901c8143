"""What a clerk needs before sending a file: each catalog item's fields as a guide — 必填,
条件必填 (with the condition, from the item's rules) or 选填, and the format to write."""

from __future__ import annotations

from dataclasses import dataclass

from xinyong.policy.schemas import (
    CatalogField,
    CatalogItem,
    FieldType,
    IdentifierForSubjectTypeRule,
    RequiredIfRule,
)

FORMATS = {
    FieldType.DATE: "日期，如 2026-05-01",
    FieldType.DECIMAL: "数字",
    FieldType.INTEGER: "整数",
    FieldType.USCC: "18位统一社会信用代码",
    FieldType.ID_NUMBER: "18位公民身份号码",
    FieldType.ORG_CODE: "9位组织机构代码",
    FieldType.REG_NO: "15位工商注册号",
    FieldType.REGION: "6位行政区划代码",
}


@dataclass(frozen=True)
class FieldGuide:
    label: str
    need: str  # 必填 / 条件必填：… / 选填
    format: str


def field_guide(item: CatalogItem) -> list[FieldGuide]:
    """The item's fields in catalog order, each with when it must be filled and its format."""
    conditions = _conditions(item)
    return [FieldGuide(f.label, _need(f, conditions.get(f.code)), _format(f)) for f in item.fields]


def _conditions(item: CatalogItem) -> dict[str, str]:
    """Field code → when it is required, from the item's cross-field rules."""
    found: dict[str, list[str]] = {}
    for rule in item.rules:
        if isinstance(rule, RequiredIfRule):
            when = item.field(rule.when.field).label
            found.setdefault(rule.field, []).append(f"{when}为“{rule.when.contains}”时")
        elif isinstance(rule, IdentifierForSubjectTypeRule):
            kind = item.field(rule.type_field).label
            for need in rule.identifiers:
                found.setdefault(need.field, []).append(f"{kind}为{'、'.join(need.when)}时")
    return {code: "；".join(dict.fromkeys(texts)) for code, texts in found.items()}


def _need(field: CatalogField, condition: str | None) -> str:
    if field.required:
        return "必填"
    return f"条件必填：{condition}" if condition else "选填"


def _format(field: CatalogField) -> str:
    if field.type is FieldType.DECIMAL and field.unit:
        return f"数字，单位{field.unit}（表头写明“元”的按元换算）"
    if field.type is FieldType.CODELIST:
        return "代码表取值，可填名称或代码" + ("，多个用；分隔" if field.multiple else "")
    if field.type is FieldType.DATE and field.open_end:
        return FORMATS[field.type] + "；长期有效的填“长期”"
    if field.type in FORMATS:
        return FORMATS[field.type]
    return f"文字，不超过 {field.max_length} 字" if field.max_length else "文字"
