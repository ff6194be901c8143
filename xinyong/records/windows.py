"""A record's publication window and initial status, from its catalog item's publication rule
(policy files).

The window is [publish_from, publish_until): publish_until None means no end date set by the rule
(e.g. a court list entry stays until the court removes it); an empty window (until == from)
means the record is never published, e.g. a penalty of 警告 or 通报批评 only, or a licence whose
当前状态 is 无效 (`invalid_when`), which is also stored with the status 无效."""

from __future__ import annotations

import calendar
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinyong.policy.schemas import CatalogItem, CategoryCondition, Duration, Window
from xinyong.records.models import RecordStatus


@dataclass(frozen=True)
class PublicationWindow:
    severity: str | None
    publish_from: date | None
    publish_until: date | None
    status: RecordStatus = RecordStatus.VALID


def add_duration(start: date, duration: Duration) -> date:
    """Calendar arithmetic; a month end that does not exist falls back to the month's last day."""
    if duration.unit == "day":
        return date.fromordinal(start.toordinal() + duration.amount)
    months = duration.amount * (12 if duration.unit == "year" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


WindowOf = Callable[[Mapping[str, Any]], PublicationWindow]


def window_of(item: CatalogItem, codelists: Mapping[str, Any]) -> WindowOf:
    """The item's publication rule as a function of a record's values, worked out once: ingest
    applies it to millions of rows."""
    rule, decision = item.publication, item.columns.decision_date
    if rule is None or decision is None:
        return lambda values: PublicationWindow(None, values.get(decision or ""), None)
    severity: str | None = None
    until_field: str | None = None
    window: Window | None = None
    unpublished = condition_codes(item, rule.not_published_when_only, codelists)
    invalid = condition_codes(item, rule.invalid_when, codelists)
    match rule.kind:
        case "severity":
            severity = rule.default_severity
            window = getattr(rule, severity) or Window()
        case "while_valid":
            until_field = rule.until_field
        case "fixed":
            window = rule.window or Window()

    def window_for(values: Mapping[str, Any]) -> PublicationWindow:
        start = values.get(decision)
        if invalid is not None and _only(values.get(invalid[0]), invalid[1]):
            return PublicationWindow(severity, start, start, RecordStatus.INVALID)
        if start is None:
            return PublicationWindow(None, None, None)
        if unpublished is not None and _only(values.get(unpublished[0]), unpublished[1]):
            return PublicationWindow(rule.default_severity, start, start)
        if window is not None:
            return PublicationWindow(severity, start, _end(start, window))
        return PublicationWindow(None, start, values.get(until_field) if until_field else None)

    return window_for


def _end(start: date, window: Window) -> date | None:
    if not window.publish:
        return start
    return add_duration(start, window.max) if window.max else None


def condition_codes(
    item: CatalogItem, condition: CategoryCondition | None, codelists: Mapping[str, Any]
) -> tuple[str, frozenset[str]] | None:
    """(field, codes) of a rule's condition: it holds for a record whose field holds only
    these codes."""
    if condition is None:
        return None
    codelist = codelists.get(item.field(condition.field).codelist or "")
    codes = frozenset(codelist.resolve(v) if codelist else v for v in condition.values)
    return condition.field, codes


def _only(value: Any, codes: frozenset[str]) -> bool:
    if value is None:
        return False
    given = set(value) if isinstance(value, list | tuple) else {value}
    return bool(given) and given <= codes
