"""Cross-checks of `supervision.yaml` against the evaluation models and the code lists: every
model it names exists, each scheme places every grade of those models in a class, and every
outcome's result is a code of `inspection_result`."""

from __future__ import annotations

from collections.abc import Iterator

from xinyong.policy.checks.problem import Problem
from xinyong.policy.schemas import Policy
from xinyong.policy.schemas.supervision import SupervisionPolicy


def check_supervision(supervision: SupervisionPolicy, policy: Policy) -> Iterator[Problem]:
    """Needs `policy.evaluation_models` and `policy.codelists`."""
    named: dict[tuple[str, ...], str] = {("default_model",): supervision.default_model}
    named |= {("models", t.value): code for t, code in supervision.models.items()}
    grades: set[str] = set()
    for at, code in named.items():
        model = policy.evaluation_models.get(code)
        if model is None:
            yield Problem(at, f"unknown evaluation model '{code}'")
        else:
            grades |= {band.grade for band in model.bands}
    for s, scheme in enumerate(supervision.schemes):
        placed = {g for klass in scheme.classes for g in klass.grades}
        for grade in sorted(grades - placed):
            yield Problem(("schemes", s, "classes"), f"grade '{grade}' is in no class")
        if scheme.sector_model is None:
            continue
        sector = policy.evaluation_models.get(scheme.sector_model)
        if sector is None:
            yield Problem(("schemes", s, "sector_model"), "unknown evaluation model")
            continue
        if scheme.sector_model in named.values():
            yield Problem(("schemes", s, "sector_model"), "is a general model, not a sector one")
        placed = {g for klass in scheme.classes for g in klass.sector_grades}
        for grade in sorted({band.grade for band in sector.bands} - placed):
            yield Problem(("schemes", s, "classes"), f"sector grade '{grade}' is in no class")
    results = policy.codelists.get("inspection_result")
    known = {entry.code for entry in results.entries} if results else set()
    for o, outcome in enumerate(supervision.outcomes):
        if outcome.result not in known:
            problem = f"'{outcome.result}' is not an inspection_result code"
            yield Problem(("outcomes", o, "result"), problem)
    methods = policy.codelists.get("inspection_method")
    if methods is None or supervision.inspection_method not in {e.code for e in methods.entries}:
        yield Problem(("inspection_method",), "not an inspection_method code")
