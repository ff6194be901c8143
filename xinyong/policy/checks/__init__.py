"""Cross-checks that need more than one model: one module per policy file, each check taking
the value read from that file and the policy assembled so far (see the loader's registry)."""

from xinyong.policy.checks.cases import check_case_kind
from xinyong.policy.checks.catalog import check_item
from xinyong.policy.checks.codelists import check_codelist
from xinyong.policy.checks.commitments import check_commitments
from xinyong.policy.checks.evaluation import check_evaluation_model
from xinyong.policy.checks.holidays import check_year
from xinyong.policy.checks.lists import check_lists
from xinyong.policy.checks.measures import check_measures
from xinyong.policy.checks.notices import check_notices
from xinyong.policy.checks.permissions import check_permissions
from xinyong.policy.checks.problem import Problem, YamlPath
from xinyong.policy.checks.repair import check_repair
from xinyong.policy.checks.reports import check_reports
from xinyong.policy.checks.supervision import check_supervision

__all__ = [
    "Problem",
    "YamlPath",
    "check_case_kind",
    "check_codelist",
    "check_commitments",
    "check_evaluation_model",
    "check_item",
    "check_lists",
    "check_measures",
    "check_notices",
    "check_permissions",
    "check_repair",
    "check_reports",
    "check_supervision",
    "check_year",
]
