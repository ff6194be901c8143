"""`notices.yaml`: the 信用修复告知书 served with a penalty or listing decision (两书同达) — its
number format, the activation code it carries, its wording and legal basis — and the repair
reminders sent before and when the shortest publication period ends."""

from __future__ import annotations

import string
from datetime import timedelta
from typing import Literal

from pydantic import Field, field_validator

from xinyong.policy.schemas.common import Duration, Sourced

NUMBER_FIELDS = {"year", "serial"}
# What each reminder text may name (filled by xinyong.notices.reminders).
REMINDER_FIELDS = {"subject", "item", "document_number", "repair_from", "notice", "when"}


def _fields(template: str) -> set[str]:
    return {name for _text, name, _spec, _conv in string.Formatter().parse(template) if name}


class NumberFormat(Sourced):
    format: str = Field(min_length=1, max_length=40)

    @field_validator("format")
    @classmethod
    def _year_and_serial(cls, value: str) -> str:
        try:
            names = _fields(value)
            value.format(year=2026, serial=1)
        except (ValueError, KeyError, IndexError) as exc:
            raise ValueError(f"bad number format: {exc}") from exc
        if names != NUMBER_FIELDS:
            raise ValueError("the number format names exactly {year} and {serial}")
        return value

    def number(self, year: int, serial: int) -> str:
        return self.format.format(year=year, serial=serial)


class NoticeCode(Sourced):
    """The activation code printed on a notice: its purpose (one of applicants.yaml's) and how
    long it opens an account, counted from the issue or from the day repair may be applied for."""

    purpose: str
    validity: Duration
    counted_from: Literal["issued", "repair_from"] = "repair_from"

    @field_validator("validity")
    @classmethod
    def _in_days(cls, value: Duration) -> Duration:
        if value.unit != "day" or value.amount < 1:
            raise ValueError("write the validity in days, e.g. '365 days'")
        return value

    @property
    def lifetime(self) -> timedelta:
        return timedelta(days=self.validity.amount)


class NoticeBasis(Sourced):
    text: str = Field(min_length=1)


class RepairNotice(Sourced):
    title: str = Field(min_length=1)
    number: NumberFormat
    activation_code: NoticeCode
    intro: str = Field(min_length=1)
    legal_basis: list[NoticeBasis] = Field(min_length=1)
    how_to_apply: list[str] = Field(min_length=1)
    materials: list[str] = Field(min_length=1)
    closing: str = ""


class RepairReminders(Sourced):
    """Reminders `before_working_days` working days before the day repair may be applied for
    (0: that day), each sent once to the subject and to the deciding department."""

    before_working_days: list[int] = Field(min_length=1)
    late_days: int = Field(ge=0, le=31)
    subject_title: str
    subject_title_today: str
    subject_body: str
    department_title: str
    department_title_today: str
    department_body: str

    @field_validator("before_working_days")
    @classmethod
    def _distinct(cls, value: list[int]) -> list[int]:
        if any(days < 0 or days > 60 for days in value) or len(set(value)) != len(value):
            raise ValueError("distinct working days from 0 to 60, e.g. [5, 0]")
        return sorted(value, reverse=True)

    @field_validator(
        "subject_title",
        "subject_title_today",
        "subject_body",
        "department_title",
        "department_title_today",
        "department_body",
    )
    @classmethod
    def _known_fields(cls, value: str) -> str:
        try:
            unknown = _fields(value) - REMINDER_FIELDS
        except ValueError as exc:
            raise ValueError(f"bad text: {exc}") from exc
        if unknown:
            raise ValueError(f"unknown placeholder {{{sorted(unknown)[0]}}}")
        return value


class NoticesPolicy(Sourced):
    repair_notice: RepairNotice
    reminders: RepairReminders
