"""Typed policy, one module per policy file (`codelists`, `catalog` with `catalog_rules`,
`holidays`, `disclosure`, `lists`, `measures`, `permissions`, `cases`, `applicants`, `notices`,
`repair`, `commitments`, `supervision`, `reports`), the
shared bits in `common`, and the assembled `Policy`. Every name is re-exported here: callers
import from `xinyong.policy.schemas`.

Every model forbids unknown keys, so a typo in a policy file fails at start-up instead of
being silently ignored. Cross-references (field codes, code-list names, list types) are
checked by `xinyong.policy.checks` once the whole policy is read.
"""

from xinyong.policy.schemas.applicants import ActivationCodeRule, ApplicantsPolicy
from xinyong.policy.schemas.cases import (
    CaseKind,
    CaseState,
    Choice,
    Deadline,
    Material,
    StepField,
    Suspension,
    Transition,
)
from xinyong.policy.schemas.catalog import (
    UNIT_FACTORS,
    CatalogField,
    CatalogItem,
    Category,
    CategoryCondition,
    Columns,
    FieldType,
    MoneyUnit,
    OpenEnd,
    PublicationRule,
    SubjectTypeColumn,
    TimelinessRule,
    Window,
)
from xinyong.policy.schemas.catalog_rules import (
    AmountAgreesWithTextRule,
    CategoryFromCodeRule,
    Contains,
    DateOrderRule,
    IdentifierForSubjectTypeRule,
    NotFutureRule,
    RequiredIdentifier,
    RequiredIfRule,
    Rule,
    RuleBase,
)
from xinyong.policy.schemas.codelists import CodeEntry, CodeList, CodeListFile
from xinyong.policy.schemas.commitments import (
    Bar,
    BreachRule,
    CommitmentsPolicy,
    CommitmentTemplate,
    Fulfilment,
)
from xinyong.policy.schemas.common import (
    CODE_PATTERN,
    UNIT_LABELS,
    Duration,
    MaySource,
    PolicyModel,
    Sourced,
    lookup_key,
)
from xinyong.policy.schemas.disclosure import DisclosurePolicy, RoleView
from xinyong.policy.schemas.evaluation import EvaluationModel
from xinyong.policy.schemas.holidays import DateRange, HolidayFile, HolidayYear
from xinyong.policy.schemas.lists import ListProcedure, ListsFile, ListType
from xinyong.policy.schemas.measures import LegalBasis, Matter, Measure, MeasuresFile
from xinyong.policy.schemas.notices import NoticesPolicy
from xinyong.policy.schemas.permissions import PermissionRule, PermissionsFile
from xinyong.policy.schemas.policy import Policy
from xinyong.policy.schemas.repair import (
    AnswerPeriod,
    Commitment,
    RepairableItem,
    RepairPolicy,
)
from xinyong.policy.schemas.reports import ReportKind, ReportsPolicy
from xinyong.policy.schemas.supervision import (
    ClassVisibility,
    Outcome,
    Scheme,
    SupervisionClass,
    SupervisionPolicy,
)

__all__ = [
    "CODE_PATTERN",
    "UNIT_FACTORS",
    "UNIT_LABELS",
    "ActivationCodeRule",
    "AmountAgreesWithTextRule",
    "AnswerPeriod",
    "ApplicantsPolicy",
    "Bar",
    "BreachRule",
    "CaseKind",
    "CaseState",
    "CatalogField",
    "CatalogItem",
    "Category",
    "CategoryCondition",
    "CategoryFromCodeRule",
    "Choice",
    "ClassVisibility",
    "CodeEntry",
    "CodeList",
    "CodeListFile",
    "Columns",
    "Commitment",
    "CommitmentTemplate",
    "CommitmentsPolicy",
    "Contains",
    "DateOrderRule",
    "DateRange",
    "Deadline",
    "DisclosurePolicy",
    "Duration",
    "EvaluationModel",
    "FieldType",
    "Fulfilment",
    "HolidayFile",
    "HolidayYear",
    "IdentifierForSubjectTypeRule",
    "LegalBasis",
    "ListProcedure",
    "ListType",
    "ListsFile",
    "Material",
    "Matter",
    "MaySource",
    "Measure",
    "MeasuresFile",
    "MoneyUnit",
    "NotFutureRule",
    "NoticesPolicy",
    "OpenEnd",
    "Outcome",
    "PermissionRule",
    "PermissionsFile",
    "Policy",
    "PolicyModel",
    "PublicationRule",
    "RepairPolicy",
    "RepairableItem",
    "ReportKind",
    "ReportsPolicy",
    "RequiredIdentifier",
    "RequiredIfRule",
    "RoleView",
    "Rule",
    "RuleBase",
    "Scheme",
    "Sourced",
    "StepField",
    "SubjectTypeColumn",
    "SupervisionClass",
    "SupervisionPolicy",
    "Suspension",
    "TimelinessRule",
    "Transition",
    "Window",
    "lookup_key",
]
