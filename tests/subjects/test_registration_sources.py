"""Registration records build the registry (issue 15): they create subjects 已核实 and describe
them; any other department's record links to an existing subject or leaves a new one 待核实;
a later registration record's changes become the subject's history, with their dates."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import pytest
from sqlalchemy import func, select

from tests.factories import COMPANY_USCC, OTHER_USCC, penalty_row, write_csv
from xinyong.collection import service
from xinyong.subjects import profiles
from xinyong.subjects.models import Subject, SubjectChange
from xinyong.subjects.service import as_of_name

pytestmark = pytest.mark.usefixtures("received")


def registration_row(**changes: str) -> dict[str, str]:
    """One 市场主体登记信息 row keyed by the catalog's labels."""
    row = {
        "名称": "广州市某某科技有限公司",
        "统一社会信用代码": COMPANY_USCC,
        "类型": "有限责任公司（自然人投资或控股）",
        "法定代表人": "张三",
        "成立日期": "2016-05-10",
        "登记机关": "广州市天河区市场监督管理局",
        "登记状态": "存续（在营、开业、在册）",
        "住所": "广州市天河区天河路1号",
        "注册资本": "100",
        "币种": "人民币",
        "经营范围": "软件开发；信息技术咨询服务。",
        "核准日期": "2023-01-05",
        "营业期限自": "2016-05-10",
        "营业期限至": "长期",
    }
    row.update(changes)
    return row


def _register(sessions, tmp_path, department, rows, name="dj.csv"):
    return service.ingest(
        sessions, write_csv(tmp_path / name, rows), "市场主体登记信息", department
    )


def _subject(session, uscc=COMPANY_USCC) -> Subject:
    return session.scalars(select(Subject).where(Subject.uscc == uscc)).one()


def test_a_registration_record_creates_a_verified_subject_with_its_profile(
    sessions, department, tmp_path
):
    receipt = _register(sessions, tmp_path, department, [registration_row()])
    assert (receipt.new, receipt.rejected) == (1, 0)
    with sessions() as session:
        subject = _subject(session)
        assert subject.verified and subject.status == "active"
        found = profiles.profile(session, subject.id)
        assert found is not None
        assert (found.legal_representative, found.founded_on) == ("张三", date(2016, 5, 10))
        assert found.authority == "广州市天河区市场监督管理局"
        assert found.capital == Decimal(100) and found.term_until == date(2099, 12, 31)
        assert profiles.history(session, subject.id) == []  # the first record is the baseline


def test_another_departments_record_of_an_unknown_subject_is_kept_but_unverified(
    sessions, department, tmp_path
):
    penalty = service.ingest(
        sessions, write_csv(tmp_path / "p.csv", [penalty_row()]), "行政处罚", department
    )
    assert (penalty.new, penalty.rejected) == (1, 0)  # stored, not rejected
    with sessions() as session:
        assert not _subject(session).verified  # 待核实
    _register(sessions, tmp_path, department, [registration_row()])
    with sessions() as session:
        subject = _subject(session)
        assert subject.verified  # its registration record arrived
        assert session.scalar(select(func.count()).select_from(Subject)) == 1  # linked, not new


def test_changes_of_a_later_registration_record_become_the_history(sessions, department, tmp_path):
    _register(sessions, tmp_path, department, [registration_row()])
    changed = registration_row(
        名称="广州市某某信息科技有限公司",
        法定代表人="王五",
        住所="广州市黄埔区科学大道2号",
        核准日期="2024-02-01",
    )
    receipt = _register(sessions, tmp_path, department, [changed], name="dj2.csv")
    assert receipt.corrected == 1
    with sessions() as session:
        subject = _subject(session)
        assert subject.name == "广州市某某信息科技有限公司"
        history = {c.field: c for c in profiles.history(session, subject.id)}
        assert set(history) == {"name", "legal_representative", "address"}
        representative = history["legal_representative"]
        assert (representative.old, representative.new) == ("张三", "王五")
        assert representative.on == date(2024, 2, 1)  # the 核准日期, not the day it was sent
        assert history["name"].old == "广州市某某科技有限公司"
        assert profiles.profile(session, subject.id).address == "广州市黄埔区科学大道2号"  # type: ignore[union-attr]
        # The name changed on its 核准日期: as of the day before, the old name.
        assert as_of_name(session, subject.id, date(2024, 2, 1)) == "广州市某某信息科技有限公司"
        assert as_of_name(session, subject.id, date(2024, 1, 31)) == "广州市某某科技有限公司"
        assert history["name"].on == date(2024, 2, 1)


