"""The request and response shapes of the supervision API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from xinyong.http.params import NO_NUL, RowId


class InspectorIn(BaseModel):
    name: str = Field(min_length=1, max_length=64, pattern=NO_NUL, description="姓名")
    badge_number: str = Field(min_length=1, max_length=64, pattern=NO_NUL, description="执法证号")
    department_id: RowId | None = Field(None, description="部门（默认本部门）")


class InspectorOut(BaseModel):
    id: int
    department_id: int
    name: str
    badge_number: str
    active: bool


class AvoidanceIn(BaseModel):
    subject_id: RowId
    reason: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="回避理由")


class AvoidanceOut(BaseModel):
    id: int
    inspector_id: int
    subject_id: int
    reason: str
    ended_at: datetime | None


class PoolOut(BaseModel):
    department_id: int
    inspectors: list[InspectorOut]
    avoidances: list[AvoidanceOut]


class PlanIn(BaseModel):
    matter: str = Field(min_length=1, max_length=500, pattern=NO_NUL, description="检查事项")
    region_prefix: str = Field(pattern=r"^\d{2,6}$", description="地区代码前缀，如 4401")
    subject_types: list[str] = Field(min_length=1, max_length=6, description="主体类型")
    name_keyword: str | None = Field(None, max_length=64, pattern=NO_NUL, description="名称关键词")
    starts_on: date
    ends_on: date
    inspectors_per_subject: int = Field(2, ge=1, le=10, description="每户检查人员数")
    department_id: RowId | None = Field(None, description="部门（默认本部门）")


class PlanOut(BaseModel):
    id: int
    department_id: int
    department_name: str | None = None
    matter: str
    region_prefix: str
    subject_types: list[str]
    name_keyword: str | None
    starts_on: date
    ends_on: date
    inspectors_per_subject: int
    draw_id: int | None = None


class DrawIn(BaseModel):
    seed: str | None = Field(
        None, pattern=r"^[0-9A-Za-z_-]{1,64}$", description="随机种子（默认随机生成）"
    )


class DrawnOut(BaseModel):
    subject_id: int
    name: str
    uscc: str | None
    class_code: str | None = Field(description="监管类别（内部信息，公开时不含）")
    inspectors: list[str] = Field(description="检查人员（公开时不含）")
    outcome: str | None = Field(description="检查结果")
    record_id: int | None


class DrawOut(BaseModel):
    id: int
    plan_id: int
    department_name: str
    matter: str
    seed: str
    drawn_at: datetime
    inputs: dict[str, Any]
    total: int
    page: int
    pages: int
    subjects: list[DrawnOut]


class VerifiedOut(BaseModel):
    draw_id: int
    same_inputs: bool = Field(description="按抽取时的条件重新读取的候选名单与记录一致")
    same_result: bool = Field(description="以记录的种子重新抽取，结果完全一致")
    drawn: int


class ResultIn(BaseModel):
    subject_id: RowId
    outcome: str = Field(
        max_length=32, description="检查结果：passed、failed、rectify、transferred…"
    )
    inspected_on: date
    note: str = Field("", max_length=4000, pattern=NO_NUL, description="检查结果说明")
    document_number: str | None = Field(None, max_length=128, pattern=NO_NUL)


class ResultOut(BaseModel):
    draw_id: int
    subject_id: int
    outcome: str
    record_id: int
