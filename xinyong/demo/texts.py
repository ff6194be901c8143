"""Plausible Chinese wording for demo records, by catalog item and field role, and the sectors
(行业) that say which department fines, licenses or inspects whom, and for what."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from xinyong.policy.enums import SubjectType

# (违法行为类型, 处罚依据) pairs as they appear in published 行政处罚 decisions.
VIOLATIONS = (
    ("未按规定报送年度报告", "《企业信息公示暂行条例》第十八条"),
    ("经营不符合食品安全标准的食品", "《中华人民共和国食品安全法》第一百二十四条"),
    ("未取得食品经营许可从事食品经营活动", "《中华人民共和国食品安全法》第一百二十二条"),
    ("发布虚假广告", "《中华人民共和国广告法》第五十五条"),
    ("对商品作虚假或者引人误解的商业宣传", "《中华人民共和国反不正当竞争法》第二十条"),
    ("生产经营单位未按规定开展安全生产教育和培训", "《中华人民共和国安全生产法》第九十七条"),
    ("超过大气污染物排放标准排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条"),
    ("未按照规定期限办理纳税申报和报送纳税资料", "《中华人民共和国税收征收管理法》第六十二条"),
    ("擅自占用城市道路从事经营活动", "《城市道路管理条例》第四十二条"),
    ("销售不合格产品", "《中华人民共和国产品质量法》第四十九条"),
    ("不明码标价", "《中华人民共和国价格法》第四十二条"),
    ("未经许可擅自从事道路运输经营", "《中华人民共和国道路运输条例》第六十三条"),
    ("施工现场扬尘污染防治措施不到位", "《中华人民共和国大气污染防治法》第一百一十五条"),
    ("违反消防安全规定占用疏散通道", "《中华人民共和国消防法》第六十条"),
    ("经营劣药", "《中华人民共和国药品管理法》第一百一十七条"),
    ("未依法取得公共场所卫生许可证擅自营业", "《公共场所卫生管理条例实施细则》第三十五条"),
    ("诊疗活动超出登记的诊疗科目范围", "《医疗机构管理条例实施细则》第八十条"),
)
BASIS_OF = dict(VIOLATIONS)
PENALTY_KINDS = (  # (处罚类别 labels, weight)
    (("罚款",), 55),
    (("警告",), 14),
    (("罚款", "没收违法所得"), 12),
    (("警告", "罚款"), 8),
    (("通报批评",), 3),
    (("责令停产停业", "罚款"), 3),
    (("罚款", "吊销许可证件"), 2),
    (("没收非法财物",), 2),
    (("暂扣许可证件", "罚款"), 1),
)
LICENSES = (  # (许可证书名称, 许可内容, 许可类别)
    ("食品经营许可证", "预包装食品销售、热食类食品制售", "普通"),
    ("排污许可证", "按证排放大气污染物、水污染物", "普通"),
    ("建筑施工企业安全生产许可证", "建筑施工", "普通"),
    ("道路运输经营许可证", "普通货运", "普通"),
    ("公共场所卫生许可证", "住宿、美容美发场所", "普通"),
    ("医疗机构执业许可证", "内科、外科、口腔科诊疗", "普通"),
    ("危险化学品经营许可证", "危险化学品（不储存）批发", "普通"),
    ("建设工程规划许可证", "新建商业办公楼", "普通"),
    ("特种设备使用登记证", "电梯使用登记", "登记"),
    ("药品经营许可证", "中成药、化学药制剂零售", "普通"),
    ("医师执业证书", "执业类别：临床；执业范围：内科专业", "普通"),
    ("乡村建设规划许可证", "农村村民住宅建设", "普通"),
    ("道路运输从业人员从业资格证", "道路货物运输驾驶员", "普通"),
)
LICENCE_OF = {licence[0]: licence for licence in LICENSES}
INSPECTIONS = (
    "食品安全监督检查",
    "安全生产监督检查",
    "企业公示信息抽查",
    "环境保护执法检查",
    "消防安全检查",
    "特种设备安全检查",
    "价格监督检查",
    "广告发布检查",
    "公共场所卫生监督检查",
    "医疗机构依法执业检查",
    "药品医疗器械监督检查",
)
CONTENT = {  # item → (类别, 内容) pairs for the other 十公示 kinds
    "xzqz": (
        ("查封场所、设施或者财物", "查封涉案生产设备及原材料"),
        ("扣押财物", "扣押不符合安全标准的产品"),
    ),
    "xzqr": (
        ("工伤认定", "认定为工伤"),
        ("高新技术企业认定", "认定为高新技术企业"),
        ("残疾等级确认", "确认残疾等级"),
    ),
    "xzzs": (
        ("城市基础设施配套费", "征收城市基础设施配套费"),
        ("土地闲置费", "征收土地闲置费"),
        ("污水处理费", "征收污水处理费"),
    ),
    "xzgf": (
        ("最低生活保障金", "发放最低生活保障金"),
        ("就业补贴", "发放一次性创业资助"),
        ("优抚金", "发放定期抚恤补助"),
    ),
    "xzcj": (
        ("林木林地权属争议裁决", "裁决争议林地归申请人使用"),
        ("专利实施强制许可使用费裁决", "裁决使用费数额"),
    ),
    "xzbc": (("房屋征收补偿", "给予货币补偿"), ("征用补偿", "给予临时征用补偿")),
    "xzjl": (
        ("守合同重信用企业", "授予“守合同重信用”企业称号"),
        ("安全生产先进单位", "通报表扬并授予先进单位称号"),
        ("见义勇为", "授予见义勇为先进个人称号"),
    ),
}
BASES = {
    "xzqz": "《中华人民共和国行政强制法》第九条",
    "xzqr": "《工伤保险条例》第十七条",
    "xzzs": "《中华人民共和国城乡规划法》",
    "xzgf": "《社会救助暂行办法》第九条",
    "xzcj": "《中华人民共和国森林法》第二十二条",
    "xzbc": "《国有土地上房屋征收与补偿条例》第十七条",
    "xzjl": "本市表彰奖励办法",
}
COMMITMENTS = (
    ("审批替代型", "食品经营许可告知承诺", "本单位承诺已具备许可条件，如有不实愿承担相应责任"),
    ("证明事项告知承诺", "无犯罪记录证明事项告知承诺", "本人承诺所提交信息真实有效"),
    ("主动型", "诚信经营承诺", "本单位承诺依法诚信经营，自愿接受社会监督"),
    ("行业自律型", "行业自律承诺", "严格遵守行业自律公约"),
    ("信用修复型", "信用修复承诺", "本单位已纠正失信行为，承诺不再发生同类违法行为"),
)
COMMITMENT_BREACHES = (  # 违背信用承诺: (type, matter, what was not done)
    ("容缺受理型", "食品经营许可（新办）", "承诺履行期限届满，未补齐容缺材料"),
    ("审批替代型", "公共场所卫生许可（新办）", "经核查，经营场所不符合承诺的许可条件"),
    ("容缺受理型", "建筑工程施工许可证核发", "承诺履行期限届满，未补齐暂缺材料"),
)
COURT_DUTIES = (
    "支付货款及利息",
    "偿还借款本金及利息",
    "支付劳动报酬",
    "支付工程款",
    "赔偿经济损失",
    "支付租金及违约金",
)

SERIOUS_DISHONESTY = (  # (列入原因, 列入依据) for 严重失信主体名单
    (
        "拖欠农民工工资数额较大，经责令限期支付仍不支付",
        "《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
    ),
    (
        "因虚假广告等违法行为受到较重行政处罚后再次违法",
        "《市场监督管理严重违法失信名单管理办法》",
    ),
    (
        "逃避缴纳税款，情节严重",
        "《重大税收违法失信主体信息公布管理办法》",
    ),
)

ROADS = (  # 住所: a road of the district, then a number
    "中山大道",
    "解放路",
    "环市东路",
    "天河路",
    "工业大道",
    "人民北路",
    "滨江东路",
    "科学大道",
    "迎宾路",
    "广园中路",
    "沙太路",
    "黄埔东路",
    "新港西路",
    "市桥街",
    "花城大道",
)


# --- sectors (行业): who oversees a subject, and for what ----------------------------------


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
