"""`xinyong report`: one subject named by its USCC, ID number or id to a PDF file; a CSV of
subjects to a folder with a progress bar; bad input is one clear line, never a traceback."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.cli.test_cli import run
from tests.factories import PERSON_ID
from tests.reports.sample import MOMENT, world
from xinyong import clock
from xinyong.cli import app
from xinyong.errors import DomainError, NotFound
from xinyong.reports import cli as reports_cli
from xinyong.reports import verification
from xinyong.reports.models import Report

runner = CliRunner()


@pytest.fixture(autouse=True)
def wide_console(monkeypatch):
    monkeypatch.setattr(reports_cli.console, "width", 200)


def _cli(settings, *args):
    with clock.frozen_at(MOMENT):
        result = runner.invoke(
            app, ["report", *args, "--database-url", settings.effective_database_url]
        )
    return result


def test_one_report_by_uscc_id_number_or_id(session, settings, tmp_path):
    w = world(session)
    out = tmp_path / "company.pdf"
    result = _cli(settings, w.company.uscc, "--out", str(out))
    assert result.exit_code == 0, result.output
    number = session.scalar(select(Report.number).where(Report.subject_id == w.company.id))
    assert f"已出具信用报告 {number}" in result.output
    with clock.frozen_at(MOMENT):
        assert verification.verify(session, number, content=out.read_bytes()).matches
    result = _cli(settings, PERSON_ID, "--out", str(tmp_path / "person.pdf"))
    assert result.exit_code == 0, result.output
    assert session.scalar(select(Report.kind).where(Report.subject_id == w.person.id)) == "person"
    result = _cli(
        settings,
        str(w.company.id),
        "--kind",
        "special",
        "--as-of",
        "2026-11-30",
        "--out",
        str(tmp_path / "s.pdf"),
    )
    assert result.exit_code == 0, result.output
    special = session.scalar(select(Report).where(Report.kind == "special"))
    assert special.scope["to"] == "2026-11-30"


def test_a_batch_writes_one_file_per_subject_and_names_the_rows_it_could_not(
    session, settings, tmp_path
):
    w = world(session)
    listed = tmp_path / "subjects.csv"
    listed.write_text(
        f"主体\n{w.company.uscc}\n{w.other.uscc}\n91440101MA00000000\n", encoding="utf-8"
    )
    result = _cli(settings, "--file", str(listed), "--out-dir", str(tmp_path / "out"))
    assert result.exit_code == 1
    assert "已出具 2 份信用报告" in result.output
    assert "第 4 行" in result.output and "未找到主体" in result.output
    assert len(list((tmp_path / "out").glob("XYBG2026*.pdf"))) == 2


def test_bad_input_is_refused_in_chinese(session, settings, tmp_path):
    world(session)
    result = _cli(settings, "nobody")
    assert isinstance(result.exception, NotFound)
    result = _cli(settings, "--as-of", "yesterday", "x")
    assert isinstance(result.exception, DomainError) and result.exception.code == "reports.cli"
    result = _cli(settings, "--file", str(tmp_path / "none.csv"))
    assert isinstance(result.exception, DomainError) and "找不到文件" in result.exception.message


def test_the_command_prints_one_line_not_a_traceback(tmp_path):
    result = run(
        "report",
        "--kind",
        "nothing",
        "91440106MA5CXQ2B0G",
        env={"XINYONG_DATA_DIR": str(tmp_path), "XINYONG_SECRET_KEY": "k"},
    )
    assert "Traceback" not in result.stderr + result.stdout
    assert result.returncode != 0
