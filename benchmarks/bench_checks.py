"""Joint reward/punishment checks on the demo data set, each beside the same lookup done directly
in the database in the same run:

- single checks over HTTP: wrk on loopback posting POST /api/v1/checks for random subjects
  (a tenth of them on some list), three rounds, the median reported; baseline: the identifier
  lookup and the list-record query through the bare driver, in a loop of one process;
- a batch of 100,000 subjects: POST /api/v1/checks/batch over HTTP (JSON, and NDJSON streamed),
  and `check_many` in process; baseline: the same identifier and list-record queries, 500
  subjects at a time;
- every HTTP figure also beside GET /api/v1/health on the same server under the same load (the
  ceiling of the stack), and the peak RSS of the server's processes.

    python benchmarks/bench_checks.py --database sqlite --data-dir /tmp/bench-1m
    python benchmarks/bench_checks.py --database postgresql --pg-url postgresql+psycopg://...
"""

from __future__ import annotations

import json
import os
import random
import re
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.bench_portal import Direct, _sessions, cli, ensure_data, start_server, wrk

BATCH = 100_000
LIST_ITEMS = ("yzsxmd", "sxbzxr", "nsxyA", "shtzxy")


def api_key(env: dict[str, str]) -> str:
    """A department and a fresh key for the benchmark (the department is made once)."""
    from xinyong.auth import service as auth
    from xinyong.db import transaction

    with transaction(_sessions(env)) as session:
        try:
            department = auth.get_department(session, "bench-checks")
        except Exception:
            department = auth.create_department(
                session, "bench-checks", "基准测试核查部门", "440100"
            )
        return auth.create_api_key(session, department, "bench")


def sample_usccs(env: dict[str, str], count: int, rng: random.Random) -> list[str]:
    """Random USCCs of the data set, a tenth of them of subjects on some list."""
    from sqlalchemy import select

    from xinyong.records.models import Record
    from xinyong.subjects.models import Subject

    with _sessions(env)() as session:
        listed = session.scalars(
            select(Subject.uscc)
            .join(Record, Record.subject_id == Subject.id)
            .where(Record.item_code.in_(LIST_ITEMS), Subject.uscc.is_not(None))
            .limit(count // 10)
        ).all()
        everyone = session.scalars(
            select(Subject.uscc).where(Subject.uscc.is_not(None)).limit(count * 3)
        ).all()
    picks = rng.sample(list(everyone), min(len(everyone), count - len(listed))) + list(listed)
    rng.shuffle(picks)
    return picks


def direct_check(direct: Direct, usccs: list[str]) -> int:
    """The check's two lookups through the bare driver, 500 subjects at a time."""
    hits = 0
    marks = ", ".join("?" * len(LIST_ITEMS))
    for start in range(0, len(usccs), 500):
        chunk = usccs[start : start + 500]
        holes = ", ".join("?" * len(chunk))
        ids = [
            row[0]
            for row in direct.rows(
                "SELECT subject_id FROM subject_identifiers "
                f"WHERE scheme = 'uscc' AND value IN ({holes})",
                *chunk,
            )
        ]
        if ids:
            holes = ", ".join("?" * len(ids))
            hits += len(
                direct.rows(
                    f"SELECT id, subject_id, item_code FROM records WHERE subject_id IN ({holes}) "
                    f"AND is_current AND item_code IN ({marks}) AND status = 'valid'",
                    *ids,
                    *LIST_ITEMS,
                )
            )
    return hits


def check_script(key: str, usccs: list[str]) -> str:
    """wrk's requests: POST /api/v1/checks for a random one of `usccs`."""
    return (
        "local codes = {" + ",".join(f'"{c}"' for c in usccs) + "}\n"
        'wrk.method = "POST"\n'
        f'wrk.headers["X-API-Key"] = "{key}"\n'
        'wrk.headers["Content-Type"] = "application/json"\n'
        "request = function()\n"
        '  local body = \'{"matter": "procurement", "subject": {"uscc": "\' '
        ".. codes[math.random(#codes)] .. '\"}}'\n"
        '  return wrk.format("POST", "/api/v1/checks", nil, body)\n'
        "end\n"
    )


HEALTH_SCRIPT = 'request = function()\n  return wrk.format("GET", "/api/v1/health")\nend\n'


def post(url: str, key: str, body: Any, accept: str = "application/json") -> tuple[str, bytes]:
    """The answer's content type and body, read to the end."""
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"X-API-Key": key, "Content-Type": "application/json", "Accept": accept},
    )
    with urllib.request.urlopen(request, timeout=300) as response:
        return response.headers.get("Content-Type", ""), response.read()


def median_load(base: str, lua: str) -> tuple[dict[str, float], str]:
    """Three 10 s rounds, the median and every round's rate: one round on this shared machine
    can be off by half."""
    rounds = sorted((wrk(base, lua, 10, threads=2) for _ in range(3)), key=lambda r: r["rate"])
    each = ", ".join(f"{r['rate']:.0f}" for r in rounds)
    return rounds[1] | {"errors": sum(r["errors"] for r in rounds)}, each


