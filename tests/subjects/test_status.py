"""Registration statuses and their labels: one table (the registration_status code list), and an
unknown code is never 存续."""

from xinyong.policy import load_policy
from xinyong.subjects.status import ENDED, ended_mark, subject_status


def test_ended_statuses_are_marked_and_carrying_on_ones_are_not():
    codes = [e.code for e in load_policy().codelists["registration_status"].entries]
    ended = {subject_status(c).label for c in codes if subject_status(c).ended}
    assert ended == {"注销", "吊销", "迁出", "撤销"} and set(ENDED) <= set(codes)
    assert subject_status("active").label == "存续" and not subject_status("active").ended
    assert subject_status(None).code == "active"
    assert (ended_mark("deregistered"), ended_mark("operating")) == ("已注销", None)


def test_a_code_the_table_lacks_is_shown_as_stored_and_marked():
    odd = subject_status("suspended")
    assert (odd.label, odd.ended) == ("suspended", True)
