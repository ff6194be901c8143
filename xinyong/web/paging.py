"""Numbered page links (上一页 1 2 3 … 10 下一页) that keep a page's query and filters."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlencode

# Pages either side of the current one; the first and last are always shown.
AROUND = 2


@dataclass(frozen=True)
class PageLink:
    number: int | None  # None: a gap, shown as …
    href: str | None
    current: bool = False


@dataclass(frozen=True)
class Pager:
    links: list[PageLink]
    previous: str | None
    next: str | None


def pager(path: str, params: Mapping[str, str], page: int, pages: int) -> Pager:
    """Links to every page near `page` and to the first and last, each with `params` (empty
    values left out, so a link reads like the form that made it)."""
    kept = {name: value for name, value in params.items() if value}

    def href(number: int) -> str:
        return f"{path}?{urlencode({**kept, 'page': number})}"

    shown = sorted({1, pages, *range(max(1, page - AROUND), min(pages, page + AROUND) + 1)})
    links: list[PageLink] = []
    for number in shown:
        before = links[-1].number if links else None
        if before is not None and number - before == 2:
            links.append(PageLink(before + 1, href(before + 1)))  # a gap of one page: show it
        elif before is not None and number - before > 2:
            links.append(PageLink(None, None))
        links.append(PageLink(number, href(number), number == page))
    return Pager(
        links=links,
        previous=href(page - 1) if page > 1 else None,
        next=href(page + 1) if page < pages else None,
    )
