"""The subject registry: identifiers, linking order, name history and protected ID numbers."""

import pytest

from xinyong import codes
from xinyong.auth.models import AuditEntry
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects import service
from xinyong.subjects.models import Subject, SubjectIdentifier
from xinyong.subjects.pii import unseal
from xinyong.subjects.service import SubjectIn

USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
ORG_CODE = USCC[8:17]
REG_NO = codes.make_reg_no("44010600012345")
ID_NUMBER = codes.make_id_number("44010619900307123")


def _company(session, **extra):
    data = dict(subject_type=SubjectType.ENTERPRISE, name="广州市某某科技有限公司", uscc=USCC)
    data.update(extra)
    with committing(session):
        return service.register(session, SubjectIn(**data))


def _person(session):
    with committing(session):
        return service.register(
            session,
            SubjectIn(subject_type=SubjectType.NATURAL_PERSON, name="张三", id_number=ID_NUMBER),
        )


def test_register_company_with_legacy_codes_as_aliases(session):
    subject = _company(session, org_code=ORG_CODE, reg_no=REG_NO)
    schemes = {i.scheme for i in session.query(SubjectIdentifier).filter_by(subject_id=subject.id)}
    assert schemes == {"uscc", "org_code", "reg_no"}
    assert subject.region_code == "440106"  # GB 32100: positions 3–8 are the registration region


def test_resolve_by_each_identifier_in_order(session):
    subject = _company(session, org_code=ORG_CODE, reg_no=REG_NO)
    assert service.resolve(session, uscc=USCC.lower()).id == subject.id
    assert service.resolve(session, org_code=ORG_CODE[:8] + "-" + ORG_CODE[8]).id == subject.id
    assert service.resolve(session, reg_no=REG_NO).id == subject.id
    assert service.resolve(session, uscc=codes.make_uscc("91440106MA5CXQ2C0")) is None


def test_fullwidth_and_spaced_uscc_finds_the_same_subject(session):
    subject = _company(session)
    fullwidth = "".join(chr(ord(c) + 0xFEE0) for c in USCC)
    assert (
        service.resolve(session, uscc=f"  {fullwidth[:9]} {fullwidth[9:]}\u3000").id == subject.id
    )


def test_traditional_and_simplified_names_share_a_key(session):
    subject = _company(session, name="廣州市某某科技有限公司 ")
    assert subject.name_key == codes.normalize_name("广州市某某科技有限公司")


def test_invalid_uscc_refused_with_reason(session):
    bad = USCC[:-1] + ("0" if USCC[-1] != "0" else "1")
    with pytest.raises(Exception) as exc, committing(session):
        service.register(
            session, SubjectIn(subject_type=SubjectType.ENTERPRISE, name="某公司", uscc=bad)
        )
    assert exc.value.code == "uscc.checksum"


def test_duplicate_subject_refused(session):
    _company(session)
    with pytest.raises(service.DuplicateSubject), committing(session):
        service.register(
            session, SubjectIn(subject_type=SubjectType.ENTERPRISE, name="另一个名字", uscc=USCC)
        )


def test_id_number_encrypted_hashed_and_masked(session):
    person = _person(session)
    stored = session.get(Subject, person.id)
    assert ID_NUMBER.encode() not in stored.id_number_cipher
    assert ID_NUMBER not in stored.id_number_hash
    assert stored.id_number_masked == ID_NUMBER[:4] + "*" * 10 + ID_NUMBER[-4:]
    assert unseal(stored.id_number_cipher) == ID_NUMBER
    assert service.resolve(session, id_number=ID_NUMBER.lower()).id == person.id


def test_reveal_id_number_is_audited(session):
    person = _person(session)
    with committing(session):
        value = service.reveal_id_number(session, person, "user:7", "核查申请材料")
    assert value == ID_NUMBER
    entry = session.query(AuditEntry).filter_by(action="subject.reveal_id_number").one()
    assert entry.actor == "user:7" and entry.target_id == str(person.id)
    assert ID_NUMBER not in str(entry.detail) + (entry.note or "")


def test_person_needs_id_number(session):
    with pytest.raises(Exception) as exc, committing(session):
        service.register(session, SubjectIn(subject_type=SubjectType.NATURAL_PERSON, name="李四"))
    assert exc.value.code == "subject.id_number_missing"


def test_rename_keeps_name_history(session):
    subject = _company(session)
    with committing(session):
        assert service.rename(session, subject, "广州市新名字科技有限公司", "行政处罚报送")
        assert not service.rename(session, subject, "廣州市新名字科技有限公司", "行政处罚报送")
    names = [n.name for n in service.name_history(session, subject.id)]
    assert names == ["广州市某某科技有限公司", "广州市新名字科技有限公司"]
    assert session.get(Subject, subject.id).name == "广州市新名字科技有限公司"


def test_subject_type_from_uscc_follows_gb32100():
    """GB 32100-2015 表1/表2: 9+1 企业, 9+2 个体工商户, 1+1 机关, 1+2 事业单位, 5x 社会组织."""
    assert service.subject_type_from_uscc("91xxxx") is SubjectType.ENTERPRISE
    assert service.subject_type_from_uscc("92xxxx") is SubjectType.INDIVIDUAL_BUSINESS
    assert service.subject_type_from_uscc("11xxxx") is SubjectType.GOVERNMENT_AGENCY
    assert service.subject_type_from_uscc("12xxxx") is SubjectType.PUBLIC_INSTITUTION
    assert service.subject_type_from_uscc("53xxxx") is SubjectType.SOCIAL_ORGANIZATION
