"""Collection end to end: `xinyong ingest` of a generated 行政处罚 CSV (~2% bad rows of many
kinds) on SQLite and PostgreSQL, beside a raw bulk insert of the same file measured in the same
run, then the same file sent again (every row `unchanged`).

The database is prepared first (not timed): regions, the providing department, and 90% of the
file's counterparts already registered, as in a city whose registry is fed by 市场监管; the other
10% are created by the ingest. The raw baseline reads the same CSV with the csv module and inserts
every row as text into a bare table of the same database (executemany on SQLite, COPY on
PostgreSQL), in one transaction.

    python benchmarks/bench_ingest.py --rows 1000000 [--database sqlite|postgresql|both]

With --registry the file is a 市场主体登记信息 (scztdj) register of new subjects instead
(benchmarks/registration_file.py), ingested into an empty registry.
"""

from __future__ import annotations

import argparse
import csv
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.penalty_file import penalty_subjects, write_penalty_csv
from benchmarks.registration_file import write_registration_csv
from xinyong import clock

VENV_BIN = Path(sys.executable).parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/xinyong_bench"
DEPARTMENT = "bench_scjg"
SUBJECT_SHARE = 0.3  # distinct counterparts per row: penalties concentrate on fewer subjects


def prepare(url: str, env: dict[str, str], subjects: list) -> None:  # type: ignore[type-arg]
    """A fresh schema with the department and most counterparts registered (not timed)."""
    from xinyong.config import Settings, use_settings
    from xinyong.db import make_engine, session_factory

    use_settings(Settings(data_dir=Path(env["XINYONG_DATA_DIR"]), database_url=url))
    engine = make_engine(url)
    fresh_schema(engine)
    register_counterparts(session_factory(engine), subjects)
    engine.dispose()


def fresh_schema(engine: Any) -> None:
    """An empty schema at the latest revision with the regions and the ingest's department."""
    from sqlalchemy import text

    from xinyong import codes
    from xinyong.auth.service import create_department, load_regions
    from xinyong.db import migrate, session_factory, transaction

    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    with transaction(session_factory(engine)) as session:
        load_regions(session)
        authority = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
        create_department(session, DEPARTMENT, "广州市市场监督管理局", "440100", authority)


def register_counterparts(sessions: Any, subjects: list) -> None:  # type: ignore[type-arg]
    """90% of a file's counterparts registered, as in a city whose registry 市场监管 feeds."""
    from xinyong.db import transaction
    from xinyong.policy.enums import SubjectType
    from xinyong.subjects.service import SubjectIn, register_many

    kinds = {
        "法人及非法人组织": SubjectType.ENTERPRISE,
        "个体工商户": SubjectType.INDIVIDUAL_BUSINESS,
        "自然人": SubjectType.NATURAL_PERSON,
    }
    known = subjects[: int(len(subjects) * 0.9)]
    with transaction(sessions) as session:
        for start in range(0, len(known), 20_000):
            register_many(
                session,
                [
                    SubjectIn(kinds[s.kind], s.name, uscc=s.uscc, id_number=s.id_number)
                    for s in known[start : start + 20_000]
                ],
                source="市场监管登记",
            )


