"""The whole schema in one import, for Alembic and for tests."""

from xinyong.auth.models import ApiKey, AuditEntry, Department, Region, User
from xinyong.db import Base
from xinyong.records.models import Record, RecordEvent
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectName

__all__ = [
    "ApiKey",
    "AuditEntry",
    "Base",
    "Department",
    "Record",
    "RecordEvent",
    "Region",
    "Subject",
    "SubjectIdentifier",
    "SubjectName",
    "User",
]
