"""The registry and the website of issue 15 on the demo data set, each figure beside the same
work done directly in the database:

- search with filters: `find_subjects` for 3-character fragments with a type filter (法人) and
  a district filter; baseline: the fragment's index query alone through the bare driver;
- archive tab: GET /subjects/{id}?tab=xzcf on a running server, one request at a time;
  baseline: the subject row and its current penalties through the bare driver;
- merge: two new subjects with 1,000 records each merged (`subjects.merging.merge`) and the
  merge reversed; baseline: one bare UPDATE moving the same 1,000 records.

    python benchmarks/bench_registry.py --database sqlite --subjects 100000
"""

from __future__ import annotations

import os
import random
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench_portal import (
    SAMPLES,
    Direct,
    _sessions,
    cli,
    ensure_data,
    get,
    report,
    sample,
    start_server,
    timed,
)

MERGED_RECORDS = 1000


def _penalties(subject_code: str, start: int, count: int) -> list[dict[str, str]]:
    from xinyong import codes

    authority = codes.make_uscc("11440100" + codes.make_org_code("00750012"))
    return [
        {
            "cf_xdr_mc": "广州市合并测试有限公司",
            "cf_xdr_lb": "法人及非法人组织",
            "cf_xdr_shxym": subject_code,
            "cf_frdb": "李四",
            "cf_wsh": f"穗市监罚〔2025〕{n}号",
            "cf_wfxw": "未按规定公示年度报告",
            "cf_sy": "经查，当事人未按规定公示年度报告。",
            "cf_yj": "《企业信息公示暂行条例》第十八条",
            "cf_cflb": "罚款",
            "cf_nr": "罚款人民币壹万元",
            "cf_nr_fk": "1",
            "cf_jdrq": date(2025, 6, 1).isoformat(),
            "cf_yxq": date(2026, 6, 1).isoformat(),
            "cf_cfjg": "广州市市场监督管理局",
            "cf_cfjgdm": authority,
            "cf_sjly": "广州市市场监督管理局",
            "cf_sjlydm": authority,
        }
        for n in range(start, start + count)
    ]


def _twins(session, salt: int) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """Two new subjects with MERGED_RECORDS penalties each."""
    from xinyong import clock, codes
    from xinyong.catalog import get_item, validate_payload
    from xinyong.db import committing
    from xinyong.policy.enums import SubjectType
    from xinyong.records import service as records
    from xinyong.records.service import RecordDraft
    from xinyong.subjects.service import SubjectIn, register_many

    item = get_item("xzcf")
    made = []
    with committing(session):
        for n in range(2):
            uscc = codes.make_uscc("91440106" + codes.make_org_code(f"MB{salt:04d}{n:02d}"))
            (subject_id,) = register_many(
                session, [SubjectIn(SubjectType.ENTERPRISE, f"广州市合并测试{salt}{n}公司", uscc)]
            )
            drafts = []
            start = 1_000_000 * (n + 1) + salt * 10_000
            for row in _penalties(uscc, start, MERGED_RECORDS):
                checked = validate_payload(item, row, received_on=clock.today())
                assert checked.ok, checked.issues
                drafts.append(RecordDraft(subject_id, checked.values, region_code="440106"))
            records.store_many(session, item, drafts)
            made.append(subject_id)
    return made[0], made[1]


def merge_figures(env: dict[str, str], direct: Direct, rounds: int = 5) -> None:
    from xinyong.auth.principal import Principal
    from xinyong.db import committing
    from xinyong.policy.enums import Role
    from xinyong.subjects import merging

    admin = Principal(Role.PLATFORM_ADMIN, None, "440100", "user:bench")
    merged_ms, reversed_ms, base_ms = [], [], []
    with _sessions(env)() as session:
        for salt in range(rounds):
            kept, twin = _twins(session, random.randrange(1000, 9999) + salt)
            start = time.perf_counter()
            with committing(session):
                done = merging.merge(session, admin, kept, twin, "基准测试")
            merged_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            with committing(session):
                merging.reverse(session, admin, done.merge_id, "基准测试")
            reversed_ms.append((time.perf_counter() - start) * 1000)
            start = time.perf_counter()
            direct.move(twin, kept)
            base_ms.append((time.perf_counter() - start) * 1000)
    report(f"merge {MERGED_RECORDS:,}+{MERGED_RECORDS:,} records", merged_ms, base_ms)
    report("reverse that merge", reversed_ms, base_ms)


def main(database: str, subjects: int, data_dir: Path, pg_url: str, workers: int) -> None:
    env = dict(os.environ, XINYONG_DATA_DIR=str(data_dir))
    env.pop("XINYONG_DATABASE_URL", None)
    if database == "postgresql":
        env["XINYONG_DATABASE_URL"] = pg_url
    data_dir.mkdir(parents=True, exist_ok=True)
    ensure_data(env, subjects)
    url = env.get("XINYONG_DATABASE_URL") or f"sqlite:///{data_dir / 'xinyong.db'}"
    picks = sample(env, random.Random(15))
    direct = Direct(url, data_dir)
    print(f"== registry and website on {database}, {subjects:,} subjects, {SAMPLES} per kind ==")

    from xinyong.auth.principal import PUBLIC
    from xinyong.policy.enums import SubjectType
    from xinyong.publication.search import district, districts, find_subjects
    from xinyong.subjects.search import SearchFilter

    names = [d.name for d in districts()]
    with _sessions(env)() as session:
        queries = picks["frag3"]
        filters = [
            SearchFilter(frozenset([SubjectType.ENTERPRISE]), district(names[i % len(names)]).code)
            for i in range(len(queries))
        ]
        service = timed(
            [
                lambda q=q, f=f: find_subjects(session, PUBLIC, q, filters=f)
                for q, f in zip(queries, filters, strict=True)
            ]
        )
        base = timed([lambda q=q: direct.contains(q) for q in queries])
        report("search, type + district", service, base)

    server, base_url = start_server(env, workers)
    try:
        ids = picks["archive_ids"]
        tab = timed([lambda i=i: get(f"{base_url}/subjects/{i}?tab=xzcf") for i in ids])
        base = timed([lambda i=i: direct.archive(i) for i in ids])
        report("archive tab 行政处罚 (HTTP)", tab, base)
    finally:
        server.terminate()
        server.wait(timeout=30)
    merge_figures(env, direct)


if __name__ == "__main__":
    cli(main, __doc__)
