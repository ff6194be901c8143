"""How cost grows (issue 14): the portal's reads, a single check and an ingest as the registry
and the records table grow to 100,000, 1,000,000 and 10,000,000 rows, each figure beside a
direct-driver baseline measured at the same size in the same run.

For each database, one fresh schema (PostgreSQL: the database `xinyong_growth`, never another
benchmark's) holds the ingest's department and, at every size N, N subjects and N records:

- growing (not timed): subjects generated in Python with valid USCCs and stored by the fastest
  path of each database (`db.bulk_insert`: COPY, or one executemany), their identifiers and
  names copied set-based; records made set-based from the subjects (INSERT ... SELECT, half the
  subjects with two 行政处罚 each, the payload of a record the first ingest stored);
- search: `find_subjects` for 2-, 3- and 6-character fragments and exact USCCs beside the index
  query alone (bench_portal's helpers and samples);
- archive page: GET /subjects/{id} on a running server beside the subject row and its current
  records through the bare driver;
- single check: POST /api/v1/checks one at a time beside the check's two lookups through the
  bare driver (bench_checks' baseline);
- ingest: `xinyong ingest` of a 100,000-row 行政处罚 file (benchmarks/penalty_file.py, a new
  file of new counterparts at every size, 90% of them registered first) beside a raw bulk insert
  of the same file. The ingest is measured once before growing too: the 0 of "from 0 to 10M".

Last, each figure's change between the two largest sizes against the issue's targets (reads and
checks within 1.5×; ingest rows/s down by at most 20% from an empty table), and the peak RSS of
this process, of each ingest and of the server's processes.

    python benchmarks/bench_growth.py [--sizes 100000,1000000] [--database sqlite|postgresql|both]
"""

from __future__ import annotations

import argparse
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
import urllib.request
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_checks import api_key, direct_check, peak_rss_mib, sample_usccs
from benchmarks.bench_ingest import (
    DEPARTMENT,
    SUBJECT_SHARE,
    fresh_schema,
    raw_baseline,
    register_counterparts,
)
from benchmarks.bench_portal import (
    Direct,
    _sessions,
    ensure_database,
    percentile,
    sample,
    start_server,
    timed,
)
from benchmarks.penalty_file import penalty_subjects, write_penalty_csv

VENV_BIN = Path(sys.executable).parent
PG_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/xinyong_growth"
SIZES = (100_000, 1_000_000, 10_000_000)
SQLITE_MAX = 1_000_000  # 10M on SQLite is not a deployment the platform proposes
INGEST_ROWS = 100_000
CHUNK = 50_000
CHECKS = 300
SECRET = "benchmark-only-secret"
TARGET_READS = 1.5  # p95 at 10M ≤ 1.5 × p95 at 1M
TARGET_INGEST = 0.8  # rows/s at 10M ≥ 0.8 × rows/s into an empty table


# --- the database and its growth -----------------------------------------------------------


def fresh(database: str, work: Path, pg_url: str) -> dict[str, str]:
    """An empty schema at the latest revision with the regions and the ingest's department;
    the environment every process of the run uses."""
    data_dir = work / database
    data_dir.mkdir(parents=True, exist_ok=True)
    (data_dir / "xinyong.db").unlink(missing_ok=True)
    env = dict(os.environ, XINYONG_DATA_DIR=str(data_dir), XINYONG_SECRET_KEY=SECRET)
    env["XINYONG_JOBS_INTERVAL_MINUTES"] = "0"
    env.pop("XINYONG_DATABASE_URL", None)
    os.environ["XINYONG_SECRET_KEY"] = SECRET  # this process seals ID numbers as the others do
    if database == "postgresql":
        ensure_database(pg_url)
        env["XINYONG_DATABASE_URL"] = pg_url
    fresh_schema(_sessions(env).kw["bind"])
    return env


def url_of(env: dict[str, str]) -> str:
    return env.get("XINYONG_DATABASE_URL") or f"sqlite:///{env['XINYONG_DATA_DIR']}/xinyong.db"


def counts(env: dict[str, str]) -> tuple[int, int]:
    from sqlalchemy import func, select

    from xinyong.records.models import Record
    from xinyong.subjects.models import Subject

    with _sessions(env)() as session:
        subjects = session.scalar(select(func.count()).select_from(Subject)) or 0
        records = session.scalar(select(func.count()).select_from(Record)) or 0
    return subjects, records


