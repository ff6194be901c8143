"""`xinyong audit anchor`, `audit verify` and the anchoring job (issue 11 item 5)."""

from __future__ import annotations

from sqlalchemy import delete, select
from typer.testing import CliRunner

from xinyong import cli
from xinyong.auth import audit
from xinyong.auth.models import AuditEntry
from xinyong.db import committing, table_of
from xinyong.jobs import JOBS, run_job

runner = CliRunner()


def _write(session, count):
    with committing(session):
        for n in range(count):
            audit.write(session, "user:1", "record.view", "record", n)


def test_audit_anchor_then_truncation_fails_audit_verify(session, engine, settings):
    """issue 11 item 5: the operator's commands export the head and then catch a truncation."""
    _write(session, 4)
    anchored = runner.invoke(cli.app, ["audit", "anchor"])
    assert anchored.exit_code == 0, anchored.output
    assert "共 4 条" in anchored.output and str(settings.audit_anchor_path) in anchored.output
    ok = runner.invoke(cli.app, ["audit", "verify"])
    assert ok.exit_code == 0 and "审计日志完整：共 4 条" in ok.output
    last = session.scalar(select(AuditEntry.id).order_by(AuditEntry.id.desc()).limit(1))
    with engine.begin() as conn, audit.maintenance(conn):
        conn.execute(delete(table_of(AuditEntry)).where(AuditEntry.id == last))
    broken = runner.invoke(cli.app, ["audit", "verify"])
    assert broken.exit_code == 1 and "截断" in broken.output


def test_the_anchor_job_runs_from_jobs_run_and_the_scheduler(sessions, settings):
    """issue 11 item 5: anchoring is a job (run by `xinyong jobs run` and the scheduler)."""
    assert "audit-anchor" in JOBS
    with sessions() as session:
        _write(session, 2)
    result = runner.invoke(cli.app, ["jobs", "run", "audit-anchor"])
    assert result.exit_code == 0, result.output
    lines = settings.audit_anchor_path.read_text().splitlines()
    assert len(lines) == 1 and '"count":2' in lines[0]
    run_job(sessions, "audit-anchor")  # the job.run entry of the first run is new: a second line
    assert len(settings.audit_anchor_path.read_text().splitlines()) == 2
    with sessions() as session:
        assert audit.verify(session).ok
