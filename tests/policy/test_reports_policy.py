"""`reports.yaml` is checked at start-up: a section naming an item the catalog lacks, a kind
whose action no permission rule governs, a period longer than 5 years, an unknown placeholder
— each a one-line PolicyError, not a report that silently lists nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from xinyong.errors import PolicyError
from xinyong.policy import load_policy
from xinyong.policy.loader import SHIPPED_DIR


def _city(tmp_path: Path, change) -> Path:  # type: ignore[no-untyped-def]
    shipped = yaml.safe_load((SHIPPED_DIR / "reports.yaml").read_text())
    change(shipped)
    (tmp_path / "reports.yaml").write_text(yaml.safe_dump(shipped, allow_unicode=True))
    return tmp_path


@pytest.mark.parametrize(
    ("change", "said"),
    [
        (lambda p: p["kinds"][2]["sections"][0]["items"].append("xsps"), "unknown catalog item"),
        (lambda p: p["kinds"][0].update(action="reports.nobody"), "in no permission rule"),
        (lambda p: p["kinds"][2]["period"].update(max_years=6), "max_years"),
        (lambda p: p["statements"].update(validity="见 {site}"), "unknown placeholder"),
        (lambda p: p["kinds"][1].update(default=True, subjects="any"), "already the default"),
    ],
)
def test_a_wrong_reports_policy_fails_at_start_up(tmp_path, change, said):
    with pytest.raises(PolicyError) as failed:
        load_policy(_city(tmp_path, change))
    assert said in str(failed.value) and "reports.yaml" in str(failed.value)


def test_a_city_adds_a_kind_by_its_own_file(tmp_path):
    def add(policy):  # type: ignore[no-untyped-def]
        extra = dict(policy["kinds"][2], code="bidding", name="专项信用报告（招标投标版）")
        policy["kinds"].append(extra)

    loaded = load_policy(_city(tmp_path, add)).reports
    assert loaded.kind("bidding") is not None and loaded.kind("special") is not None
