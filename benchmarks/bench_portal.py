"""The credit website and query API on a demo data set: search latency, archive latency and
sustained archive throughput, each beside the same lookup run directly in the database.

- search: `find_subjects` (ranking, badges) for 2-, 3- and 6-character fragments of real names
  and for exact USCCs; baseline: the index query alone through the bare driver (FTS5 on SQLite,
  the GIN index on PostgreSQL, the identifier index for codes), same LIMIT;
- archive: GET /api/v1/subjects/{id}/records and GET /subjects/{id} on a running server, one
  request at a time; baseline: the subject row and its current records through the bare driver;
- throughput: wrk on loopback against /subjects/{id} for random subjects (half with records);
  baseline: the same two queries in a loop of one process.

The data set is built once (`xinyong demo`) and reused: pass --data-dir for SQLite or --pg-url.

    python benchmarks/bench_portal.py --database sqlite --data-dir /tmp/bench-1m --subjects 1000000
    python benchmarks/bench_portal.py --database postgresql --pg-url postgresql+psycopg://...
"""

from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

VENV_BIN = Path(sys.executable).parent
SAMPLES = 300
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/xinyong_portal_bench"


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def timed(calls: list[Callable[[], Any]]) -> list[float]:
    """Milliseconds of each call, after one warm-up pass over the first 20."""
    for call in calls[:20]:
        call()
    out = []
    for call in calls:
        start = time.perf_counter()
        call()
        out.append((time.perf_counter() - start) * 1000)
    return out


def ensure_database(url: str) -> None:
    """Create the PostgreSQL database of `url` when it does not exist yet."""
    import psycopg
    from sqlalchemy.engine import make_url

    parsed = make_url(url)
    server = parsed.set(drivername="postgresql", database="postgres").render_as_string(False)
    with psycopg.connect(server, autocommit=True) as conn:
        if not conn.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [parsed.database]
        ).fetchone():
            conn.execute(f'CREATE DATABASE "{parsed.database}"')


def ensure_data(env: dict[str, str], subjects: int) -> None:
    if "XINYONG_DATABASE_URL" in env:
        ensure_database(env["XINYONG_DATABASE_URL"])
    xinyong = str(VENV_BIN / "xinyong")
    subprocess.run([xinyong, "init"], env=env, check=True, capture_output=True)
    from sqlalchemy import func, select

    from xinyong.subjects.models import Subject

    with _sessions(env)() as session:
        have = session.scalar(select(func.count()).select_from(Subject)) or 0
    if have < subjects * 0.9:
        print(f"building the demo data set ({subjects:,} subjects; minutes)…", flush=True)
        subprocess.run(
            [xinyong, "demo", "--subjects", str(subjects)],
            env=env,
            check=True,
            stdout=subprocess.DEVNULL,
        )


def _sessions(env: dict[str, str]):  # type: ignore[no-untyped-def]
    from xinyong.config import Settings, use_settings
    from xinyong.db import make_engine, session_factory

    settings = use_settings(
        Settings(
            data_dir=Path(env["XINYONG_DATA_DIR"]),
            database_url=env.get("XINYONG_DATABASE_URL"),
            jobs_interval_minutes=0,
        )
    )
    return session_factory(make_engine(settings.effective_database_url))


