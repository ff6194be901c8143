"""How a record's values read on the website and in the API: labels, code-list labels, units,
personal numbers masked, and the date from which credit repair may be applied for."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from xinyong.codes import mask_personal_numbers
from xinyong.policy.schemas import CatalogItem, FieldType
from xinyong.records.windows import add_duration

# Fields a clerk types freely: an ID or mobile number written into them is shown masked.
MASKED_TYPES = frozenset({FieldType.STRING, FieldType.TEXT, FieldType.ID_NUMBER})


@dataclass(frozen=True)
class ShownField:
    code: str
    label: str
    value: str


def shown_fields(item: CatalogItem, payload: dict[str, Any], full: bool) -> list[ShownField]:
    """The payload as labelled text: public fields only unless `full`. Every view reads
    records through here, so ID and mobile numbers in free text are masked for every viewer,
    as the structured ID numbers are (records store those masked)."""
    shown = []
    for spec in item.fields:
        value = payload.get(spec.code)
        if value is None or value == "" or not (spec.public or full):
            continue
        shown.append(ShownField(spec.code, spec.label, _display(item, spec.code, value)))
    return shown


def _display(item: CatalogItem, code: str, value: Any) -> str:
    spec = item.field(code)
    if spec.type is FieldType.CODELIST and spec.codelist in item.codelists:
        codelist = item.codelists[spec.codelist]
        values = value if isinstance(value, list) else [value]
        return "、".join(codelist.label_of(str(v)) for v in values)
    if spec.type is FieldType.DECIMAL and spec.unit and spec.unit not in spec.label:
        return f"{Decimal(str(value)).normalize():f} {spec.unit}"
    if spec.type in MASKED_TYPES:
        return mask_personal_numbers(str(value))
    return str(value)


def repair_from(item: CatalogItem, severity: str | None, decided: date | None) -> date | None:
    """The end of the shortest publication period, after which repair may be applied for."""
    rule = item.publication
    window = getattr(rule, severity, None) if rule.kind == "severity" and severity else None
    if rule.kind == "fixed":  # one window for every record (严重失信主体名单: 1 to 3 years)
        window = rule.window
    if decided is None or window is None or window.min is None or not window.publish:
        return None
    return add_duration(decided, window.min)
