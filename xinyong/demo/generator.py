"""`xinyong demo`: a reproducible city of subjects and records, written through the services."""

from __future__ import annotations

import random
from collections import defaultdict
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from xinyong import clock, codes
from xinyong.auth import service as auth
from xinyong.catalog import get_item, validate_payload
from xinyong.config import get_settings
from xinyong.db import committing, prepare_bulk_work, refresh_statistics, table_of
from xinyong.demo import sectors
from xinyong.demo.accounts import DEMO_PASSWORD, create_accounts
from xinyong.demo.identities import USCC_PREFIX, IdentityFactory
from xinyong.demo.payloads import Authority, PayloadFactory, SubjectFacts
from xinyong.overview import forget_counts
from xinyong.policy.enums import SubjectType
from xinyong.records.models import Record
from xinyong.records.service import RecordDraft, store_many
from xinyong.subjects.models import Subject, SubjectIdentifier, SubjectName
from xinyong.subjects.profiles import Registered
from xinyong.subjects.profiles import apply as apply_registrations
from xinyong.subjects.service import SubjectIn, register_many
from xinyong.subjects.status import ENDED

CHUNK = 20_000  # subjects per transaction: bounded memory at any size

SUBJECT_MIX = (  # share of each subject type among a city's subjects
    (SubjectType.ENTERPRISE, 52),
    (SubjectType.INDIVIDUAL_BUSINESS, 28),
    (SubjectType.NATURAL_PERSON, 15),
    (SubjectType.PUBLIC_INSTITUTION, 2),
    (SubjectType.SOCIAL_ORGANIZATION, 2),
    (SubjectType.GOVERNMENT_AGENCY, 1),
)
# Expected records per subject by item; most subjects end up with none.
RECORD_RATES = {
    SubjectType.ENTERPRISE: {
        "xzxk": 0.45,
        "xzcf": 0.10,
        "xzjc": 0.25,
        "nsxyA": 0.06,
        "xycn": 0.08,
        "wfcn": 0.004,
        "xzqz": 0.01,
        "xzzs": 0.02,
        "xzjl": 0.01,
        "xzqr": 0.02,
        "sxbzxr": 0.006,
        "yzsxmd": 0.003,
        "shtzxy": 0.01,
        "xzgf": 0.005,
        "xzcj": 0.004,
        "xzbc": 0.004,
    },
    SubjectType.INDIVIDUAL_BUSINESS: {
        "xzxk": 0.30,
        "xzcf": 0.07,
        "xzjc": 0.15,
        "xycn": 0.03,
        "wfcn": 0.002,
        "sxbzxr": 0.004,
        "yzsxmd": 0.002,
        "xzqz": 0.005,
    },
    SubjectType.PUBLIC_INSTITUTION: {"xzxk": 0.3, "xzjc": 0.1, "xzcf": 0.02, "xzjl": 0.03},
    SubjectType.SOCIAL_ORGANIZATION: {"xzxk": 0.1, "xzjc": 0.1, "xzcf": 0.02, "xzjl": 0.02},
    SubjectType.GOVERNMENT_AGENCY: {"xzjl": 0.02},
    SubjectType.NATURAL_PERSON: {
        "xzxk": 0.08,
        "xzcf": 0.03,
        "xzgf": 0.06,
        "xzqr": 0.04,
        "sxbzxr": 0.01,
        "yzsxmd": 0.002,
        "xzjl": 0.01,
        "xzbc": 0.005,
        "xycn": 0.02,
    },
}
RECORD_YEARS = 3  # records are decisions of the last three years
REPEAT_OFFENDER_SHARE = 0.01  # a few subjects collect many penalties and court records
# The registration source of each kind of organisation: one record each, by the department
# that keeps that register.
REGISTERED_BY = {
    SubjectType.ENTERPRISE: "scztdj",
    SubjectType.INDIVIDUAL_BUSINESS: "scztdj",
    SubjectType.SOCIAL_ORGANIZATION: "shzzdj",
    SubjectType.PUBLIC_INSTITUTION: "sydwdj",
    SubjectType.GOVERNMENT_AGENCY: "jgdj",
}
ONCE_ONLY = {"nsxyA", "shtzxy"}  # yearly lists: the demo gives at most one entry
DEPARTMENTS = (  # (code suffix, name after the city, decision-number prefix, items provided)
    (
        "scjgj",
        "市场监督管理局",
        "市监",
        ("xzcf", "xzxk", "xzjc", "xzqz", "xzjl", "shtzxy", "yzsxmd", "scztdj"),
    ),
    ("sw", "税务局", "税", ("nsxyA", "xzzs", "xzcf", "yzsxmd")),
    ("sthjj", "生态环境局", "环", ("xzcf", "xzxk", "xzjc")),
    ("zjj", "住房和城乡建设局", "建", ("xzxk", "xzcf", "xzzs")),
    ("jtj", "交通运输局", "交", ("xzxk", "xzcf")),
    ("wjw", "卫生健康委员会", "卫健", ("xzxk", "xzcf", "xzjc")),
    ("yjj", "应急管理局", "应急", ("xzcf", "xzjc", "xzqz")),
    ("rsj", "人力资源和社会保障局", "人社", ("xzgf", "xzqr", "xzjl")),
    ("cgj", "城市管理和综合执法局", "城管", ("xzcf", "xzqz")),
    ("mzj", "民政局", "民", ("xzgf", "xzqr", "shzzdj")),
    ("bb", "机构编制委员会办公室", "编", ("sydwdj", "jgdj")),
    ("ghzyj", "规划和自然资源局", "规划资源", ("xzcj", "xzbc", "xzzs", "xzxk")),
    ("zjfy", "中级人民法院", "法", ("sxbzxr",)),
    ("fgw", "发展和改革委员会", "发改", ("xycn", "wfcn")),
)
CITY_ABBREVIATIONS = {"440100": "穗", "440300": "深", "442000": "中山", "441700": "江门"}


