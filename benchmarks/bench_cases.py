"""Cases at scale (issue 13, "Measure and report"): the overdue queue with 100,000 open cases and
one applicant's page at 1,000,000 subjects, each p95 over N runs beside direct SQL of the same
rows through the bare driver, measured in the same run.

- overdue queue: `cases.queues.overdue` (the credit office of 广州, 500 rows) and
  `GET /api/v1/cases?overdue=true` as that office's console session (count + a page of 50 with
  subject and department names); baselines: the same SELECTs in SQL (the rows of the queue; the
  count and the page of the API);
- applicant's page: `GET /account` signed in as a company's applicant, at 1,000,000 subjects and
  200,000 records; baseline: the subject's row and its current records in SQL.

The data set is built first (not timed) by the fastest path of each database (`db.bulk_insert`:
COPY on PostgreSQL, executemany on SQLite): the background subjects and records straight into
their tables (the registry's identifier and name tables are not filled for them: the page reads
a subject by id); the applicant's subject, its records, its account and the credit office
through the services. A benchmark, not a test: it prints figures.

    python benchmarks/bench_cases.py [--cases 100000] [--subjects 1000000] [--runs 200]
        [--database sqlite|postgresql|both] [--pg-url postgresql+psycopg://...]
"""

from __future__ import annotations

import argparse
import json
import random
import sqlite3
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/xinyong_cases_bench"
MOMENT = datetime(2026, 11, 23, 4, 0, tzinfo=UTC)  # a Monday, 12:00 in Beijing
TODAY = date(2026, 11, 23)
DEPARTMENTS = 40
OVERDUE_SHARE = 0.1
RECORDS = 200_000
CHUNK = 50_000
PASSWORD = "benchmark-password"
SECRET = "benchmark-only-secret"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(call: Callable[[], Any], runs: int) -> list[float]:
    """Milliseconds of each of `runs` calls, after 10 warm-up calls."""
    for _ in range(10):
        call()
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def line(label: str, values: list[float], baseline: list[float] | None = None) -> str:
    p50, p95 = percentile(values, 0.5), percentile(values, 0.95)
    text = f"{label:<44} p50 {p50:8.2f} ms  p95 {p95:8.2f} ms"
    if baseline is not None:
        text += f"  ratio to SQL (p95) {p95 / percentile(baseline, 0.95):7.1f}"
    return text


# --- the data set ------------------------------------------------------------------------


def fresh_database(url: str | None, data_dir: Path):  # type: ignore[no-untyped-def]
    from sqlalchemy import text

    from xinyong.auth.service import load_regions
    from xinyong.config import Settings, use_settings
    from xinyong.db import make_engine, migrate, session_factory, transaction
    from xinyong.policy import use_policy

    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "xinyong.db").unlink(missing_ok=True)
    settings = use_settings(
        Settings(data_dir=data_dir, database_url=url, secret_key=SECRET, jobs_interval_minutes=0)
    )
    use_policy(None)
    engine = make_engine(settings.effective_database_url)
    if engine.dialect.name == "postgresql":
        with engine.begin() as conn:
            conn.execute(text("DROP SCHEMA public CASCADE"))
            conn.execute(text("CREATE SCHEMA public"))
    migrate(engine)
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        load_regions(session)
    return settings, engine, sessions


