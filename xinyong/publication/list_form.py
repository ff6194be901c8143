"""The lists page's filter form read as a person fills it in: every field arrives as text from a
plain GET form (or an old link), and a value that cannot be used is dropped with a Chinese
message, never answered with a 422 page. The page and its exports read the same form."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from xinyong import codes
from xinyong.publication.lists import ListFilter, ListKind, list_items_of

# The deepest page a link may name before it is read as "past the end" (keeps OFFSET small).
MAX_PAGE = 1000
# What <input type="date"> sends; fromisoformat alone would also take 20260131 or 2026-W05.
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


@dataclass(frozen=True)
class ListForm:
    """The form as sent (`kind` … `page`, all text) and the city whose districts it offers."""

    city_code: str
    kind: str = ""
    item: str = ""
    region: str = ""
    department: str = ""
    decided_from: str = ""
    decided_to: str = ""
    page: str = ""


@dataclass(frozen=True)
class ReadForm:
    wanted: ListFilter
    problems: list[str] = field(default_factory=list)

    def query(self, page: int | None = None) -> dict[str, str]:
        """The filter as query parameters, for paging links and the export links."""
        w = self.wanted
        params = {
            "kind": w.kind.value,
            "item": w.item_code or "",
            "region": w.region_code or "",
            "department": str(w.department_id or ""),
            "decided_from": w.decided_from.isoformat() if w.decided_from else "",
            "decided_to": w.decided_to.isoformat() if w.decided_to else "",
        }
        if page is not None:
            params["page"] = str(page)
        return params


def read_form(form: ListForm) -> ReadForm:
    problems: list[str] = []
    kind = _kind(form.kind, problems)
    decided_from = _date(form.decided_from, "起始日期", problems)
    decided_to = _date(form.decided_to, "截止日期", problems)
    if decided_from and decided_to and decided_from > decided_to:
        problems.append("起始日期晚于截止日期，已忽略日期条件，请重新选择")
        decided_from = decided_to = None
    wanted = ListFilter(
        kind=kind,
        item_code=_item(kind, form.item.strip(), problems),
        region_code=_region(form.city_code, form.region.strip(), problems),
        department_id=_department(form.department),
        decided_from=decided_from,
        decided_to=decided_to,
        page=_page(form.page, problems),
    )
    return ReadForm(wanted, problems)


def _kind(text: str, problems: list[str]) -> ListKind:
    text = text.strip()
    if not text:
        return ListKind.BLACK
    try:
        return ListKind(text)
    except ValueError:
        problems.append("没有这种名单类型，已显示黑名单（失信惩戒）")
        return ListKind.BLACK


def _item(kind: ListKind, code: str, problems: list[str]) -> str | None:
    if not code:
        return None
    if code not in {item.code for item in list_items_of(kind)}:
        problems.append(f"{kind.label}中没有这种名单，已显示全部名单")
        return None
    return code


def _region(city_code: str, code: str, problems: list[str]) -> str | None:
    """A district of the city (by code, as the dropdown sends and old links carry), or the
    whole city."""
    if not code or code == city_code:
        return None
    if not codes.region_covers(city_code, code) or not codes.is_valid_region(code):
        problems.append("没有这个地区，已显示全部地区")
        return None
    return code


def _department(text: str) -> int | None:
    """The dropdown sends a department's id; anything else (an old or edited link) is all."""
    text = text.strip()
    return int(text) if text.isascii() and text.isdigit() and 0 < int(text) < 2**63 else None


def _date(text: str, label: str, problems: list[str]) -> date | None:
    text = text.strip()
    if not text:
        return None
    try:
        if _ISO_DATE.fullmatch(text):
            return date.fromisoformat(text)
    except ValueError:  # 2026-02-30
        pass
    problems.append(f"{label}格式应为 年-月-日，如 2026-01-31，已忽略该条件")
    return None


def _page(text: str, problems: list[str]) -> int:
    text = text.strip()
    if not text:
        return 1
    digits = text.lstrip("0")
    if not (text.isascii() and text.isdigit()) or not digits:
        problems.append("页码应为正整数，已显示第 1 页")
        return 1
    # Past MAX_PAGE is past the end of any list a person browses (and int() of a very long
    # text is refused by Python): the page then shows the last page.
    return MAX_PAGE if len(digits) > len(str(MAX_PAGE)) else min(int(digits), MAX_PAGE)
