"""The registry benchmark's 市场主体登记信息 file is one the collection accepts whole: every row a
new, registered subject (a benchmark of a file that is all rejections measures nothing)."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from benchmarks.registration_file import write_registration_csv
from xinyong import clock
from xinyong.collection import service
from xinyong.subjects.models import Subject, SubjectProfile

pytestmark = pytest.mark.usefixtures("received")


def test_every_row_of_the_file_registers_its_subject(sessions, department, tmp_path):
    path = write_registration_csv(tmp_path / "dj.csv", 60, seed=3, today=clock.today())
    receipt = service.ingest(sessions, path, "市场主体登记信息", department)
    assert (receipt.accepted, receipt.rejected) == (60, 0)
    with sessions() as session:
        verified = session.scalar(select(func.count()).where(Subject.verified))
        profiles = session.scalar(select(func.count()).select_from(SubjectProfile))
    assert verified == profiles == 60
