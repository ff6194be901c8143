"""Numbered page links: the first, the last and the pages near the current one."""

from urllib.parse import parse_qs, urlsplit

from xinyong.web.paging import pager


def _numbers(found):
    return ["…" if link.number is None else link.number for link in found.links]


def test_ten_pages_from_the_first():
    assert _numbers(pager("/search", {}, 1, 10)) == [1, 2, 3, "…", 10]


def test_the_middle_shows_neighbours_and_both_ends():
    found = pager("/search", {}, 6, 12)
    assert _numbers(found) == [1, "…", 4, 5, 6, 7, 8, "…", 12]
    assert [link.number for link in found.links if link.current] == [6]


def test_a_gap_of_one_page_shows_the_page_instead():
    assert _numbers(pager("/search", {}, 4, 10)) == [1, 2, 3, 4, 5, 6, "…", 10]


def test_one_page_and_the_previous_and_next_links():
    only = pager("/search", {}, 1, 1)
    assert (_numbers(only), only.previous, only.next) == ([1], None, None)
    last = pager("/search", {"q": "五金"}, 3, 3)
    assert last.next is None and last.previous == "/search?q=%E4%BA%94%E9%87%91&page=2"


def test_links_keep_the_query_and_filters_and_drop_empty_ones():
    found = pager("/search", {"q": "广州 五金", "type": "enterprise", "region": ""}, 1, 2)
    query = parse_qs(urlsplit(found.next or "").query)
    assert query == {"q": ["广州 五金"], "type": ["enterprise"], "page": ["2"]}
