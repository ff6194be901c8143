"""Identifier formats, checksums, region codes and name normalisation: pure functions, no I/O."""

from xinyong.codes.idcard import (
    id_birth_date,
    id_check_char,
    id_sex,
    is_valid_id_number,
    make_id_number,
    mask_id_number,
    normalize_id_number,
    validate_id_number,
)
from xinyong.codes.names import clean_name, name_pieces, normalize_name
from xinyong.codes.orgcode import (
    is_valid_org_code,
    make_org_code,
    normalize_org_code,
    org_code_check_char,
    validate_org_code,
)
from xinyong.codes.personal import (
    NumberKind,
    PersonalNumber,
    find_personal_numbers,
    mask_personal_numbers,
)
from xinyong.codes.regions import (
    Region,
    all_regions,
    children,
    is_valid_region,
    region,
    region_name,
    validate_region,
)
from xinyong.codes.regno import is_valid_reg_no, make_reg_no, normalize_reg_no, validate_reg_no
from xinyong.codes.uscc import (
    UsccParts,
    decompose_uscc,
    is_valid_uscc,
    make_uscc,
    normalize_uscc,
    uscc_check_char,
    validate_uscc,
)

__all__ = [
    "NumberKind",
    "PersonalNumber",
    "Region",
    "UsccParts",
    "all_regions",
    "children",
    "clean_name",
    "decompose_uscc",
    "find_personal_numbers",
    "id_birth_date",
    "id_check_char",
    "id_sex",
    "is_valid_id_number",
    "is_valid_org_code",
    "is_valid_reg_no",
    "is_valid_region",
    "is_valid_uscc",
    "make_id_number",
    "make_org_code",
    "make_reg_no",
    "make_uscc",
    "mask_id_number",
    "mask_personal_numbers",
    "name_pieces",
    "normalize_id_number",
    "normalize_name",
    "normalize_org_code",
    "normalize_reg_no",
    "normalize_uscc",
    "org_code_check_char",
    "region",
    "region_name",
    "uscc_check_char",
    "validate_id_number",
    "validate_org_code",
    "validate_reg_no",
    "validate_region",
    "validate_uscc",
]
