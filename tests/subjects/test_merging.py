"""重错码 (issue 15): merging two subjects that are one, reversing it, and moving a record
linked to the wrong subject — what moves, what stays, who may, and what the public sees."""

from __future__ import annotations

from datetime import date

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from tests.factories import (
    PASSWORD,
    console_client,
    csrf_of,
    penalty,
    sign_in,
    statements,
    store,
)
from xinyong import codes
from xinyong.auth.audit import AuditEntry
from xinyong.auth.models import Department
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import create_department, create_user
from xinyong.db import committing
from xinyong.errors import DomainError, NotFound, PermissionDenied
from xinyong.policy.enums import Role, SubjectType
from xinyong.publication.archive import subject_card
from xinyong.records.models import Record, RecordChange, RecordEvent
from xinyong.subjects import merging, relinking, service
from xinyong.subjects.models import (
    Subject,
    SubjectChange,
    SubjectIdentifier,
    SubjectProfile,
)
from xinyong.subjects.service import SubjectIn

pytestmark = pytest.mark.usefixtures("received")

OFFICE = Principal(Role.CREDIT_OFFICE, None, "440100", "user:office")
SHENZHEN = Principal(Role.CREDIT_OFFICE, None, "440300", "user:sz")
OLD_CODE = codes.make_org_code("MA5CXQ2C")
NEW_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2D"))
REASON = "原组织机构代码与统一社会信用代码为同一企业"


@pytest.fixture
def pair(session) -> tuple[int, int]:
    """One company twice: by its USCC (registered) and by its old code (待核实), each with
    records of the market regulator."""
    with committing(session):
        department = create_department(session, "scjg", "广州市市场监督管理局", "440100")
        (kept,) = service.register_many(
            session, [SubjectIn(SubjectType.ENTERPRISE, "广州市合一科技有限公司", uscc=NEW_USCC)]
        )
        (twin,) = service.register_many(
            session,
            [
                SubjectIn(
                    SubjectType.ENTERPRISE,
                    "广州市合一科技有限公司",
                    org_code=OLD_CODE,
                    region_code="440106",
                )
            ],
            verified=False,
        )
    for number in (1, 2):
        store(session, kept, penalty(number, date(2024, 1, 10)), department=department)
    for number in (3, 4, 5):
        store(session, twin, penalty(number, date(2024, 2, 10)), department=department)
    return kept, twin


def _records_of(session, subject_id: int) -> int:
    return session.scalar(select(func.count()).where(Record.subject_id == subject_id))


def test_every_table_that_refers_to_subjects_is_placed_on_one_side():
    moving = {table.name for table, _column in merging.moving_columns()}
    assert moving == {
        "records",
        "subject_identifiers",
        "cases",
        "notices",
        "applicants",
        "activation_codes",
        "recognised_evaluations",  # another platform's grade of the company: it follows it
        "supervision_avoidances",  # 回避 is with the entity: it follows the survivor
        "report_authorisations",  # the subject's 授权码 go on working for the one it is now
    }
    assert merging.referring_tables() <= moving | merging.MOVES_NOT


def test_a_merge_moves_records_and_codes_and_hides_the_absorbed_subject(session, pair):
    kept, twin = pair
    with committing(session):
        merged = merging.merge(session, OFFICE, kept, twin, REASON)
    assert merged.moved == {"records": 3, "subject_identifiers": 1}
    assert (_records_of(session, kept), _records_of(session, twin)) == (5, 0)
    # Both codes now name the survivor.
    assert service.resolve(session, org_code=OLD_CODE).id == kept  # type: ignore[union-attr]
    assert service.resolve(session, uscc=NEW_USCC).id == kept  # type: ignore[union-attr]
    absorbed = session.get_one(Subject, twin)
    assert absorbed.merged_into == kept
    with pytest.raises(merging.MergedAway) as moved:
        subject_card(session, PUBLIC, twin)
    assert moved.value.survivor_id == kept and moved.value.status_code == 404
    entry = session.scalars(select(AuditEntry).where(AuditEntry.action == "subjects.merge")).one()
    assert entry.actor == "user:office" and entry.note == REASON
    # Partners reading the change feed learn where each current record went.
    feed = session.scalars(select(RecordChange).where(RecordChange.change == "subject_merged"))
    assert sorted(c.subject_id for c in feed) == [kept] * 3


