"""The shapes of collection at the HTTP edge: receipts and quality figures."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ItemRef(BaseModel):
    code: str
    name: str


class ReceiptOut(BaseModel):
    """A batch's receipt (回执): what was stored, what was rejected and why."""

    batch_id: int
    item: ItemRef
    department: str
    filename: str
    format: str | None
    status: str
    status_label: str
    refusal: str | None = Field(description="整批被拒收时的原因")
    received_at: str = Field(description="接收时间（ISO 8601，UTC）")
    total: int
    accepted: int
    new: int
    corrected: int
    unchanged: int
    rejected: int
    on_time: int
    late: int
    warnings_total: int
    warnings: list[str]


class DepartmentRef(BaseModel):
    code: str
    name: str


class QualityOut(BaseModel):
    department: DepartmentRef
    period: str = Field(description="月份 YYYY-MM")
    batches: int
    refused_batches: int
    sent: int
    accepted: int
    rejected: int
    on_time: int
    late: int
    compliance_rate: float | None
    timeliness_rate: float | None
