"""The demo data set: reproducible, valid codes, every subject type and catalog item."""

from datetime import UTC, datetime

from rich.console import Console
from sqlalchemy import func, select
from stdnum.cn import ric

from xinyong import clock, codes
from xinyong.auth import audit
from xinyong.auth import service as auth
from xinyong.auth.models import Department, Role, User
from xinyong.catalog import list_items
from xinyong.demo import generate, sectors
from xinyong.demo.accounts import DEMO_PASSWORD
from xinyong.models import Base
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.pii import unseal
from xinyong.subjects.status import ENDED

MOMENT = datetime(2026, 6, 1, 2, 0, tzinfo=UTC)


def _generate(sessions, size=3000, seed=7):
    with clock.frozen_at(MOMENT):
        return generate(sessions, subjects=size, seed=seed, console=Console(quiet=True))


def _snapshot(session):
    subjects = session.execute(
        select(Subject.name, Subject.uscc, Subject.subject_type, Subject.id_number_masked).order_by(
            Subject.id
        )
    ).all()
    records = session.execute(
        select(
            Record.item_code, Record.natural_key, Record.decision_date, Record.amount_yuan
        ).order_by(Record.id)
    ).all()
    return subjects, records


def test_demo_covers_every_type_and_item_with_valid_codes(sessions, session):
    summary = _generate(sessions)
    assert "已生成演示数据：主体 3,000 个" in summary
    types = dict(
        session.execute(
            select(Subject.subject_type, func.count()).group_by(Subject.subject_type)
        ).all()
    )
    assert set(types) == {t.value for t in SubjectType}
    items = set(session.scalars(select(Record.item_code).distinct()))
    assert items == {item.code for item in list_items()}
    for uscc in session.scalars(select(Subject.uscc).where(Subject.uscc.is_not(None))):
        assert codes.is_valid_uscc(uscc)
    people = session.scalars(
        select(Subject.id_number_cipher).where(Subject.id_number_cipher.is_not(None))
    )
    for cipher in list(people)[:200]:
        number = unseal(cipher)
        with clock.frozen_at(MOMENT):
            assert codes.is_valid_id_number(number)
        assert ric.is_valid(number)  # the stricter check: county code existed in the birth year


def test_most_subjects_are_clean_and_a_few_have_many_penalties(sessions, session):
    _generate(sessions)
    per_subject = dict(
        session.execute(
            select(Record.subject_id, func.count())
            .where(Record.item_code == "xzcf")
            .group_by(Record.subject_id)
        ).all()
    )
    total = session.scalar(select(func.count()).select_from(Subject))
    assert len(per_subject) < total * 0.2
    assert max(per_subject.values()) >= 3


def test_same_seed_gives_the_same_data(sessions, session, engine):
    _generate(sessions, size=500, seed=11)
    first = _snapshot(session)
    session.rollback()
    with engine.begin() as conn, audit.maintenance(conn):
        for table in reversed(Base.metadata.sorted_tables):
            if table.name not in ("regions", "alembic_version"):
                conn.execute(table.delete())
    _generate(sessions, size=500, seed=11)
    assert _snapshot(session) == first


def test_the_demo_creates_one_account_per_role(sessions, session):
    """issue 11: the demo admin (and everyone trying the platform) can try every journey."""
    message = _generate(sessions, size=200)
    users = session.execute(select(User.username, User.role, User.department_id)).all()
    assert sorted(role for _, role, _ in users) == sorted(role.value for role in Role)
    by_name = {name: department for name, _, department in users}
    assert by_name["bank"] is None and all(by_name[n] for n in by_name if n != "bank")
    assert all(auth.authenticate(session, name, DEMO_PASSWORD) for name in by_name)
    assert "window（窗口人员）" in message


def test_the_demo_of_scripts_start_builds_today(sessions):
    """`scripts/start` runs `xinyong demo` with the default seed on today's date: every payload
    it makes must pass the catalog's rules (a 没收 amount was once held against the fine)."""
    with clock.frozen_at(datetime(2026, 12, 2, 11, 0, tzinfo=UTC)):  # a day it once failed
        message = generate(sessions, subjects=2000, seed=20240101, console=Console(quiet=True))
    assert message.startswith("已生成演示数据")


# --- issue 15: each record consistent with its subject's sector and registration ------------

SCOPE_SECTORS = {sector.scope: sector for sector in sectors.SECTORS}


def _demo_records(sessions, session, size=400, seed=15):
    """Every demo record as (item, decision date, payload, department code suffix, the
    subject's sector as its registration's 经营范围 names it, the subject's end or None)."""
    _generate(sessions, size=size, seed=seed)
    suffix = {d.id: d.code.split("-")[1] for d in session.scalars(select(Department))}
    rows = session.execute(
        select(
            Record.subject_id,
            Record.item_code,
            Record.decision_date,
            Record.payload,
            Record.department_id,
        )
    ).all()
    sector, end = {}, {}
    for subject_id, item_code, decided, payload, _ in rows:
        if item_code in REGISTRATIONS:
            sector[subject_id] = SCOPE_SECTORS.get(payload.get("dj_jyfw"))
            if payload["dj_djzt"] in ENDED:
                end[subject_id] = decided
    return [
        (item_code, decided, payload, suffix[dept], sector.get(sid), end.get(sid))
        for sid, item_code, decided, payload, dept in rows
        if item_code not in REGISTRATIONS
    ]


REGISTRATIONS = ("scztdj", "shzzdj", "sydwdj", "jgdj")


def test_every_penalty_is_by_a_department_of_the_subjects_sector(sessions, session):
    """issue 15: a food business is fined by the market authority for food, a construction
    firm by 住建 for dust — never a software company by 卫健 for air pollution."""
    penalties = [
        (payload["cf_wfxw"], dept, sector)
        for item_code, _, payload, dept, sector, _ in _demo_records(sessions, session)
        if item_code == "xzcf" and sector is not None  # organisations: they are registered
    ]
    for violation, dept, sector in penalties:
        oversight = sector.oversight.get(dept)
        assert oversight and violation in oversight.violations, (violation, dept, sector.name)
    food = [
        p for p in penalties if p[2].name in ("餐饮", "食品销售") and "食品" in p[0]
    ]  # the positive control: the mapping is exercised, not vacuously true
    assert food and {dept for _, dept, _ in food} <= {"scjgj", "wjw"}
    assert len({sector.name for _, _, sector in penalties}) >= 5


def test_road_transport_licences_go_to_transport_businesses(sessions, session):
    licensed = [
        (sector, dept)
        for item_code, _, payload, dept, sector, _ in _demo_records(sessions, session)
        if item_code == "xzxk" and payload["xk_xkzs"] == "道路运输经营许可证"
    ]
    assert licensed  # some are issued at all
    assert all(s is not None and s.name == "道路运输" and d == "jtj" for s, d in licensed)


def test_no_record_after_a_subjects_deregistration_or_revocation(sessions, session):
    """A subject 注销 or 吊销 on its registration's 核准日期 has no later decision. Most ended
    before the demo's three years, so it takes more subjects to see a few of the others."""
    ended = [
        (decided, end)
        for _, decided, _, _, _, end in _demo_records(sessions, session, size=1500)
        if end is not None
    ]
    assert len(ended) >= 5
    assert all(decided <= end for decided, end in ended)
