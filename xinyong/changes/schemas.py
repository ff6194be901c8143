"""The change feed at the HTTP edge: one change with its record and subject, and a page."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field


class ChangedRecordOut(BaseModel):
    id: int = Field(description="变更所涉记录版本的编号（更正：新版本）")
    item_code: str = Field(description="信用信息目录项编码，如 xzcf")
    item_name: str = Field(description="目录项名称，如 行政处罚")
    natural_key: str = Field(
        description="记录的业务主键（同一记录的各版本相同；个人证件号码已替换为密钥哈希），合作方据此对应本地副本"
    )
    version: int
    document_number: str | None = Field(description="决定文书号")
    decision_date: date | None = Field(description="决定日期")


class ChangedSubjectOut(BaseModel):
    id: int
    name: str
    uscc: str | None = Field(description="统一社会信用代码")
    id_number_masked: str | None = Field(description="自然人的身份证件号码（已遮蔽，从不明文）")


class ChangeOut(BaseModel):
    cursor: str = Field(description="本条变更的游标：处理完后以它作为下次请求的 since")
    at: datetime = Field(description="变更时间（UTC）")
    change: str = Field(
        description="repaired / revoked / expired / invalid / corrected / objection_opened / "
        "objection_closed / subject_merged / subject_split / subject_relinked（记录所属主体变了："
        "subject 为现在的主体）"
    )
    change_label: str = Field(description="变更的中文说明")
    from_status: str | None
    to_status: str | None
    reason: str | None = Field(description="变更理由（其中的个人证件号码、手机号已遮蔽）")
    case_id: int | None = Field(description="作出该变更的案件（修复、异议等）")
    record: ChangedRecordOut
    subject: ChangedSubjectOut
    public: bool = Field(description="读取时该记录（当前版本）是否仍向社会公示：false 即应下线")


class ChangePageOut(BaseModel):
    changes: list[ChangeOut]
    next: str = Field(description="下次请求的 since：本页最后一条的游标，没有新变更时为请求的游标")
    more: bool = Field(description="是否已有更多变更等待读取")