def grow(env: dict[str, str], size: int, today: date) -> float:
    """Subjects and records up to `size` rows each (the ingests' rows count too); seconds."""
    from sqlalchemy import text

    from xinyong.db import transaction

    started = time.perf_counter()
    have_subjects, have_records = counts(env)
    sessions = _sessions(env)
    subjects_wanted = max(size - have_subjects, 0)
    records_wanted = max(size - have_records, 0)
    for start in range(0, subjects_wanted, CHUNK):
        with transaction(sessions) as session:
            lo, hi = _add_subjects(session, min(CHUNK, subjects_wanted - start))
            # Two records per even id: as many of the chunk's subjects as records still wanted.
            records = min(records_wanted, hi - lo + 1)
            if records > 0:
                _add_records(session, lo, lo + records - 1, today)
                records_wanted -= records
    with sessions() as session, session.begin():
        session.execute(text("ANALYZE"))
    return time.perf_counter() - started


def _add_subjects(session: Any, count: int) -> tuple[int, int]:
    """`count` enterprises with valid USCCs, names drawn as the demo draws them (repeats
    allowed: a registry has many 广州某某贸易有限公司); their identifiers and first names
    copied set-based. Returns the first and last id."""
    from sqlalchemy import insert, literal, select

    from xinyong import clock, codes
    from xinyong.db import allocate_ids, bulk_insert, table_of
    from xinyong.demo.identities import COMPANY_FORMS, INDUSTRIES, TRADE_CHARS
    from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectName

    subjects = table_of(Subject)
    now, today = clock.now(), clock.today()
    ids = allocate_ids(session, subjects, count)
    rng = random.Random(ids[0])
    places = ("广州", "广州市", "广州市天河区", "广州市越秀区", "广州市海珠区", "广州市白云区")
    rows = []
    for subject_id in ids:
        name = (
            rng.choice(places)
            + rng.choice(TRADE_CHARS)
            + rng.choice(TRADE_CHARS)
            + rng.choice(INDUSTRIES)
            + rng.choice(COMPANY_FORMS)
        )
        # The id as the 组织机构代码's body: unique, with a valid check character.
        uscc = codes.make_uscc("91440106" + codes.make_org_code(f"{subject_id:08d}"))
        rows.append(
            {
                "id": subject_id,
                "subject_type": "enterprise",
                "name": name,
                "name_key": name,
                "uscc": uscc,
                "region_code": "440106",
                "status": "active",
                "created_at": now,
                "updated_at": now,
            }
        )
    bulk_insert(session, subjects, rows)
    lo, hi = ids[0], ids[-1]
    mine = subjects.c.id.between(lo, hi)
    session.execute(
        insert(table_of(SubjectIdentifier)).from_select(
            ["subject_id", "scheme", "value"],
            select(subjects.c.id, literal("uscc"), subjects.c.uscc).where(mine),
        )
    )
    names = table_of(SubjectName)
    session.execute(
        insert(names).from_select(
            ["subject_id", "name", "name_key", "valid_from", "source"],
            select(
                subjects.c.id,
                subjects.c.name,
                subjects.c.name_key,
                literal(today, names.c.valid_from.type),
                literal("增长基准", names.c.source.type),
            ).where(mine),
        )
    )
    return lo, hi


_PAYLOAD: dict[str, Any] = {}


def _add_records(session: Any, lo: int, hi: int, today: date) -> None:
    """Two 行政处罚 for every even subject id in [lo, hi], in one INSERT ... SELECT, decided
    over the last two years and published for one (so about half are up today)."""
    from sqlalchemy import Integer, String, cast, func, insert, literal, select, true

    from xinyong import clock
    from xinyong.db import table_of
    from xinyong.records.models import Record
    from xinyong.subjects.models import Subject

    records, subjects = table_of(Record), table_of(Subject)
    pair = select(literal(1).label("k")).union_all(select(literal(2))).subquery()
    back = (subjects.c.id * 13 + pair.c.k * 101) % 700
    if session.get_bind().dialect.name == "postgresql":
        decided: Any = literal(today, records.c.decision_date.type) - cast(back, Integer)
        until: Any = decided + 365
    else:  # SQLite keeps dates as ISO text
        decided = func.date(today.isoformat(), "-" + cast(back, String) + " days")
        until = func.date(decided, "+365 days")
    key = cast(subjects.c.id, String) + "-" + cast(pair.c.k, String)
    now = clock.now()
    values = {
        "item_code": literal("xzcf"),
        "natural_key": "growth-" + key,
        "version": literal(1),
        "is_current": true(),
        "subject_id": subjects.c.id,
        "region_code": literal("440106"),
        "department_id": literal(_PAYLOAD["department_id"]),
        "document_number": "穗罚〔增长〕" + key + "号",
        "decision_date": decided,
        "severity": literal("general"),
        "publish_from": decided,
        "publish_until": until,
        "status": literal("valid"),
        "in_objection": literal(False),
        "payload": literal(_PAYLOAD["payload"], records.c.payload.type),
        "content_hash": literal("0" * 64),
        "received_at": literal(now, records.c.received_at.type),
        "on_time": true(),
        "created_at": literal(now, records.c.created_at.type),
    }
    rows = (
        select(*(v.label(k) for k, v in values.items()))
        .select_from(subjects.join(pair, true()))
        .where(subjects.c.id.between(lo, hi), subjects.c.id % 2 == 0)
    )
    session.execute(insert(records).from_select(list(values), rows))


