"""The shapes of objections at the HTTP edge: what a filing answers (the form it takes is
multipart: its fields are the route's parameters)."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from xinyong.cases import kinds
from xinyong.objections.models import KIND, ObjectionCase
from xinyong.objections.service import category_label


class ObjectionOut(BaseModel):
    id: int = Field(description="案件编号（其后的步骤见 POST /api/v1/cases/{id}/transitions）")
    kind: str = Field(description="objection")
    state: str
    state_label: str = Field(description="如 已受理（异议中）")
    subject_id: int
    record_id: int | None = Field(description="有异议的信用记录；为空：对主体基本信息的异议")
    department_id: int = Field(description="负责核实的信息提供部门")
    category: str = Field(description="异议类别编码：wrong / missing / overdue …")
    category_label: str = Field(description="如 信息错误")
    field: str | None = Field(description="有异议的事项")
    opened_at: datetime
    due: date | None = Field(description="平台处理（或转办）期限的最后一天")
    answer_due: date | None = Field(description="答复申请人的最后一天")
    files: int = Field(description="已上传的证据材料份数")


def objection_out(case: ObjectionCase, files: int) -> ObjectionOut:
    return ObjectionOut(
        id=case.id,
        kind=KIND,
        state=case.state,
        state_label=kinds.kind(KIND).state(case.state).label,
        subject_id=case.subject_id,
        record_id=case.record_id,
        department_id=case.department_id,
        category=case.category,
        category_label=category_label(case.category),
        field=case.field,
        opened_at=case.opened_at,
        due=case.due,
        answer_due=case.answer_due,
        files=files,
    )