def peak_rss_mib(pid: int) -> dict[int, float]:
    """VmHWM (peak resident set) of `pid` and its descendants, in MiB."""
    children: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        children.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    peaks, todo = {}, [pid]
    while todo:
        current = todo.pop()
        todo.extend(children.get(current, []))
        try:
            status = Path(f"/proc/{current}/status").read_text()
        except OSError:
            continue
        found = re.search(r"VmHWM:\s+(\d+) kB", status)
        if found:
            peaks[current] = int(found[1]) / 1024
    return peaks


def main(database: str, subjects: int, data_dir: Path, pg_url: str, workers: int) -> None:
    env = dict(os.environ, XINYONG_DATA_DIR=str(data_dir))
    env.pop("XINYONG_DATABASE_URL", None)
    if database == "postgresql":
        env["XINYONG_DATABASE_URL"] = pg_url
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_data(env, subjects)
    url = env.get("XINYONG_DATABASE_URL") or f"sqlite:///{data_dir / 'xinyong.db'}"
    rng = random.Random(11)
    key = api_key(env)
    usccs = sample_usccs(env, BATCH, rng)
    direct = Direct(url, data_dir)
    print(f"== checks on {database}, {subjects:,} subjects ==")

    direct_check(direct, usccs)  # once to warm the caches, as the service runs after it
    start = time.perf_counter()
    direct_hits = direct_check(direct, usccs)
    direct_seconds = time.perf_counter() - start

    from xinyong.auth.principal import Principal
    from xinyong.db import committing
    from xinyong.measures.identify import SubjectKey
    from xinyong.measures.service import check_many
    from xinyong.policy.enums import Role

    viewer = Principal(Role.SERVICE_WINDOW, None, "440100", "user:bench")
    with _sessions(env)() as session:
        start = time.perf_counter()
        with committing(session):
            answers = check_many(
                session, viewer, [SubjectKey(uscc=c) for c in usccs], "procurement"
            )
        service_seconds = time.perf_counter() - start
    hits = sum(1 for a in answers if a.lists)
    print(
        f"batch of {len(usccs):,} in process: {service_seconds:.2f} s ({hits:,} on a list); "
        f"direct queries {direct_seconds:.2f} s ({direct_hits:,} list records); "
        f"ratio {service_seconds / direct_seconds:.1f}×"
    )
    server, base = start_server(env, workers)
    try:
        health, health_rounds = median_load(base, HEALTH_SCRIPT)
        print(
            f"health over HTTP ({workers} workers, wrk -t2 -c16, median of 3): "
            f"{health['rate']:.0f}/s (rounds {health_rounds}), p99 {health['p99_ms']:.1f} ms"
        )
        batch = {"matter": "procurement", "subjects": [{"uscc": c} for c in usccs]}
        for accept in ("application/json", "application/x-ndjson"):
            start = time.perf_counter()
            kind, raw = post(base + "/api/v1/checks/batch", key, batch, accept)
            http_seconds = time.perf_counter() - start
            if kind.startswith("application/x-ndjson"):
                lines = raw.splitlines()
                summary = json.loads(lines[0])  # the first line sums up the batch
                checks, with_measures = len(lines) - 1, summary["hits"]
            else:
                body = json.loads(raw)
                checks, with_measures = body["checks"], body["hits"]
            print(
                f"batch of {checks:,} over HTTP as {kind.split(';')[0]}: {http_seconds:.2f} s "
                f"(target ≤ 5 s), {len(raw) / 2**20:.0f} MiB, {with_measures:,} with measures; "
                f"ratio to direct {http_seconds / direct_seconds:.1f}×"
            )
        singles = usccs[:5000]
        done, start = 0, time.perf_counter()
        while time.perf_counter() - start < 5:
            direct_check(direct, [singles[done % len(singles)]])
            done += 1
        raw_rate = done / (time.perf_counter() - start)
        single, rounds = median_load(base, check_script(key, singles))
        print(
            f"single checks over HTTP ({workers} workers, wrk -t2 -c16, median of 3): "
            f"{single['rate']:.0f}/s (rounds {rounds}), p99 {single['p99_ms']:.1f} ms, "
            f"{single['errors']:.0f} errors (target ≥ 1,000/s, p99 ≤ 20 ms); "
            f"health {health['rate']:.0f}/s (ratio {single['rate'] / health['rate']:.2f}); "
            f"the same lookups directly in one process {raw_rate:.0f}/s "
            f"(ratio {single['rate'] / raw_rate:.2f})"
        )
        peaks = peak_rss_mib(server.pid)
        shown = ", ".join(f"{pid}: {mib:.0f}" for pid, mib in sorted(peaks.items()))
        print(f"peak RSS of the server's processes (MiB): {shown}")
    finally:
        server.terminate()
        server.wait(timeout=30)


if __name__ == "__main__":
    cli(main, __doc__)
