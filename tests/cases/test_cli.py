"""`xinyong cases list|show`: the platform's view of every case, as Rich tables; the command
line reads as the platform (actor `cli`) and each reading is audited."""

from datetime import UTC, datetime

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import AUTHORITY_USCC, COMPANY_USCC, listing_case
from xinyong import clock
from xinyong.auth import service as auth
from xinyong.auth.models import AuditEntry
from xinyong.auth.principal import Principal
from xinyong.cases import cli as cases_cli
from xinyong.cli import app
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    """A terminal wide enough that no column is cut short."""
    monkeypatch.setattr(cases_cli.console, "width", 200)


THURSDAY = datetime(2026, 9, 24, 2, 0, tzinfo=UTC)


@pytest.fixture
def told(session):
    with clock.frozen_at(THURSDAY):
        with committing(session):
            company = register(
                session,
                SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC),
            )
            gz = auth.create_department(
                session, "gz-rsj", "广州市人力资源和社会保障局", "440100", AUTHORITY_USCC
            )
        return listing_case(session, Principal.of_department(gz), company, gz, "notified")


def _cli(settings, *args):
    result = runner.invoke(app, [*args, "--database-url", settings.effective_database_url])
    assert result.exit_code == 0, result.output
    return result.output


def test_cases_list_shows_every_case_of_the_city_with_its_deadline(session, settings, told):
    with clock.frozen_at(THURSDAY):
        out = _cli(settings, "cases", "list")
    assert "共 1 件" in out and str(told.id) in out
    assert "已告知" in out and "2026-10-09" in out and "广州市某某科技有限公司" in out
    with clock.frozen_at(THURSDAY):
        assert "共 0 件" in _cli(settings, "cases", "list", "--overdue")
        assert "共 0 件" in _cli(settings, "cases", "list", "--state", "listed")
    with clock.frozen_at(datetime(2026, 10, 12, 2, 0, tzinfo=UTC)):
        late = _cli(settings, "cases", "list", "--overdue", "--kind", "listing")
    assert "共 1 件" in late and "是" in late
    session.expire_all()
    views = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "cases.view", AuditEntry.actor == "cli")
    ).all()
    assert len(views) == 2  # the readings that showed a case


def test_cases_show_prints_the_case_and_its_steps(settings, told):
    with clock.frozen_at(THURSDAY):
        out = _cli(settings, "cases", "show", str(told.id))
    assert f"第 {told.id} 号 列入严重失信主体名单 · 已告知" in out
    assert "拟列入" in out and "告知" in out and "department:gz-rsj" in out
    assert "2026-10-09" in out