def sample(env: dict[str, str], rng: random.Random) -> dict[str, list[Any]]:
    """Queries and subject ids drawn from the data set itself."""
    from sqlalchemy import func, select

    from xinyong.records.models import Record
    from xinyong.subjects.models import Subject

    with _sessions(env)() as session:
        top = session.scalar(select(func.max(Subject.id))) or 1
        ids = rng.sample(range(1, top + 1), SAMPLES * 4)
        rows = session.execute(
            select(Subject.id, Subject.name_key, Subject.uscc).where(
                Subject.id.in_(ids), Subject.subject_type != "natural_person", Subject.verified
            )
        ).all()
        # Verified organisations only: the public finds a person only while a record is
        # published now, and a 待核实 subject (an ingest's unregistered counterpart) not at all.
        with_records = session.scalars(
            select(Record.subject_id)
            .join(Subject, Subject.id == Record.subject_id)
            .where(
                Record.subject_id.in_(ids),
                Subject.subject_type != "natural_person",
                Subject.verified,
            )
            .distinct()
        ).all()
    names = [r[1] for r in rows if len(r[1]) >= 8]
    fragments = {}
    for size in (2, 3, 6):
        picks = []
        for name in rng.sample(names, SAMPLES):
            start = rng.randrange(0, len(name) - size + 1)
            picks.append(name[start : start + size])
        fragments[size] = picks
    plain = [r[0] for r in rows]
    archive_ids = (list(with_records) * 4)[: SAMPLES // 2] + plain[: SAMPLES // 2]
    rng.shuffle(archive_ids)
    return {
        "frag2": fragments[2],
        "frag3": fragments[3],
        "frag6": fragments[6],
        "codes": [r[2] for r in rows if r[2]][:SAMPLES],
        "archive_ids": archive_ids,
    }


# --- the direct-database baselines -----------------------------------------------------


class Direct:
    """The bare driver, no ORM, no service: what the lookups cost in the database itself."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.postgres = url.startswith("postgresql")
        if self.postgres:
            import psycopg

            self.conn: Any = psycopg.connect(url.replace("+psycopg", ""), autocommit=True)
            self.conn.execute("SET plan_cache_mode = force_custom_plan")  # as the service does
            self.mark = "%s"
        else:
            from xinyong.codes import name_pieces

            self.conn = sqlite3.connect(data_dir / "xinyong.db")
            self.conn.create_function("xinyong_name_pieces", 1, name_pieces, deterministic=True)
            self.mark = "?"

    def rows(self, sql: str, *args: Any) -> list[Any]:
        cursor = self.conn.execute(sql.replace("?", self.mark), args)
        return list(cursor.fetchall())

    def contains(self, fragment: str) -> list[Any]:
        if self.postgres:
            grams = {fragment[i : i + 2] for i in range(0, len(fragment) - 1, 2)}
            if len(fragment) > 2 and len(fragment) % 2:
                grams.add(fragment[-2:])
            return self.rows(
                "SELECT id FROM subjects WHERE xinyong_name_grams(name_key) @> ?::text[] "
                "AND name_key LIKE ? LIMIT 21",
                sorted(grams),
                f"%{fragment}%",
            )
        chars = "".join(c for c in fragment if c.isalnum())
        phrase = '"' + " ".join(chars[i : i + 2] for i in range(len(chars) - 1)) + '"'
        return self.rows(
            "SELECT s.id FROM subject_search f JOIN subjects s ON s.id = f.rowid "
            "WHERE f.pieces MATCH ? AND s.name_key LIKE ? ORDER BY f.rowid LIMIT 21",
            phrase,
            f"%{fragment}%",
        )

    def code(self, uscc: str) -> list[Any]:
        return self.rows(
            "SELECT subject_id FROM subject_identifiers WHERE scheme = 'uscc' AND value = ?", uscc
        )

    def move(self, source: int, target: int) -> None:
        """The one UPDATE that moving a subject's records to another comes down to."""
        sql = "UPDATE records SET subject_id = ? WHERE subject_id = ?".replace("?", self.mark)
        self.conn.execute(sql, (target, source))
        if not self.postgres:
            self.conn.commit()

    def archive(self, subject_id: int) -> list[Any]:
        self.rows("SELECT * FROM subjects WHERE id = ?", subject_id)
        return self.rows(
            "SELECT * FROM records WHERE subject_id = ? AND is_current "
            "ORDER BY decision_date DESC, id DESC",
            subject_id,
        )


# --- the server and the load generator --------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(env: dict[str, str], workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    server = subprocess.Popen(
        [
            str(VENV_BIN / "xinyong"),
            "serve",
            "--port",
            str(port),
            "--workers",
            str(workers),
            "--no-access-log",
        ],
        env=dict(env, XINYONG_JOBS_INTERVAL_MINUTES="0"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(base + "/api/v1/health", timeout=1).read()
            return server, base
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise RuntimeError("server did not start")


def get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=10) as response:
        response.read()


def wrk(
    base: str, lua: str, seconds: int, connections: int = 16, threads: int = 1
) -> dict[str, float]:
    """One wrk run on loopback with the request script `lua`: rate, p99 and non-2xx count."""
    script = Path(tempfile.mkstemp(suffix=".lua")[1])
    script.write_text(lua)
    command = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    out = subprocess.run(
        [*command, "-s", str(script), base],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    script.unlink()
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out)[1])  # type: ignore[index]
    p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", out)
    scale = {"us": 0.001, "ms": 1.0, "s": 1000.0}[p99[2]]  # type: ignore[index]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    return {
        "rate": rate,
        "p99_ms": float(p99[1]) * scale,  # type: ignore[index]
        "errors": float(errors[1]) if errors else 0.0,
    }