@dataclass(frozen=True)
class DemoDepartment:
    id: int
    authority: Authority
    region_code: str


class Overseers:
    """The departments that may decide each item about the subjects of a sector, in memory."""

    def __init__(self, departments: list[tuple[DemoDepartment, tuple[str, ...]]]) -> None:
        self.by_item: dict[str, list[DemoDepartment]] = defaultdict(list)
        for dept, items in departments:
            for item_code in items:
                self.by_item[item_code].append(dept)
        self._found: dict[tuple[sectors.Sector, str], list[DemoDepartment]] = {}

    def of(self, sector: sectors.Sector, item_code: str) -> list[DemoDepartment]:
        """The sector's departments providing the item. A worded item (penalty, licence,
        inspection) only by those with wording for it — none at all means no such record;
        any other item falls back to every provider (a court's 失信被执行人, 税务's 纳税信用)."""
        key = (sector, item_code)
        if key not in self._found:
            providers = self.by_item[item_code]
            if item_code in sectors.WORDED_ITEMS:
                found = [d for d in providers if self._wording(sector, d, item_code)]
            else:
                ours = [d for d in providers if d.authority.department in sector.oversight]
                found = ours or providers
            self._found[key] = found
        return self._found[key]

    @staticmethod
    def _wording(sector: sectors.Sector, dept: DemoDepartment, item_code: str) -> bool:
        oversight = sector.oversight.get(dept.authority.department or "")
        return bool(oversight and oversight.wording(item_code))