def remember_template(env: dict[str, str]) -> None:
    """The payload and department of a record the ingest stored: grown records copy them, so
    every archive page renders a real 行政处罚."""
    from sqlalchemy import select

    from xinyong.records.models import Record

    with _sessions(env)() as session:
        row = session.execute(
            select(Record.payload, Record.department_id).where(Record.item_code == "xzcf").limit(1)
        ).one()
    _PAYLOAD.update(payload=row[0], department_id=row[1])


# --- the measurements ------------------------------------------------------------------------


def p95(values: list[float]) -> float:
    return percentile(values, 0.95)


def measure_search(env: dict[str, str], picks: dict[str, list[Any]], direct: Direct) -> dict:
    from xinyong.auth.principal import PUBLIC
    from xinyong.publication.search import find_subjects

    out = {}
    with _sessions(env)() as session:
        for key in ("frag2", "frag3", "frag6", "codes"):
            queries = picks[key]
            service = timed([lambda q=q: find_subjects(session, PUBLIC, q) for q in queries])
            lookup = direct.code if key == "codes" else direct.contains
            base = timed([lambda q=q, find=lookup: find(q) for q in queries])
            out[f"search {key}"] = (p95(service), p95(base))
    return out


def post(url: str, key: str, body: bytes) -> None:
    request = urllib.request.Request(
        url, data=body, headers={"X-API-Key": key, "Content-Type": "application/json"}
    )
    with urllib.request.urlopen(request, timeout=30) as response:
        response.read()


def measure_server(
    env: dict[str, str], picks: dict[str, list[Any]], direct: Direct, rng: random.Random
) -> tuple[dict, float]:
    """Archive pages and single checks over HTTP, one request at a time, and the server's
    peak RSS (MiB, the largest of its processes)."""
    key = api_key(env)
    usccs = sample_usccs(env, CHECKS, rng)
    bodies = [f'{{"matter": "procurement", "subject": {{"uscc": "{c}"}}}}'.encode() for c in usccs]
    server, base = start_server(env, workers=2)
    try:
        ids = picks["archive_ids"]
        page = timed([lambda i=i: get(f"{base}/subjects/{i}") for i in ids])
        page_base = timed([lambda i=i: direct.archive(i) for i in ids])
        check = timed([lambda b=b: post(f"{base}/api/v1/checks", key, b) for b in bodies])
        check_base = timed([lambda c=c: direct_check(direct, [c]) for c in usccs])
        peak = server_peak_mib(server.pid)
    finally:
        server.terminate()
        server.wait(timeout=30)
    figures = {"archive page": (p95(page), p95(page_base)), "check": (p95(check), p95(check_base))}
    return figures, peak


def get(url: str) -> None:
    with urllib.request.urlopen(url, timeout=30) as response:
        response.read()


def server_peak_mib(pid: int) -> float:
    """The largest VmHWM (peak resident set) of the server and its worker processes."""
    return max(peak_rss_mib(pid).values(), default=0.0)


def measure_ingest(env: dict[str, str], seed: int, work: Path) -> dict[str, float]:
    """A new 100,000-row file of new counterparts (90% registered first, not timed): the
    ingest's rows/s, the raw bulk insert's rows/s and the ingest's peak RSS."""
    from xinyong import clock

    people = penalty_subjects(int(INGEST_ROWS * SUBJECT_SHARE), seed=seed)
    register_counterparts(_sessions(env), people)
    path = work / f"xzcf-{seed}.csv"
    facts = write_penalty_csv(path, INGEST_ROWS, subjects=people, seed=seed, today=clock.today())
    raw = raw_baseline(url_of(env), path)
    seconds, peak = run_ingest(path, env)
    path.unlink()
    return {"ingest": facts.rows / seconds, "raw": facts.rows / raw, "peak": peak}


def run_ingest(path: Path, env: dict[str, str]) -> tuple[float, float]:
    """Seconds and peak RSS (MiB) of one `xinyong ingest`, waited for by its own pid so the
    figure is this process's, not the largest child's so far."""
    command = [str(VENV_BIN / "xinyong"), "ingest", str(path), "--item", "xzcf"]
    command += ["--department", DEPARTMENT]
    with tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
        process.returncode = os.waitstatus_to_exitcode(status)
        if process.returncode:
            err.seek(0)
            raise SystemExit(f"ingest failed: {err.read().decode(errors='replace').strip()}")
    return seconds, usage.ru_maxrss / 1024


