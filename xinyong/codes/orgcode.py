"""组织机构代码 (GB 11714-1997): 8 body characters and a check character.

Written `12345678-9` for people; the hyphen is dropped in storage (GB 11714 2.2).
"""

from operator import mul

from xinyong.codes._text import compact
from xinyong.errors import InvalidCode

# GB 11714 附录A 代码字符集: 0-9 are 0-9, A-Z are 10-35.
ORG_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}
ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
# C9 = 11 − (Σ mod 11); C9 = 10 is written X and C9 = 11 is written 0. Indexed by Σ mod 11.
ORG_CHECK_BY_REMAINDER = ("0", "X", *(str(11 - r) for r in range(2, 11)))


def normalize_org_code(value: str) -> str:
    """Accepts `12345678-9`, full-width characters, spaces and lower case."""
    return compact(value).replace("-", "")


def org_code_check_char(body8: str) -> str:
    """GB 11714 2.1.2: weights 3 7 9 10 5 8 4 2, C9 = 11 − (Σ Ci·Wi mod 11), 10 → X, 11 → 0."""
    if len(body8) != 8:
        raise InvalidCode(f"组织机构代码本体应为8位，实际为{len(body8)}位", "org_code.length")
    _check_body_charset(body8)
    return _check_char(body8)


def make_org_code(body8: str) -> str:
    """The 8 body characters followed by their check character."""
    return body8 + org_code_check_char(body8)


def is_valid_org_code(value: str) -> bool:
    """True for 8 characters from 0-9A-Z followed by the right check character."""
    clean = len(value) == 9 and value.isascii() and value.isalnum()
    code = value.upper() if clean else normalize_org_code(value)
    if len(code) != 9:
        return False
    try:
        return code[8] == _check_char(code[:8])
    except KeyError:
        return False


def validate_org_code(value: str) -> str:
    """The normalised 9 characters without hyphen, or InvalidCode naming what is wrong."""
    code = normalize_org_code(value)
    if len(code) != 9:
        raise InvalidCode(f"组织机构代码应为9位，实际为{len(code)}位", "org_code.length")
    _check_body_charset(code[:8])
    if code[8] not in "0123456789X":
        raise InvalidCode(f"组织机构代码含有非法字符“{code[8]}”", "org_code.charset")
    if code[8] != _check_char(code[:8]):
        raise InvalidCode("组织机构代码校验位错误", "org_code.checksum")
    return code


def _check_char(body8: str) -> str:
    return ORG_CHECK_BY_REMAINDER[
        sum(map(mul, map(ORG_VALUES.__getitem__, body8), ORG_WEIGHTS)) % 11
    ]


def _check_body_charset(body8: str) -> None:
    bad = next((c for c in body8 if c not in ORG_VALUES), None)
    if bad is not None:
        raise InvalidCode(f"组织机构代码含有非法字符“{bad}”", "org_code.charset")
