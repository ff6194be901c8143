"""Demo identities stay unique however many are drawn."""

import random

from xinyong import codes
from xinyong.demo.identities import IdentityFactory
from xinyong.policy.enums import SubjectType


class NarrowRandom(random.Random):
    """Draws code characters from the first two symbols only, so bodies repeat quickly."""

    def choices(self, population, weights=None, *, cum_weights=None, k=1):
        return super().choices(population[:2], k=k)


def test_embedded_org_codes_are_unique_across_subject_types():
    """A legacy 组织机构代码 alias must not be shared by two subjects (it is looked up alone)."""
    factory = IdentityFactory(NarrowRandom(3), codes.region("440100"), codes.children("440100"))
    kinds = (SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS) * 100
    drawn = [factory.uscc(kind, factory.district()) for kind in kinds]
    assert len({code[8:17] for code in drawn}) == len(drawn)  # 200 of only 256 possible bodies
    assert all(codes.is_valid_uscc(code) for code in drawn)