def build(sessions: Any, subjects: int, cases: int, rng: random.Random) -> dict[str, Any]:
    """Departments, background subjects, records and open cases in bulk; the applicant's
    company through the services. Returns what the measurements need."""
    from xinyong import clock
    from xinyong.applicants import service as applicants
    from xinyong.auth import service as auth
    from xinyong.auth.principal import Principal
    from xinyong.db import transaction
    from xinyong.policy.enums import Role

    with clock.frozen_at(MOMENT), transaction(sessions) as session:
        departments = [
            auth.create_department(session, f"gz-d{i:02d}", f"广州市第{i}局", "440100").id
            for i in range(DEPARTMENTS)
        ]
        auth.create_user(session, "office", PASSWORD, Role.CREDIT_OFFICE, "440100", "信用办")
        company_id, record_ids = _company(session, departments[0])
    print("  subjects (bulk) …", flush=True)
    with clock.frozen_at(MOMENT), transaction(sessions) as session:
        _subjects(session, subjects - 1, rng)
    print("  records (bulk) …", flush=True)
    with clock.frozen_at(MOMENT), transaction(sessions) as session:
        _records(session, subjects, departments, rng)
    print("  cases (bulk) …", flush=True)
    with clock.frozen_at(MOMENT), transaction(sessions) as session:
        _cases(session, cases, subjects, departments, rng)
    with clock.frozen_at(MOMENT), transaction(sessions) as session:
        from xinyong.subjects.models import Subject

        company = session.get_one(Subject, company_id)
        window = Principal(Role.SERVICE_WINDOW, departments[0], "440100", "user:bench")
        code = applicants.issue_code(session, window, company, "窗口核验")
        applicants.activate(session, code, "bench-company", PASSWORD, "127.0.0.1")
    _analyse(sessions)
    return {"company_id": company_id, "records": record_ids}


def _company(session: Any, department_id: int) -> tuple[int, list[int]]:
    """The applicant's company with five published penalties, through the services."""
    from tests.factories import COMPANY_USCC, penalty
    from xinyong import clock
    from xinyong.catalog import get_item, validate_payload
    from xinyong.policy.enums import SubjectType
    from xinyong.records.service import RecordDraft, store_many
    from xinyong.subjects.service import SubjectIn, register

    company = register(
        session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
    )
    item = get_item("xzcf")
    drafts = []
    for number in range(1, 6):
        row = penalty(number, TODAY - timedelta(days=30 * number))
        values = validate_payload(item, row, received_on=clock.today()).values
        drafts.append(RecordDraft(company.id, values, department_id, "440106"))
    stored = store_many(session, item, drafts)
    return company.id, [s.record_id for s in stored]


def _subjects(session: Any, count: int, rng: random.Random) -> None:
    from xinyong import clock, codes
    from xinyong.db import allocate_ids, bulk_insert, table_of
    from xinyong.subjects.models import Subject

    table = table_of(Subject)
    now = clock.now()
    ids = allocate_ids(session, table, count)
    for start in range(0, count, CHUNK):
        rows = []
        for subject_id in ids[start : start + CHUNK]:
            name = f"广州市第{subject_id}号商贸有限公司"
            rows.append(
                {
                    "id": subject_id,
                    "subject_type": "enterprise",
                    "name": name,
                    "name_key": name,
                    "uscc": codes.make_uscc(f"914401{subject_id:011d}"[:17]),
                    "region_code": "440106",
                    "status": "active",
                    "created_at": now,
                    "updated_at": now,
                }
            )
        bulk_insert(session, table, rows)


def _records(session: Any, subjects: int, departments: list[int], rng: random.Random) -> None:
    """Background penalties spread over the subjects (a copy of one payload, new keys)."""
    from sqlalchemy import select

    from xinyong import clock
    from xinyong.db import allocate_ids, bulk_insert, table_of
    from xinyong.records.models import Record

    template = session.execute(select(Record).limit(1)).scalar_one()
    payload = json.dumps(template.payload, ensure_ascii=False, sort_keys=True)
    table = table_of(Record)
    now = clock.now()
    ids = allocate_ids(session, table, RECORDS)
    for start in range(0, RECORDS, CHUNK):
        rows = []
        for record_id in ids[start : start + CHUNK]:
            decided = TODAY - timedelta(days=rng.randrange(1, 700))
            rows.append(
                {
                    "id": record_id,
                    "item_code": "xzcf",
                    "natural_key": f"bench-{record_id}",
                    "version": 1,
                    "is_current": True,
                    "subject_id": rng.randrange(2, subjects + 1),
                    "region_code": "440106",
                    "department_id": rng.choice(departments),
                    "document_number": f"穗罚〔2026〕{record_id}号",
                    "decision_date": decided,
                    "severity": "general",
                    "amount_yuan": None,
                    "publish_from": decided,
                    "publish_until": decided + timedelta(days=365),
                    "status": "valid",
                    "in_objection": False,
                    "payload": payload,
                    "content_hash": f"{record_id:064d}",
                    "received_at": now,
                    "on_time": True,
                    "created_at": now,
                }
            )
        bulk_insert(session, table, rows, json_text=frozenset({"payload"}))


