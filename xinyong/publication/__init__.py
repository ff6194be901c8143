"""The publication view: who sees which credit records, as of when (see `service`)."""

from xinyong.publication.service import (
    Badge,
    RecordPage,
    RecordQuery,
    ShownField,
    ShownRecord,
    badges,
    get_record,
    visible_records,
)

__all__ = [
    "Badge",
    "RecordPage",
    "RecordQuery",
    "ShownField",
    "ShownRecord",
    "badges",
    "get_record",
    "visible_records",
]