def test_reversing_a_merge_moves_back_exactly_what_it_moved(session, pair):
    kept, twin = pair
    with committing(session):
        merged = merging.merge(session, OFFICE, kept, twin, REASON)
    with committing(session):
        back = merging.reverse(session, OFFICE, merged.merge_id, "经核实为两个主体")
    assert back.moved == {"records": 3, "subject_identifiers": 1}
    assert (_records_of(session, kept), _records_of(session, twin)) == (2, 3)
    assert service.resolve(session, org_code=OLD_CODE).id == twin  # type: ignore[union-attr]
    assert session.get_one(Subject, twin).merged_into is None
    assert subject_card(session, OFFICE, twin).id == twin
    with committing(session), pytest.raises(DomainError, match="已撤销"):
        merging.reverse(session, OFFICE, merged.merge_id, "再次撤销")
    with committing(session):
        listed = merging.merges(session, OFFICE)
    assert [m.reversed_by for m in listed] == ["user:office"]  # no staff account: as it is
    viewed = session.scalars(select(AuditEntry).where(AuditEntry.action == "subjects.merges_view"))
    assert [e.detail for e in viewed] == [{"merges": [merged.merge_id]}]  # looking is kept


def test_a_record_relinked_after_the_merge_is_not_moved_back(session, pair):
    kept, twin = pair
    with committing(session):
        third = service.register(
            session,
            SubjectIn(
                SubjectType.ENTERPRISE,
                "广州市第三方有限公司",
                org_code=codes.make_org_code("MA5CXQ2E"),
                region_code="440106",
            ),
        ).id
        merged = merging.merge(session, OFFICE, kept, twin, REASON)
    one_of_twins = session.scalars(
        select(Record.id).where(Record.subject_id == kept).order_by(Record.id.desc())
    ).first()
    assert one_of_twins is not None
    with committing(session):
        relinking.relink(session, OFFICE, one_of_twins, third, "该处罚属于第三方")
        merging.reverse(session, OFFICE, merged.merge_id, "经核实为两个主体")
    assert session.get_one(Record, one_of_twins).subject_id == third
    assert (_records_of(session, kept), _records_of(session, twin)) == (2, 2)


def test_the_survivor_takes_the_uscc_it_lacked_and_gives_it_back(session, pair):
    kept, twin = pair
    with committing(session):  # the old-code subject survives this time
        merged = merging.merge(session, OFFICE, twin, kept, REASON)
    survivor = session.get_one(Subject, twin)
    assert (survivor.uscc, survivor.verified) == (NEW_USCC, True)
    with committing(session):
        merging.reverse(session, OFFICE, merged.merge_id, "经核实为两个主体")
    assert session.get_one(Subject, kept).uscc == NEW_USCC
    assert (session.get_one(Subject, twin).uscc, session.get_one(Subject, twin).verified) == (
        None,
        False,
    )


def test_a_survivor_without_a_registration_takes_the_absorbed_ones(session, pair):
    kept, twin = pair
    now = session.get_one(Subject, kept).created_at
    with committing(session):
        registered = session.get_one(Subject, kept)
        registered.status = "deregistered"
        record_id = session.scalars(select(Record.id).where(Record.subject_id == kept)).first()
        session.add(
            SubjectProfile(
                subject_id=kept,
                legal_representative="张三",
                item_code="scztdj",
                record_id=record_id,
                updated_at=now,
            )
        )
        session.add(
            SubjectChange(
                subject_id=kept,
                field="status",
                old_value="active",
                new_value="deregistered",
                changed_on=date(2024, 1, 5),
                record_id=record_id,
                recorded_at=now,
            )
        )
    with committing(session):  # the old-code subject, with no registration, survives
        merged = merging.merge(session, OFFICE, twin, kept, REASON)
    survivor = session.get_one(Subject, twin)
    assert survivor.status == "deregistered" and merged.moved["subject_changes"] == 1
    assert session.get_one(SubjectProfile, twin).legal_representative == "张三"
    with committing(session):
        merging.reverse(session, OFFICE, merged.merge_id, "经核实为两个主体")
    assert session.get(SubjectProfile, twin) is None and session.get(SubjectProfile, kept)
    assert session.get_one(Subject, twin).status == "active"
    changes = session.scalars(select(SubjectChange.subject_id)).all()
    assert changes == [kept]


