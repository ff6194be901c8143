"""Run every benchmark once and print its figures: `python benchmarks/run.py [--full]`.

Default sizes finish in a few minutes; --full uses the issues' sizes (1,000,000 subjects, a
1,000,000-row file)."""

from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

import bench_checks
import bench_codes
import bench_demo
import bench_ingest
import bench_portal


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--full", action="store_true", help="the issue's sizes")
    full = parser.parse_args().full
    bench_codes.main(200_000)
    print()
    bench_demo.main(1_000_000 if full else 100_000)
    print()
    bench_ingest.main(1_000_000 if full else 100_000, ["sqlite", "postgresql"], bench_ingest.PG_URL)
    print()
    subjects = 1_000_000 if full else 100_000
    work = Path(tempfile.gettempdir()) / f"xy-portal-{subjects}"
    for database in ("sqlite", "postgresql"):
        bench_portal.main(database, subjects, work / database, bench_portal.PG_URL, workers=2)
        print()
        bench_checks.main(database, subjects, work / database, bench_portal.PG_URL, workers=2)
        print()


if __name__ == "__main__":
    main()
