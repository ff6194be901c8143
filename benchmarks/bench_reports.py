"""Credit reports (issue 17: a short and a ten-page report each ≤ 1 s p95 in a warm process;
1,000 reports in a batch, throughput and PDF size), each beside a baseline measured in the same
run: WeasyPrint rendering a bare one-page HTML of the same fonts (a title, a table, a page of
Chinese text), the floor any report stands on. A report is issued as the API issues it:
permissions, the publication view, the render, SHA-256, the row and the file stored.

The short report is the public 信用报告 of a company with one penalty (a cover page and one
page); the ten-page one a company with 36 penalties, as staff see them (every field).

    python benchmarks/bench_reports.py [--runs 20] [--batch 1000] [--profile]
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import re
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FOLDER = Path(tempfile.mkdtemp(prefix="xy-reports-"))  # this run's database and audit key
NOW = datetime(2026, 12, 4, 2, 0, tzinfo=UTC)
TEN_PAGE_PENALTIES = int(os.environ.get("XY_TEN_PAGE_PENALTIES", "36"))

BARE = (
    """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
@page { size: A4; margin: 30mm 26mm 28mm 28mm; }
html { font-family: "Noto Sans CJK SC", sans-serif; font-size: 11.5pt; line-height: 1.75; }
h1 { text-align: center; } table { border-collapse: collapse; width: 100%; }
td, th { border: 0.6pt solid #000; padding: 1.5mm 2.5mm; }
</style></head><body><h1>信用报告</h1><table>
<tr><th>报告主体</th><td>广州市基准科技有限公司</td></tr>
<tr><th>统一社会信用代码</th><td>91440106MA5CXQ2B0G</td></tr></table>
<p>"""
    + "本报告信息来源于本市公共信用信息平台归集的公共信用信息。" * 30
    + "</p></body></html>"
)


# Ten pages of the same: the floor of any ten-page document in WeasyPrint here.
PAGE_OF_TEXT = "<p>" + "本报告信息来源于本市公共信用信息平台。" * 40 + "</p>"
BARE_TEN = BARE.replace("<body>", "<body>" + PAGE_OF_TEXT * 13)


def _pages(pdf: bytes) -> int:
    path = FOLDER / "count.pdf"
    path.write_bytes(pdf)
    out = subprocess.run(["pdfinfo", str(path)], capture_output=True, text=True).stdout
    found = re.search(r"Pages:\s+(\d+)", out)
    return int(found[1]) if found else -1


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) >= 2 else values[0]


def _populate(sessions, companies: int):  # type: ignore[no-untyped-def]
    """`companies` companies with one penalty each, and one with TEN_PAGE_PENALTIES; their ids."""
    from tests.factories import AUTHORITY_USCC, penalty, store
    from xinyong import clock, codes
    from xinyong.auth import service as auth
    from xinyong.db import committing, transaction
    from xinyong.policy.enums import SubjectType
    from xinyong.subjects.service import SubjectIn, register

    with clock.frozen_at(datetime(2026, 11, 1, 2, tzinfo=UTC)):
        with transaction(sessions) as session:
            department = auth.create_department(
                session, "bench-scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
            )
            made = []
            for n in range(companies + 1):
                uscc = codes.make_uscc("91440106" + codes.make_org_code(f"MA{n:06d}"))
                subject = register(
                    session,
                    SubjectIn(SubjectType.ENTERPRISE, f"广州市基准{n}科技有限公司", uscc=uscc),
                )
                subject.verified = True
                made.append((subject.id, subject.name, uscc))
        with sessions() as session:
            for n, (subject_id, name, uscc) in enumerate(made):
                count = TEN_PAGE_PENALTIES if n == 0 else 1
                for k in range(count):
                    row = penalty(
                        n * 100 + k, date(2026, 1 + k % 10, 1 + k % 27),
                        cf_xdr_mc=name, cf_xdr_shxym=uscc,
                    )  # fmt: skip
                    store(session, subject_id, row, department=department)
            with committing(session):
                pass
    return [m[0] for m in made]


def _issue(sessions, who, subject_id: int, kind: str | None = None) -> tuple[float, bytes]:  # type: ignore[no-untyped-def]
    from xinyong.db import transaction
    from xinyong.reports import service

    started = time.perf_counter()
    with transaction(sessions) as session:
        made = service.issue(session, who, service.ReportRequest(subject_id, kind))
        pdf = service.download(session, who, made.id).content
    return time.perf_counter() - started, pdf


def main(runs: int, batch: int, profile: bool) -> None:
    from xinyong import clock
    from xinyong.auth.principal import PUBLIC, Principal
    from xinyong.auth.service import load_regions
    from xinyong.config import get_settings, use_settings
    from xinyong.db import make_engine, migrate, session_factory, transaction
    from xinyong.documents.pdf import FONT_TIMESTAMP
    from xinyong.policy.enums import Role

    use_settings(get_settings().model_copy(update={"data_dir": FOLDER, "secret_key": None}))
    engine = make_engine(f"sqlite:///{FOLDER / 'bench.db'}")
    migrate(engine)
    get_settings().ensure_secret_file()
    sessions = session_factory(engine)
    with transaction(sessions) as session:
        load_regions(session)
    started = time.perf_counter()
    subjects = _populate(sessions, batch)
    print(f"信用报告基准：{batch:,} 家企业（SQLite），建数 {time.perf_counter() - started:.1f} s")
    staff = Principal(Role.CREDIT_OFFICE, None, "440100", "user:1")
    os.environ.setdefault("SOURCE_DATE_EPOCH", FONT_TIMESTAMP)
    import weasyprint

    def bare(html: str = BARE) -> tuple[float, bytes]:
        begun = time.perf_counter()
        out = weasyprint.HTML(string=html).write_pdf()
        return time.perf_counter() - begun, bytes(out)

    with clock.frozen_at(NOW):
        for _ in range(3):  # warm: fonts loaded, templates compiled, caches filled
            bare()
            _issue(sessions, staff, subjects[0])
            _issue(sessions, staff, subjects[1], "special")
        base = [bare() for _ in range(runs)]
        bare_ten = [bare(BARE_TEN) for _ in range(runs)]
        short = [_issue(sessions, staff, subjects[1 + n % batch], "special") for n in range(runs)]
        ten = [_issue(sessions, staff, subjects[0]) for _ in range(runs)]
        floor = _p95([t for t, _ in base])
        size, pages = len(base[0][1]) / 1024, _pages(base[0][1])
        print(f"  基准：WeasyPrint 裸一页中文 HTML  p95 {floor:5.2f} s  {size:6.0f} KB  {pages} 页")
        ten_floor = _p95([t for t, _ in bare_ten])
        size, pages = len(bare_ten[0][1]) / 1024, _pages(bare_ten[0][1])
        shown = f"p95 {ten_floor:5.2f} s  {size:6.0f} KB  {pages} 页"
        print(f"  参照：WeasyPrint 裸十页中文 HTML  {shown}")
        for label, measured in (
            ("短报告（专项，无违法违规记录）", short),
            (f"十页报告（{TEN_PAGE_PENALTIES} 条处罚）", ten),
        ):
            p95 = _p95([t for t, _ in measured])
            pdf = measured[0][1]
            middle = statistics.median(t for t, _ in measured)
            print(
                f"  {label}  p95 {p95:5.2f} s  中位 {middle:5.2f} s"
                f"  {len(pdf) / 1024:6.0f} KB  {_pages(pdf)} 页  比值 {p95 / floor:.1f}"
            )
        if profile:
            profiler = cProfile.Profile()
            profiler.enable()
            _issue(sessions, staff, subjects[0])
            profiler.disable()
            pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
        started = time.perf_counter()
        sizes = []
        for subject_id in subjects[1 : batch + 1]:
            _t, pdf = _issue(sessions, PUBLIC, subject_id)
            sizes.append(len(pdf))
        seconds = time.perf_counter() - started
    print(
        f"  批量 {batch:,} 份公开信用报告  {seconds:6.1f} s  {batch / seconds:5.2f} 份/s"
        f"  平均 {statistics.mean(sizes) / 1024:.0f} KB/份"
        f"（基准折算 {1 / floor:5.2f} 份/s，比值 {(seconds / batch) / floor:.1f}）"
    )
    engine.dispose()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--batch", type=int, default=1000)
    parser.add_argument("--profile", action="store_true", help="profile one ten-page report")
    args = parser.parse_args()
    main(args.runs, args.batch, args.profile)
