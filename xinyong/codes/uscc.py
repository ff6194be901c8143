"""统一社会信用代码 (GB 32100-2015): 18 characters from a 31-symbol alphabet.

Positions: 1 登记管理部门码, 2 机构类别码, 3–8 登记管理机关行政区划码, 9–17 主体标识码 (the
组织机构代码, GB 11714, with its own check character), 18 校验码. python-stdnum's `cn.uscc`
rejects valid codes that begin with a letter (N, Y, A...) and skips the embedded check, so the
check is written here; the tests cross-check it against stdnum where stdnum applies.
"""

from dataclasses import dataclass
from operator import mul

from xinyong.codes._text import compact
from xinyong.codes.orgcode import ORG_CHECK_BY_REMAINDER, ORG_VALUES, ORG_WEIGHTS
from xinyong.errors import InvalidCode

ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"  # GB 32100 表1: 0-9 and A-Z without I O Z S V
_VALUES = {c: i for i, c in enumerate(ALPHABET)}
WEIGHTS = tuple(3**i % 31 for i in range(17))  # GB 32100 表2: Wi = 3^(i−1) mod 31
WEIGHTS_WITH_CHECK = (*WEIGHTS, 1)  # Σ over all 18 characters ≡ 0 (mod 31) when valid

# GB 32100-2015 附录A (with later additions A and N): 登记管理部门码 and 机构类别码.
AUTHORITIES = {
    "1": "机构编制",
    "2": "外交",
    "3": "司法行政",
    "4": "文化",
    "5": "民政",
    "6": "旅游",
    "7": "宗教",
    "8": "工会",
    "9": "工商",
    "A": "中央军委改革和编制办公室",
    "N": "农业",
    "Y": "其他",
}
CATEGORIES = {
    "1": {"1": "机关", "2": "事业单位", "3": "中央编办直接管理机构编制的群众团体", "9": "其他"},
    "2": {"1": "外国常驻新闻机构", "9": "其他"},
    "3": {
        "1": "律师执业机构",
        "2": "公证处",
        "3": "基层法律服务所",
        "4": "司法鉴定机构",
        "5": "仲裁委员会",
        "9": "其他",
    },
    "4": {"1": "外国在华文化中心", "9": "其他"},
    "5": {"1": "社会团体", "2": "民办非企业单位", "3": "基金会", "9": "其他"},
    "6": {
        "1": "外国旅游部门常驻代表机构",
        "2": "港澳台地区旅游部门常驻内地（大陆）代表机构",
        "9": "其他",
    },
    "7": {"1": "宗教活动场所", "2": "宗教院校", "9": "其他"},
    "8": {"1": "基层工会", "9": "其他"},
    "9": {"1": "企业", "2": "个体工商户", "3": "农民专业合作社"},
    "A": {"1": "军队事业单位", "9": "其他"},
    "N": {"1": "组级集体经济组织", "2": "村级集体经济组织", "3": "乡镇级集体经济组织", "9": "其他"},
    "Y": {"1": "其他"},
}


@dataclass(frozen=True)
class UsccParts:
    """The five parts of a valid code; the names are None for codes the table does not list."""

    registration_authority: str
    registration_authority_name: str | None
    org_category: str
    org_category_name: str | None
    region_code: str
    org_code: str
    check_char: str


def normalize_uscc(value: str) -> str:
    """No spaces of any kind (inner, full-width), half-width, upper-case."""
    return compact(value)


def uscc_check_char(body17: str) -> str:
    """GB 32100 校验码: C18 = 31 − (Σ Ci·Wi mod 31), where 31 is written 0."""
    _check_length(body17, 17, "统一社会信用代码本体")
    _check_charset(body17)
    return _check_char(body17)


def make_uscc(body17: str) -> str:
    """The 17 body characters followed by their check character."""
    return body17 + uscc_check_char(body17)


def is_valid_uscc(value: str) -> bool:
    """True for a well-formed code with both check characters right (its own and the org code's)."""
    # Clean input (the common case) skips the full clean-up; this runs once per ingested row.
    code = value.upper() if value.isascii() and value.isalnum() else compact(value)
    if len(code) != 18:
        return False
    try:
        total = sum(map(mul, map(_VALUES.__getitem__, code), WEIGHTS_WITH_CHECK))
    except KeyError:
        return False
    if total % 31:
        return False
    # The USCC alphabet is a subset of GB 11714's, so the org-code lookup cannot fail here.
    org_total = sum(map(mul, map(ORG_VALUES.__getitem__, code[8:16]), ORG_WEIGHTS))
    return code[16] == ORG_CHECK_BY_REMAINDER[org_total % 11]


def validate_uscc(value: str) -> str:
    """The normalised code, or InvalidCode naming what is wrong in Chinese."""
    code = compact(value)
    if not code:
        raise InvalidCode("统一社会信用代码为空", "uscc.empty")
    _check_length(code, 18)
    _check_charset(code)
    if code[17] != _check_char(code[:17]):
        raise InvalidCode("统一社会信用代码校验位错误", "uscc.checksum")
    org_total = sum(map(mul, map(ORG_VALUES.__getitem__, code[8:16]), ORG_WEIGHTS))
    if code[16] != ORG_CHECK_BY_REMAINDER[org_total % 11]:
        # GB 32100: positions 9–17 are the 组织机构代码, which carries its own GB 11714 check.
        raise InvalidCode("统一社会信用代码中的组织机构代码（第9–17位）校验位错误", "uscc.org_code")
    return code


def decompose_uscc(value: str) -> UsccParts:
    """Split a valid code into its parts, with the department and category names."""
    code = validate_uscc(value)
    return UsccParts(
        registration_authority=code[0],
        registration_authority_name=AUTHORITIES.get(code[0]),
        org_category=code[1],
        org_category_name=CATEGORIES.get(code[0], {}).get(code[1]),
        region_code=code[2:8],
        org_code=code[8:17],
        check_char=code[17],
    )


def _check_char(body17: str) -> str:
    total = sum(map(mul, map(_VALUES.__getitem__, body17), WEIGHTS))
    return ALPHABET[-total % 31]


def _check_length(code: str, expected: int, what: str = "统一社会信用代码") -> None:
    if len(code) != expected:
        raise InvalidCode(f"{what}应为{expected}位，实际为{len(code)}位", "uscc.length")


def _check_charset(code: str) -> None:
    bad = next((c for c in code if c not in _VALUES), None)
    if bad is not None:
        raise InvalidCode(f"统一社会信用代码含有非法字符“{bad}”", "uscc.charset")