# --- the run -------------------------------------------------------------------------------


def line(label: str, value: float, base: float, unit: str = "ms") -> str:
    """A figure beside its baseline: ms (lower is better) or rows/s; ratio figure / baseline."""
    shown = f"{value:10,.2f} {unit:<6} baseline {base:10,.2f} {unit:<6}"
    return f"  {label:<22} {shown} ratio {value / base:6.2f}"


def bench(database: str, sizes: list[int], work: Path, pg_url: str) -> dict[int, dict]:
    from xinyong import clock

    env = fresh(database, work, pg_url)
    today = clock.today()
    print(f"== growth on {database}: sizes {', '.join(f'{s:,}' for s in sizes)} ==", flush=True)
    at_zero = measure_ingest(env, seed=100, work=work)
    print(
        f"  empty records table: ingest {at_zero['ingest']:,.0f} rows/s, raw bulk insert "
        f"{at_zero['raw']:,.0f} rows/s (ratio {at_zero['ingest'] / at_zero['raw']:.3f}), "
        f"ingest peak {at_zero['peak']:.0f} MiB",
        flush=True,
    )
    remember_template(env)
    results: dict[int, dict] = {0: {"ingest": (at_zero["ingest"], at_zero["raw"])}}
    for number, size in enumerate(sizes, start=1):
        grown = grow(env, size, today)
        subjects, records = counts(env)
        print(
            f"-- {size:,}: {subjects:,} subjects, {records:,} records "
            f"(grown in {grown:.0f} s, not timed) --",
            flush=True,
        )
        rng = random.Random(size)
        picks = sample(env, rng)
        direct = Direct(url_of(env), Path(env["XINYONG_DATA_DIR"]))
        figures = measure_search(env, picks, direct)
        served, server_peak = measure_server(env, picks, direct, rng)
        figures.update(served)
        direct.conn.close()
        ingest = measure_ingest(env, seed=100 + number, work=work)
        figures["ingest"] = (ingest["ingest"], ingest["raw"])
        for label, (value, base) in figures.items():
            unit = "rows/s" if label == "ingest" else "ms"
            print(line(label if unit == "rows/s" else f"{label} p95", value, base, unit))
        print(
            f"  peak RSS: server {server_peak:.0f} MiB (largest process), ingest "
            f"{ingest['peak']:.0f} MiB, this process "
            f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
            flush=True,
        )
        results[size] = figures
    summary(results)
    return results


def summary(results: dict[int, dict]) -> None:
    """Each figure's change between the two largest sizes, and the ingest's from 0."""
    sizes = sorted(s for s in results if s)
    if len(sizes) < 2:
        print("  (one size: no change to report; run two or more, e.g. --sizes 1000000,10000000)")
    else:
        small, large = sizes[-2], sizes[-1]
        print(f"  change from {small:,} to {large:,} (p95 large / small; target ≤ {TARGET_READS}):")
        for label, (value, base) in results[large].items():
            if label == "ingest":
                continue
            before, before_base = results[small][label]
            change, drift = value / before, base / before_base
            verdict = "ok" if change <= TARGET_READS else "OVER"
            print(f"    {label:<20} {change:5.2f}×  (direct {drift:5.2f}×)  {verdict}")
    largest = sizes[-1]
    rate, raw = results[largest]["ingest"]
    zero_rate, zero_raw = results[0]["ingest"]
    kept = rate / zero_rate
    verdict = "ok" if kept >= TARGET_INGEST else "OVER"
    print(
        f"  ingest rows/s at {largest:,} against an empty table: {kept:.2f} of it "
        f"(raw bulk insert {raw / zero_raw:.2f}; target ≥ {TARGET_INGEST}) {verdict}"
    )


def main(sizes: list[int], databases: list[str], pg_url: str = PG_URL) -> None:
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-growth-") as folder:
        for database in databases:
            chosen = [s for s in sizes if database == "postgresql" or s <= SQLITE_MAX]
            if chosen:
                bench(database, chosen, Path(folder), pg_url)
                print()


def parse_sizes(text: str) -> list[int]:
    return sorted({int(part.replace("_", "")) for part in text.split(",") if part.strip()})


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=parse_sizes, default=list(SIZES))
    parser.add_argument("--database", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--pg-url", default=PG_URL)
    args = parser.parse_args()
    chosen = ["sqlite", "postgresql"] if args.database == "both" else [args.database]
    main(args.sizes, chosen, args.pg_url)
