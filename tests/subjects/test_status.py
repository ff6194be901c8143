"""Registration statuses and their labels: one table, and an unknown code is never 存续."""

from xinyong.subjects.status import STATUSES, subject_status


def test_ended_statuses_are_marked_and_carrying_on_ones_are_not():
    ended = {s.label for s in STATUSES.values() if s.ended}
    assert ended == {"注销", "吊销", "迁出", "撤销"}
    assert subject_status("active").label == "存续" and not subject_status("active").ended


def test_a_code_the_table_lacks_is_shown_as_stored_and_marked():
    odd = subject_status("suspended")
    assert (odd.label, odd.ended) == ("suspended", True)
