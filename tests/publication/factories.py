"""Records for publication tests, built through the catalog validator and the records service."""

import random
from datetime import date

from xinyong import clock, codes
from xinyong.catalog import get_item, validate_payload
from xinyong.db import committing
from xinyong.demo.payloads import Authority, PayloadFactory, SubjectFacts
from xinyong.policy.enums import SubjectType
from xinyong.records import service as records
from xinyong.records.service import RecordDraft

COMPANY_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
AUTHORITY_USCC = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
PERSON_ID = codes.make_id_number("44010619850712301")
COURT = Authority(
    "广州市天河区人民法院", "穗天法", codes.make_uscc("11440106" + codes.make_org_code("00750013"))
)


def penalty(number: int, decided: date, **changes: str) -> dict:
    row = {
        "cf_xdr_mc": "广州市某某科技有限公司",
        "cf_xdr_lb": "法人及非法人组织",
        "cf_xdr_shxym": COMPANY_USCC,
        "cf_frdb": "张三",
        "cf_fr_zjlx": "居民身份证",
        "cf_fr_zjhm": PERSON_ID,
        "cf_wsh": f"穗市监罚〔2026〕{number}号",
        "cf_wfxw": "发布虚假广告",
        "cf_sy": "经查，当事人发布虚假广告。",
        "cf_yj": "《中华人民共和国广告法》第五十五条",
        "cf_cflb": "罚款",
        "cf_nr": "罚款人民币伍万元",
        "cf_nr_fk": "5",
        "cf_jdrq": decided.isoformat(),
        "cf_yxq": date(decided.year + 1, decided.month, decided.day).isoformat(),
        "cf_cfjg": "广州市市场监督管理局",
        "cf_cfjgdm": AUTHORITY_USCC,
        "cf_sjly": "广州市市场监督管理局",
        "cf_sjlydm": AUTHORITY_USCC,
    }
    row.update(changes)
    return row


def store(session, subject_id, row, item_code="xzcf", department=None) -> int:
    item = get_item(item_code)
    result = validate_payload(item, row, received_on=clock.today())
    assert result.ok, result.issues
    draft = RecordDraft(
        subject_id,
        result.values,
        department_id=department.id if department else None,
        region_code="440106",
    )
    with committing(session):
        (stored,) = records.store_many(session, item, [draft])
    return stored.record_id


def demo_row(item_code: str, subject, decided: date, id_number: str | None = None) -> dict:
    """A plausible row of any catalog item for `subject`, from the demo data generator."""
    facts = SubjectFacts(
        SubjectType(subject.subject_type), subject.name, subject.uscc, id_number, "李四"
    )
    factory = PayloadFactory(random.Random(subject.id), clock.today())
    return factory.payload(get_item(item_code), facts, COURT, decided)
