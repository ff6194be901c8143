"""`lists.yaml`: list types (red, black, focus), the catalog items whose records are their
entries, and the listing procedure."""

from __future__ import annotations

from typing import Literal

from pydantic import Field

from xinyong.policy.schemas.common import CODE_PATTERN, PolicyModel, Sourced


class ListProcedure(Sourced):
    """How the console lists a subject: proposal, notice with a period to state its case, then
    an entry (a record of `item`)."""

    item: str
    statement_working_days: int = Field(ge=1)


class ListType(Sourced):
    code: str = Field(pattern=CODE_PATTERN)
    name: str
    kind: Literal["black", "red", "focus"]
    items: list[str] = Field(min_length=1)  # catalog items whose records are entries
    procedure: ListProcedure | None = None


class ListsFile(PolicyModel):
    list_types: list[ListType]
