"""组织机构代码 (GB 11714-1997): 8 body characters and a check character."""

from xinyong.codes._text import compact
from xinyong.errors import InvalidCode

WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)
_VALUES = {c: i for i, c in enumerate("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")}


def normalize_org_code(value: str) -> str:
    """Accepts `12345678-9`, full-width characters, spaces and lower case."""
    return compact(value).replace("-", "")


def org_code_check_char(body8: str) -> str:
    """GB 11714: C9 = 11 − (Σ Ci·Wi mod 11); 10 is written X and 11 is written 0."""
    check = 11 - sum(_VALUES[c] * w for c, w in zip(body8, WEIGHTS, strict=True)) % 11
    return {10: "X", 11: "0"}.get(check, str(check))


def is_valid_org_code(value: str) -> bool:
    code = value.upper() if len(value) == 9 and value.isalnum() else normalize_org_code(value)
    try:
        return len(code) == 9 and code[8] == org_code_check_char(code[:8])
    except KeyError:
        return False


def validate_org_code(value: str) -> str:
    code = normalize_org_code(value)
    if len(code) != 9:
        raise InvalidCode(f"组织机构代码应为9位，实际为{len(code)}位", "org_code.length")
    bad = next((c for c in code[:8] if c not in _VALUES), None)
    if bad is not None or not (code[8].isdigit() or code[8] == "X"):
        raise InvalidCode(f"组织机构代码含有非法字符“{bad or code[8]}”", "org_code.charset")
    if code[8] != org_code_check_char(code[:8]):
        raise InvalidCode("组织机构代码校验位错误", "org_code.checksum")
    return code


def make_org_code(body8: str) -> str:
    return body8 + org_code_check_char(body8)
