"""`xinyong supervision draw|verify`: the platform draws a plan with a given seed and re-runs it
(actor `cli`, audited)."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.supervision.sample import companies, graded, market_department, plan, staff
from xinyong.auth.models import AuditEntry
from xinyong.cli import app
from xinyong.supervision import cli as supervision_cli

runner = CliRunner()
pytestmark = pytest.mark.usefixtures("received")


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setattr(supervision_cli.console, "width", 200)


def _cli(settings, *args):
    result = runner.invoke(app, [*args, "--database-url", settings.effective_database_url])
    return result.exit_code, result.output


def test_the_command_line_draws_a_plan_with_its_seed_and_verifies_it(session, settings):
    department = market_department(session, "gz-cli-scjg")
    staff(session, department, 2)
    graded(session, {s: "D" for s in companies(session, 3, word="命令行")})
    plan_id = plan(session, department, name_keyword="命令行")
    code, out = _cli(settings, "supervision", "draw", "--plan", str(plan_id), "--seed", "abc123")
    assert code == 0, out
    assert "随机种子：abc123" in out and "抽中 3 户" in out
    draw_id = session.scalar(
        select(AuditEntry.target_id).where(
            AuditEntry.action == "supervision.drawn", AuditEntry.actor == "cli"
        )
    )
    code, out = _cli(settings, "supervision", "verify", "--draw", str(draw_id))
    assert code == 0 and "抽取结果：一致" in out, out
    code, out = _cli(settings, "supervision", "draw", "--plan", str(plan_id))
    assert code != 0
