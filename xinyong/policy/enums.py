"""Vocabulary that policy files and the database share; values are stable machine codes."""

from enum import StrEnum


class SubjectType(StrEnum):
    ENTERPRISE = "enterprise"
    INDIVIDUAL_BUSINESS = "individual_business"
    PUBLIC_INSTITUTION = "public_institution"
    SOCIAL_ORGANIZATION = "social_organization"
    GOVERNMENT_AGENCY = "government_agency"
    NATURAL_PERSON = "natural_person"

    @property
    def label(self) -> str:
        return SUBJECT_TYPE_LABELS[self]


SUBJECT_TYPE_LABELS = {
    SubjectType.ENTERPRISE: "法人(企业)",
    SubjectType.INDIVIDUAL_BUSINESS: "个体工商户",
    SubjectType.PUBLIC_INSTITUTION: "事业单位",
    SubjectType.SOCIAL_ORGANIZATION: "社会组织",
    SubjectType.GOVERNMENT_AGENCY: "机关",
    SubjectType.NATURAL_PERSON: "自然人",
}


class DisclosureLevel(StrEnum):
    """Who may see a catalog item's records (信用信息公开等级)."""

    PUBLIC = "public"  # 公开
    SHARED = "shared"  # 政务共享
    AUTHORIZED = "authorized"  # 授权查询
    CLOSED = "closed"  # 不予公开

    @property
    def label(self) -> str:
        return DISCLOSURE_LABELS[self]


DISCLOSURE_LABELS = {
    DisclosureLevel.PUBLIC: "公开",
    DisclosureLevel.SHARED: "政务共享",
    DisclosureLevel.AUTHORIZED: "授权查询",
    DisclosureLevel.CLOSED: "不予公开",
}


class Scope(StrEnum):
    """How far a role may do an action (`permissions.yaml`)."""

    OWN = "own"  # the principal's own department (or what it made itself)
    REGION = "region"  # every department inside the principal's region
    SUBJECT = "subject"  # an applicant account: the objects of its own subject only
    ANY = "any"  # anyone, on any object: a rule with `public: true`


class Role(StrEnum):
    PLATFORM_ADMIN = "platform_admin"
    CREDIT_OFFICE = "credit_office"
    DATA_PROVIDER = "data_provider"
    REGULATOR = "regulator"
    SERVICE_WINDOW = "service_window"
    FINANCIAL_INSTITUTION = "financial_institution"

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.PLATFORM_ADMIN: "平台管理员",
    Role.CREDIT_OFFICE: "信用办",
    Role.DATA_PROVIDER: "数据提供部门",
    Role.REGULATOR: "监管部门",
    Role.SERVICE_WINDOW: "窗口人员",
    Role.FINANCIAL_INSTITUTION: "金融机构",
}
