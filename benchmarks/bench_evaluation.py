"""公共信用综合评价 on the demo data set (issue 16), each figure beside the same run's baseline:

- a run of the enterprise model over every covered subject (`xinyong evaluate --model
  enterprise` in its own process: seconds and peak RSS); baseline: one plain `GROUP BY
  subject_id` aggregate over the records the model reads;
- explaining one subject's grade (`evaluation.explain.explain`), 300 subjects; baseline: the
  subject's result row and its contributions read directly.

The data set is the portal benchmark's (`xinyong demo`), built once and reused.

    python benchmarks/bench_evaluation.py --database sqlite --subjects 1000000
"""

from __future__ import annotations

import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_portal import VENV_BIN, Direct, _sessions, cli, ensure_data, report, timed

SAMPLES = 300


def main(database: str, subjects: int, data_dir: Path, pg_url: str, workers: int) -> None:
    env = dict(os.environ, XINYONG_DATA_DIR=str(data_dir))
    env.pop("XINYONG_DATABASE_URL", None)
    if database == "postgresql":
        env["XINYONG_DATABASE_URL"] = pg_url
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_data(env, subjects)
    url = env.get("XINYONG_DATABASE_URL") or f"sqlite:///{data_dir / 'xinyong.db'}"
    direct = Direct(url, data_dir)
    print(f"== evaluation on {database}, {subjects:,} subjects ==")

    from xinyong.evaluation.runs import model_named

    model = model_named("enterprise")
    items = sorted({c for i in model.indicators() if i.reads for c in i.reads.items})
    marks = ",".join("?" * len(items))
    start = time.perf_counter()
    direct.rows(
        f"SELECT subject_id, count(*), sum(amount_yuan) FROM records "
        f"WHERE is_current AND item_code IN ({marks}) GROUP BY subject_id",
        *items,
    )
    baseline = time.perf_counter() - start
    start = time.perf_counter()
    done = subprocess.run(
        [str(VENV_BIN / "xinyong"), "evaluate", "--model", "enterprise"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"evaluate failed: {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(done.stdout.strip())
    print(
        f"evaluate (enterprise model)  {seconds:7.1f} s, peak RSS {peak:,.0f} MiB   "
        f"baseline GROUP BY subject {baseline:6.1f} s   ratio {seconds / baseline:5.1f}×"
    )
    explain_figures(env, direct)


def explain_figures(env: dict[str, str], direct: Direct) -> None:
    from sqlalchemy import func, select

    from xinyong.auth.principal import Principal
    from xinyong.db import committing
    from xinyong.evaluation import explain
    from xinyong.evaluation.models import EvaluationResult
    from xinyong.policy.enums import Role

    office = Principal(Role.PLATFORM_ADMIN, None, "440100", "user:bench")
    with _sessions(env)() as session:
        run_id = session.scalar(select(func.max(EvaluationResult.run_id)))
        graded = session.scalars(
            select(EvaluationResult.subject_id)
            .where(EvaluationResult.run_id == run_id)
            .order_by(EvaluationResult.subject_id)
        ).all()
        picks = random.Random(16).sample(list(graded), min(SAMPLES, len(graded)))

        def one(subject_id: int) -> None:
            with committing(session):
                explain.explain(session, office, subject_id)

        service = timed([lambda s=s: one(s) for s in picks])
        base = timed(
            [
                lambda s=s: (
                    direct.rows(
                        "SELECT * FROM evaluation_results WHERE run_id = ? AND subject_id = ?",
                        run_id,
                        s,
                    ),
                    direct.rows(
                        "SELECT * FROM evaluation_contributions "
                        "WHERE run_id = ? AND subject_id = ?",
                        run_id,
                        s,
                    ),
                )
                for s in picks
            ]
        )
    report("explain one subject", service, base)


if __name__ == "__main__":
    cli(main, __doc__)