def generate(sessions: sessionmaker[Session], subjects: int, seed: int, console: Console) -> str:
    """Fill an empty database; refuses to add a second demo on top of existing subjects."""
    with sessions() as session:
        if session.scalar(select(func.count()).select_from(Subject)):
            return "数据库中已有主体，未生成演示数据"
    settings = get_settings()
    city = codes.region(settings.city_code)
    if city is None or city.level != "city":
        raise ValueError(f"XINYONG_CITY_CODE 不是地级市代码：{settings.city_code}")
    rng = random.Random(seed)
    today = clock.today()
    with sessions() as session, committing(session):
        departments = _departments(session, rng, city)
        accounts = create_accounts(session, city)
    overseers = Overseers(departments)
    identities = IdentityFactory(rng, city, codes.children(city.code) or [city])
    payloads = PayloadFactory(rng, today)
    totals: dict[str, int] = defaultdict(int)
    with _progress(console) as progress:
        task = progress.add_task("生成演示数据", total=subjects)
        for start in range(0, subjects, CHUNK):
            size = min(CHUNK, subjects - start)
            with sessions() as session, committing(session):
                prepare_bulk_work(session)  # PostgreSQL: no stale generic plan as tables grow
                _one_chunk(session, size, identities, payloads, overseers, rng, today, totals)
            progress.advance(task, size)
    with sessions() as session, committing(session):  # a searchable demo from the first query
        tables = (Subject, SubjectIdentifier, SubjectName, Record)
        refresh_statistics(session, *(table_of(t) for t in tables))
    forget_counts()
    lines = [f"已生成演示数据：主体 {subjects:,} 个，信用记录 {sum(totals.values()):,} 条"]
    lines += [f"  {get_item(code).name}：{n:,}" for code, n in sorted(totals.items())]
    lines.append(f"工作台账号（密码均为 {DEMO_PASSWORD}，仅用于演示数据）：{'、'.join(accounts)}")
    return "\n".join(lines)


def _progress(console: Console) -> Progress:
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    )


def _departments(
    session: Session, rng: random.Random, city: codes.Region
) -> list[tuple[DemoDepartment, tuple[str, ...]]]:
    abbreviation = CITY_ABBREVIATIONS.get(city.code, city.name[0])
    made: list[tuple[DemoDepartment, tuple[str, ...]]] = []
    for suffix, name, short, items in DEPARTMENTS:
        body = "".join(rng.choices("0123456789", k=8))
        uscc = codes.make_uscc(
            USCC_PREFIX[SubjectType.GOVERNMENT_AGENCY] + city.code + codes.make_org_code(body)
        )
        dept = auth.create_department(
            session, f"{city.code}-{suffix}", city.name + name, city.code, uscc
        )
        authority = Authority(dept.name, abbreviation + short, uscc, suffix)
        made.append((DemoDepartment(dept.id, authority, city.code), items))
    return made


@dataclass(frozen=True)
class DemoSubject:
    data: SubjectIn
    sector: sectors.Sector
    representative: str | None  # 法定代表人 of an organisation


def _subject_in(identities: IdentityFactory, kind: SubjectType, today: date) -> DemoSubject:
    district = identities.district()
    if kind is SubjectType.NATURAL_PERSON:
        name = identities.person_name()
        data = SubjectIn(kind, name, id_number=identities.id_number(district, today))
        return DemoSubject(data, sectors.PERSONS, None)
    uscc = identities.uscc(kind, district)
    reg_no = None
    if (
        kind in (SubjectType.ENTERPRISE, SubjectType.INDIVIDUAL_BUSINESS)
        and identities.rng.random() < 0.3
    ):
        reg_no = identities.reg_no(district)  # registered before 2015: keeps its old number
    name, sector = identities.organisation_name(kind, district)
    data = SubjectIn(kind, name, uscc=uscc, org_code=uscc[8:17] if reg_no else None, reg_no=reg_no)
    return DemoSubject(data, sector, identities.person_name())


