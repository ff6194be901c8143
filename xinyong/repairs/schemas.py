"""The shapes of a repair application at the HTTP edge: what an application answers."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class MaterialOut(BaseModel):
    code: str = Field(description="材料编码，如 commitment")
    label: str = Field(description="材料名称，如 信用修复承诺书（签字或盖章）")


class RepairOut(BaseModel):
    id: int = Field(description="案件编号（办理步骤见 /api/v1/cases/{id}）")
    state: str = Field(description="状态编码：applied、incomplete、forwarded …")
    state_label: str = Field(description="状态的中文名称，如 待补正")
    record_id: int = Field(description="申请修复的信用记录")
    department_id: int = Field(description="认定部门（谁认定、谁修复）")
    due: date | None = Field(description="当前步骤期限的最后一天")
    answer_due: date | None = Field(
        description="答复申请人的最后一天（10个工作日；待补正期间不计，材料齐全后重新计算）"
    )
    missing: list[MaterialOut] = Field(description="尚缺的必备材料（一次性告知）；齐全时为空")
