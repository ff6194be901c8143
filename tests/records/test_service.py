"""Records: idempotent storage, versions kept on correction, status lifecycle, protected IDs."""

from datetime import date
from decimal import Decimal

import pytest

from xinyong import codes
from xinyong.catalog import get_item, validate_payload
from xinyong.db import committing
from xinyong.errors import DomainError
from xinyong.policy.enums import SubjectType
from xinyong.records import service
from xinyong.records.models import Record, RecordEvent, RecordStatus
from xinyong.records.service import Outcome, RecordDraft
from xinyong.subjects.service import SubjectIn, register

COMPANY_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
AUTHORITY_USCC = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
ID_NUMBER = codes.make_id_number("44010619850712301")


def _penalty(**changes):
    row = {
        "cf_xdr_mc": "广州市某某科技有限公司",
        "cf_xdr_lb": "法人及非法人组织",
        "cf_xdr_shxym": COMPANY_USCC,
        "cf_frdb": "张三",
        "cf_wsh": "穗市监罚〔2024〕101号",
        "cf_wfxw": "发布虚假广告",
        "cf_sy": "经查，当事人发布虚假广告。",
        "cf_yj": "《中华人民共和国广告法》第五十五条",
        "cf_cflb": "罚款",
        "cf_nr": "罚款人民币伍万元",
        "cf_nr_fk": "5",
        "cf_jdrq": "2024-03-15",
        "cf_yxq": "2025-03-15",
        "cf_cfjg": "广州市市场监督管理局",
        "cf_cfjgdm": AUTHORITY_USCC,
        "cf_sjly": "广州市市场监督管理局",
        "cf_sjlydm": AUTHORITY_USCC,
    }
    row.update(changes)
    result = validate_payload(get_item("xzcf"), row, received_on=date(2024, 3, 20))
    assert result.ok, result.issues
    return result.values


@pytest.fixture
def company(session):
    with committing(session):
        return register(
            session,
            SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
        )


def _store(session, subject_id, *values_list):
    with committing(session):
        return service.store_many(
            session, get_item("xzcf"), [RecordDraft(subject_id, v) for v in values_list]
        )


def test_new_record_has_common_columns(session, company):
    (stored,) = _store(session, company.id, _penalty())
    assert stored.outcome is Outcome.NEW
    record = session.get(Record, stored.record_id)
    assert record.version == 1 and record.is_current
    assert record.decision_date == date(2024, 3, 15)
    assert record.document_number == "穗市监罚〔2024〕101号"
    assert record.status == RecordStatus.VALID
    assert (record.severity, record.publish_until) == ("general", date(2025, 3, 15))
    assert record.payload["cf_nr_fk"] == "5"


def test_fine_in_wan_yuan_is_stored_in_yuan(session, company):
    """双公示数据标准: 罚款金额 is given in 万元; the records table keeps 元."""
    (stored,) = _store(session, company.id, _penalty(cf_nr_fk="1.25"))
    assert session.get(Record, stored.record_id).amount_yuan == Decimal("12500.00")


def test_same_row_again_is_unchanged(session, company):
    _store(session, company.id, _penalty())
    (again,) = _store(session, company.id, _penalty())
    assert again.outcome is Outcome.UNCHANGED
    assert session.query(Record).count() == 1


def test_correction_adds_a_version_and_keeps_the_old(session, company):
    (first,) = _store(session, company.id, _penalty())
    (second,) = _store(session, company.id, _penalty(cf_nr_fk="6", cf_nr="罚款人民币陆万元"))
    assert second.outcome is Outcome.CORRECTED and second.record_id != first.record_id
    versions = service.history(session, "xzcf", session.get(Record, first.record_id).natural_key)
    assert [(r.version, r.is_current) for r in versions] == [(1, False), (2, True)]
    assert versions[0].payload["cf_nr_fk"] == "5"  # nothing overwritten


def test_duplicate_key_in_one_batch_stores_nothing(session, company):
    _store(session, company.id, _penalty(cf_wsh="穗市监罚〔2024〕8号"))
    with pytest.raises(DomainError) as exc:
        _store(session, company.id, _penalty(cf_wsh="穗市监罚〔2024〕9号"), _penalty(), _penalty())
    assert exc.value.code == "record.duplicate_key"
    assert session.query(Record).count() == 1  # the failed batch left nothing behind


def test_person_id_number_never_stored_in_clear(session):
    with committing(session):
        person = register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "李四", id_number=ID_NUMBER)
        )
    values = _penalty(
        cf_xdr_mc="李四",
        cf_xdr_lb="自然人",
        cf_xdr_shxym=None,
        cf_frdb=None,
        cf_xdr_zjlx="居民身份证",
        cf_xdr_zjhm=ID_NUMBER,
    )
    values = {k: v for k, v in values.items() if v is not None}
    (stored,) = _store(session, person.id, values)
    record = session.get(Record, stored.record_id)
    assert ID_NUMBER not in record.natural_key
    assert ID_NUMBER not in str(record.payload)
    assert record.payload["cf_xdr_zjhm"] == codes.mask_id_number(ID_NUMBER)
    (again,) = _store(session, person.id, values)
    assert again.outcome is Outcome.UNCHANGED


def test_status_lifecycle_writes_events(session, company):
    (stored,) = _store(session, company.id, _penalty())
    record = session.get(Record, stored.record_id)
    with committing(session):
        service.set_objection(session, record, True, "user:1", "主体提出异议")
        service.change_status(session, record, RecordStatus.REPAIRED, "user:1", "信用修复")
    assert record.in_objection and record.status == RecordStatus.REPAIRED
    events = session.query(RecordEvent).filter_by(record_id=record.id).order_by(RecordEvent.id)
    assert [(e.event, e.to_status) for e in events] == [
        ("objection.open", "valid"),
        ("status", "repaired"),
    ]


def test_revoked_record_cannot_be_repaired(session, company):
    (stored,) = _store(session, company.id, _penalty())
    record = session.get(Record, stored.record_id)
    with committing(session):
        service.change_status(session, record, RecordStatus.REVOKED, "user:1", "决定被撤销")
    with pytest.raises(DomainError) as exc, committing(session):
        service.change_status(session, record, RecordStatus.REPAIRED, "user:1", "修复")
    assert exc.value.code == "record.status_transition"
    assert "已撤销" in exc.value.message


@pytest.mark.parametrize("decided", [RecordStatus.REPAIRED, RecordStatus.REVOKED])
def test_correction_keeps_a_status_the_platform_decided(session, company, decided):
    """A department re-sending a repaired or revoked record with changed content must not
    publish it again: the platform's decision carries over to the new version (issue 11,
    found while fixing item 6), and so does an open objection's mark 异议中."""
    (first,) = _store(session, company.id, _penalty())
    record = session.get(Record, first.record_id)
    with committing(session):
        service.set_objection(session, record, True, "user:1", "主体提出异议")
        service.change_status(session, record, decided, "user:1", "决定")
    (second,) = _store(session, company.id, _penalty(cf_nr_fk="6", cf_nr="罚款人民币陆万元"))
    corrected = session.get(Record, second.record_id)
    assert second.outcome is Outcome.CORRECTED
    assert (corrected.status, corrected.in_objection) == (decided, True)