def test_a_status_change_is_kept_on_the_subject_and_in_its_history(sessions, department, tmp_path):
    _register(sessions, tmp_path, department, [registration_row()])
    _register(
        sessions,
        tmp_path,
        department,
        [registration_row(登记状态="注销", 核准日期="2024-03-01")],
        name="dj2.csv",
    )
    with sessions() as session:
        subject = _subject(session)
        assert subject.status == "deregistered"
        (change,) = profiles.history(session, subject.id)
        assert (change.field, change.old, change.new) == ("status", "active", "deregistered")


def test_the_same_registration_file_again_changes_nothing(sessions, department, tmp_path):
    rows = [
        registration_row(),
        registration_row(名称="广州市另一家公司", 统一社会信用代码=OTHER_USCC),
    ]
    _register(sessions, tmp_path, department, rows)
    again = _register(sessions, tmp_path, department, rows, name="again.csv")
    assert (again.new, again.corrected, again.unchanged) == (0, 0, 2)
    with sessions() as session:
        assert session.scalar(select(func.count()).select_from(SubjectChange)) == 0


def test_a_registration_row_with_an_unknown_status_is_rejected_in_chinese(
    sessions, department, tmp_path
):
    receipt = _register(sessions, tmp_path, department, [registration_row(登记状态="休眠中")])
    assert receipt.rejected == 1
    with sessions() as session:
        ((_, reason),) = service.rejection_reasons(session, receipt.batch_id)
        assert "登记状态" in reason


def test_the_public_sees_an_unverified_subject_only_once_it_is_registered(
    sessions, department, tmp_path, client
):
    """disclosure.yaml unverified_public: false — a clerk's record of a company the registry
    does not know (a test company, a typo in a code) does not go on the website."""
    service.ingest(sessions, write_csv(tmp_path / "p.csv", [penalty_row()]), "行政处罚", department)
    with sessions() as session:
        subject_id = _subject(session).id
    assert client.get(f"/subjects/{subject_id}").status_code == 404
    assert "广州市某某科技有限公司" not in client.get("/search", params={"q": "某某科技"}).text
    listed = client.get("/api/v1/subjects", params={"q": COMPANY_USCC}).json()
    assert listed["total"] == 0
    _register(sessions, tmp_path, department, [registration_row()])
    page = client.get(f"/subjects/{subject_id}", params={"tab": "xzcf"})
    assert page.status_code == 200 and "穗市监罚〔2024〕101号" in page.text


def test_a_person_named_by_an_id_number_needs_no_registration_record(
    sessions, department, tmp_path
):
    from tests.factories import person_row

    service.ingest(sessions, write_csv(tmp_path / "p.csv", [person_row()]), "行政处罚", department)
    with sessions() as session:
        person = session.scalars(
            select(Subject).where(Subject.subject_type == "natural_person")
        ).one()
        assert person.verified  # found by the public once a record of theirs is published


def test_a_check_says_the_subject_is_deregistered(sessions, department, tmp_path):
    from xinyong.auth.principal import Principal
    from xinyong.db import committing
    from xinyong.measures import service as checks
    from xinyong.measures.identify import SubjectKey
    from xinyong.policy.enums import Role
    from xinyong.subjects.status import ended_mark

    _register(sessions, tmp_path, department, [registration_row(登记状态="吊销，未注销")])
    window = Principal(Role.SERVICE_WINDOW, None, "440100", "user:window")
    with sessions() as session, committing(session):
        answer = checks.check(session, window, SubjectKey(uscc=COMPANY_USCC), "procurement")
    assert answer.subject_status == "revoked" and ended_mark(answer.subject_status) == "已吊销"
    assert ended_mark("active") is None and ended_mark("operating") is None


def test_search_results_show_the_registration_basics(sessions, department, tmp_path, client):
    _register(sessions, tmp_path, department, [registration_row()])
    found = client.get("/api/v1/subjects", params={"q": "某某科技"}).json()
    (item,) = found["items"]
    assert (item["legal_representative"], item["founded_on"]) == ("张三", "2016-05-10")
    page = client.get("/search", params={"q": "某某科技"})  # a fragment: the list of results
    assert "法定代表人" in page.text and "张三" in page.text and "2016-05-10" in page.text


