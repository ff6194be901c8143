"""The whole schema in one import, for Alembic and for tests."""

from xinyong.applicants.models import ActivationCode, Applicant
from xinyong.auth.models import ApiKey, AuditEntry, Department, LoginFailure, Region, User
from xinyong.cases.models import Case, CaseFile, CaseReminder, CaseStep
from xinyong.collection.models import Batch, Rejection
from xinyong.commitments.models import CommitmentCase
from xinyong.db import Base
from xinyong.evaluation.models import (
    EvaluationContribution,
    EvaluationResult,
    EvaluationRun,
    RecognisedEvaluation,
)
from xinyong.lists.models import ListCase
from xinyong.measures.models import Check, CheckBatch, CheckFeedback, CheckReceipt
from xinyong.notices.models import Notice
from xinyong.notifications.models import Message
from xinyong.objections.models import ObjectionCase
from xinyong.records.models import Record, RecordChange, RecordEvent
from xinyong.repairs.models import RepairCase
from xinyong.reports.models import AuthorisedReport, Report, ReportAuthorisation, ReportFile
from xinyong.subjects.models import (
    Subject,
    SubjectChange,
    SubjectIdentifier,
    SubjectMerge,
    SubjectMove,
    SubjectName,
    SubjectProfile,
)
from xinyong.supervision.models import (
    Avoidance,
    Draw,
    DrawnSubject,
    InspectionResult,
    Inspector,
    Plan,
)

__all__ = [
    "ActivationCode",
    "ApiKey",
    "Applicant",
    "AuditEntry",
    "AuthorisedReport",
    "Avoidance",
    "Base",
    "Batch",
    "Case",
    "CaseFile",
    "CaseReminder",
    "CaseStep",
    "Check",
    "CheckBatch",
    "CheckFeedback",
    "CheckReceipt",
    "CommitmentCase",
    "Department",
    "Draw",
    "DrawnSubject",
    "EvaluationContribution",
    "EvaluationResult",
    "EvaluationRun",
    "InspectionResult",
    "Inspector",
    "ListCase",
    "LoginFailure",
    "Message",
    "Notice",
    "ObjectionCase",
    "Plan",
    "RecognisedEvaluation",
    "Record",
    "RecordChange",
    "RecordEvent",
    "Region",
    "Rejection",
    "RepairCase",
    "Report",
    "ReportAuthorisation",
    "ReportFile",
    "Subject",
    "SubjectChange",
    "SubjectIdentifier",
    "SubjectMerge",
    "SubjectMove",
    "SubjectName",
    "SubjectProfile",
    "User",
]
