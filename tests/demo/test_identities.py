"""Demo identities stay unique however many are drawn."""

import random

from xinyong import codes
from xinyong.demo.identities import IdentityFactory
from xinyong.policy.enums import SubjectType


def test_embedded_org_codes_are_unique_across_subject_types():
    """A legacy 组织机构代码 alias must not be shared by two subjects (it is looked up alone)."""
    city = codes.region("440100")
    factory = IdentityFactory(random.Random(3), city, codes.children("440100"))
    drawn = [
        factory.uscc(kind, factory.district())
        for kind in (SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS) * 20_000
    ]
    assert len({code[8:17] for code in drawn}) == len(drawn)
    assert all(codes.is_valid_uscc(code) for code in drawn[:1000])
