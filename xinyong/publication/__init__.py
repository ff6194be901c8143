"""The publication view: who sees which credit records, as of when (see `service`)."""

from xinyong.publication.service import (
    PUBLIC,
    Badge,
    RecordPage,
    RecordQuery,
    ShownField,
    ShownRecord,
    Viewer,
    badges,
    get_record,
    visible_records,
)

__all__ = [
    "PUBLIC",
    "Badge",
    "RecordPage",
    "RecordQuery",
    "ShownField",
    "ShownRecord",
    "Viewer",
    "badges",
    "get_record",
    "visible_records",
]
