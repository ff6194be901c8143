"""The whole schema in one import, for Alembic and for tests."""

from xinyong.applicants.models import ActivationCode, Applicant
from xinyong.auth.models import ApiKey, AuditEntry, Department, LoginFailure, Region, User
from xinyong.cases.models import Case, CaseReminder, CaseStep
from xinyong.collection.models import Batch, Rejection
from xinyong.db import Base
from xinyong.lists.models import ListCase
from xinyong.measures.models import Check, CheckBatch, CheckFeedback
from xinyong.notifications.models import Message
from xinyong.records.models import Record, RecordEvent
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectName

__all__ = [
    "ActivationCode",
    "ApiKey",
    "Applicant",
    "AuditEntry",
    "Base",
    "Batch",
    "Case",
    "CaseReminder",
    "CaseStep",
    "Check",
    "CheckBatch",
    "CheckFeedback",
    "Department",
    "ListCase",
    "LoginFailure",
    "Message",
    "Record",
    "RecordEvent",
    "Region",
    "Rejection",
    "Subject",
    "SubjectIdentifier",
    "SubjectName",
    "User",
]