def _cases(
    session: Any, count: int, subjects: int, departments: list[int], rng: random.Random
) -> None:
    """Open listing cases (已告知, a statement period running), a tenth of them overdue."""
    from xinyong import clock
    from xinyong.cases.models import Case
    from xinyong.db import allocate_ids, bulk_insert, table_of

    table = table_of(Case)
    now = clock.now()
    ids = allocate_ids(session, table, count)
    for start in range(0, count, CHUNK):
        rows = []
        for case_id in ids[start : start + CHUNK]:
            late = rng.random() < OVERDUE_SHARE
            due = TODAY + timedelta(days=-rng.randrange(1, 60) if late else rng.randrange(0, 30))
            rows.append(
                {
                    "id": case_id,
                    "kind": "listing",
                    "subject_id": rng.randrange(2, subjects + 1),
                    "department_id": rng.choice(departments),
                    "record_id": None,
                    "state": "notified",
                    "opened_at": now - timedelta(days=20),
                    "closed_at": None,
                    "due": due,
                    "answer_due": None,
                    "due_count": "working",
                    "suspended_on": None,
                    "suspended_days": 0,
                    "details": json.dumps({"list_type": "serious_dishonesty"}),
                }
            )
        bulk_insert(session, table, rows, json_text=frozenset({"details"}))


def _analyse(sessions: Any) -> None:
    from sqlalchemy import text

    with sessions() as session, session.begin():
        session.execute(text("ANALYZE"))


# --- the direct-SQL baselines ------------------------------------------------------------


class Direct:
    """The bare driver, no ORM, no service: what the same rows cost in the database itself."""

    def __init__(self, url: str) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)
            self.mark = "%s"
        else:
            self.conn = sqlite3.connect(url.removeprefix("sqlite:///"))
            self.mark = "?"

    def rows(self, sql: str, *args: Any) -> list[Any]:
        if not self.postgres:  # sqlite3 compares dates as the ISO text it stores
            args = tuple(a.isoformat() if isinstance(a, date) else a for a in args)
        return list(self.conn.execute(sql.replace("?", self.mark), args).fetchall())

    OPEN_LATE = (
        "c.closed_at IS NULL AND c.suspended_on IS NULL AND (c.due < ? OR c.answer_due < ?) "
        "AND c.department_id IN (SELECT id FROM departments WHERE region_code LIKE '4401%')"
    )

    def overdue_queue(self) -> list[Any]:
        return self.rows(
            f"SELECT c.* FROM cases c WHERE {self.OPEN_LATE} "
            "ORDER BY COALESCE(c.due, c.answer_due), c.id LIMIT 500",
            TODAY,
            TODAY,
        )

    def overdue_page(self) -> list[Any]:
        self.rows(f"SELECT count(*) FROM cases c WHERE {self.OPEN_LATE}", TODAY, TODAY)
        return self.rows(
            "SELECT c.*, s.name, d.name FROM cases c JOIN subjects s ON s.id = c.subject_id "
            f"JOIN departments d ON d.id = c.department_id WHERE {self.OPEN_LATE} "
            "ORDER BY COALESCE(c.due, c.answer_due), c.id LIMIT 50",
            TODAY,
            TODAY,
        )

    def subjects_records(self, subject_id: int) -> list[Any]:
        self.rows("SELECT * FROM subjects WHERE id = ?", subject_id)
        return self.rows(
            "SELECT * FROM records WHERE subject_id = ? AND is_current "
            "ORDER BY decision_date DESC, id DESC",
            subject_id,
        )


