"""The shapes of checks at the HTTP edge: what a caller sends and what it is answered."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, Field

from xinyong.http.params import Text
from xinyong.measures.identify import SubjectKey
from xinyong.measures.service import MAX_BATCH


class CheckedSubject(BaseModel):
    """Who is checked: one of its codes, or a name with a code to confirm it."""

    uscc: Text | None = Field(None, description="统一社会信用代码")
    id_number: Text | None = Field(None, description="公民身份号码")
    name: Text | None = Field(None, description="名称（与 code 同用）")
    code: Text | None = Field(None, description="统一社会信用代码、组织机构代码或注册号")

    def key(self) -> SubjectKey:
        return SubjectKey(self.uscc, self.id_number, self.name, self.code)


class CheckIn(BaseModel):
    subject: CheckedSubject
    matter: Text = Field(description="事项编码，如 procurement（政府采购）")
    as_of: date | datetime | None = Field(None, description="按该时点作答，默认当前")


class BatchIn(BaseModel):
    subjects: list[CheckedSubject] = Field(max_length=MAX_BATCH)
    matter: Text
    as_of: date | datetime | None = None


class FeedbackIn(BaseModel):
    measure: Text = Field(description="措施编码")
    applied: bool = Field(description="是否已采取该措施")
    reason: Text | None = Field(None, description="未采取时的理由")


class MembershipOut(BaseModel):
    list_type: str
    name: str
    kind: str = Field(description="black 失信惩戒 / red 守信激励 / focus 重点关注")
    record_id: int
    item: str
    since: date | None
    until: date | None
    authority: str | None
    in_objection: bool = Field(False, description="该名单信息正处于异议中（异议处理期间仍公示）")


class MeasureOut(BaseModel):
    code: str
    text: str
    kind: str
    legal_basis: str
    list_types: list[str]
    departments: list[str]


class AnswerOut(BaseModel):
    check_id: int
    subject: str = Field(description="所查的代码或名称（个人身份号码已遮蔽）")
    subject_id: int | None
    subject_name: str | None
    subject_status: str | None = Field(
        default=None, description="登记状态代码（active 存续、revoked 吊销、deregistered 注销…）"
    )
    subject_status_label: str | None = Field(default=None, description="登记状态")
    matter: str
    found: bool
    message: str | None = Field(description="未找到主体时的原因")
    lists: list[MembershipOut]
    measures: list[MeasureOut]


class BatchAnswerOut(BaseModel):
    checks: int
    hits: int
    items: list[AnswerOut]


class FeedbackOut(BaseModel):
    check_id: int
    measure: str
    applied: bool


class FigureOut(BaseModel):
    department_id: int | None
    measure: str
    checks: int
    hits: int
    feedback: int
    feedback_rate: float | None