@pytest.mark.parametrize(
    ("which", "reason", "message"),
    [
        ("self", REASON, "自身"),
        ("pair", "   ", "理由"),
        ("person", REASON, "自然人与组织"),
    ],
)
def test_merges_that_cannot_be_are_refused_in_chinese(session, pair, which, reason, message):
    kept, twin = pair
    other = twin
    if which == "self":
        other = kept
    elif which == "person":
        with committing(session):
            person = service.register(
                session,
                SubjectIn(
                    SubjectType.NATURAL_PERSON,
                    "王小明",
                    id_number=codes.make_id_number("44010619850712302"),
                ),
            )
        other = person.id
    with committing(session), pytest.raises(DomainError, match=message):
        merging.merge(session, OFFICE, kept, other, reason)
    assert _records_of(session, twin) == 3


def test_a_subject_merged_already_is_not_merged_again(session, pair):
    kept, twin = pair
    with committing(session):
        merging.merge(session, OFFICE, kept, twin, REASON)
    with committing(session), pytest.raises(DomainError, match="已并入"):
        merging.merge(session, OFFICE, kept, twin, REASON)


def test_another_region_finds_neither_subject(session, pair):
    kept, twin = pair
    with committing(session), pytest.raises(NotFound):
        merging.merge(session, SHENZHEN, kept, twin, REASON)
    assert _records_of(session, twin) == 3


def test_relinking_moves_every_version_and_says_so(session, pair):
    kept, twin = pair
    record_id = session.scalars(select(Record.id).where(Record.subject_id == twin)).first()
    assert record_id is not None
    with committing(session):
        moved = relinking.relink(session, OFFICE, record_id, kept, "文书载明的是另一主体")
    assert moved == 1 and session.get_one(Record, record_id).subject_id == kept
    event = session.scalars(select(RecordEvent).where(RecordEvent.event == "subject.relink")).one()
    assert "文书载明的是另一主体" in (event.reason or "") and event.actor == "user:office"
    assert (
        session.scalar(select(func.count()).where(RecordChange.change == "subject_relinked")) == 1
    )
    with committing(session), pytest.raises(DomainError, match="已关联"):
        relinking.relink(session, OFFICE, record_id, kept, "再改一次")
    with committing(session), pytest.raises(NotFound):
        relinking.relink(session, SHENZHEN, record_id, twin, "深圳改广州的记录")


def test_a_merge_is_set_based_whatever_the_number_of_records(session, pair):
    kept, twin = pair
    with committing(session), statements() as three:
        merged = merging.merge(session, OFFICE, kept, twin, REASON)
    with committing(session):
        merging.reverse(session, OFFICE, merged.merge_id, "经核实为两个主体")
    department = session.scalars(select(Department)).one()
    for number in range(10, 40):
        store(session, twin, penalty(number, date(2024, 3, 1)), department=department)
    with committing(session), statements() as thirty_three:
        merging.merge(session, OFFICE, kept, twin, REASON)
    assert len(thirty_three) == len(three) < 40
    identifiers = session.scalar(select(func.count()).where(SubjectIdentifier.subject_id == kept))
    assert identifiers == 2 and _records_of(session, kept) == 35


def test_the_console_merges_by_code_and_reverses(client, session, pair):
    kept, twin = pair
    home = sign_in(client, session, Role.CREDIT_OFFICE, ("xyb", "广州市信用办"), "刘敏")
    assert "主体合并" in home
    page = client.get("/admin/registry/merges")
    assert page.status_code == 200 and "还没有合并记录" in page.text
    form = {
        "survivor": NEW_USCC,
        "absorbed": OLD_CODE,
        "reason": REASON,
        "csrf": csrf_of(page.text),
    }
    done = client.post("/admin/registry/merges", data=form)
    assert done.status_code == 200 and "移动记录 3 条" in done.text
    # The public's old links lead to the subject it is now.
    moved = client.get(f"/subjects/{twin}", follow_redirects=False)
    assert moved.status_code == 308 and moved.headers["location"] == f"/subjects/{kept}"
    unknown = client.post(
        "/admin/registry/merges",
        data=form | {"absorbed": codes.make_org_code("ZZZZZZZZ")},
    )
    assert unknown.status_code == 400 and "未找到主体" in unknown.text
    with committing(session):
        (merge,) = merging.merges(session, OFFICE)
    back = client.post(
        f"/admin/registry/merges/{merge.merge_id}/reverse",
        data={"reason": "经核实为两个主体", "csrf": csrf_of(done.text)},
    )
    assert back.status_code == 200 and "已撤销合并" in back.text
    assert "刘敏" in back.text  # who merged and who reversed, by name
    assert client.get(f"/subjects/{twin}", follow_redirects=False).status_code != 308


