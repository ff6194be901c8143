"""A policy with one copy of 行政处罚 per disclosure level, and records built through services."""

from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from xinyong import clock, codes
from xinyong.auth.service import create_department
from xinyong.catalog import get_item, validate_payload
from xinyong.db import committing
from xinyong.policy import forget_policy
from xinyong.policy.enums import SubjectType
from xinyong.policy.loader import SHIPPED_DIR
from xinyong.records import service as records
from xinyong.records.service import RecordDraft
from xinyong.subjects.service import SubjectIn, register

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # 12:00 in Beijing
COMPANY_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
AUTHORITY_USCC = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
PERSON_ID = codes.make_id_number("44010619850712301")
LEVEL_ITEMS = {"public": "xzcf", "shared": "xzcf_gx", "authorized": "xzcf_sq", "closed": "xzcf_bg"}


@pytest.fixture(autouse=True)
def levels_policy(tmp_path_factory, monkeypatch):
    """Items xzcf_gx / xzcf_sq / xzcf_bg: 行政处罚 at the shared, authorized and closed levels."""
    folder = tmp_path_factory.mktemp("policy")
    (folder / "catalog").mkdir()
    shipped = (Path(SHIPPED_DIR) / "catalog" / "xzcf.yaml").read_text(encoding="utf-8")
    for level, code in LEVEL_ITEMS.items():
        if code != "xzcf":
            text = shipped.replace("code: xzcf", f"code: {code}", 1)
            text = text.replace("name: 行政处罚", f"name: 行政处罚（{level}）", 1)
            text = text.replace("disclosure: public", f"disclosure: {level}", 1)
            (folder / "catalog" / f"{code}.yaml").write_text(text, encoding="utf-8")
    monkeypatch.setenv("XINYONG_POLICY_DIR", str(folder))
    forget_policy()
    yield
    monkeypatch.delenv("XINYONG_POLICY_DIR")
    forget_policy()


@pytest.fixture
def now():
    with clock.frozen_at(NOW):
        yield NOW


@pytest.fixture
def company(session, now):
    with committing(session):
        return register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )


@pytest.fixture
def departments(session, now):
    with committing(session):
        return {
            "gz": create_department(session, "gz-scjgj", "广州市市场监督管理局", "440100"),
            "sz": create_department(session, "sz-scjgj", "深圳市市场监督管理局", "440300"),
        }


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
