"""The credit information catalog (信用信息目录): which kinds of credit information the platform
holds, their fields, and the validation of one record's payload against them."""

from xinyong.catalog.service import (
    FieldIssue,
    PayloadResult,
    get_item,
    header_unit,
    json_safe,
    json_value,
    list_items,
    natural_key_of,
    resolve_header,
    subject_type_of,
    validate_payload,
)

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
