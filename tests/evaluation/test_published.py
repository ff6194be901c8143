"""A public grade on the archive (issue 16): as shipped no model is public (the results are shared,
not public: 发改办财金〔2019〕885号), so the archive has no 信用评价 tab and its address is a
404; a city that makes a model public (`visible_to.public: true`) shows the grade, score and
dimensions of the run in force now with the model's name and source — never the records behind
the grade, an earlier run (`as_of`) or the explanation, which stay with staff and the subject."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import update

from tests.applicants.sample import MOMENT, code_for, two_companies
from tests.factories import COMPANY_USCC, csrf_of, penalty, store
from xinyong import clock, codes
from xinyong.auth.principal import PUBLIC, Principal
from xinyong.auth.service import AuthError
from xinyong.db import committing
from xinyong.evaluation import explain, published
from xinyong.evaluation.runs import evaluate, model_named
from xinyong.policy import SHIPPED_DIR, load_policy, use_policy
from xinyong.policy.enums import Role, SubjectType
from xinyong.records.models import Record
from xinyong.subjects.service import SubjectIn, register

pytestmark = pytest.mark.usefixtures("received")  # 2024-03-20

OFFICE = Principal(Role.CREDIT_OFFICE, None, "440100", "user:office")
TAB = 'href="/subjects/{id}?tab=xypj"'


@pytest.fixture
def graded(session, sessions) -> tuple[int, list[int]]:
    """A company with two penalties (one serious), graded once: C, 720.00."""
    with committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        ).id
    records = [store(session, company, penalty(n, date(2023, 11, 1 + n))) for n in (1, 2)]
    with committing(session):
        session.execute(update(Record).where(Record.id == records[1]).values(severity="serious"))
    evaluate(sessions, model_named("enterprise"), "user:test")
    return company, records


@pytest.fixture
def public_model(tmp_path, client):
    """A city that makes the enterprise model public, after the app was built (the root
    conftest puts the shipped policy back)."""
    shipped = (SHIPPED_DIR / "evaluation" / "enterprise.yaml").read_text(encoding="utf-8")
    (tmp_path / "evaluation").mkdir()
    made_public = shipped.rstrip() + "\nvisible_to:\n  public: true\n"
    (tmp_path / "evaluation" / "enterprise.yaml").write_text(made_public, encoding="utf-8")
    use_policy(tmp_path)
    assert model_named("enterprise").visible_to.public


def _section(html: str) -> str:
    """The 信用评价 section of an archive page."""
    return re.search(r'<section aria-labelledby="evaluation">(.*?)</section>', html, re.S)[1]


def test_as_shipped_no_model_is_public(session, graded):
    company, _records = graded
    assert not any(m.visible_to.public for m in load_policy().evaluation_models.values())
    assert published.public_grade(session, company) is None


def test_as_shipped_the_archive_has_no_evaluation_tab_and_its_address_is_not_found(client, graded):
    company, _records = graded
    archive = client.get(f"/subjects/{company}")
    assert archive.status_code == 200 and TAB.format(id=company) not in archive.text
    assert "信用评价" not in archive.text
    tab = client.get(f"/subjects/{company}", params={"tab": "xypj"})
    assert tab.status_code == 404 and "没有这一栏目" in tab.text
    assert "720.00" not in tab.text
    assert client.get(f"/api/v1/subjects/{company}/evaluation").status_code == 401


def test_a_public_model_s_grade_is_a_tab_of_the_archive(client, graded, public_model):
    company, _records = graded
    archive = client.get(f"/subjects/{company}")
    assert TAB.format(id=company) in archive.text
    tab = client.get(f"/subjects/{company}", params={"tab": "xypj"})
    assert tab.status_code == 200
    shown = _section(tab.text)
    assert "C（中）" in shown and "720.00 分" in shown
    assert "公共信用综合评价（企业通用模型）" in shown  # the model's name
    assert "2024-03-20" in shown  # the run's date
    assert "穗发改规字〔2023〕1号" in shown  # the model's source
    assert "遵纪守法" in shown and "350.00" in shown  # a dimension and its full points
    assert TAB.format(id=company) + ' aria-current="page"' in tab.text  # the open tab


def test_the_public_sees_no_record_indicator_override_or_history(client, graded, public_model):
    company, _records = graded
    shown = _section(client.get(f"/subjects/{company}", params={"tab": "xypj"}).text)
    assert "/records/" not in shown and "穗市监罚" not in shown  # no record behind the grade
    assert "行政处罚" not in shown  # no indicator
    assert "历次评价" not in shown


def test_the_public_sees_now_and_only_now(client, session, sessions, graded, public_model):
    """No `as_of` on the public page, and none through the API: the explanation (with the
    records behind a grade and the grade history) stays with staff and the subject itself."""
    company, records = graded
    with committing(session):
        session.execute(update(Record).where(Record.id == records[1]).values(status="repaired"))
    with clock.frozen_at(datetime(2024, 3, 21, 2, 0, tzinfo=UTC)):
        evaluate(sessions, model_named("enterprise"), "user:test")
        asked_then = client.get(
            f"/subjects/{company}", params={"tab": "xypj", "as_of": "2024-03-20"}
        )
        shown = _section(asked_then.text)
        assert "B（良）" in shown and "780.00 分" in shown and "720.00" not in shown
        assert "2024-03-21" in shown
        for asked in ({}, {"as_of": "2024-03-20"}):
            api = client.get(f"/api/v1/subjects/{company}/evaluation", params=asked)
            assert api.status_code == 401
        with committing(session), pytest.raises(AuthError):
            explain.explain(session, PUBLIC, company)
        with committing(session):
            assert explain.explain(session, OFFICE, company).score == Decimal("780.00")


def test_a_subject_without_a_grade_has_no_tab(client, session, graded, public_model):
    with committing(session):
        later = register(
            session,
            SubjectIn(
                SubjectType.ENTERPRISE,
                "广州市后来成立有限公司",
                org_code=codes.make_org_code("MA9KL3T1"),
                region_code="440106",
            ),
        ).id
    assert published.public_grade(session, later) is None  # the run in force did not grade it
    archive = client.get(f"/subjects/{later}")
    assert archive.status_code == 200 and TAB.format(id=later) not in archive.text
    assert client.get(f"/subjects/{later}", params={"tab": "xypj"}).status_code == 404


def test_only_the_public_model_s_types_get_a_tab(client, session, sessions, public_model):
    with committing(session):
        shop = register(
            session,
            SubjectIn(
                SubjectType.INDIVIDUAL_BUSINESS,
                "广州市天河区某某餐饮店",
                uscc=codes.make_uscc("92440106" + codes.make_org_code("MDT00001")),
                region_code="440106",
            ),
        ).id
    evaluate(sessions, model_named("individual_business"), "user:test")
    assert published.public_grade(session, shop) is None  # its model is not public
    assert client.get(f"/subjects/{shop}", params={"tab": "xypj"}).status_code == 404


def test_the_subject_itself_still_reads_why_and_learns_its_grade_is_public(
    client, session, sessions, public_model
):
    mine, _other = two_companies(session)
    with clock.frozen_at(MOMENT):
        form = client.get("/account/activate").text
        answer = {"code": code_for(session, mine), "username": "zhang", "password": "a-strong-pw-1"}
        client.post("/account/activate", data=answer | {"csrf": csrf_of(form)})
        evaluate(sessions, model_named("enterprise"), "user:test")
        page = client.get("/account/evaluation")
    assert page.status_code == 200 and "B（良）" in page.text
    assert "/account/objections/new?record=" in page.text  # the records behind, as before
    assert "在本主体的信用档案中向社会公开" in page.text
