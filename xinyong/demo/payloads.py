"""Demo record payloads for any catalog item, filled by field role and checked by the catalog."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from xinyong.demo import sectors, texts
from xinyong.policy.enums import SubjectType
from xinyong.policy.schemas import CatalogItem, FieldType

DOCUMENT_KIND = {  # the character in a decision number that names the kind of decision
    "xzcf": "罚",
    "xzxk": "许",
    "xzqz": "强",
    "xzqr": "确",
    "xzzs": "征",
    "xzgf": "给",
    "xzcj": "裁",
    "xzbc": "补",
    "xzjl": "奖",
    "xzjc": "检",
    "xycn": "诺",
    "wfcn": "违诺",
    "sxbzxr": "执",
}
COUNTERPART_CATEGORY = {  # 行政相对人类别 labels
    SubjectType.NATURAL_PERSON: "自然人",
    SubjectType.INDIVIDUAL_BUSINESS: "个体工商户",
}


@dataclass(frozen=True)
class SubjectFacts:
    subject_type: SubjectType
    name: str
    uscc: str | None
    id_number: str | None
    representative: str | None
    sector: sectors.Sector | None = None  # None: wording from the flat lists, as for any subject


@dataclass(frozen=True)
class Authority:
    name: str
    short: str  # e.g. 穗市监, the prefix of its decision numbers
    uscc: str
    department: str | None = None  # its code suffix in generator.DEPARTMENTS, e.g. scjgj


def wording(item_code: str, subject: SubjectFacts, authority: Authority) -> tuple[str, ...]:
    """What this authority may decide about this subject for a worded item (sectors.WORDED_ITEMS):
    its sector's choices, () when the subject or authority has none."""
    if subject.sector is None or authority.department is None:
        return ()
    oversight = subject.sector.oversight.get(authority.department)
    return oversight.wording(item_code) if oversight else ()


