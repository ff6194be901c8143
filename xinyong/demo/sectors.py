"""Sectors (行业) of the demo's organisations: the words their names use, their 经营范围, and
which department fines, licenses or inspects them, and for what (wording from texts.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from xinyong.policy.enums import SubjectType


@dataclass(frozen=True)
class Oversight:
    """What one department decides about a sector's subjects: the wording its records draw on."""

    violations: tuple[str, ...] = ()  # 违法行为类型, keys of BASIS_OF
    licences: tuple[str, ...] = ()  # 许可证书名称, keys of LICENCE_OF
    inspections: tuple[str, ...] = ()  # 检查事项 of INSPECTIONS

    def wording(self, item_code: str) -> tuple[str, ...]:
        """The choices for a worded item (行政处罚, 行政许可, 行政检查); () for the others."""
        match item_code:
            case "xzcf":
                return self.violations
            case "xzxk":
                return self.licences
            case "xzjc":
                return self.inspections
        return ()


WORDED_ITEMS = ("xzcf", "xzxk", "xzjc")  # a sector without wording for one has no such records


@dataclass(frozen=True, eq=False)
class Sector:
    """A line of business: the words of its subjects' names, its 经营范围 and its overseers,
    keyed by department code suffix (generator.DEPARTMENTS)."""

    name: str
    words: Mapping[SubjectType, tuple[str, ...]]
    scope: str
    oversight: Mapping[str, Oversight] = field(default_factory=dict)


_E, _I = SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS
_TAX = {"sw": Oversight(violations=("未按照规定期限办理纳税申报和报送纳税资料",))}
_SAFETY = {
    "yjj": Oversight(
        violations=("生产经营单位未按规定开展安全生产教育和培训",),
        inspections=("安全生产监督检查",),
    )
}
_STREET = {"cgj": Oversight(violations=("擅自占用城市道路从事经营活动",))}
_FOOD = {
    "scjgj": Oversight(
        violations=(
            "经营不符合食品安全标准的食品",
            "未取得食品经营许可从事食品经营活动",
            "不明码标价",
            "未按规定报送年度报告",
        ),
        licences=("食品经营许可证",),
        inspections=("食品安全监督检查", "价格监督检查"),
    ),
    **_STREET,
    **_TAX,
}
_OFFICE = {  # businesses that sell a service from an office: the market authority and tax
    "scjgj": Oversight(
        violations=(
            "未按规定报送年度报告",
            "发布虚假广告",
            "对商品作虚假或者引人误解的商业宣传",
        ),
        inspections=("企业公示信息抽查", "广告发布检查"),
    ),
    **_TAX,
}
_FACTORY = {
    "sthjj": Oversight(
        violations=("超过大气污染物排放标准排放大气污染物",),
        licences=("排污许可证",),
        inspections=("环境保护执法检查",),
    ),
    "scjgj": Oversight(
        violations=("销售不合格产品", "未按规定报送年度报告"),
        licences=("特种设备使用登记证",),
        inspections=("特种设备安全检查", "企业公示信息抽查"),
    ),
    **_SAFETY,
    **_TAX,
}
_SHOP = {
    "scjgj": Oversight(
        violations=("不明码标价", "销售不合格产品", "对商品作虚假或者引人误解的商业宣传"),
        inspections=("价格监督检查",),
    ),
    **_STREET,
    **_TAX,
}
_HYGIENE = {  # 公共场所: hotels, hairdressers
    "wjw": Oversight(
        violations=("未依法取得公共场所卫生许可证擅自营业",),
        licences=("公共场所卫生许可证",),
        inspections=("公共场所卫生监督检查",),
    ),
    "scjgj": Oversight(
        violations=("不明码标价", "未按规定报送年度报告"),
        inspections=("价格监督检查",),
    ),
    **_TAX,
}

