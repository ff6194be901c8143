"""Who the API sees: the caller's identity as a department system or a staff member."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from xinyong.auth.principal import Kind
from xinyong.http.answers import refusals
from xinyong.http.principal import SignedIn, api_router

router = api_router("平台")


class CallerOut(BaseModel):
    kind: Literal["api_key", "staff"] = Field(description="api_key：部门系统；staff：工作人员")
    actor: str = Field(description="审计日志中的调用方标识，如 department:gz-scjgj、user:7")
    department_code: str | None = None
    department_name: str | None = None
    username: str | None = None
    role: str
    role_label: str
    region_code: str | None


@router.get("/whoami", response_model=CallerOut, summary="当前调用方", responses=refusals(401))
def whoami(principal: SignedIn) -> CallerOut:
    role = principal.role
    assert role is not None  # signed in
    by_key = principal.kind is Kind.DEPARTMENT
    return CallerOut(
        kind="api_key" if by_key else "staff",
        actor=principal.actor,
        department_code=principal.actor.split(":", 1)[1] if by_key else None,
        department_name=principal.name if by_key else None,
        username=None if by_key else principal.name,
        role=role.value,
        role_label=role.label,
        region_code=principal.region_code,
    )
