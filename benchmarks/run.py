"""Run every benchmark once and print its figures: `python benchmarks/run.py [--full | --growth]`.

Default sizes finish in a few minutes; --full uses the issues' sizes (1,000,000 subjects, a
1,000,000-row file); --growth runs only the growth curve (bench_growth.py: 100k, 1M and 10M on
PostgreSQL, up to 1M on SQLite; `--sizes` picks others) and takes hours at 10M."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_checks
import bench_codes
import bench_demo
import bench_evaluation
import bench_growth
import bench_ingest
import bench_portal
import bench_registry
import bench_reports


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    chosen = parser.add_mutually_exclusive_group()
    chosen.add_argument("--full", action="store_true", help="the issue's sizes")
    chosen.add_argument("--growth", action="store_true", help="the growth curve only")
    parser.add_argument(
        "--sizes",
        type=bench_growth.parse_sizes,
        default=list(bench_growth.SIZES),
        help="with --growth: the sizes, e.g. 100000,1000000",
    )
    args = parser.parse_args()
    if args.growth:
        bench_growth.main(args.sizes, ["sqlite", "postgresql"])
        return
    full = args.full
    bench_codes.main(200_000)
    print()
    bench_demo.main(1_000_000 if full else 100_000)
    print()
    bench_ingest.main(1_000_000 if full else 100_000, ["sqlite", "postgresql"], bench_ingest.PG_URL)
    print()
    registrations = 1_000_000 if full else 100_000
    bench_ingest.main_registry(registrations, ["sqlite", "postgresql"], bench_ingest.PG_URL)
    print()
    subjects = 1_000_000 if full else 100_000
    work = Path(tempfile.gettempdir()) / f"xy-portal-{subjects}"
    for database in ("sqlite", "postgresql"):
        bench_portal.main(database, subjects, work / database, bench_portal.PG_URL, workers=2)
        print()
        bench_checks.main(database, subjects, work / database, bench_portal.PG_URL, workers=2)
        print()
        bench_registry.main(database, subjects, work / database, bench_portal.PG_URL, workers=2)
        print()
        bench_evaluation.main(database, subjects, work / database, bench_portal.PG_URL, workers=2)
        print()
    bench_reports.main(runs=20, batch=1000, profile=False)
    print()


if __name__ == "__main__":
    main()
