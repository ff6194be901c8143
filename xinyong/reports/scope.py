"""What a report covers, checked before anything is read: its kind (reports.yaml), the sections
chosen (default: all of the kind's), the period of decision dates (at most `max_years`, a
required one defaulting to the last `default_years`) and the moment it is as of (never the
future). Every refusal is a Chinese sentence with its code."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from xinyong import clock
from xinyong.errors import DomainError
from xinyong.policy import load_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import ReportKind
from xinyong.publication.service import as_of_moment


@dataclass(frozen=True)
class Scope:
    """The sections (codes, in the kind's order) and the decision dates covered (None: all)."""

    sections: tuple[str, ...]
    starts_on: date | None
    ends_on: date | None

    def as_json(self) -> dict[str, Any]:
        return {
            "sections": list(self.sections),
            "from": self.starts_on.isoformat() if self.starts_on else None,
            "to": self.ends_on.isoformat() if self.ends_on else None,
        }

    @classmethod
    def from_json(cls, value: dict[str, Any]) -> Scope:
        start, end = value.get("from"), value.get("to")
        return cls(
            tuple(value["sections"]),
            date.fromisoformat(start) if start else None,
            date.fromisoformat(end) if end else None,
        )


MIN_YEAR = 1949  # no public credit record is older; earlier dates are typing mistakes


def kind_named(code: str) -> ReportKind:
    found = load_policy().reports.kind(code.strip())
    if found is None:
        names = "、".join(f"{k.code}（{k.name}）" for k in load_policy().reports.kinds)
        raise DomainError(f"没有这种信用报告：{code[:32]}（可选：{names}）", "reports.kind")
    return found


def default_kind(subject_type: SubjectType) -> ReportKind:
    """The kind a subject of this type gets when none is named (信用报告 of its kind)."""
    who = "person" if subject_type is SubjectType.NATURAL_PERSON else "organisation"
    for kind in load_policy().reports.kinds:
        if kind.default and kind.subjects in (who, "any"):
            return kind
    raise DomainError("本平台未设置该类主体的默认信用报告，请选择报告种类", "reports.kind")


def check_subject_type(kind: ReportKind, subject_type: SubjectType) -> None:
    person = subject_type is SubjectType.NATURAL_PERSON
    if kind.subjects == "organisation" and person:
        raise DomainError(
            f"{kind.name}只为法人和非法人组织出具，自然人请申请信用报告（个人）",
            "reports.subject_type",
        )
    if kind.subjects == "person" and not person:
        raise DomainError(
            f"{kind.name}只为自然人出具，法人和非法人组织请申请对应的信用报告",
            "reports.subject_type",
        )


def as_of_of(as_of: datetime | date | None, now: datetime | None = None) -> datetime:
    """The moment a report is as of: now when not given; a day means its end in China, today
    means now. The future is refused."""
    now = now or clock.now()
    if as_of is None:
        return now
    if isinstance(as_of, date) and not isinstance(as_of, datetime):
        today = now.astimezone(clock.SHANGHAI).date()
        if as_of == today:
            return now
        if as_of > today:
            raise DomainError("信息截止日期不能晚于今天", "reports.as_of")
    try:
        if isinstance(as_of, datetime) and as_of.tzinfo is None:  # no zone: Beijing time
            as_of = as_of.replace(tzinfo=clock.SHANGHAI)
        moment = as_of_moment(as_of)
        assert moment is not None
        moment.astimezone(clock.SHANGHAI)  # a moment at the calendar's ends cannot be shown
    except (OverflowError, ValueError):
        raise DomainError("信息截止时间超出可用的日期范围", "reports.as_of") from None
    if moment.year < MIN_YEAR:
        raise DomainError(f"信息截止时间不能早于{MIN_YEAR}年", "reports.as_of")
    if moment > now:
        raise DomainError("信息截止时间不能晚于现在", "reports.as_of")
    return moment


def scope_of(
    kind: ReportKind,
    sections: list[str] | None,
    starts_on: date | None,
    ends_on: date | None,
    as_of: datetime,
) -> Scope:
    """The kind's sections chosen (all when none) and the period, checked against reports.yaml."""
    chosen = _sections(kind, sections)
    day = as_of.astimezone(clock.SHANGHAI).date()
    rule = kind.period
    if starts_on is None and ends_on is None and not rule.required:
        return Scope(chosen, None, None)
    end = ends_on or day
    if end > day:
        raise DomainError(
            f"查询期间的截止日期（{end}）不能晚于信息截止日期（{day}）", "reports.period"
        )
    if starts_on is None:
        years = rule.default_years or rule.max_years
        starts_on = _years_before(end, years) + timedelta(days=1)
    if starts_on > end:
        raise DomainError(
            f"查询期间的起始日期（{starts_on}）晚于截止日期（{end}）", "reports.period"
        )
    earliest = _years_before(end, rule.max_years) + timedelta(days=1)
    if starts_on < earliest:
        raise DomainError(
            f"查询期间不能超过{rule.max_years}年（{earliest} 至 {end}），请缩短期间",
            "reports.period",
        )
    return Scope(chosen, starts_on, end)


def _years_before(day: date, years: int) -> date:
    """The same day `years` earlier (29 February falls back to the 28th)."""
    year = max(day.year - years, 1)
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def _sections(kind: ReportKind, sections: list[str] | None) -> tuple[str, ...]:
    if not sections:
        return tuple(s.code for s in kind.sections)
    wanted = {s.strip() for s in sections if s.strip()}
    unknown = sorted(wanted - {s.code for s in kind.sections})
    if unknown:
        names = "、".join(f"{s.code}（{s.title}）" for s in kind.sections)
        raise DomainError(
            f"{kind.name}没有领域 {unknown[0][:32]}（可选：{names}）", "reports.section"
        )
    return tuple(s.code for s in kind.sections if s.code in wanted)


def typed_period(starts_on: str, ends_on: str) -> tuple[date | None, date | None]:
    """A period typed in a form's 起始日期 and 截止日期 fields."""
    return typed_day(starts_on, "起始日期"), typed_day(ends_on, "截止日期")


def typed_day(text: str, label: str) -> date | None:
    """A date typed in a form (None: left empty), refused in Chinese when it is none."""
    if not text.strip():
        return None
    try:
        return date.fromisoformat(text.strip()[:10])
    except ValueError:
        raise DomainError(f"{label}应为日期，如 2026-01-31", "reports.period") from None
