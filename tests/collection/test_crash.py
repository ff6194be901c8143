"""A batch is all-or-nothing: an ingest process killed mid-batch leaves nothing behind, and
running the same file again gives exactly the result of one clean run."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from sqlalchemy import func, select

from tests.conftest import TEST_SECRET
from tests.factories import penalty_row, write_csv
from xinyong.collection import service
from xinyong.collection.models import Batch
from xinyong.records.models import Record
from xinyong.subjects.models import Subject

ROWS = 30_000
DRIVER = """
import sys
from pathlib import Path
from xinyong.collection.service import ingest
from xinyong.config import get_settings
from xinyong.db import make_engine, session_factory

sessions = session_factory(make_engine(get_settings().effective_database_url))

def progress(rows):
    print("chunk", flush=True)

ingest(sessions, Path(sys.argv[1]), "xzcf", sys.argv[2], progress=progress)
print("done", flush=True)
"""


def _file(tmp_path):  # type: ignore[no-untyped-def]
    rows = [penalty_row(**{"行政处罚决定书文号": f"穗市监罚〔2024〕{n}号"}) for n in range(ROWS)]
    rows[17]["处罚类别"] = "吃"
    return write_csv(tmp_path / "big.csv", rows)


def _processes_using(data_dir: str) -> list[int]:
    """Processes whose environment names this test's data folder (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if f"XINYONG_DATA_DIR={data_dir}".encode() in (entry / "environ").read_bytes():
                    found.append(int(entry.name))
            except OSError:
                continue  # ended meanwhile, or not ours to read
    return found


def _assert_ends(running, seconds: float = 10) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while running() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert not running()


def _counts(sessions):  # type: ignore[no-untyped-def]
    with sessions() as session:
        return tuple(
            session.scalar(select(func.count()).select_from(model))
            for model in (Batch, Record, Subject)
        )


@pytest.mark.usefixtures("received")
def test_killed_ingest_leaves_nothing_and_rerun_equals_a_clean_run(
    sessions, settings, department, tmp_path
):
    path = _file(tmp_path)
    env = dict(
        os.environ,
        XINYONG_DATABASE_URL=settings.effective_database_url,
        XINYONG_DATA_DIR=str(settings.data_dir),
        XINYONG_SECRET_KEY=TEST_SECRET,
    )
    child = subprocess.Popen(
        [sys.executable, "-c", DRIVER, str(path), department],
        env=env,
        stdout=subprocess.PIPE,
        text=True,
    )
    assert child.stdout is not None
    for _ in range(2):  # let it store two chunks inside its open transaction
        assert child.stdout.readline().strip() == "chunk"
    child.send_signal(signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    assert _counts(sessions) == (0, 0, 0)
    _assert_ends(lambda: _processes_using(str(settings.data_dir)))  # its checking worker too

    receipt = service.ingest(sessions, path, "xzcf", department)
    assert (receipt.total, receipt.new, receipt.rejected) == (ROWS, ROWS - 1, 1)
    assert _counts(sessions) == (1, ROWS - 1, 1)
