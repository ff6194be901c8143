"""A 双随机 draw over N candidate subjects (issue 16: ≤ 5 s at 1,000,000), beside a baseline
measured in the same run: a bare SELECT of the same candidate ids. The subjects are enterprises
of 广州 graded by one enterprise run (A 35%, B 45%, C 12%, D 3%, 5% ungraded), drawn by a
市场监管局 with 10 inspectors at the shipped ratios (A 5%, B 20%, C 60%, D 100%), 2 per subject.

    python benchmarks/bench_supervision.py [--subjects 1000000] [--database-url URL]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

GRADES = [("A", 0.35), ("B", 0.45), ("C", 0.12), ("D", 0.03), (None, 0.05)]
CHUNK = 100_000
# The platform's data folder (its audit key) for this run only, set before xinyong reads it.
FOLDER = Path(tempfile.mkdtemp(prefix="xy-supervision-"))
os.environ["XINYONG_DATA_DIR"] = str(FOLDER)


def _populate(sessions, count: int) -> int:  # type: ignore[no-untyped-def]
    """N enterprises and one enterprise run grading them; the department's id."""
    from sqlalchemy import insert

    from xinyong import codes
    from xinyong.auth import service as auth
    from xinyong.auth.principal import Principal
    from xinyong.db import table_of, transaction
    from xinyong.evaluation.models import EvaluationResult, EvaluationRun
    from xinyong.jobs.service import refresh_table_statistics
    from xinyong.policy.enums import Role
    from xinyong.subjects.models import Subject
    from xinyong.supervision import inspectors

    now = datetime(2026, 1, 5, tzinfo=UTC)
    picker = random.Random(16)
    with transaction(sessions) as session:
        uscc = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
        department = auth.create_department(
            session, "bench-scjg", "广州市市场监督管理局", "440100", uscc
        )
        clerk = Principal(Role.REGULATOR, department.id, "440100", "user:1")
        for n in range(10):
            inspectors.add_inspector(session, clerk, f"检查员{n}", f"B{n:04d}")
        run = EvaluationRun(
            model_code="enterprise", model_version=1, as_of=now, started_at=now,
            finished_at=now, subjects=count, actor="bench",
        )  # fmt: skip
        session.add(run)
        session.flush()
        run_id, department_id = run.id, department.id
    grades = [g for g, _ in GRADES]
    weights = [w for _, w in GRADES]
    for low in range(1, count + 1, CHUNK):
        ids = range(low, min(low + CHUNK, count + 1))
        with transaction(sessions) as session:
            session.execute(
                insert(table_of(Subject)),
                [
                    {
                        "id": i, "subject_type": "enterprise", "name": f"广州市基准{i}有限公司",
                        "name_key": f"广州市基准{i}有限公司", "region_code": "440106",
                        "status": "active", "verified": True, "created_at": now, "updated_at": now,
                    }
                    for i in ids
                ],
            )  # fmt: skip
            given = [(i, g) for i in ids if (g := picker.choices(grades, weights)[0])]
            session.execute(
                insert(table_of(EvaluationResult)),
                [
                    {"run_id": run_id, "subject_id": i, "score": Decimal(800), "grade": g}
                    for i, g in given
                ],
            )
    with transaction(sessions) as session:  # as the nightly job leaves them
        refresh_table_statistics(session)
    return department_id


def main(count: int, url: str | None) -> None:
    from sqlalchemy import select

    from xinyong import clock
    from xinyong.auth.principal import Principal
    from xinyong.auth.service import load_regions
    from xinyong.config import get_settings
    from xinyong.db import make_engine, migrate, session_factory, transaction
    from xinyong.policy.enums import Role
    from xinyong.subjects.models import Subject
    from xinyong.supervision import candidates, draws, plans

    engine = make_engine(url or f"sqlite:///{FOLDER / 'bench.db'}")
    migrate(engine)
    get_settings().ensure_secret_file()  # the audit chain's key
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        load_regions(session)
    started = time.perf_counter()
    department_id = _populate(sessions, count)
    built = time.perf_counter() - started
    print(f"双随机抽取基准：{count:,} 户候选（{engine.dialect.name}），建数 {built:.1f} s")
    clerk = Principal(Role.REGULATOR, department_id, "440100", "user:1")
    with clock.frozen_at(datetime(2026, 3, 2, 2, 0, tzinfo=UTC)):
        with transaction(sessions) as session:
            plan = plans.create(
                session, clerk,
                plans.PlanIn(
                    "广告发布检查", "4401", ["enterprise"], date(2026, 3, 1), date(2026, 12, 31)
                ),
            )  # fmt: skip
            plan_id, at = plan.id, clock.now()
            scope = candidates.in_scope(plan, at)
        started = time.perf_counter()
        with sessions() as session:
            ids = session.connection().execute(select(Subject.id).where(*scope)).all()
        baseline = time.perf_counter() - started
        started = time.perf_counter()
        with transaction(sessions) as session:
            made = draws.run(session, clerk, plan_id, "bench-seed")
            drawn = draws.drawn_count(session, made.id)
        seconds = time.perf_counter() - started
        started = time.perf_counter()
        with transaction(sessions) as session:
            checked = draws.verify(session, clerk, made.id)
        verify_seconds = time.perf_counter() - started
    assert len(ids) == made.inputs["candidates"] == count
    assert checked.same_inputs and checked.same_result
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"  基准：裸 SELECT 候选主体编号 {len(ids):,} 个  {baseline:6.2f} s")
    ratio = seconds / baseline
    print(
        f"  抽取（含等级、分类、抽人、入库） {seconds:6.2f} s  抽中 {drawn:,} 户  比值 {ratio:.1f}"
    )
    print(f"  复核（以种子重新抽取并比对）          {verify_seconds:6.2f} s  一致")
    print(
        f"  各类：{ {k: (v['candidates'], v['drawn']) for k, v in made.inputs['classes'].items()} }"
    )
    print(f"  进程内存峰值 {peak:,.0f} MiB")
    engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--database-url", default=None, help="默认临时目录下的 SQLite")
    args = parser.parse_args()
    main(args.subjects, args.database_url)
