"""The one table of identifier schemes: lengths, lookup order and the message naming them."""

from xinyong import codes
from xinyong.codes.schemes import (
    LOOKUP_ORDER,
    ORGANISATION_SCHEMES,
    SCHEMES,
    Scheme,
    organisation_lengths_text,
    organisation_scheme,
)


def test_lookup_order_is_the_uscc_then_legacy_codes_then_a_person():
    assert LOOKUP_ORDER == (Scheme.USCC, Scheme.ORG_CODE, Scheme.REG_NO, Scheme.ID_NUMBER)
    assert ORGANISATION_SCHEMES == (Scheme.USCC, Scheme.ORG_CODE, Scheme.REG_NO)


def test_organisation_codes_differ_in_length_so_a_length_names_the_scheme():
    lengths = [SCHEMES[s].length for s in ORGANISATION_SCHEMES]
    assert len(set(lengths)) == len(lengths)
    assert [organisation_scheme("9" * n) for n in lengths] == list(ORGANISATION_SCHEMES)


def test_each_rule_length_is_what_its_validator_accepts():
    samples = {
        Scheme.USCC: codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B")),
        Scheme.ORG_CODE: codes.make_org_code("MA5CXQ2B"),
        Scheme.REG_NO: codes.make_reg_no("44010600012345"),
        Scheme.ID_NUMBER: codes.make_id_number("44010619900307123"),
    }
    for scheme, rule in SCHEMES.items():
        value = rule.validate(samples[scheme])
        assert len(value) == rule.length and rule.is_valid(value)


def test_the_lengths_message_reads_as_before():
    assert organisation_lengths_text() == "18位统一社会信用代码、9位组织机构代码或15位工商注册号"
