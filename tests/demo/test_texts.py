"""The sector tables name only wording that exists, for departments that decide those items."""

from xinyong.demo import sectors, texts
from xinyong.demo.generator import DEPARTMENTS
from xinyong.policy.enums import SubjectType

PROVIDES = {suffix: set(items) for suffix, _, _, items in DEPARTMENTS}


def test_every_sector_names_known_wording_of_departments_providing_the_item():
    for sector in (*sectors.SECTORS, sectors.PERSONS):
        for suffix, oversight in sector.oversight.items():
            assert suffix in PROVIDES, (sector.name, suffix)
            for item_code in sectors.WORDED_ITEMS:
                if oversight.wording(item_code):
                    assert item_code in PROVIDES[suffix], (sector.name, suffix, item_code)
            assert set(oversight.violations) <= texts.BASIS_OF.keys()
            assert set(oversight.licences) <= texts.LICENCE_OF.keys()
            assert set(oversight.inspections) <= set(texts.INSPECTIONS)


def test_a_name_word_and_a_scope_say_one_sector():
    """The registration's 经营范围 tells a subject's sector, as a name word does."""
    assert len({sector.scope for sector in sectors.SECTORS}) == len(sectors.SECTORS)
    for kind in SubjectType:
        words = [word for word, _ in sectors.name_words(kind)]
        assert len(words) == len(set(words)), kind
        assert words or kind is SubjectType.NATURAL_PERSON
