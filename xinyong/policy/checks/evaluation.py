"""Cross-checks of an evaluation model (`evaluation/<model>.yaml`) against the catalog: every
item it reads or an override names exists, a field it filters on is one of the item's, and
`years_founded` grades only organisations (persons have no registration)."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import Policy
from xinyong.policy.schemas.evaluation import EvaluationModel


def check_evaluation_model(model: EvaluationModel, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.items`."""
    for d, dimension in enumerate(model.dimensions):
        for i, indicator in enumerate(dimension.indicators):
            at = ("dimensions", d, "indicators", i)
            if indicator.measure == "years_founded":
                if SubjectType.NATURAL_PERSON in model.subject_types:
                    yield Problem((*at, "measure"), "natural persons have no 成立日期")
                continue
            assert indicator.reads is not None
            for code in indicator.reads.items:
                item = policy.items.get(code)
                if item is None:
                    yield Problem((*at, "reads", "items"), f"unknown catalog item '{code}'")
                elif indicator.reads.field and not item.has_field(indicator.reads.field):
                    yield Problem(
                        (*at, "reads", "field"), f"'{code}' has no field '{indicator.reads.field}'"
                    )
    for o, override in enumerate(model.overrides):
        for code in override.items:
            if code not in policy.items:
                yield Problem(("overrides", o, "items"), f"unknown catalog item '{code}'")