class PayloadFactory:
    """Fills each field from its role (columns, code suffix, type) with plausible values."""

    def __init__(self, rng: random.Random, today: date) -> None:
        self.rng = rng
        self.today = today
        self.serial: dict[str, int] = {}

    def payload(
        self, item: CatalogItem, subject: SubjectFacts, authority: Authority, decided: date
    ) -> dict[str, Any]:
        cols = item.columns
        values: dict[str, Any] = {}
        person = subject.subject_type is SubjectType.NATURAL_PERSON
        values[cols.subject_name] = subject.name
        if cols.subject_type.field:
            category = COUNTERPART_CATEGORY.get(subject.subject_type, "法人及非法人组织")
            values[cols.subject_type.field] = category
        if cols.subject_uscc and subject.uscc:
            values[cols.subject_uscc] = subject.uscc
        if cols.subject_id_number and person:
            values[cols.subject_id_number] = subject.id_number
        if cols.decision_date:
            values[cols.decision_date] = decided
        if cols.document_number:
            values[cols.document_number] = self._document_number(item.code, authority, decided)
        if cols.authority_name:
            values[cols.authority_name] = authority.name
        if cols.authority_uscc:
            values[cols.authority_uscc] = authority.uscc
        flavour = getattr(self, f"_{item.code}", None)
        if flavour is not None:
            values.update(flavour(decided, subject, authority))
        elif item.code in texts.CONTENT:
            values.update(self._decision(item, decided))
        for field in item.fields:
            if field.code not in values:
                value = self._by_role(item, field.code, field.type, subject, authority, decided)
                if value is not None:
                    values[field.code] = value
        return values

    def _document_number(self, item_code: str, authority: Authority, decided: date) -> str:
        n = self.serial[item_code] = self.serial.get(item_code, 0) + 1
        kind = DOCUMENT_KIND.get(item_code, "决")
        return f"{authority.short}{kind}〔{decided.year}〕{n}号"

    def _by_role(
        self,
        item: CatalogItem,
        code: str,
        field_type: FieldType,
        subject: SubjectFacts,
        authority: Authority,
        decided: date,
    ) -> Any:
        person = subject.subject_type is SubjectType.NATURAL_PERSON
        if code.endswith("_frdb"):
            return None if person else subject.representative
        if code.endswith(("_xdr_zjlx", "_zjlx")) and "_fr_" not in code:
            return "居民身份证" if person else None
        if code.endswith(("_sjly", "_lydw")):
            return authority.name
        if code.endswith(("_sjlydm", "_lydwdm")) or field_type is FieldType.USCC:
            return authority.uscc if code.endswith("dm") else None
        if field_type is FieldType.DATE:
            return None
        if code.endswith("_yj"):
            return texts.BASES.get(item.code)
        return None

    def _decision(self, item: CatalogItem, decided: date) -> dict[str, Any]:
        """The other 十公示 kinds: a category and its content, named `<prefix>_lb` / `_nr`."""
        prefix = item.columns.decision_date.split("_")[0] if item.columns.decision_date else ""
        kind, content = self.rng.choice(texts.CONTENT[item.code])
        values: dict[str, Any] = {f"{prefix}_lb": kind, f"{prefix}_nr": content}
        if item.code == "xzjl":
            values |= {"jl_mc": kind, "jl_jb": self.rng.choice(("市级", "区级"))}
        if item.code in ("xzgf", "xzzs", "xzbc"):
            values[f"{prefix}_je"] = Decimal(self.rng.randrange(500, 200_000, 100))
        return values

    # --- item flavours: the fields that make a record read like the real thing ----------

    def _xzcf(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        rng = self.rng
        chosen = wording("xzcf", subject, authority)
        violation = rng.choice(chosen) if chosen else rng.choice(texts.VIOLATIONS)[0]
        basis = texts.BASIS_OF[violation]
        kinds = rng.choices(
            [k for k, _ in texts.PENALTY_KINDS], [w for _, w in texts.PENALTY_KINDS]
        )[0]
        values: dict[str, Any] = {
            "cf_wfxw": violation,
            "cf_sy": f"经查，当事人{violation}，违反了{basis.split('第')[0]}的有关规定。",
            "cf_yj": basis,
            "cf_cflb": "、".join(kinds),
            "cf_yxq": decided + timedelta(days=365),
            "cf_gsjzq": decided + timedelta(days=365),
        }
        parts = []
        if "罚款" in kinds:
            fine = self._fine()
            values["cf_nr_fk"] = fine
            parts.append(f"罚款人民币{fine * 10000:,.0f}元")
        if "没收违法所得" in kinds or "没收非法财物" in kinds:
            values["cf_nr_wfff"] = (self._fine() / 4).quantize(Decimal("0.0001"))
            parts.append("没收违法所得")
        if "吊销许可证件" in kinds or "暂扣许可证件" in kinds:
            values["cf_nr_zkdx"] = f"营业执照（{subject.uscc or '无'}）"
            parts.append("吊销（暂扣）许可证件")
        if "警告" in kinds:
            parts.insert(0, "警告")
        if "通报批评" in kinds:
            parts.insert(0, "通报批评")
        if "责令停产停业" in kinds:
            parts.append("责令停产停业")
        values["cf_nr"] = "；".join(parts)
        return values

    def _fine(self) -> Decimal:
        """Fines in 万元: most a few thousand yuan, a long tail up to a million."""
        yuan = min(1_000_000, round(200 * 10 ** (self.rng.random() * 3.7), -2))
        return (Decimal(yuan) / 10000).quantize(Decimal("0.0001"))

    def _xzxk(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        chosen = wording("xzxk", subject, authority)
        licence = texts.LICENCE_OF[self.rng.choice(chosen)] if chosen else None
        certificate, content, category = licence or self.rng.choice(texts.LICENSES)
        n = self.serial["xzxk"]
        return {
            "xk_xkws": f"{certificate}准予行政许可决定书",
            "xk_xklb": category,
            "xk_xkzs": certificate,
            "xk_xkbh": f"{authority.short}{decided.year}{n:07d}",
            "xk_nr": content,
            "xk_yxqz": decided,
            "xk_yxqzi": decided + timedelta(days=365 * self.rng.choice((3, 5, 5, 6))),
            "xk_zt": "有效",
        }

    def _xzjc(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        matter = self.rng.choice(wording("xzjc", subject, authority) or texts.INSPECTIONS)
        result = self.rng.choices(
            ("未发现问题", "发现问题已责令整改", "发现问题已立案查处"), (80, 17, 3)
        )
        return {
            "jc_fs": self.rng.choice(("双随机抽查", "日常检查", "重点检查", "投诉举报核查")),
            "jc_sx": matter,
            "jc_jcjg": result[0],
            "jc_nr": f"对{subject.name}开展{matter}",
        }

    def _xzqz(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        kind, content = self.rng.choice(texts.CONTENT["xzqz"])
        return {
            "qz_lb": kind,
            "qz_bd": "涉案设备及物品",
            "qz_qsrq": decided,
            "qz_jzrq": decided + timedelta(days=30),
            "qz_nr": content,
        }

    def _nsxyA(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        return {
            "ns_pjnd": decided.year - 1,
            "ns_pjjg": authority.name,
            "ns_pjjgdm": authority.uscc,
            "ns_fbrq": decided,
        }

    def _xycn(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        kind, matter, content = self.rng.choice(texts.COMMITMENTS)
        return {
            "cn_lx": kind,
            "cn_sx": matter,
            "cn_nr": content,
            "cn_yxqz": decided + timedelta(days=365),
            "cn_sldw": authority.name,
            "cn_sldwdm": authority.uscc,
        }

    def _wfcn(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        kind, matter, what = self.rng.choice(texts.COMMITMENT_BREACHES)
        return {
            "wf_cnlx": kind,
            "wf_cnsx": matter,
            "wf_cnrq": decided - timedelta(days=self.rng.randint(30, 60)),
            "wf_qx": what,
            "wf_yj": "国办发〔2019〕35号：将信用承诺履行情况纳入信用记录",
        }

    def _yzsxmd(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        reason, basis = self.rng.choice(texts.SERIOUS_DISHONESTY)
        return {"md_yy": reason, "md_yj": basis, "md_lrrq": decided}

    def _shtzxy(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        return {"ht_nd": decided.year - 1, "ht_fbrq": decided}

    def _sxbzxr(self, decided: date, subject: SubjectFacts, authority: Authority) -> dict[str, Any]:
        filed = decided - timedelta(days=self.rng.randint(90, 400))
        n = self.serial["sxbzxr"]
        duty = self.rng.choice(texts.COURT_DUTIES)
        return {
            "sx_ah": f"（{filed.year}）粤01执{n}号",
            "sx_zxfy": authority.name,
            "sx_lasj": filed,
            "sx_zxyjwh": f"（{filed.year - 1}）粤0106民初{n}号",
            "sx_yw": f"被执行人应{duty}",
            "sx_lxqk": self.rng.choice(("全部未履行", "部分未履行")),
            "sx_sxqx": "有履行能力而拒不履行生效法律文书确定义务",
            "sx_fbsj": decided,
        }

    # --- registration records (登记信息): the subject's own profile ------------------------

    def registration(
        self, item: CatalogItem, subject: SubjectFacts, authority: Authority, district: str
    ) -> tuple[date, dict[str, Any]]:
        """A registration record of the subject: its founding, latest approval and status.
        Returns the approval date (the record's decision date) and the payload."""
        rng = self.rng
        founded = self.today - timedelta(days=rng.randrange(200, 365 * 25))
        approved = founded + timedelta(days=int((self.today - founded).days * rng.random()))
        status = rng.choices(("存续", "在业", "注销", "吊销"), (80, 14, 4, 2))[0]
        values = self.payload(item, subject, authority, approved)
        kind = REGISTRATION_TYPES[subject.subject_type]
        values |= {
            "dj_lx": rng.choice(kind) if item.has_field("dj_lx") else None,
            "dj_fddbr": subject.representative,
            "dj_clrq": founded,
            "dj_djzt": "存续" if item.code == "jgdj" else status,
            "dj_zs": f"{district}{rng.choice(texts.ROADS)}{rng.randrange(1, 999)}号",
            "dj_hzrq": approved,
        }
        if (
            item.has_field("dj_zczb")
            and subject.subject_type is not SubjectType.INDIVIDUAL_BUSINESS
        ):
            values["dj_zczb"] = Decimal(rng.choice((3, 10, 50, 100, 200, 500, 1000, 5000)))
        if item.has_field("dj_bz"):
            values["dj_bz"] = "人民币"
        if item.has_field("dj_jyfw") and subject.sector is not None:
            values["dj_jyfw"] = subject.sector.scope
        if item.has_field("dj_yyqx_z"):
            values |= {"dj_yyqx_q": founded, "dj_yyqx_z": "长期"}
        if item.has_field("dj_jbdw"):
            values["dj_jbdw"] = f"{district}人民政府"
        if item.has_field("dj_ywzg"):
            values["dj_ywzg"] = f"{district}民政局"
        return approved, {k: v for k, v in values.items() if v is not None}


REGISTRATION_TYPES = {  # 类型, as registration authorities write it
    SubjectType.ENTERPRISE: (
        "有限责任公司（自然人投资或控股）",
        "有限责任公司（自然人独资）",
        "股份有限公司（非上市、自然人投资或控股）",
        "有限责任公司（法人独资）",
    ),
    SubjectType.INDIVIDUAL_BUSINESS: ("个体工商户",),
    SubjectType.SOCIAL_ORGANIZATION: ("社会团体", "民办非企业单位", "基金会"),
    SubjectType.PUBLIC_INSTITUTION: ("事业单位",),
    SubjectType.GOVERNMENT_AGENCY: ("机关",),
}