SECTORS = (
    Sector(
        "软件和信息技术",
        {_E: ("科技", "信息技术", "网络科技", "通信技术", "电子", "教育科技")},
        "软件开发；信息技术咨询服务；数据处理和存储支持服务。",
        _OFFICE,
    ),
    Sector(
        "商务服务",
        {_E: ("投资", "咨询", "人力资源", "广告", "文化传播")},
        "企业管理咨询；广告设计、代理、发布；组织文化艺术交流活动。",
        _OFFICE,
    ),
    Sector(
        "批发贸易",
        {_E: ("贸易", "商贸", "进出口", "实业", "供应链管理", "五金", "建材", "电器")},
        "五金产品批发；建筑材料销售；家用电器销售；日用百货销售；货物进出口。",
        {
            "scjgj": Oversight(
                violations=("未按规定报送年度报告", "销售不合格产品", "不明码标价"),
                inspections=("企业公示信息抽查", "价格监督检查"),
            ),
            **_TAX,
        },
    ),
    Sector("餐饮", {_E: ("餐饮管理",), _I: ("餐饮店", "小吃店", "面馆")}, "餐饮服务。", _FOOD),
    Sector(
        "食品销售",
        {_E: ("食品",), _I: ("便利店", "粮油店", "水果店", "茶庄", "烟酒商行")},
        "食品销售（仅销售预包装食品）；食用农产品零售；日用百货销售。",
        _FOOD,
    ),
    Sector(
        "道路运输",
        {_E: ("物流", "运输"), _I: ("货运部",)},
        "道路货物运输（不含危险货物）；普通货物仓储服务。",
        {
            "jtj": Oversight(
                violations=("未经许可擅自从事道路运输经营",), licences=("道路运输经营许可证",)
            ),
            "scjgj": Oversight(
                violations=("未按规定报送年度报告",), inspections=("企业公示信息抽查",)
            ),
            **_SAFETY,
            **_TAX,
        },
    ),
    Sector(
        "建筑",
        {_E: ("建筑工程", "装饰工程")},
        "房屋建筑和市政基础设施项目工程总承包；建设工程施工；住宅室内装饰装修。",
        {
            "zjj": Oversight(
                violations=("施工现场扬尘污染防治措施不到位",),
                licences=("建筑施工企业安全生产许可证",),
            ),
            "scjgj": Oversight(
                violations=("未按规定报送年度报告",), inspections=("企业公示信息抽查",)
            ),
            **_SAFETY,
            **_TAX,
        },
    ),
    Sector(
        "房地产",
        {_E: ("房地产开发", "物业管理")},
        "房地产开发经营；物业管理；住房租赁。",
        {
            "ghzyj": Oversight(licences=("建设工程规划许可证",)),
            "zjj": Oversight(violations=("施工现场扬尘污染防治措施不到位",)),
            "scjgj": Oversight(
                violations=("未按规定报送年度报告", "发布虚假广告"),
                licences=("特种设备使用登记证",),
                inspections=("企业公示信息抽查", "广告发布检查", "特种设备安全检查"),
            ),
            **_TAX,
        },
    ),
    Sector(
        "化工和设备制造",
        {_E: ("化工", "机械设备", "新能源", "环保科技")},
        "通用设备制造；环境保护专用设备制造；化工产品生产（不含许可类化工产品）。",
        _FACTORY,
    ),
    Sector(
        "轻工制造",
        {_E: ("服装", "家具", "印刷")},
        "服装制造；家具制造；包装装潢印刷品印刷；针纺织品销售。",
        _FACTORY,
    ),
    Sector(
        "医药",
        {_E: ("医药", "生物科技", "医疗器械"), _I: ("药店",)},
        "药品零售；医疗器械经营；保健食品销售。",
        {
            "scjgj": Oversight(
                violations=("经营劣药", "不明码标价", "未按规定报送年度报告"),
                licences=("药品经营许可证",),
                inspections=("药品医疗器械监督检查", "价格监督检查"),
            ),
            **_TAX,
        },
    ),
    Sector("住宿", {_E: ("酒店管理",)}, "住宿服务；餐饮服务；会议及展览服务。", _HYGIENE),
    Sector("美容美发", {_I: ("美发店",)}, "理发服务；生活美容服务。", _HYGIENE),
    Sector(
        "零售和维修",
        {_I: ("五金店", "服装店", "文具店", "手机维修店", "洗衣店", "汽车维修部")},
        "五金产品零售；服装零售；文具用品零售；日用电器修理；洗染服务；机动车修理和维护。",
        _SHOP,
    ),
    Sector(
        "教育",
        {SubjectType.PUBLIC_INSTITUTION: ("第一中学", "实验小学", "职业技术学校")},
        "实施全日制教育，促进基础教育发展。",
        {  # the school canteen
            "scjgj": Oversight(
                violations=("经营不符合食品安全标准的食品",),
                licences=("食品经营许可证",),
                inspections=("食品安全监督检查",),
            )
        },
    ),
    Sector(
        "医疗卫生",
        {SubjectType.PUBLIC_INSTITUTION: ("人民医院", "中医院", "妇幼保健院")},
        "为人民身体健康提供医疗与护理保健服务。",
        {
            "wjw": Oversight(
                violations=("诊疗活动超出登记的诊疗科目范围",),
                licences=("医疗机构执业许可证",),
                inspections=("医疗机构依法执业检查",),
            )
        },
    ),
    Sector(
        "公共服务",
        {
            SubjectType.PUBLIC_INSTITUTION: (
                "图书馆",
                "文化馆",
                "档案馆",
                "体育中心",
                "疾病预防控制中心",
                "社会福利院",
                "公证处",
            )
        },
        "为社会提供公益服务，开展相关调查研究与技术推广。",
        {
            "scjgj": Oversight(licences=("特种设备使用登记证",), inspections=("特种设备安全检查",)),
            "yjj": Oversight(inspections=("安全生产监督检查",)),
        },
    ),
    Sector(
        "社会组织",
        {
            SubjectType.SOCIAL_ORGANIZATION: (
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
        },
        "开展行业交流、培训、咨询服务，维护会员合法权益。",
        {"yjj": Oversight(inspections=("安全生产监督检查",))},
    ),
    Sector(
        "机关",
        {
            SubjectType.GOVERNMENT_AGENCY: (
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
        },
        "依法履行行政管理职能。",
    ),
)
# Natural persons: a street vendor, an unlicensed driver, a doctor, a villager building a house.
PERSONS = Sector(
    "个人",
    {},
    "",
    {
        "cgj": Oversight(violations=("擅自占用城市道路从事经营活动",)),
        "scjgj": Oversight(violations=("未取得食品经营许可从事食品经营活动",)),
        "jtj": Oversight(
            violations=("未经许可擅自从事道路运输经营",), licences=("道路运输从业人员从业资格证",)
        ),
        "wjw": Oversight(licences=("医师执业证书",)),
        "ghzyj": Oversight(licences=("乡村建设规划许可证",)),
    },
)


def name_words(subject_type: SubjectType) -> tuple[tuple[str, Sector], ...]:
    """Every (name word, its sector) a subject of this type may be named with."""
    return tuple(
        (word, sector) for sector in SECTORS for word in sector.words.get(subject_type, ())
    )