# --- the measurements --------------------------------------------------------------------


def bench(database: str, url: str | None, subjects: int, cases: int, runs: int) -> None:
    from fastapi.testclient import TestClient

    from tests.factories import csrf_of
    from xinyong import clock
    from xinyong.app import create_app
    from xinyong.auth.principal import Principal
    from xinyong.cases import queues
    from xinyong.policy.enums import Role

    work = Path(tempfile.gettempdir()) / f"xy-cases-bench-{database}"
    print(f"== {database} · {cases:,} open cases · {subjects:,} subjects ==")
    started = time.perf_counter()
    settings, engine, sessions = fresh_database(url, work)
    built = build(sessions, subjects, cases, random.Random(13))
    print(f"  built in {time.perf_counter() - started:.0f} s (not timed below)")
    direct = Direct(settings.effective_database_url)
    office = Principal(Role.CREDIT_OFFICE, None, "440100", "user:bench")
    with clock.frozen_at(MOMENT):
        app = create_app(settings)
        staff, applicant = TestClient(app), TestClient(app)
        token = csrf_of(staff.get("/admin/login").text)
        staff.post(
            "/admin/login",
            data={"username": "office", "password": PASSWORD, "csrf": token},
            follow_redirects=False,
        )
        token = csrf_of(applicant.get("/account/login").text)
        signed = applicant.post(
            "/account/login",
            data={"username": "bench-company", "password": PASSWORD, "csrf": token},
            follow_redirects=False,
        )
        assert signed.status_code == 303, signed.text

        with sessions() as session:
            found = queues.overdue(session, office)
            assert len(found) == len(direct.overdue_queue()) == 500, len(found)

            def queue() -> None:
                queues.overdue(session, office)
                session.rollback()

            service = timed(queue, runs)
        sql_queue = timed(direct.overdue_queue, runs)
        answer = staff.get("/api/v1/cases", params={"overdue": "true"})
        assert answer.status_code == 200 and answer.json()["total"] > 0, answer.text[:200]
        api = timed(lambda: staff.get("/api/v1/cases", params={"overdue": "true"}), runs)
        sql_page = timed(direct.overdue_page, runs)
        home = applicant.get("/account")
        assert home.status_code == 200 and "广州市某某科技有限公司" in home.text, home.status_code
        page = timed(lambda: applicant.get("/account"), runs)
        company = built["company_id"]
        sql_records = timed(lambda: direct.subjects_records(company), runs)
    total = answer.json()["total"]
    print(f"  overdue open cases in the office's region: {total:,}; {runs} runs each")
    print(line("SQL: the overdue queue's 500 rows", sql_queue))
    print(line("queues.overdue (500 rows)", service, sql_queue))
    print(line("SQL: count + a page of 50 with names", sql_page))
    print(line("GET /api/v1/cases?overdue=true", api, sql_page))
    print(line("SQL: the subject and its records", sql_records))
    print(line("GET /account (applicant)", page, sql_records))
    engine.dispose()


def main(subjects: int, cases: int, runs: int, databases: list[str], pg_url: str = PG_URL) -> None:
    for database in databases:
        url = None
        if database == "postgresql":
            from bench_portal import ensure_database  # type: ignore[import-not-found]

            ensure_database(pg_url)
            url = pg_url
        bench(database, url, subjects, cases, runs)
        print()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="sqlite")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    chosen = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    sys.path.insert(0, str(Path(__file__).parent))
    main(args.subjects, args.cases, args.runs, chosen, args.pg_url)
