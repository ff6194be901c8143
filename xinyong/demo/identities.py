"""Synthetic but well-formed subjects: unique Chinese names and checksum-valid codes."""

from __future__ import annotations

import random
import string
from datetime import date, timedelta

from faker.providers.person.zh_CN import Provider as PersonNames
from stdnum.cn import ric

from xinyong import codes
from xinyong.demo import sectors
from xinyong.policy.enums import SubjectType

# 字号 characters seen in real company names; two of them make a trade name.
TRADE_CHARS = (
    "鑫泰华盛恒达隆兴瑞祥宏源丰益嘉和信诚安康明德永福昌荣佳美新锐创汇通博远志立中天"
    "海宇金银星辰宝鼎凯旋骏驰腾飞卓越精工联合东方南粤珠江羊城花城岭秀穗丰南方广信"
    "富强科铭睿智启航领航展鹏万邦千禧百川汇智云帆蓝海绿洲红棉木棉白云越秀番禺宏图"
)
# Name words come with their sector (sectors.SECTORS), so that a name says what the subject does.
INDUSTRIES = tuple(word for word, _ in sectors.name_words(SubjectType.ENTERPRISE))
COMPANY_FORMS = ("有限公司", "有限公司", "有限公司", "有限责任公司", "股份有限公司")
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
        self._words = {kind: sectors.name_words(kind) for kind in SubjectType}

    def district(self) -> codes.Region:
        return self.rng.choice(self.districts)

    def person_name(self) -> str:
        surname = self.rng.choices(_SURNAMES, _SURNAME_WEIGHTS)[0]
        given = self.rng.choice(_GIVEN)
        if len(given) == 1 and self.rng.random() < 0.6:
            given += self.rng.choice(_GIVEN)[0]
        return surname + given

    def organisation_name(
        self, subject_type: SubjectType, district: codes.Region
    ) -> tuple[str, sectors.Sector]:
        """A name not drawn before, and the sector its words name."""
        for _ in range(1000):
            name, sector = self._draw_name(subject_type, district)
            if name not in self._names:
                self._names.add(name)
                return name, sector
        raise RuntimeError("demo name space exhausted")

    def _draw_name(
        self, subject_type: SubjectType, district: codes.Region
    ) -> tuple[str, sectors.Sector]:
        rng = self.rng
        trade = rng.choice(TRADE_CHARS) + rng.choice(TRADE_CHARS)
        local = self.city.name + district.name
        match subject_type:
            case SubjectType.ENTERPRISE:
                place = rng.choice((self.city_short, self.city.name, local))
                word, sector = rng.choice(self._words[subject_type])
                return place + trade + word + rng.choice(COMPANY_FORMS), sector
            case SubjectType.SOCIAL_ORGANIZATION:
                field = rng.choice(INDUSTRIES)
                word, sector = rng.choice(self._words[subject_type])
                return f"{local}{field}{word}{trade}分会", sector
            case SubjectType.GOVERNMENT_AGENCY:
                word, sector = rng.choice(self._words[subject_type])
                return f"{local}{word}{trade}办事处", sector
            case _:  # 个体工商户, 事业单位: the trade name comes before what it is
                word, sector = rng.choice(self._words[subject_type])
                return f"{local}{trade}{word}", sector

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
