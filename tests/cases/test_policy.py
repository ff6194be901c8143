"""Case kinds in policy: the shipped listing kind, and wrong kinds refused with file and line
at load (states, steps, permission actions) or at first use (the code's own states)."""

from pathlib import Path

import pytest

from xinyong.cases import kinds
from xinyong.errors import PolicyError
from xinyong.lists.models import CaseStatus
from xinyong.policy import SHIPPED_DIR, load_policy, use_policy

SAMPLE = (Path(__file__).parent / "policy" / "cases" / "sample.yaml").read_text(encoding="utf-8")
LISTING = (SHIPPED_DIR / "cases" / "listing.yaml").read_text(encoding="utf-8")


def _folder(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / "cases").mkdir(exist_ok=True)
    (tmp_path / "cases" / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_the_listing_kind_is_the_listing_procedure():
    listing = kinds.kind("listing")
    assert [s.code for s in listing.states] == [s.value for s in CaseStatus]
    assert CaseStatus.NOTIFIED.label == "已告知"
    assert [(t.name, t.label) for t in listing.next_steps("notified")] == [
        ("statement", "记录陈述申辩"),
        ("enter", "列入"),
        ("drop", "不予列入"),
    ]
    assert listing.transition("notify").deadline.count == "working"


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (
            ("to: decided", "to: approved"),
            "cases/sample.yaml:50: case kind sample: unknown state .approved.",
        ),
        (("from: [forwarded]", "from: [decided]"), "'decided' is terminal"),
        (("from: [received]\n", "from: []\n"), "exactly one transition opens a case"),
        (("      days: 3\n", ""), "a deadline has either `days` or `days_from`"),
    ],
)
def test_a_kind_whose_steps_do_not_fit_its_states_fails_at_load(tmp_path, change, reason):
    folder = _folder(tmp_path, "sample.yaml", SAMPLE.replace(*change, 1))
    with pytest.raises(PolicyError, match=reason.replace("[", r"\[")):
        load_policy(folder)


def test_an_action_permissions_yaml_does_not_rule_fails_at_load(tmp_path):
    folder = _folder(tmp_path, "sample.yaml", SAMPLE.replace("lists.drop", "lists.decide"))
    with pytest.raises(PolicyError, match=r"case kind sample.*unknown permission action"):
        load_policy(folder)


def test_a_city_listing_kind_must_keep_the_states_the_code_uses(tmp_path):
    renamed = LISTING.replace("code: dropped", "code: withdrawn")
    folder = _folder(tmp_path, "listing.yaml", renamed.replace("to: dropped", "to: withdrawn"))
    use_policy(folder)
    with pytest.raises(PolicyError, match="missing states dropped that ListCase uses"):
        kinds.kind("listing")


def test_a_kind_no_case_class_maps_is_refused(tmp_path):
    folder = _folder(tmp_path, "other.yaml", SAMPLE.replace("code: sample", "code: other"))
    use_policy(folder)
    with pytest.raises(PolicyError, match="case kind other: no case class maps this kind"):
        kinds.all_kinds()
