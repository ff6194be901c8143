"""The demo data set: reproducible, valid codes, every subject type and catalog item."""

from datetime import UTC, datetime

from rich.console import Console
from sqlalchemy import func, select
from stdnum.cn import ric

from xinyong import clock, codes
from xinyong.auth import audit
from xinyong.auth import service as auth
from xinyong.auth.models import Role, User
from xinyong.catalog import list_items
from xinyong.demo import generate
from xinyong.demo.accounts import DEMO_PASSWORD
from xinyong.models import Base
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record
from xinyong.subjects.models import Subject
from xinyong.subjects.pii import unseal

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
