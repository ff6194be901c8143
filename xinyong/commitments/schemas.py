"""The shapes of commitments at the HTTP edge: a signing asked for by a window system or a
department's key, and the commitment it made."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from xinyong.http.params import Text

CODE = r"^[a-z][a-zA-Z0-9_]{0,63}$"


class SignerIn(BaseModel):
    """Who signed at the window for the subject; the number is kept masked only."""

    name: Text = Field(min_length=1, max_length=50, description="签署人姓名")
    document_type: Text = Field("居民身份证", max_length=30, description="证件类型")
    number: Text = Field(min_length=1, max_length=32, description="证件号码（只保存脱敏后的号码）")


class CommitmentIn(BaseModel):
    template: str = Field(pattern=CODE, description="承诺书模板编码，如 food_business_deferred")
    matter: Text | None = Field(None, max_length=200, description="事项，须为模板适用的事项之一")
    uscc: Text | None = Field(None, max_length=30, description="承诺主体的统一社会信用代码")
    id_number: Text | None = Field(
        None, max_length=30, description="承诺主体（自然人）的身份证号码"
    )
    department: Text | None = Field(
        None, max_length=64, description="受理部门编码，默认为密钥所属部门"
    )
    declared: bool = Field(description="签署人已阅读承诺内容并作出承诺声明")
    signer: SignerIn


class CommitmentOut(BaseModel):
    id: int = Field(description="案件编号")
    number: str = Field(description="承诺书编号（信用承诺信息的文号）")
    state: str
    state_label: str = Field(description="履约中 / 已履约 / 已违诺")
    template: str
    commitment_type: str = Field(description="承诺类型，如 容缺受理型")
    matter: str
    text: str = Field(description="签署的承诺书正文")
    subject_id: int
    department_id: int = Field(description="受理部门")
    record_id: int | None = Field(description="信用承诺信息（公示的信用记录）")
    signed_on: date
    fulfil_by: date = Field(description="承诺履行期限的最后一天")
    opened_at: datetime