def load(base: str, lua: str, what: str, workers: int, direct_per_second: float) -> None:
    """Three 10 s rounds, the median reported: one round on these shared machines can be off
    by half."""
    rounds = sorted((wrk(base, lua, seconds=10) for _ in range(3)), key=lambda r: r["rate"])
    middle = rounds[1]
    each = ", ".join(f"{r['rate']:.0f}" for r in rounds)
    print(
        f"{what} over HTTP ({workers} workers, 16 connections, wrk, median of 3): "
        f"{middle['rate']:.0f}/s (rounds {each}), p99 {middle['p99_ms']:.1f} ms, "
        f"{sum(r['errors'] for r in rounds):.0f} errors; the same lookups directly in one "
        f"process {direct_per_second:.0f}/s (ratio {middle['rate'] / direct_per_second:.2f})"
    )


def cli(main: Callable[[str, int, Path, str, int], None], doc: str) -> None:
    parser = argparse.ArgumentParser(description=doc.splitlines()[0])
    parser.add_argument("--database", choices=["sqlite", "postgresql"], default="sqlite")
    parser.add_argument("--subjects", type=int, default=1_000_000)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "xy-portal")
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    main(args.database, args.subjects, args.data_dir, args.pg_url, args.workers)


def direct_rate(direct: Direct, ids: list[int], seconds: float) -> float:
    done, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        direct.archive(ids[done % len(ids)])
        done += 1
    return done / (time.perf_counter() - start)


# --- the run ---------------------------------------------------------------------------


def report(name: str, service_ms: list[float], base_ms: list[float]) -> None:
    p50, p95 = percentile(service_ms, 0.5), percentile(service_ms, 0.95)
    b50, b95 = percentile(base_ms, 0.5), percentile(base_ms, 0.95)
    print(
        f"{name:<28} p50 {p50:6.2f} ms  p95 {p95:6.2f} ms   "
        f"direct p50 {b50:6.2f} ms  p95 {b95:6.2f} ms   ratio p95 {p95 / b95:5.1f}×"
    )


def main(database: str, subjects: int, data_dir: Path, pg_url: str, workers: int) -> None:
    env = dict(os.environ, XINYONG_DATA_DIR=str(data_dir))
    env.pop("XINYONG_DATABASE_URL", None)
    if database == "postgresql":
        env["XINYONG_DATABASE_URL"] = pg_url
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_data(env, subjects)
    url = env.get("XINYONG_DATABASE_URL") or f"sqlite:///{data_dir / 'xinyong.db'}"
    rng = random.Random(5)
    picks = sample(env, rng)
    direct = Direct(url, data_dir)
    print(f"== portal on {database}, {subjects:,} subjects, {SAMPLES} queries per kind ==")

    from xinyong.auth.principal import PUBLIC
    from xinyong.publication.search import find_subjects

    with _sessions(env)() as session:
        for key, label in (
            ("frag2", "search 2-char fragment"),
            ("frag3", "search 3-char fragment"),
            ("frag6", "search 6-char fragment"),
            ("codes", "search exact USCC"),
        ):
            queries = picks[key]
            service = timed([lambda q=q: find_subjects(session, PUBLIC, q) for q in queries])
            lookup = direct.code if key == "codes" else direct.contains
            base = timed([lambda q=q, find=lookup: find(q) for q in queries])
            report(label, service, base)

    server, base_url = start_server(env, workers)
    try:
        ids = picks["archive_ids"]
        api = timed([lambda i=i: get(f"{base_url}/api/v1/subjects/{i}/records") for i in ids])
        page = timed([lambda i=i: get(f"{base_url}/subjects/{i}") for i in ids])
        base = timed([lambda i=i: direct.archive(i) for i in ids])
        report("archive API (HTTP)", api, base)
        report("archive page (HTTP)", page, base)
        if shutil.which("wrk") is None:
            print("wrk not installed (apt-get install wrk): throughput skipped")
            return
        pages = (
            "local ids = {" + ",".join(map(str, ids)) + "}\n"
            "request = function()\n"
            '  return wrk.format("GET", "/subjects/" .. ids[math.random(#ids)])\n'
            "end\n"
        )
        load(base_url, pages, "archive pages", workers, direct_rate(direct, ids, 5.0))
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    cli(main, __doc__)
