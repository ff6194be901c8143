"""Files on their way in: a killed server's spooled uploads are removed at the next start."""

from __future__ import annotations

import os
from pathlib import Path

from typer.testing import CliRunner

from xinyong.cli import app as cli_app
from xinyong.config import Settings

DEAD_PID = "999999999"  # above any pid_max: never a live process


def _left_behind(settings: Settings) -> Path:
    folder = settings.spool_root / DEAD_PID / "tmpupload"
    folder.mkdir(parents=True)
    (folder / "upload.csv").write_text("身份证号\n440106198507123011\n", encoding="utf-8")
    return folder.parent


def test_spool_of_a_killed_server_is_removed_when_the_app_starts(settings):
    """issue 11 (Low): spool files of a killed server are removed at start."""
    from xinyong.app import create_app

    stale = _left_behind(settings)
    own = settings.spool_dir / "in-use"
    own.mkdir()
    create_app(settings)
    assert not stale.exists()
    assert own.exists(), "a live process's uploads stay"
    assert own.parent.name == str(os.getpid())
    own.rmdir()


def test_spool_of_a_killed_server_is_removed_by_the_cli(settings, sessions, tmp_path):
    """issue 11 (Low): and by `xinyong ingest`, before it reads its file."""
    stale = _left_behind(settings)
    missing = tmp_path / "missing.csv"
    CliRunner().invoke(cli_app, ["ingest", str(missing), "--item", "xzcf", "--department", "x"])
    assert not stale.exists()
