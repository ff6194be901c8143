"""`xinyong demo --subjects N` on a fresh SQLite: wall time and peak memory, beside a baseline.

The baseline, measured in the same run, is a raw sqlite3 `executemany` of as many rows as the demo
wrote (same tables, no validation, no indexes beyond the primary key), so the ratio says what the
platform's services cost over bare inserts on this machine.

    python benchmarks/bench_demo.py --subjects 1000000
"""

from __future__ import annotations

import argparse
import os
import resource
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

VENV_BIN = Path(sys.executable).parent


def run_demo(subjects: int, workdir: Path) -> dict[str, float]:
    env = dict(os.environ, XINYONG_DATA_DIR=str(workdir / "data"))
    env.pop("XINYONG_DATABASE_URL", None)
    xinyong = str(VENV_BIN / "xinyong")
    subprocess.run([xinyong, "init"], env=env, check=True, capture_output=True)
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    subprocess.run(
        [xinyong, "demo", "--subjects", str(subjects)],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    seconds = time.perf_counter() - start
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    db = sqlite3.connect(workdir / "data" / "xinyong.db")
    rows = {t: db.execute(f"SELECT count(*) FROM {t}").fetchone()[0] for t in TABLES}
    db.close()
    return {
        "seconds": seconds,
        "peak_mib": max(peak_kib, before) / 1024,
        "rows": float(sum(rows.values())),
        **{f"rows_{t}": float(n) for t, n in rows.items()},
    }


TABLES = ("subjects", "subject_identifiers", "subject_names", "records")


def raw_baseline(rows: int, workdir: Path) -> float:
    """Seconds to executemany `rows` rows of record-like width into a bare SQLite table."""
    db = sqlite3.connect(workdir / "baseline.db")
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    db.execute(
        "CREATE TABLE t (id INTEGER PRIMARY KEY, a TEXT, b TEXT, c TEXT, d INTEGER, e TEXT, f TEXT)"
    )
    payload = '{"cf_wsh": "穗市监罚〔2024〕123号", "cf_nr": "罚款人民币伍仟元整"}'
    start = time.perf_counter()
    batch = 50_000
    for offset in range(0, rows, batch):
        db.executemany(
            "INSERT INTO t (a, b, c, d, e, f) VALUES (?, ?, ?, ?, ?, ?)",
            (
                ("xzcf", f"key-{i}", "2024-05-01", i, payload, "2024-05-02T00:00:00")
                for i in range(offset, min(rows, offset + batch))
            ),
        )
        db.commit()
    seconds = time.perf_counter() - start
    db.close()
    return seconds


def main(subjects: int = 100_000) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="xinyong-bench-") as tmp:
        workdir = Path(tmp)
        demo = run_demo(subjects, workdir)
        baseline = raw_baseline(int(demo["rows"]), workdir)
    figures = {
        "subjects": float(subjects),
        **demo,
        "baseline_seconds": baseline,
        "ratio_to_raw_insert": demo["seconds"] / baseline,
        "rows_per_second": demo["rows"] / demo["seconds"],
    }
    print(f"demo --subjects {subjects:,}")
    print(f"  wall time          {demo['seconds']:10.1f} s")
    print(f"  peak memory        {demo['peak_mib']:10.0f} MiB")
    for table in TABLES:
        print(f"  rows {table:<20} {int(demo['rows_' + table]):>12,}")
    print(f"  rows written/s     {figures['rows_per_second']:10,.0f}")
    print(f"  raw executemany    {baseline:10.1f} s for the same row count (baseline)")
    print(f"  demo / baseline    {figures['ratio_to_raw_insert']:10.1f} ×")
    return figures


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=100_000)
    main(parser.parse_args().subjects)
