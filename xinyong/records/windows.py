"""A record's publication window, from its catalog item's publication rule (policy files).

The window is [publish_from, publish_until): publish_until None means no end date set by the rule
(e.g. a court list entry stays until the court removes it); an empty window (until == from)
means the record is never published, e.g. a penalty of 警告 or 通报批评 only."""

from __future__ import annotations

import calendar
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from xinyong.policy.schemas import CatalogItem, Duration, PublicationRule, Window


@dataclass(frozen=True)
class PublicationWindow:
    severity: str | None
    publish_from: date | None
    publish_until: date | None


def add_duration(start: date, duration: Duration) -> date:
    """Calendar arithmetic; a month end that does not exist falls back to the month's last day."""
    if duration.unit == "day":
        return date.fromordinal(start.toordinal() + duration.amount)
    months = duration.amount * (12 if duration.unit == "year" else 1)
    year, month = divmod(start.month - 1 + months, 12)
    year += start.year
    day = min(start.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def publication_window(
    item: CatalogItem, values: Mapping[str, Any], codelists: Mapping[str, Any]
) -> PublicationWindow:
    rule = item.publication
    start = values.get(item.columns.decision_date) if item.columns.decision_date else None
    if rule is None or start is None:
        return PublicationWindow(None, start, None)
    if _only_unpublished_categories(item, rule, values, codelists):
        return PublicationWindow(rule.default_severity, start, start)
    match rule.kind:
        case "severity":
            window = getattr(rule, rule.default_severity) or Window()
            return PublicationWindow(rule.default_severity, start, _end(start, window))
        case "while_valid":
            until = values.get(rule.until_field) if rule.until_field else None
            return PublicationWindow(None, start, until)
        case "fixed":
            return PublicationWindow(None, start, _end(start, rule.window or Window()))
        case _:  # until_removed
            return PublicationWindow(None, start, None)


def _end(start: date, window: Window) -> date | None:
    if not window.publish:
        return start
    return add_duration(start, window.max) if window.max else None


def _only_unpublished_categories(
    item: CatalogItem,
    rule: PublicationRule,
    values: Mapping[str, Any],
    codelists: Mapping[str, Any],
) -> bool:
    condition = rule.not_published_when_only
    if condition is None or values.get(condition.field) is None:
        return False
    value = values[condition.field]
    given = set(value) if isinstance(value, list | tuple) else {value}
    codelist = codelists.get(item.field(condition.field).codelist or "")
    allowed = {codelist.resolve(v) if codelist else v for v in condition.values}
    return bool(given) and given <= allowed
