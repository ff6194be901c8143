"""Checks: lists from published entries as of a time, measures by list type and matter with their
legal basis (依清单惩戒), batches, feedback and the figures per department and measure."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from tests.factories import COMPANY_USCC, PERSON_ID, demo_row, store
from xinyong import clock, codes
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import AuthError, create_department
from xinyong.db import committing
from xinyong.errors import DomainError, InvalidCode, NotFound
from xinyong.lists import service as lists
from xinyong.measures import service as checks
from xinyong.measures.identify import SubjectKey
from xinyong.measures.models import Check
from xinyong.policy.enums import Role, SubjectType
from xinyong.records.models import Record
from xinyong.subjects.service import SubjectIn, register

NOW = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)
RED_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ3C"))
CLEAN_USCC = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ4D"))


@pytest.fixture
def world(session):
    with clock.frozen_at(NOW), committing(session):
        made = {
            "black": register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            ),
            "red": register(
                session, SubjectIn(SubjectType.ENTERPRISE, "广州市守信贸易有限公司", uscc=RED_USCC)
            ),
            "clean": register(
                session, SubjectIn(SubjectType.ENTERPRISE, "广州市普通商行", uscc=CLEAN_USCC)
            ),
            "person": register(
                session, SubjectIn(SubjectType.NATURAL_PERSON, "王小明", id_number=PERSON_ID)
            ),
        }
        department = create_department(session, "gz-czj", "广州市财政局", "440100")
    with clock.frozen_at(NOW):
        made["court_record"] = store(
            session, made["black"].id, demo_row("sxbzxr", made["black"], date(2026, 5, 1)), "sxbzxr"
        )
        store(session, made["red"].id, demo_row("nsxyA", made["red"], date(2026, 4, 1)), "nsxyA")
        person_row = demo_row("sxbzxr", made["person"], date(2026, 6, 1), PERSON_ID)
        store(session, made["person"].id, person_row, "sxbzxr")
    made["viewer"] = Principal(Role.DATA_PROVIDER, department.id, "440100", "department:gz-czj")
    made["department"] = department
    return made


@pytest.fixture(autouse=True)
def now():
    with clock.frozen_at(NOW):
        yield


def _check(session, world, key, matter, as_of=None):
    with committing(session):
        return checks.check(session, world["viewer"], key, matter, as_of)


def test_a_black_listed_subject_gets_the_punishment_with_its_legal_basis(session, world):
    answer = _check(session, world, SubjectKey(uscc=COMPANY_USCC), "procurement")
    assert [m.list_type for m in answer.lists] == ["serious_dishonesty"]
    assert answer.lists[0].item_name == "失信被执行人" and answer.lists[0].kind == "black"
    (measure,) = answer.measures
    assert (measure.code, measure.kind) == ("C01", "punishment")
    assert measure.legal_basis == "《中华人民共和国政府采购法》第二十二条"
    assert session.get(Check, answer.check_id).hit is True


def test_a_red_listed_subject_gets_the_incentives_for_its_matter(session, world):
    answer = _check(session, world, SubjectKey(uscc=RED_USCC), "approval")
    assert [m.list_type for m in answer.lists] == ["a_taxpayer"]
    assert [m.code for m in answer.measures] == ["J01", "J03"]
    assert {m.kind for m in answer.measures} == {"incentive"}


def test_measures_apply_only_to_their_matters_and_list_types(session, world):
    assert _check(session, world, SubjectKey(uscc=RED_USCC), "procurement").measures == []
    assert (
        _check(session, world, SubjectKey(uscc=COMPANY_USCC), "civil_service").measures[0].code
        == "C04"
    )
    clean = _check(session, world, SubjectKey(uscc=CLEAN_USCC), "procurement")
    assert (clean.lists, clean.measures, clean.hit) == ([], [], False)


def test_persons_by_id_number_and_organisations_by_name_and_code(session, world):
    person = _check(session, world, SubjectKey(id_number=PERSON_ID), "civil_service")
    assert person.subject_name == "王小明" and [m.code for m in person.measures] == ["C04"]
    assert PERSON_ID not in person.key and "*" in person.key
    named = SubjectKey(name="廣州市某某科技有限公司", code=COMPANY_USCC)  # traditional script
    assert _check(session, world, named, "procurement").subject_name == "广州市某某科技有限公司"
    with pytest.raises(NotFound, match="该代码登记名称为“广州市某某科技有限公司”"):
        _check(session, world, SubjectKey(name="别的公司", code=COMPANY_USCC), "procurement")


def test_unknown_matter_public_caller_and_bad_codes(session, world):
    with pytest.raises(DomainError, match="未知的事项"):
        _check(session, world, SubjectKey(uscc=COMPANY_USCC), "nope")
    with pytest.raises(AuthError):  # the anonymous: 401, sign in or send a key
        checks.check(session, PUBLIC, SubjectKey(uscc=COMPANY_USCC), "procurement")
    with pytest.raises(InvalidCode, match="校验位错误"):
        _check(session, world, SubjectKey(uscc=COMPANY_USCC[:-1] + "0"), "procurement")


def test_removal_at_t_ends_punishment_after_t_and_as_of_answers_as_before(session, world):
    removed_at = NOW + timedelta(hours=1)
    with clock.frozen_at(removed_at), committing(session):
        record = session.get(Record, world["court_record"])
        office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:9")
        lists.remove(session, office, record, "decision", "已履行完毕")
    key = SubjectKey(uscc=COMPANY_USCC)
    with clock.frozen_at(removed_at + timedelta(minutes=1)):
        assert _check(session, world, key, "procurement").measures == []
        earlier = _check(session, world, key, "procurement", as_of=NOW)
    assert [m.code for m in earlier.measures] == ["C01"]


def test_a_batch_answers_every_key_in_order_with_one_audit_entry(session, world):
    keys = [
        SubjectKey(uscc=CLEAN_USCC),
        SubjectKey(uscc="91440106MA5CXQ2B00"),  # wrong checksum: said so
        SubjectKey(uscc=COMPANY_USCC),
        SubjectKey(id_number=PERSON_ID),
    ]
    with committing(session):
        answers = checks.check_many(session, world["viewer"], keys, "procurement")
    assert [a.subject_name for a in answers] == [
        "广州市普通商行",
        None,
        "广州市某某科技有限公司",
        "王小明",
    ]
    assert answers[1].problem and "校验位错误" in answers[1].problem.message
    assert [a.hit for a in answers] == [False, False, True, True]
    (entry,) = session.scalars(select(AuditEntry).where(AuditEntry.action == "checks.run"))
    assert entry.target_type == "check_batch" and entry.detail["checks"] == 4
    assert entry.detail["hits"] == 2
    assert session.scalar(select(Check.batch_id).where(Check.id == answers[0].check_id))


def test_feedback_and_figures(session, world):
    hit = _check(session, world, SubjectKey(uscc=COMPANY_USCC), "procurement")
    _check(session, world, SubjectKey(uscc=CLEAN_USCC), "procurement")
    with pytest.raises(DomainError, match="说明理由"):
        checks.feedback(session, world["viewer"], hit.check_id, "C01", False, " ")
    with pytest.raises(DomainError, match="未命中"):
        checks.feedback(session, world["viewer"], hit.check_id, "C02", True, None)
    other = Principal(Role.DATA_PROVIDER, world["department"].id + 99, "440100", "department:x")
    with pytest.raises(NotFound):
        checks.feedback(session, other, hit.check_id, "C01", True, None)
    with committing(session):
        checks.feedback(session, world["viewer"], hit.check_id, "C01", True, None)
    (figure,) = checks.figures(session, world["viewer"])
    assert checks.figures(session, other) == []
    office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
    assert len(checks.figures(session, office)) == 1
    elsewhere = Principal(Role.CREDIT_OFFICE, None, "440300", "user:2")  # another city's office
    assert checks.figures(session, elsewhere) == []
    assert (figure.measure_code, figure.checks, figure.hits, figure.feedback) == ("C01", 2, 1, 1)
    assert figure.feedback_rate == 1.0


def test_each_entry_is_answered_with_the_measures_basis_for_its_item(session, world):
    """Issue 11, "Policy values found wrong": C02 (招标投标) rests on the court rule for a
    失信被执行人 entry only; a 严重失信主体名单 entry made by a department gets the basis the
    policy gives that item, never the court rule."""
    listed_uscc = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ5E"))
    with committing(session):
        listed = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市失信建材有限公司", uscc=listed_uscc)
        )
    store(session, listed.id, demo_row("yzsxmd", listed, date(2026, 7, 1)), "yzsxmd")
    court = _check(session, world, SubjectKey(uscc=COMPANY_USCC), "bidding")
    department = _check(session, world, SubjectKey(uscc=listed_uscc), "bidding")
    (court_c02,) = court.measures
    (department_c02,) = department.measures
    assert court_c02.code == department_c02.code == "C02"
    assert "失信被执行人" in court_c02.legal_basis
    assert "失信被执行人" not in department_c02.legal_basis
    assert department_c02.legal_basis == "《河南省社会信用条例》第三十二条"


def _reasons(session, world, *keys):
    with committing(session):
        answers = checks.check_many(session, world["viewer"], list(keys), "procurement")
    return [(a.problem.code, a.problem.message) if a.problem else (None, None) for a in answers]


def test_a_check_with_a_wrong_checksum_or_a_malformed_code_says_so(session, world):
    """issue 11: "校验位错误" or what is malformed, instead of 未找到该信用主体."""
    wrong = COMPANY_USCC[:-1] + ("1" if COMPANY_USCC[-1] != "1" else "2")
    person = PERSON_ID[:-1] + ("1" if PERSON_ID[-1] != "1" else "2")
    reasons = _reasons(
        session,
        world,
        SubjectKey(uscc=wrong),
        SubjectKey(uscc="9144010"),
        SubjectKey(id_number=person),
        SubjectKey(name="广州市某某科技有限公司", code="1234"),
        SubjectKey(uscc=codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ9A"))),
    )
    assert reasons[0] == ("checks.invalid_code", f"统一社会信用代码校验位错误：{wrong}")
    assert reasons[1][0] == "checks.invalid_code" and "18位" in reasons[1][1]
    assert reasons[2][0] == "checks.invalid_code" and "公民身份号码校验位错误" in reasons[2][1]
    assert person not in reasons[2][1]  # the number typed is shown masked only
    assert reasons[3][0] == "checks.invalid_code" and "实际为4位" in reasons[3][1]
    assert reasons[4][0] == "checks.subject_not_found" and "未找到该信用主体" in reasons[4][1]
    with pytest.raises(InvalidCode, match="校验位错误"):
        _check(session, world, SubjectKey(uscc=wrong), "procurement")


def test_a_name_that_does_not_match_names_the_registered_name(session, world):
    (reason,) = _reasons(session, world, SubjectKey(name="广州市别的公司", code=COMPANY_USCC))
    assert reason == (
        "checks.name_mismatch",
        "该代码登记名称为“广州市某某科技有限公司”，与所填名称“广州市别的公司”不符",
    )


def test_a_persons_name_mismatch_never_reveals_the_name(session, world):
    (reason,) = _reasons(session, world, SubjectKey(id_number=PERSON_ID, name="李四"))
    assert reason[0] == "checks.name_mismatch" and "王小明" not in reason[1]
    assert "姓名与公民身份号码登记的姓名不符" in reason[1] and PERSON_ID not in reason[1]
    shop = codes.make_uscc("92440106" + codes.make_org_code("MA5CXQ7B"))
    with committing(session):  # an individual business is often named after its operator
        register(session, SubjectIn(SubjectType.INDIVIDUAL_BUSINESS, "王小明", uscc=shop))
    (reason,) = _reasons(session, world, SubjectKey(name="李四", code=shop))
    assert reason[0] == "checks.name_mismatch" and "王小明" not in reason[1]
