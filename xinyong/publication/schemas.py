"""The shapes of credit information at the HTTP edge: subjects, archives, records, lists —
built only from what the publication view let the caller see."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from pydantic import BaseModel, Field

from xinyong.publication import Badge, ShownRecord
from xinyong.publication.archive import SubjectCard
from xinyong.publication.search import Found
from xinyong.publication.tabs import Registry
from xinyong.subjects.profiles import PROFILE_FIELDS


class SubjectOut(BaseModel):
    id: int
    name: str
    subject_type: str
    subject_type_label: str
    uscc: str | None
    region_code: str | None
    region_name: str | None
    id_number_masked: str | None = Field(description="公民身份号码（仅以遮蔽形式提供）")
    badges: list[str]


class HitOut(SubjectOut):
    status: str = Field(description="登记状态代码，如 active、cancelled")
    status_label: str = Field(description="登记状态，如 存续、注销、吊销")
    penalties: int = Field(description="公示中的行政处罚记录数")
    legal_representative: str | None = Field(
        None, description="法定代表人（负责人、经营者），来自登记信息"
    )
    founded_on: date | None = Field(None, description="成立日期，来自登记信息")


class SearchOut(BaseModel):
    query: str
    total: int
    more: bool = Field(description="匹配数超过可翻页的范围")
    page: int
    pages: int
    notice: str | None = Field(
        None, description="查询词像是抄错的统一社会信用代码时的提示，如 位数不对、校验位错误"
    )
    items: list[HitOut]


class FieldOut(BaseModel):
    code: str
    label: str
    value: str


class RecordOut(BaseModel):
    id: int
    subject_id: int
    item_code: str
    item_name: str
    category: str
    decision_date: date | None
    publish_from: date | None
    publish_until: date | None
    status: str
    status_label: str
    in_objection: bool
    view: str = Field(description="public：公开视图；full：工作人员的完整视图")
    repair_from: date | None
    fields: list[FieldOut]


class SectionOut(BaseModel):
    category: str
    records: int


class ProfileOut(BaseModel):
    """What the subject's latest registration record says."""

    organisation_type: str | None = Field(description="类型")
    legal_representative: str | None = Field(description="法定代表人（负责人、经营者）")
    founded_on: date | None = Field(description="成立日期")
    authority: str | None = Field(description="登记机关")
    address: str | None = Field(description="住所")
    capital: Decimal | None = Field(description="注册资本（万元）")
    currency: str | None = Field(description="币种")
    scope: str | None = Field(description="经营范围（业务范围）")
    approved_on: date | None = Field(description="核准日期")
    term_until: date | None = Field(description="营业期限至")
    record_id: int = Field(description="所依据的登记信息记录（/records/{id}）")


class ChangeOut(BaseModel):
    field: str = Field(description="变更事项：name、status 或登记信息字段名")
    label: str = Field(description="变更事项（中文）")
    old: str | None = Field(description="变更前（登记状态为中文）")
    new: str | None = Field(description="变更后")
    changed_on: date = Field(description="核准日期")


class RegistryOut(BaseModel):
    status: str = Field(description="登记状态代码，如 active、deregistered")
    status_label: str = Field(description="登记状态，如 存续、注销、吊销")
    profile: ProfileOut | None = Field(description="基本信息；尚无登记信息时为空")
    former_names: list[str] = Field(description="曾用名，较早的在前")
    changes: list[ChangeOut] = Field(description="变更记录，最近的在前")


class ArchiveOut(BaseModel):
    subject: SubjectOut
    registry: RegistryOut
    sections: list[SectionOut]


class RecordsOut(BaseModel):
    items: list[RecordOut]


class ListOut(BaseModel):
    kind: str
    total: int
    page: int
    pages: int
    items: list[RecordOut]


def registry_out(card: SubjectCard, registry: Registry) -> RegistryOut:
    """The registry block; as of a past day, each field changed since as it was then."""
    profile = registry.profile
    shown = None
    if profile is not None:
        fields = {f: registry.then.get(f, getattr(profile, f)) for f in PROFILE_FIELDS}
        shown = ProfileOut.model_validate({**fields, "record_id": profile.record_id})
    return RegistryOut(
        status=card.status,
        status_label=card.status_label,
        profile=shown,
        former_names=registry.former_names,
        changes=[
            ChangeOut(
                field=c.field,
                label=c.label,
                old=Registry.shown(c)[0],
                new=Registry.shown(c)[1],
                changed_on=c.on,
            )
            for c in registry.changes
        ],
    )


def subject_out(card: SubjectCard, badges: list[Badge]) -> SubjectOut:
    return SubjectOut(
        id=card.id,
        name=card.name,
        subject_type=card.subject_type.value,
        subject_type_label=card.subject_type.label,
        uscc=card.uscc,
        region_code=card.region_code,
        region_name=card.region_name,
        id_number_masked=card.id_number_masked,
        badges=[str(b) for b in badges],
    )


def search_out(found: Found) -> SearchOut:
    page = found.page
    return SearchOut(
        query=page.query,
        total=page.total,
        more=page.more,
        page=page.page,
        pages=page.pages,
        notice=page.notice,
        items=[
            HitOut(
                id=row.subject_id,
                name=row.name,
                subject_type=row.subject_type.value,
                subject_type_label=row.subject_type.label,
                uscc=row.uscc,
                region_code=row.region_code,
                region_name=row.region_name,
                id_number_masked=row.id_number_masked,
                badges=[str(b) for b in row.badges],
                status=row.status.code,
                status_label=row.status.label,
                penalties=row.penalties,
                legal_representative=row.legal_representative,
                founded_on=row.founded_on,
            )
            for row in found.rows
        ],
    )


def record_out(record: ShownRecord) -> RecordOut:
    return RecordOut(
        id=record.id,
        subject_id=record.subject_id,
        item_code=record.item.code,
        item_name=record.item.name,
        category=record.item.category.value,
        decision_date=record.decision_date,
        publish_from=record.publish_from,
        publish_until=record.publish_until,
        status=record.status.value,
        status_label=record.status.label,
        in_objection=record.in_objection,
        view="full" if record.full else "public",
        repair_from=record.repair_from,
        fields=[FieldOut(code=f.code, label=f.label, value=f.value) for f in record.fields],
    )