def _one_chunk(
    session: Session,
    size: int,
    identities: IdentityFactory,
    payloads: PayloadFactory,
    overseers: Overseers,
    rng: random.Random,
    today: date,
    totals: dict[str, int],
) -> None:
    kinds = rng.choices([k for k, _ in SUBJECT_MIX], [w for _, w in SUBJECT_MIX], k=size)
    drafts = [_subject_in(identities, kind, today) for kind in kinds]
    ids = register_many(session, [d.data for d in drafts], source="演示数据")
    pending: dict[str, list[RecordDraft]] = defaultdict(list)
    for subject_id, subject in zip(ids, drafts, strict=True):
        data = subject.data
        facts = SubjectFacts(
            data.subject_type,
            codes.clean_name(data.name),
            data.uscc,
            data.id_number,
            subject.representative,
            subject.sector,
        )
        # The registration first: its founding and any 注销/吊销 bound the other records' dates.
        span = (today - timedelta(days=RECORD_YEARS * 365), today)
        if (registered := REGISTERED_BY.get(data.subject_type)) is not None:
            draft = _registration(
                identities, payloads, overseers, registered, subject_id, facts, rng
            )
            pending[registered].append(draft)
            span = _active_span(draft.values, today)
        for item_code, decided in _record_plan(rng, data.subject_type, span):
            candidates = overseers.of(subject.sector, item_code)
            if not candidates:  # nobody would decide this about such a subject
                continue
            dept = rng.choice(candidates)
            item = get_item(item_code)
            raw = payloads.payload(item, facts, dept.authority, decided)
            result = validate_payload(item, raw, received_on=today)
            if not result.ok:
                raise RuntimeError(f"demo payload rejected for {item_code}: {result.issues}")
            pending[item_code].append(
                RecordDraft(
                    subject_id, result.values, dept.id, dept.region_code, _received_at(rng, decided)
                )
            )
    for item_code, records in pending.items():
        item = get_item(item_code)
        stored = store_many(session, item, records)
        if item.registration is not None:  # the subject's profile, as collection does
            pairs = zip(records, stored, strict=True)
            apply_registrations(
                session, item, [Registered(d.subject_id, s.record_id, d.values) for d, s in pairs]
            )
        totals[item_code] += len(records)


def _registration(
    identities: IdentityFactory,
    payloads: PayloadFactory,
    overseers: Overseers,
    item_code: str,
    subject_id: int,
    facts: SubjectFacts,
    rng: random.Random,
) -> RecordDraft:
    dept = overseers.by_item[item_code][0]
    item = get_item(item_code)
    assert facts.uscc is not None  # every demo organisation has one
    district = f"{identities.city_short}市{codes.region_name(facts.uscc[2:8]) or ''}"
    approved, raw = payloads.registration(item, facts, dept.authority, district)
    result = validate_payload(item, raw, received_on=payloads.today)
    if not result.ok:
        raise RuntimeError(f"demo payload rejected for {item_code}: {result.issues}")
    received = _received_at(rng, approved)
    return RecordDraft(subject_id, result.values, dept.id, dept.region_code, received)


def _active_span(registration: Mapping[str, Any], today: date) -> tuple[date, date]:
    """The days an organisation's records may fall on: the demo's years, not before its founding,
    and not after the 核准日期 of its 注销/吊销 (the day it took effect)."""
    first = max(registration["dj_clrq"], today - timedelta(days=RECORD_YEARS * 365))
    ended = registration["dj_djzt"] in ENDED  # a code of registration_status: 注销, 吊销…
    return first, registration["dj_hzrq"] if ended else today


def _record_plan(
    rng: random.Random, kind: SubjectType, span: tuple[date, date]
) -> Iterator[tuple[str, date]]:
    """The items and decision dates of a subject's records, all within `span` (none when it
    is empty: a subject that ended before the years the demo covers)."""
    first, last = span
    if last < first:
        return
    window = (last - first).days
    offender = rng.random() < REPEAT_OFFENDER_SHARE
    for item_code, rate in RECORD_RATES[kind].items():
        if offender and item_code in ("xzcf", "sxbzxr"):
            rate *= 30
        count = int(rate) + (rng.random() < rate - int(rate))
        if item_code in ONCE_ONLY:
            count = min(count, 1)
        for _ in range(count):  # more of them recent
            yield item_code, last - timedelta(days=int(window * rng.random() ** 1.5))


def _received_at(rng: random.Random, decided: date):  # type: ignore[no-untyped-def]
    from datetime import datetime, time

    delay = timedelta(days=rng.choice((0, 1, 2, 3, 5, 7, 9, 15)), hours=rng.randint(8, 17))
    received = datetime.combine(decided, time(), tzinfo=clock.SHANGHAI) + delay
    return min(received, clock.now())