def test_the_console_relinks_a_record_named_by_its_address(client, session, pair):
    kept, twin = pair
    sign_in(client, session, Role.CREDIT_OFFICE, ("xyb", "广州市信用办"), "刘敏")
    page = client.get("/admin/registry/merges")
    record_id = session.scalars(select(Record.id).where(Record.subject_id == twin)).first()
    answer = {"subject": NEW_USCC, "reason": "决定书载明的是另一企业", "csrf": csrf_of(page.text)}
    bad = client.post("/admin/registry/relink", data=answer | {"record": "第三条"})
    assert bad.status_code == 400 and "记录编号" in bad.text
    done = client.post("/admin/registry/relink", data=answer | {"record": f"/records/{record_id}"})
    assert done.status_code == 200 and f"已更正记录 {record_id}" in done.text
    assert session.get_one(Record, record_id).subject_id == kept


def test_other_staff_get_the_403_page(client, session, pair):
    sign_in(client, session, Role.SERVICE_WINDOW, ("ck", "广州市政务服务中心"), "陈静")
    page = client.get("/admin/registry/merges")
    assert page.status_code == 403 and "不能合并主体" in page.text


def test_the_api_merges_reverses_and_relinks(app, session, pair):
    kept, twin = pair
    with committing(session):
        department = create_department(session, "xyb", "广州市信用办", "440100")
        create_user(session, "office", PASSWORD, Role.CREDIT_OFFICE, "440100", "刘敏", department)
    api = console_client(app, "office")
    refused = TestClient(app).post(
        "/api/v1/registry/merges", json={"survivor_id": kept, "absorbed_id": twin, "reason": "x"}
    )
    assert refused.status_code in (401, 403)
    made = api.post(
        "/api/v1/registry/merges", json={"survivor_id": kept, "absorbed_id": twin, "reason": REASON}
    )
    assert made.status_code == 201, made.text
    assert made.json()["moved"] == {"records": 3, "subject_identifiers": 1}
    gone = api.get(f"/api/v1/subjects/{twin}")
    assert gone.status_code == 404 and gone.json()["code"] == "subject.merged"
    listed = api.get("/api/v1/registry/merges").json()
    assert [m["absorbed_id"] for m in listed] == [twin]
    merge_id = made.json()["merge_id"]
    back = api.post(f"/api/v1/registry/merges/{merge_id}/reverse", json={"reason": "两个主体"})
    assert back.status_code == 200 and back.json()["moved"]["records"] == 3
    record_id = session.scalars(select(Record.id).where(Record.subject_id == twin)).first()
    relinked = api.post(
        f"/api/v1/registry/records/{record_id}/relink",
        json={"subject_id": kept, "reason": "决定书载明的是另一企业"},
    )
    assert relinked.status_code == 200 and relinked.json()["versions"] == 1
    again = api.post(f"/api/v1/registry/merges/{merge_id}/reverse", json={"reason": "再撤销一次"})
    assert again.status_code == 400 and again.json()["code"] == "subject.merge_reversed"


def test_staff_without_the_role_learn_nothing_of_which_ids_exist(session, pair):
    kept, twin = pair
    window = Principal(Role.SERVICE_WINDOW, None, "440100", "user:window")
    with committing(session):
        merged = merging.merge(session, OFFICE, kept, twin, REASON)
    record_id = session.scalars(select(Record.id).where(Record.subject_id == kept)).first()
    assert record_id is not None
    for attempt in (
        lambda: merging.reverse(session, window, merged.merge_id, "撤销"),
        lambda: merging.reverse(session, window, merged.merge_id + 999, "撤销"),
        lambda: relinking.relink(session, window, record_id, twin, "更正"),
        lambda: relinking.relink(session, window, record_id + 999, twin, "更正"),
    ):
        with committing(session), pytest.raises(PermissionDenied):
            attempt()
