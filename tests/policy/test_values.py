"""Policy values checked against the texts (issue 11, "Policy values found wrong"): each value
cites a text that says it, and carries its confidence (`verified: true` only where read)."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from xinyong.errors import PolicyError
from xinyong.policy import SHIPPED_DIR, load_policy

COURT_RULE = "失信被执行人"


def test_c05_cites_a_text_about_commitments():
    """Issue 11, "Policy values found wrong": 优化营商环境条例 第四十条 is about the licensing
    list, not 告知承诺; C05 cites 河南 条例 第三十二条第（一）项, unverified (not read here)."""
    (basis,) = load_policy().measures["C05"].bases
    assert "优化营商环境条例" not in basis.law
    assert (basis.law, basis.article) == ("《河南省社会信用条例》", "第三十二条第（一）项")
    assert basis.verified is False


def test_court_rule_basis_only_for_sxbzxr_entries():
    """Issue 11, "Policy values found wrong": the court rule on 失信被执行人 is the basis only
    for entries of the 失信被执行人 item; every other entry a punishment applies to has its own."""
    policy = load_policy()
    for measure in policy.measures.values():
        for basis in measure.bases:
            if COURT_RULE in basis.law:
                assert basis.items == ["sxbzxr"], measure.code
        if measure.kind == "punishment":
            entries = {i for t in measure.list_types for i in policy.list_types[t].items}
            covered = {i for b in measure.bases for i in (b.items or entries)}
            assert covered == entries, measure.code
    for code in ("C02", "C03", "C06"):
        yzsxmd = policy.measures[code].basis_for("yzsxmd")
        assert yzsxmd is not None and COURT_RULE not in yzsxmd.law, code


def test_order_36_periods_are_not_described_as_those_of_order_58():
    """Issue 11, "Policy values found wrong": No. 58 had one 3-month–3-year window, No. 36 has
    three classes; penalties not published are No. 36's 轻微 class."""
    text = (SHIPPED_DIR / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")
    assert "periods are the same" not in text and "期限相同" not in text
    rule = load_policy().items["xzcf"].publication
    assert "3个月至3年" in rule.source or "3个月、最长3年" in rule.source
    condition = rule.not_published_when_only
    assert condition is not None
    assert condition.source.startswith("国家发展改革委令第36号") and "轻微" in condition.source


def test_objection_source_cites_henan_regulation_article_41():
    """Issue 11, "Policy values found wrong": 异议中 marking cites 河南 条例 第四十一条 (read)."""
    disclosure = load_policy().disclosure
    assert "《河南省社会信用条例》第四十一条" in disclosure.objection_source
    assert disclosure.objection_verified is True


def _sourced(value: object, path: str = ""):
    """(path, confidence) of every source in the policy tree: a model's `source` goes with its
    `verified`, a `<name>_source` with its `<name>_verified`."""
    if isinstance(value, BaseModel):
        for name in type(value).model_fields:
            if (name == "source" or name.endswith("_source")) and getattr(value, name):
                flag = name.removesuffix("source") + "verified"
                yield f"{path}.{name}", getattr(value, flag, None)
            yield from _sourced(getattr(value, name), f"{path}.{name}")
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _sourced(item, f"{path}[{key}]")
    elif isinstance(value, list | tuple):
        for index, item in enumerate(value):
            yield from _sourced(item, f"{path}[{index}]")


def test_every_policy_value_carries_its_confidence():
    """Issue 11, "Policy values found wrong": every sourced value says whether its text was read."""
    found = list(_sourced(load_policy()))
    assert len(found) > 50
    for path, verified in found:
        assert isinstance(verified, bool), path


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("  verified: false\n  minor:", "  minor:"),  # the publication rule
        ("  verified: true\n\nrules:", "\nrules:"),  # the timeliness rule
    ],
)
def test_a_value_without_its_confidence_is_refused(tmp_path: Path, old: str, new: str):
    """Issue 11, "Policy values found wrong": `verified` is required next to every source."""
    text = (SHIPPED_DIR / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")
    assert old in text
    (tmp_path / "catalog").mkdir()
    (tmp_path / "catalog" / "xzcf.yaml").write_text(text.replace(old, new, 1), encoding="utf-8")
    with pytest.raises(PolicyError) as caught:
        load_policy(tmp_path)
    assert "verified" in str(caught.value)
