"""The shapes of cases at the HTTP edge: a page of cases and one case with its steps."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field


class CaseOut(BaseModel):
    id: int = Field(description="案件编号")
    kind: str = Field(description="案件类型编码，如 listing")
    kind_name: str = Field(description="案件类型名称，如 列入严重失信主体名单")
    state: str
    state_label: str = Field(description="状态的中文名称，如 已告知")
    subject_id: int
    subject_name: str
    department_id: int = Field(description="承办（认定）部门")
    department_name: str
    record_id: int | None = Field(description="案件涉及或生成的信用记录")
    opened_at: datetime
    closed_at: datetime | None
    due: date | None = Field(description="正在计算的期限的最后一天")
    due_count: str | None = Field(description="working 工作日 / natural 自然日")
    suspended_on: date | None = Field(description="期限自该日起中止")
    answer_due: date | None = Field(description="答复申请人的最后一天（整个案件的期限）")
    overdue: bool = Field(description="期限已过而案件未办结")


class CasePageOut(BaseModel):
    total: int
    page: int
    page_size: int
    items: list[CaseOut]


class StepOut(BaseModel):
    transition: str
    label: str
    from_state: str | None
    to_state: str
    at: datetime
    actor: str
    note: str | None
    data: dict[str, Any]


class TransitionIn(BaseModel):
    transition: str = Field(
        pattern=r"^[a-z][a-z0-9_]{0,31}$", description="步骤名称，如 approve（见案件类型策略）"
    )
    note: str | None = Field(default=None, max_length=2000, description="办理意见，记入案件日志")
    data: dict[str, Any] = Field(
        default_factory=dict, max_length=20, description="该步骤自有的字段，如 reasons、outcome"
    )


class CaseDetailOut(CaseOut):
    details: dict[str, Any] = Field(description="该类案件自有的字段")
    steps: list[StepOut]
