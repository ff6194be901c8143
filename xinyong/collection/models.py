"""Batches (报送批次) and the rows they rejected, kept so a clerk can fetch and fix them."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from xinyong.db import Base, BigId, Json, UtcDateTime


class BatchStatus(StrEnum):
    DONE = "done"
    REFUSED = "refused"  # the whole file was refused (encoding, missing columns...): nothing stored

    @property
    def label(self) -> str:
        return {BatchStatus.DONE: "已处理", BatchStatus.REFUSED: "整批退回"}[self]


class Channel(StrEnum):
    UPLOAD = "upload"
    API = "api"
    CLI = "cli"

    @property
    def label(self) -> str:
        return {Channel.UPLOAD: "页面上传", Channel.API: "接口报送", Channel.CLI: "命令行导入"}[
            self
        ]


class Batch(Base):
    """One file (or API call) a department sent, with its receipt counts."""

    __tablename__ = "batches"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    item_code: Mapped[str] = mapped_column(String(32))
    department_id: Mapped[int] = mapped_column(ForeignKey("departments.id"))
    channel: Mapped[str] = mapped_column(String(16))
    submitted_by: Mapped[str] = mapped_column(String(64))
    filename: Mapped[str] = mapped_column(String(255))
    file_sha256: Mapped[str] = mapped_column(String(64))
    size_bytes: Mapped[int] = mapped_column(BigId)
    layout: Mapped[dict[str, Any] | None] = mapped_column(Json)
    period: Mapped[str] = mapped_column(String(7))  # YYYY-MM (Beijing time) of receipt, for stats
    received_at: Mapped[datetime] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    status: Mapped[str] = mapped_column(String(16))
    refusal: Mapped[str | None] = mapped_column(Text)
    total: Mapped[int] = mapped_column(Integer, default=0)
    new: Mapped[int] = mapped_column(Integer, default=0)
    corrected: Mapped[int] = mapped_column(Integer, default=0)
    unchanged: Mapped[int] = mapped_column(Integer, default=0)
    rejected: Mapped[int] = mapped_column(Integer, default=0)
    on_time: Mapped[int] = mapped_column(Integer, default=0)
    late: Mapped[int] = mapped_column(Integer, default=0)
    warnings_total: Mapped[int] = mapped_column(Integer, default=0)
    warnings: Mapped[list[str]] = mapped_column(Json, default=list)  # the first WARNINGS_KEPT

    __table_args__ = (Index("ix_batches_department_period", "department_id", "period"),)

    @property
    def accepted(self) -> int:
        return self.new + self.corrected + self.unchanged


class Rejection(Base):
    """A row that was not stored: its number in the file, the reasons, and the row as sent
    (sealed: it may hold personal ID numbers)."""

    __tablename__ = "batch_rejections"

    id: Mapped[int] = mapped_column(BigId, primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("batches.id"), index=True)
    row_number: Mapped[int] = mapped_column(Integer)
    reasons: Mapped[str] = mapped_column(Text)
    cells: Mapped[bytes] = mapped_column(LargeBinary)