def test_an_old_name_from_a_registration_change_finds_the_subject(
    sessions, department, tmp_path, client
):
    _register(sessions, tmp_path, department, [registration_row()])
    renamed = registration_row(名称="广州市某某信息科技有限公司", 核准日期="2024-02-01")
    _register(sessions, tmp_path, department, [renamed], name="dj2.csv")
    page = client.get("/search", params={"q": "广州市某某科技有限公司"}, follow_redirects=False)
    assert page.status_code == 200  # an old name lists the subject; it does not open it
    assert (
        "广州市某某信息科技有限公司" in page.text and "曾用名：广州市某某科技有限公司" in page.text
    )


def test_the_archive_shows_the_registry_profile_and_its_changes(
    sessions, department, tmp_path, client
):
    _register(sessions, tmp_path, department, [registration_row()])
    changed = registration_row(
        名称="广州市某某信息科技有限公司", 登记状态="注销", 核准日期="2024-02-01"
    )
    _register(sessions, tmp_path, department, [changed], name="dj2.csv")
    with sessions() as session:
        subject_id = _subject(session).id
    page = client.get(f"/subjects/{subject_id}").text
    for shown in (
        "法定代表人",
        "张三",
        "2016-05-10",
        "广州市天河区市场监督管理局",
        "广州市天河区天河路1号",
    ):
        assert shown in page, shown
    assert "已注销" in page and "曾用名" in page and "广州市某某科技有限公司" in page
    assert "变更记录" in page and "存续" in page  # the status change by its labels
    assert ">active<" not in page and ">deregistered<" not in page
    original = re.search(r'href="/records/(\d+)">查看登记信息原文', page)
    assert original is not None  # the registration record itself, to object to
    assert "软件开发" in client.get(f"/records/{original[1]}").text


def test_the_archive_api_answers_the_registry_block(sessions, department, tmp_path, client):
    _register(sessions, tmp_path, department, [registration_row()])
    changed = registration_row(
        名称="广州市某某信息科技有限公司", 法定代表人="李四", 核准日期="2024-02-01"
    )
    _register(sessions, tmp_path, department, [changed], name="dj2.csv")
    with sessions() as session:
        subject_id = _subject(session).id
    registry = client.get(f"/api/v1/subjects/{subject_id}").json()["registry"]
    assert (registry["status"], registry["status_label"]) == ("active", "存续")
    profile = registry["profile"]
    assert (profile["legal_representative"], profile["founded_on"]) == ("李四", "2016-05-10")
    assert profile["authority"] == "广州市天河区市场监督管理局" and profile["record_id"] > 0
    assert registry["former_names"] == ["广州市某某科技有限公司"]
    fields = {(c["field"], c["old"], c["new"], c["changed_on"]) for c in registry["changes"]}
    assert ("legal_representative", "张三", "李四", "2024-02-01") in fields


def test_the_archive_as_of_before_a_change_answers_as_the_subject_was(
    sessions, department, tmp_path, client
):
    _register(sessions, tmp_path, department, [registration_row()])
    changed = registration_row(
        名称="广州市某某信息科技有限公司", 法定代表人="李四", 登记状态="注销", 核准日期="2024-02-01"
    )
    _register(sessions, tmp_path, department, [changed], name="dj2.csv")
    with sessions() as session:
        subject_id = _subject(session).id
    before = client.get(f"/api/v1/subjects/{subject_id}", params={"as_of": "2024-01-31"}).json()
    after = client.get(f"/api/v1/subjects/{subject_id}", params={"as_of": "2024-02-01"}).json()
    assert before["subject"]["name"] == "广州市某某科技有限公司"
    assert after["subject"]["name"] == "广州市某某信息科技有限公司"
    assert (before["registry"]["status_label"], after["registry"]["status_label"]) == (
        "存续",
        "注销",
    )
    assert before["registry"]["profile"]["legal_representative"] == "张三"
    assert after["registry"]["profile"]["legal_representative"] == "李四"
    assert before["registry"]["former_names"] == [] and before["registry"]["changes"] == []
    assert after["registry"]["former_names"] == ["广州市某某科技有限公司"]
