"""Synthetic but well-formed subjects: unique Chinese names and checksum-valid codes."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

from faker.providers.person.zh_CN import Provider as PersonNames
from stdnum.cn import ric

from xinyong import codes
from xinyong.policy.enums import SubjectType

# 字号 characters seen in real company names; two of them make a trade name.
TRADE_CHARS = (
    "鑫泰华盛恒达隆兴瑞祥宏源丰益嘉和信诚安康明德永福昌荣佳美新锐创汇通博远志立中天"
    "海宇金银星辰宝鼎凯旋骏驰腾飞卓越精工联合东方南粤珠江羊城花城岭秀穗丰南方广信"
    "富强科铭睿智启航领航展鹏万邦千禧百川汇智云帆蓝海绿洲红棉木棉白云越秀番禺宏图"
)
INDUSTRIES = (
    "科技",
    "信息技术",
    "网络科技",
    "电子",
    "贸易",
    "商贸",
    "进出口",
    "实业",
    "投资",
    "建筑工程",
    "装饰工程",
    "物业管理",
    "餐饮管理",
    "食品",
    "服装",
    "物流",
    "运输",
    "供应链管理",
    "医药",
    "生物科技",
    "医疗器械",
    "化工",
    "环保科技",
    "新能源",
    "汽车服务",
    "机械设备",
    "五金",
    "印刷",
    "广告",
    "文化传播",
    "教育科技",
    "咨询",
    "人力资源",
    "旅行社",
    "酒店管理",
    "房地产开发",
    "建材",
    "家具",
    "电器",
    "通信技术",
)
COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
SHOP_KINDS = (
    "便利店",
    "餐饮店",
    "小吃店",
    "美发店",
    "五金店",
    "水果店",
    "服装店",
    "烟酒商行",
    "汽车维修部",
    "手机维修店",
    "粮油店",
    "茶庄",
    "药店",
    "面馆",
    "洗衣店",
    "文具店",
)
INSTITUTIONS = (
    "第一中学",
    "实验小学",
    "人民医院",
    "中医院",
    "妇幼保健院",
    "图书馆",
    "文化馆",
    "疾病预防控制中心",
    "社会福利院",
    "职业技术学校",
    "体育中心",
    "档案馆",
    "公证处",
)
SOCIAL_ORGS = (
    "行业协会",
    "商会",
    "慈善会",
    "志愿者协会",
    "研究会",
    "校友会",
    "促进会",
    "书法家协会",
    "摄影家协会",
    "养老服务中心",
    "社会工作服务中心",
)
AGENCIES = (
    "发展和改革局",
    "教育局",
    "科学技术局",
    "工业和信息化局",
    "公安分局",
    "民政局",
    "司法局",
    "财政局",
    "人力资源和社会保障局",
    "住房和建设局",
    "交通运输局",
    "水务局",
    "农业农村局",
    "商务局",
    "文化广电旅游体育局",
    "卫生健康局",
    "应急管理局",
    "市场监督管理局",
    "统计局",
    "城市管理和综合执法局",
)
# GB 32100-2015 登记管理部门码 + 机构类别码 of each subject type.
USCC_PREFIX = {
    SubjectType.ENTERPRISE: "91",
    SubjectType.INDIVIDUAL_BUSINESS: "92",
    SubjectType.PUBLIC_INSTITUTION: "12",
    SubjectType.SOCIAL_ORGANIZATION: "51",
    SubjectType.GOVERNMENT_AGENCY: "11",
}
ORG_CHARS = string.digits + "ABCDEFGHJKLMNPQRTUWXY"

_SURNAMES = list(PersonNames.last_names)
_SURNAME_WEIGHTS = list(PersonNames.last_names.values())
_GIVEN = list(PersonNames.first_names)


def _issued_then(id_number: str) -> bool:
    try:
        return bool(ric.is_valid(id_number))
    except KeyError:  # stdnum raises for some address codes it does not know
        return False


class IdentityFactory:
    """Draws unique names and codes for one city from a seeded random generator."""

    def __init__(self, rng: random.Random, city: codes.Region, districts: list[codes.Region]):
        self.rng = rng
        self.city = city
        self.districts = districts
        self.city_short = city.name.removesuffix("市")
        self._names: set[str] = set()
        self._codes: set[str] = set()

    def district(self) -> codes.Region:
        return self.rng.choice(self.districts)

    def person_name(self) -> str:
        surname = self.rng.choices(_SURNAMES, _SURNAME_WEIGHTS)[0]
        given = self.rng.choice(_GIVEN)
        if len(given) == 1 and self.rng.random() < 0.6:
            given += self.rng.choice(_GIVEN)[0]
        return surname + given

    def organisation_name(self, subject_type: SubjectType, district: codes.Region) -> str:
        for _ in range(1000):
            name = self._draw_name(subject_type, district)
            if name not in self._names:
                self._names.add(name)
                return name
        raise RuntimeError("demo name space exhausted")

    def _draw_name(self, subject_type: SubjectType, district: codes.Region) -> str:
        rng = self.rng
        trade = rng.choice(TRADE_CHARS) + rng.choice(TRADE_CHARS)
        match subject_type:
            case SubjectType.ENTERPRISE:
                place = rng.choice(
                    (self.city_short, self.city.name, self.city.name + district.name)
                )
                return place + trade + rng.choice(INDUSTRIES) + rng.choice(COMPANY_FORMS)
            case SubjectType.INDIVIDUAL_BUSINESS:
                return f"{self.city.name}{district.name}{trade}{rng.choice(SHOP_KINDS)}"
            case SubjectType.PUBLIC_INSTITUTION:
                return f"{self.city.name}{district.name}{trade}{rng.choice(INSTITUTIONS)}"
            case SubjectType.SOCIAL_ORGANIZATION:
                field = rng.choice(INDUSTRIES)
                return f"{self.city.name}{district.name}{field}{rng.choice(SOCIAL_ORGS)}{trade}分会"
            case _:
                return f"{self.city.name}{district.name}{rng.choice(AGENCIES)}{trade}办事处"

    def uscc(self, subject_type: SubjectType, district: codes.Region) -> str:
        """A new code whose embedded 组织机构代码 is unique too: it is an identifier of its own."""
        while True:
            body = "".join(self.rng.choices(ORG_CHARS[:10], k=2)) + "".join(
                self.rng.choices(ORG_CHARS, k=6)
            )
            org_code = codes.make_org_code(body)
            if org_code not in self._codes:
                self._codes.add(org_code)
                return codes.make_uscc(USCC_PREFIX[subject_type] + district.code + org_code)

    def reg_no(self, district: codes.Region) -> str:
        while True:
            value = codes.make_reg_no(district.code + "".join(self.rng.choices(string.digits, k=8)))
            if value not in self._codes:
                self._codes.add(value)
                return value

    def id_number(self, district: codes.Region, today: date) -> str:
        """A number whose address code existed in the birth year, as on a real card."""
        while True:
            age_days = self.rng.randint(18 * 366, 80 * 365)
            birth = today - timedelta(days=age_days)
            seq = f"{self.rng.randint(0, 999):03d}"
            value = codes.make_id_number(district.code + birth.strftime("%Y%m%d") + seq)
            if value not in self._codes and _issued_then(value):
                self._codes.add(value)
                return value
            district = self.district()