def run_ingest(path: Path, env: dict[str, str], item: str = "xzcf") -> tuple[float, float, str]:
    """Seconds, peak MiB of the ingest process, and its printed receipt."""
    start = time.perf_counter()
    done = subprocess.run(
        [
            str(VENV_BIN / "xinyong"),
            "ingest",
            str(path),
            "--item",
            item,
            "--department",
            DEPARTMENT,
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - start
    if done.returncode:
        raise SystemExit(f"ingest failed: {done.stderr.strip()}")
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    return seconds, peak, done.stdout


def raw_baseline(url: str, path: Path) -> float:
    """Seconds to read the CSV and bulk-insert every row as text into a bare table."""
    from sqlalchemy import Column, MetaData, Table, Text

    from xinyong.db import bulk_insert, make_engine, session_factory

    engine = make_engine(url)
    with path.open(encoding="utf-8", newline="") as data:
        headers = next(csv.reader(data))
    columns = [f"c{i}" for i in range(len(headers))]
    table = Table("bench_raw", MetaData(), *(Column(c, Text) for c in columns))
    table.drop(engine, checkfirst=True)
    table.create(engine)
    start = time.perf_counter()
    with (
        session_factory(engine)() as session,
        session.begin(),
        path.open(encoding="utf-8", newline="") as data,
    ):
        reader = csv.reader(data)
        next(reader)
        chunk: list[dict[str, str]] = []
        for row in reader:
            chunk.append(dict(zip(columns, row, strict=False)))
            if len(chunk) == 50_000:
                bulk_insert(session, table, chunk)
                chunk = []
        bulk_insert(session, table, chunk)
    seconds = time.perf_counter() - start
    table.drop(engine)
    engine.dispose()
    return seconds


def bench(  # type: ignore[type-arg]
    database: str, url: str, path: Path, rows: int, subjects: list, work: Path, item: str = "xzcf"
) -> None:
    env = dict(os.environ, XINYONG_DATA_DIR=str(work / database), XINYONG_DATABASE_URL=url)
    env["XINYONG_SECRET_KEY"] = "benchmark-only-secret"
    os.environ["XINYONG_SECRET_KEY"] = env["XINYONG_SECRET_KEY"]
    Path(env["XINYONG_DATA_DIR"]).mkdir(parents=True, exist_ok=True)
    prepare(url, env, subjects)
    baseline = raw_baseline(url, path)
    seconds, peak, receipt = run_ingest(path, env, item)
    again, _, receipt_again = run_ingest(path, env, item)
    print(f"== {database} · {item} · {rows:,} rows ==")
    print(receipt.strip())
    print(f"raw bulk insert of the file : {baseline:8.1f} s  {rows / baseline:10,.0f} rows/s")
    print(f"ingest (new file)           : {seconds:8.1f} s  {rows / seconds:10,.0f} rows/s")
    print(f"  ratio to raw bulk insert  : {baseline / seconds:8.3f}")
    print(f"  peak memory (ingest proc) : {peak:8.0f} MiB")
    print(f"ingest (same file again)    : {again:8.1f} s  {rows / again:10,.0f} rows/s")
    print(f"  ratio to raw bulk insert  : {baseline / again:8.3f}")
    unchanged = [line for line in receipt_again.splitlines() if "未变化" in line]
    print(f"  {unchanged[0].strip() if unchanged else receipt_again.strip()}")


def main_registry(rows: int, databases: list[str], pg_url: str) -> None:
    """A 市场主体登记信息 file into an empty registry: every row creates its subject (已核实),
    its profile and its registration record."""
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-registry-") as folder:
        work = Path(folder)
        started = time.perf_counter()
        path = write_registration_csv(work / "scztdj.csv", rows, seed=7, today=clock.today())
        print(f"generated {rows:,} registrations in {time.perf_counter() - started:.0f} s")
        for database in databases:
            url = pg_url if database == "postgresql" else f"sqlite:///{work / 'bench.db'}"
            if database == "postgresql":
                _ensure_database(pg_url)
            bench(database, url, path, rows, [], work, item="scztdj")


def main(rows: int, databases: list[str], pg_url: str) -> None:
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-ingest-") as folder:
        work = Path(folder)
        started = time.perf_counter()
        subjects = penalty_subjects(max(1, int(rows * SUBJECT_SHARE)), seed=7)
        # Dated today: a decision the file puts after its own date is one the ingest must reject.
        today = clock.today()
        facts = write_penalty_csv(work / "xzcf.csv", rows, subjects=subjects, seed=7, today=today)
        print(
            f"generated {facts.rows:,} rows ({facts.bad_rows:,} bad: "
            + ", ".join(f"{k} {n}" for k, n in sorted(facts.bad_by_kind.items()))
            + f") in {time.perf_counter() - started:.0f} s"
        )
        for database in databases:
            url = pg_url if database == "postgresql" else f"sqlite:///{work / 'bench.db'}"
            if database == "postgresql":
                _ensure_database(pg_url)
            bench(database, url, facts.path, facts.rows, subjects, work)


def _ensure_database(url: str) -> None:
    from sqlalchemy import create_engine, text
    from sqlalchemy.engine import make_url

    target = make_url(url)
    admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        exists = conn.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": target.database}
        )
        if not exists:
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
    admin.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--registry", action="store_true", help="a 市场主体登记信息 file instead")
    args = parser.parse_args()
    chosen = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    (main_registry if args.registry else main)(args.rows, chosen, args.pg_url)
