"""Builders shared by every test folder: the identifiers of the test city, 行政处罚 rows as a
department's file has them (Chinese labels) and as stored payloads (field codes), records
stored through the catalog validator and the records service, the objects permissions act on
(listing cases at any state, checks that hit a measure) built through their services, and a
console sign-in."""

from __future__ import annotations

import csv
import itertools
import random
import re
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, event

from xinyong import clock, codes
from xinyong.auth import service as auth
from xinyong.auth.models import Department, Role
from xinyong.auth.principal import Principal
from xinyong.catalog import get_item, validate_payload
from xinyong.db import committing
from xinyong.demo.payloads import Authority, PayloadFactory, SubjectFacts
from xinyong.lists import service as lists
from xinyong.lists.models import ListCase
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.policy.enums import SubjectType
from xinyong.records import service as records
from xinyong.records.service import RecordDraft

# --- identifiers ---------------------------------------------------------------------

COMPANY_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
AUTHORITY_USCC = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
PERSON_ID = codes.make_id_number("44010619850712301")
COURT = Authority(
    "广州市天河区人民法院", "穗天法", codes.make_uscc("11440106" + codes.make_org_code("00750013"))
)
OTHER_USCC = codes.make_uscc("91440104" + codes.make_org_code("MA9KL3T1"))
# Received on Wednesday 2024-03-20 at 10:00 Beijing time.
RECEIVED = datetime(2024, 3, 20, 2, 0, tzinfo=UTC)


# --- rows as a file has them ------------------------------------------------------------


def penalty_row(**changes: str) -> dict[str, str]:
    """One valid 行政处罚 row keyed by the catalog's Chinese labels."""
    row = {
        "行政相对人名称": "广州市某某科技有限公司",
        "行政相对人类别": "法人及非法人组织",
        "统一社会信用代码": COMPANY_USCC,
        "法定代表人": "张三",
        "行政处罚决定书文号": "穗市监罚〔2024〕101号",
        "违法行为类型": "发布虚假广告",
        "违法事实": "经查，当事人发布虚假广告。",
        "处罚依据": "《中华人民共和国广告法》第五十五条",
        "处罚类别": "罚款",
        "处罚内容": "罚款人民币伍万元",
        "罚款金额（万元）": "5",
        "处罚决定日期": "2024-03-15",
        "处罚有效期": "2025-03-15",
        "处罚机关": "广州市市场监督管理局",
        "处罚机关统一社会信用代码": AUTHORITY_USCC,
        "数据来源单位": "广州市市场监督管理局",
        "数据来源单位统一社会信用代码": AUTHORITY_USCC,
    }
    row.update(changes)
    return row


def person_row(**changes: str) -> dict[str, str]:
    return penalty_row(
        **{
            "行政相对人名称": "李四",
            "行政相对人类别": "自然人",
            "统一社会信用代码": "",
            "法定代表人": "",
            "证件类型": "身份证",
            "证件号码": PERSON_ID,
            "行政处罚决定书文号": "穗市监罚〔2024〕102号",
            **changes,
        }
    )


def write_csv(path: Path, rows: list[dict[str, str]], encoding: str = "utf-8") -> Path:
    headers = list(dict.fromkeys(key for row in rows for key in row))
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.DictWriter(out, headers)
        writer.writeheader()
        writer.writerows(rows)
    return path


# --- stored records ---------------------------------------------------------------------


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


def person_penalty(number: int, decided: date, name: str = "王小明") -> dict:
    """A penalty of the natural person PERSON_ID, as a stored payload."""
    return penalty(
        number,
        decided,
        cf_xdr_mc=name,
        cf_xdr_lb="自然人",
        cf_xdr_shxym="",
        cf_xdr_zjlx="居民身份证",
        cf_xdr_zjhm=PERSON_ID,
        cf_frdb="",
    )


@contextmanager
def statements(engine: Engine | type[Engine] = Engine) -> Iterator[list[str]]:
    """The SQL statements `engine` (by default: every engine, the app's own included) runs
    inside the block."""
    ran: list[str] = []

    def count(conn, cursor, statement, parameters, context, executemany):  # type: ignore[no-untyped-def]
        ran.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield ran
    finally:
        event.remove(engine, "before_cursor_execute", count)


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


# --- objects the permissions act on -------------------------------------------------------

LISTING_STEPS = {  # state → the steps that bring a proposed case there
    "proposed": [],
    "notified": ["notify"],
    "stated": ["notify", "statement"],  # notified, its statement recorded: it may be entered
    "listed": ["notify", "statement", "enter"],
}
_document_numbers = itertools.count(1)


def listing_case(  # type: ignore[no-untyped-def]
    session, clerk: Principal, subject, department: Department, state: str
) -> ListCase:
    """A 严重失信主体名单 case of `department`, proposed by `clerk` (who may) through the listing
    service and taken to `state` (a key of LISTING_STEPS), committed."""
    with committing(session):
        case = lists.propose(
            session,
            clerk,
            "serious_dishonesty",
            subject,
            department.id,
            document_number=f"穗人社失信〔2026〕{next(_document_numbers)}号",
            reason="拖欠农民工工资数额较大",
            legal_basis="《拖欠农民工工资失信联合惩戒对象名单管理暂行办法》",
        )
        for step in LISTING_STEPS[state]:
            if step == "notify":
                lists.notify(session, clerk, case)
            elif step == "statement":
                lists.record_statement(session, clerk, case, "无异议")
            else:
                lists.enter(session, clerk, case)
    return case


def check_with_hit(session, department: Department, subject) -> int:  # type: ignore[no-untyped-def]
    """A joint check for 政府采购 by `department`'s system on `subject`, which is first put on
    the 失信被执行人 list so that the check hits measure C01 and can be given feedback."""
    decided = clock.today() - timedelta(days=200)
    store(session, subject.id, demo_row("sxbzxr", subject, decided), "sxbzxr")
    system = Principal.of_department(department)
    with committing(session):
        answer = checks.check(session, system, SubjectKey(uscc=subject.uscc), "procurement")
    assert "C01" in [measure.code for measure in answer.measures], answer
    return answer.check_id


# --- the console ------------------------------------------------------------------------

PASSWORD = "a-strong-password"


def csrf_of(html: str) -> str:
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def sign_in(client, session, role: Role, department: tuple[str, str], name: str) -> str:  # type: ignore[no-untyped-def]
    """A staff member `liu` of `role` in `department` (code, name), signed in: the home page."""
    with committing(session):
        made = auth.create_department(session, *department, "440100")
        auth.create_user(session, "liu", PASSWORD, role, "440100", name, made)
    form = client.get("/admin/login").text
    answer = {"username": "liu", "password": PASSWORD, "csrf": csrf_of(form)}
    return client.post("/admin/login", data=answer).text


def console_client(app, username: str, password: str = PASSWORD) -> TestClient:  # type: ignore[no-untyped-def]
    """A browser signed in to the console as `username`; its API calls carry the session's
    CSRF token as the console's own do."""
    client = TestClient(app)
    form = client.get("/admin/login").text
    done = client.post(
        "/admin/login", data={"username": username, "password": password, "csrf": csrf_of(form)}
    )
    assert done.status_code == 200 and "/admin/login" not in str(done.url), username
    client.headers["X-CSRF-Token"] = csrf_of(client.get("/admin/login").text)
    return client
