"""The whole loaded policy, one attribute per concern (the loader's registry fills them)."""

from __future__ import annotations

from xinyong.policy.schemas.applicants import ApplicantsPolicy
from xinyong.policy.schemas.cases import CaseKind
from xinyong.policy.schemas.catalog import CatalogItem
from xinyong.policy.schemas.codelists import CodeList
from xinyong.policy.schemas.commitments import CommitmentsPolicy
from xinyong.policy.schemas.common import PolicyModel
from xinyong.policy.schemas.disclosure import DisclosurePolicy
from xinyong.policy.schemas.evaluation import EvaluationModel
from xinyong.policy.schemas.holidays import HolidayYear
from xinyong.policy.schemas.lists import ListType
from xinyong.policy.schemas.measures import Matter, Measure
from xinyong.policy.schemas.notices import NoticesPolicy
from xinyong.policy.schemas.permissions import PermissionRule
from xinyong.policy.schemas.repair import RepairPolicy
from xinyong.policy.schemas.reports import ReportsPolicy
from xinyong.policy.schemas.supervision import SupervisionPolicy


class Policy(PolicyModel):
    """The whole loaded policy: code lists by name, catalog items by code (in display order),
    holiday years by year, and who sees what."""

    codelists: dict[str, CodeList]
    items: dict[str, CatalogItem]
    sources: dict[str, str] = {}  # item code → the file it came from
    holidays: dict[int, HolidayYear] = {}
    disclosure: DisclosurePolicy
    list_types: dict[str, ListType] = {}
    matters: dict[str, Matter] = {}
    measures: dict[str, Measure] = {}
    permissions: dict[str, PermissionRule] = {}  # action → the rule that governs it
    case_kinds: dict[str, CaseKind] = {}
    case_sources: dict[str, str] = {}  # case kind → the file it came from
    applicants: ApplicantsPolicy
    notices: NoticesPolicy
    repair: RepairPolicy
    commitments: CommitmentsPolicy
    evaluation_models: dict[str, EvaluationModel] = {}
    evaluation_sources: dict[str, str] = {}  # model code → the file it came from
    supervision: SupervisionPolicy
    reports: ReportsPolicy

    def codelist(self, name: str) -> CodeList:
        return self.codelists[name]
