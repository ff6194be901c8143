"""A realistic 行政处罚 (xzcf) CSV for the collection benchmark and tests.

Every column of the catalog item, Guangzhou departments and counterparts, a skewed number of
decisions per counterpart, ~5% of good rows messy the way real files are (dates as 2024/1/5,
full-width USCCs, padded cells, thousands separators), and an exact share of bad rows, each with
one problem the validator rejects (or, for duplicates, the natural key catches).

    python benchmarks/penalty_file.py out.csv --rows 1000000 [--subjects 300000]
"""

from __future__ import annotations

import argparse
import csv
import math
import random
import time
import zlib
from array import array
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache
from itertools import accumulate
from pathlib import Path

from stdnum.cn import ric

from xinyong import codes
from xinyong.catalog import get_item
from xinyong.codes.uscc import ALPHABET
from xinyong.demo import texts
from xinyong.demo.identities import USCC_PREFIX, IdentityFactory
from xinyong.policy.enums import SubjectType

CITY = "440100"  # 广州市
LEGAL, BUSINESS, PERSON = "法人及非法人组织", "个体工商户", "自然人"  # 行政相对人类别 labels
SUBJECT_MIX = ((LEGAL, 0.80), (BUSINESS, 0.12), (PERSON, 0.08))
BIRTH_YEARS = range(1946, 2007)  # adults at any decision date the file can carry

BAD_KINDS = (  # cycled through in this order; duplicate last, so an earlier row exists
    "uscc_checksum",
    "id_checksum",
    "future_decision",
    "validity_before_decision",
    "required_missing",
    "fine_without_amount",
    "unknown_category",
    "bad_date",
    "amount_not_number",
    "org_without_uscc",
    "duplicate",
)
MESSY_SHARE = 0.05
MESSY_KINDS = (
    "date_slash",
    "date_chinese",
    "date_compact",
    "uscc_fullwidth",
    "uscc_spaced",
    "padded",
    "amount_thousands",
    "category_code",
    "category_separator",
)
CATEGORY_FORMS = {  # codes and aliases the counterpart_category code list accepts
    LEGAL: ("legal_entity", "法人", "法人及其他组织", "法人和非法人组织"),
    BUSINESS: ("individual_business", "个体户"),
    PERSON: ("natural_person", "个人"),
}
BLANKABLE = ("cf_sy", "cf_yj", "cf_nr", "cf_wfxw")  # required text fields a file leaves empty
UNKNOWN_CATEGORIES = ("责令改正", "责令限期改正", "批评教育")  # not penalties (处罚法 第二十八条)
BAD_DATES = ("{y}-13-45", "{y}-02-30", "{y}/00/12")
BAD_AMOUNTS = ("十万", "5000元", "壹万元整")
FULLWIDTH = {c: c + 0xFEE0 for c in range(0x21, 0x7F)}
NEW_SUBJECT_SHARE = 0.5  # Yule–Simon: about two thirds of counterparts appear once
ROWS_PER_SUBJECT_CAP = 300  # the heaviest repeat offenders of a city, not one firm in ten rows
WARM_UP = 100  # the first rows name new counterparts: a file does not open with one firm
DUPLICATE_RING = 1024


@dataclass(frozen=True, slots=True)
class PenaltySubject:
    """A counterpart that may appear in the file, with its 行政相对人类别 label."""

    kind: str
    name: str
    uscc: str | None
    id_number: str | None


@dataclass(frozen=True)
class PenaltyFile:
    """What was written: data rows, the rows that must be rejected, by kind."""

    path: Path
    rows: int
    bad_rows: int
    bad_by_kind: dict[str, int]
    duplicate_rows: int


# --- counterparts ------------------------------------------------------------------------


def penalty_subjects(count: int, seed: int) -> list[PenaltySubject]:
    """`count` Guangzhou counterparts with unique, checksum-valid codes, in random kind order."""
    rng = random.Random(seed)
    city = codes.region(CITY)
    assert city is not None
    districts = codes.children(CITY)
    identities = IdentityFactory(rng, city, districts)
    places = _birth_places()
    id_numbers: set[str] = set()
    cumulative = list(accumulate(share for _, share in SUBJECT_MIX))
    subjects = []
    for _ in range(count):
        kind = SUBJECT_MIX[bisect_right(cumulative, rng.random() * cumulative[-1])][0]
        if kind == PERSON:
            number = _id_number(rng, places, id_numbers)
            subjects.append(PenaltySubject(PERSON, identities.person_name(), None, number))
            continue
        subject_type = SubjectType.ENTERPRISE if kind == LEGAL else SubjectType.INDIVIDUAL_BUSINESS
        district = identities.district()
        name, _ = identities.organisation_name(subject_type, district)
        subjects.append(PenaltySubject(kind, name, identities.uscc(subject_type, district), None))
    return subjects


@cache
def _birth_places() -> tuple[tuple[str, int], ...]:
    """(Guangzhou address code, birth year) pairs stdnum.cn.ric accepts: a card carries the
    county code in force when it was first issued (GB 11643)."""
    return tuple(
        (str(code), year)
        for code in range(int(CITY) + 1, int(CITY) + 100)  # counties, not the city (4401xx)
        for year in BIRTH_YEARS
        if _issued(codes.make_id_number(f"{code}{year}0101001"))
    )


def _issued(id_number: str) -> bool:
    try:
        return bool(ric.is_valid(id_number))
    except KeyError:  # stdnum raises for address codes it lists without a county (440100)
        return False


def _id_number(rng: random.Random, places: tuple[tuple[str, int], ...], seen: set[str]) -> str:
    while True:
        code, year = places[int(rng.random() * len(places))]
        born = date(year, 1, 1) + timedelta(days=int(rng.random() * 365))
        number = codes.make_id_number(f"{code}{born:%Y%m%d}{int(rng.random() * 1000):03d}")
        if number not in seen:
            seen.add(number)
            return number


class _Counterparts:
    """Which counterpart each row names: a new one with probability `new_share`, else the one
    of a random earlier row (preferential attachment), so most appear once and a few often."""

    def __init__(self, count: int, rows: int, rng: random.Random) -> None:
        self.count = count
        self.rng = rng
        self.stride = _coprime_stride(count)  # new counterparts in a scattered order
        self.offset = rng.randrange(count)
        self.new_share = min(NEW_SUBJECT_SHARE, 0.9 * count / max(rows, 1))
        self.fresh = 0
        self.history = array("I")  # every earlier row's counterpart: 4 bytes a row
        self.rows_of = array("I", bytes(4 * count))

    def draw(self) -> int:
        rng = self.rng
        fresh_left = self.fresh < self.count
        if fresh_left and (self.fresh < WARM_UP or rng.random() < self.new_share):
            index = self._new()
        else:
            index = self.history[int(rng.random() * len(self.history))]
            if self.rows_of[index] >= ROWS_PER_SUBJECT_CAP and fresh_left:
                index = self._new()
        self._remember(index)
        return index

    def _new(self) -> int:
        index = (self.fresh * self.stride + self.offset) % self.count
        self.fresh += 1
        return index

    def _remember(self, index: int) -> None:
        self.rows_of[index] += 1
        self.history.append(index)


def _coprime_stride(count: int) -> int:
    stride = int(count * 0.618) | 1
    while math.gcd(stride, count) != 1:
        stride += 2 if count % 2 else 1
    return stride


# --- departments -------------------------------------------------------------------------


@dataclass(frozen=True)
class _Department:
    name: str
    short: str  # the decision-number prefix, e.g. 穗市监
    uscc: str
    weight: int
    laws: tuple[str, ...]  # the laws it enforces, as named in texts.VIOLATIONS
    source: str  # 数据来源单位: district bureaus report through the city's
    source_uscc: str


MARKET_LAWS = ("企业信息公示", "食品安全法", "广告法", "反不正当竞争法", "产品质量法", "价格法")
# (name, decision-number prefix, 组织机构代码 body, weight, laws, reports through)
DEPARTMENTS = (
    ("广州市市场监督管理局", "穗市监", "00750012", 30, MARKET_LAWS, None),
    ("广州市天河区市场监督管理局", "穗天市监", "00754410", 8, MARKET_LAWS, "穗市监"),
    ("广州市白云区市场监督管理局", "穗云市监", "00756231", 8, MARKET_LAWS, "穗市监"),
    ("广州市番禺区市场监督管理局", "穗番市监", "00758117", 6, MARKET_LAWS, "穗市监"),
    ("国家税务总局广州市税务局", "穗税", "00749865", 8, ("税收征收管理法",), None),
    ("广州市生态环境局", "穗环", "00751543", 8, ("大气污染防治法",), None),
    ("广州市应急管理局", "穗应急", "MB2C9140", 5, ("安全生产法",), None),
    ("广州市城市管理和综合执法局", "穗综执", "00753270", 10, ("城市道路管理条例",), None),
    ("广州市交通运输局", "穗交", "00752694", 6, ("道路运输条例",), None),
    ("广州市消防救援支队", "穗消", "MB2D1026", 4, ("消防法",), None),
)


def _departments() -> list[_Department]:
    agency = USCC_PREFIX[SubjectType.GOVERNMENT_AGENCY] + CITY
    uscc = {s: codes.make_uscc(agency + codes.make_org_code(b)) for _, s, b, *_ in DEPARTMENTS}
    name = {short: n for n, short, *_ in DEPARTMENTS}
    return [
        _Department(n, short, uscc[short], weight, laws, name[via or short], uscc[via or short])
        for n, short, _, weight, laws, via in DEPARTMENTS
    ]


def _violations(department: _Department) -> list[tuple[str, str, str]]:
    """(违法行为类型, 处罚依据, law) the department decides on; any unclaimed go to 市场监管."""
    claimed = [law for _, _, _, _, laws, _ in DEPARTMENTS for law in laws]
    found = []
    for violation, basis in texts.VIOLATIONS:
        law = basis.split("第")[0]
        owner = next((key for key in claimed if key in law), None)
        if (owner in department.laws) or (owner is None and department.short == "穗市监"):
            found.append((violation, basis, law))
    return found or [(v, b, b.split("第")[0]) for v, b in texts.VIOLATIONS]


# --- the file ----------------------------------------------------------------------------


def write_penalty_csv(
    path: Path,
    rows: int,
    *,
    subjects: list[PenaltySubject],
    seed: int,
    today: date,
    bad_ratio: float = 0.02,
    encoding: str = "utf-8",
) -> PenaltyFile:
    """Write `rows` decisions about `subjects` to `path` (header: the item's Chinese labels),
    round(rows × bad_ratio) of them bad, evenly spread, their kinds cycling through BAD_KINDS."""
    if not subjects:
        raise ValueError("subjects is empty")
    if not 0 <= bad_ratio <= 1:
        raise ValueError("bad_ratio must be between 0 and 1")
    fields = get_item("xzcf").fields
    columns = [f.code for f in fields]
    maker = _RowMaker(subjects, rows, random.Random(f"xzcf-file-{seed}"), today)
    bad = round(rows * bad_ratio)
    by_kind: Counter[str] = Counter()
    written_bad = 0
    with path.open("w", encoding=encoding, newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f.label for f in fields])
        for i in range(rows):
            if (i + 1) * bad // rows > i * bad // rows:  # evenly spaced, exactly `bad` of them
                row, kind = maker.bad(written_bad)
                by_kind[kind] += 1
                written_bad += 1
            else:
                row = maker.good()
            writer.writerow([row.get(code, "") for code in columns])
    return PenaltyFile(path, rows, bad, dict(by_kind), by_kind["duplicate"])


class _RowMaker:
    """Builds one row at a time as {field code: cell text}."""

    def __init__(
        self, subjects: list[PenaltySubject], rows: int, rng: random.Random, today: date
    ) -> None:
        self.subjects = subjects
        self.rng = rng
        self.today = today
        self.counterparts = _Counterparts(len(subjects), rows, rng)
        self.departments = _departments()
        self.department_of = {d.name: i for i, d in enumerate(self.departments)}
        self.department_bounds = list(accumulate(d.weight for d in self.departments))
        self.violations = [_violations(d) for d in self.departments]
        weights = [w for _, w in texts.PENALTY_KINDS]
        self.kinds = [k for k, _ in texts.PENALTY_KINDS]
        self.kind_bounds = list(accumulate(weights))
        city = codes.region(CITY)
        assert city is not None
        people = IdentityFactory(rng, city, codes.children(CITY))
        self.representatives = [people.person_name() for _ in range(4096)]
        self.serials: Counter[tuple[str, int]] = Counter()
        self.recent: list[_Decision] = []  # clean good rows a duplicate may repeat
        present = {s.kind for s in subjects}
        self.bad_kinds = [k for k in BAD_KINDS if present & _NEEDS.get(k, present)]

    # --- good rows ---

    def good(self) -> dict[str, str]:
        rng = self.rng
        messy = rng.choice(MESSY_KINDS) if rng.random() < MESSY_SHARE else None
        index = self.counterparts.draw()
        row = self._row(self.subjects[index], big_fine=messy == "amount_thousands")
        if messy is None:
            self._remember(row, index)
        else:
            _mess_up(row, messy, self.subjects[index], rng)
        return row

    def _remember(self, row: dict[str, str], index: int) -> None:
        d = self.department_of[row["cf_cfjg"]]
        decision = _Decision(row["cf_wsh"], index, d, date.fromisoformat(row["cf_jdrq"]))
        if len(self.recent) < DUPLICATE_RING:
            self.recent.append(decision)
        else:
            self.recent[int(self.rng.random() * DUPLICATE_RING)] = decision

    def _row(
        self,
        subject: PenaltySubject,
        *,
        decided: date | None = None,
        kinds: tuple[str, ...] | None = None,
        big_fine: bool = False,
        department_index: int | None = None,
    ) -> dict[str, str]:
        rng = self.rng
        d = department_index
        if d is None:
            d = bisect_right(self.department_bounds, rng.random() * self.department_bounds[-1])
        department = self.departments[d]
        violation, basis, law = rng.choice(self.violations[d])
        if decided is None:
            decided = self.today - timedelta(days=1 + int(729 * rng.random() ** 1.3))
        if kinds is None:
            kinds = self._kinds(subject)
        self.serials[department.short, decided.year] += 1
        serial = self.serials[department.short, decided.year]
        row = {
            "cf_xdr_mc": subject.name,
            "cf_xdr_lb": subject.kind,
            "cf_wsh": f"{department.short}罚〔{decided.year}〕{serial}号",
            "cf_wfxw": violation,
            "cf_sy": f"经查，当事人{violation}，违反了{law}的有关规定。",
            "cf_yj": basis,
            "cf_cflb": "、".join(kinds),
            "cf_jdrq": decided.isoformat(),
            "cf_cfjg": department.name,
            "cf_cfjgdm": department.uscc,
            "cf_sjly": department.source,
            "cf_sjlydm": department.source_uscc,
        }
        if subject.uscc:
            row["cf_xdr_shxym"] = subject.uscc
            row["cf_frdb"] = self.representatives[zlib.crc32(subject.uscc.encode()) & 4095]
        if subject.id_number:
            row["cf_xdr_zjlx"] = "身份证"
            row["cf_xdr_zjhm"] = subject.id_number
        days = 3 * 365 if "吊销许可证件" in kinds else 365
        row["cf_yxq"] = row["cf_gsjzq"] = (decided + timedelta(days=days)).isoformat()
        row["cf_nr"] = self._content(row, kinds, subject, big_fine)
        return row

    def _kinds(self, subject: PenaltySubject) -> tuple[str, ...]:
        kinds = self.kinds[bisect_right(self.kind_bounds, self.rng.random() * self.kind_bounds[-1])]
        if subject.kind == PERSON and any("许可" in k or "停产" in k for k in kinds):
            return ("罚款",)  # no licence to suspend or business to close
        return kinds

    def _content(
        self, row: dict[str, str], kinds: tuple[str, ...], subject: PenaltySubject, big: bool
    ) -> str:
        """处罚内容, filling the amount and licence fields the categories call for."""
        rng = self.rng
        parts: list[str] = [k for k in ("通报批评", "警告") if k in kinds]
        if "罚款" in kinds:
            yuan = _fine_yuan(rng) if not big else rng.randrange(1000, 3001) * 10_000
            row["cf_nr_fk"] = _wan(yuan, grouped=big)
            parts.append(f"罚款人民币{yuan:,}元")
        if "没收违法所得" in kinds or "没收非法财物" in kinds:
            yuan = max(100, _fine_yuan(rng) // 200 * 100)
            row["cf_nr_wfff"] = _wan(yuan)
            what = "违法所得" if "没收违法所得" in kinds else "非法财物（价值）"
            parts.append(f"没收{what}人民币{yuan:,}元")
        if "吊销许可证件" in kinds or "暂扣许可证件" in kinds:
            action = "吊销" if "吊销许可证件" in kinds else "暂扣"
            row["cf_nr_zkdx"] = f"营业执照（{subject.uscc}）"
            parts.append(f"{action}营业执照")
        if "责令停产停业" in kinds:
            parts.append("责令停产停业")
        return "；".join(parts)

    # --- bad rows ---

    def bad(self, sequence: int) -> tuple[dict[str, str], str]:
        """The `sequence`-th bad row: a good row with exactly one problem."""
        kind = self.bad_kinds[sequence % len(self.bad_kinds)]
        if kind == "duplicate" and not self.recent:
            kind = self.bad_kinds[0]
        rng = self.rng
        if kind == "duplicate":  # the same decision sent again with different content
            earlier = self.recent[int(rng.random() * len(self.recent))]
            subject = self.subjects[earlier.counterpart]
            row = self._row(subject, decided=earlier.decided, department_index=earlier.department)
            row["cf_wsh"] = earlier.number
            return row, kind
        subject = self._subject_for(kind)
        if kind == "future_decision":
            return self._row(subject, decided=self.today + timedelta(days=rng.randint(1, 30))), kind
        kinds = ("罚款",) if kind in ("fine_without_amount", "amount_not_number") else None
        row = self._row(subject, kinds=kinds)
        _break(row, kind, rng)
        return row, kind

    def _subject_for(self, kind: str) -> PenaltySubject:
        """A counterpart of the kind the problem needs (the next one from a random start)."""
        wanted = _NEEDS.get(kind)
        if wanted is None:
            return self.subjects[self.counterparts.draw()]
        index = int(self.rng.random() * len(self.subjects))
        while self.subjects[index].kind not in wanted:
            index = (index + 1) % len(self.subjects)
        return self.subjects[index]


@dataclass(frozen=True, slots=True)
class _Decision:
    number: str  # 行政处罚决定书文号
    counterpart: int
    department: int
    decided: date


_NEEDS = {  # bad kinds that only make sense for some counterparts
    "uscc_checksum": {LEGAL, BUSINESS},
    "org_without_uscc": {LEGAL},
    "id_checksum": {PERSON},
}


def _break(row: dict[str, str], kind: str, rng: random.Random) -> None:
    """Give a good row the one problem `kind` names."""
    if kind == "uscc_checksum":
        code = row["cf_xdr_shxym"]
        wrong = ALPHABET[(ALPHABET.index(code[17]) + rng.randint(1, 30)) % 31]
        row["cf_xdr_shxym"] = code[:17] + wrong
    elif kind == "id_checksum":
        number, chars = row["cf_xdr_zjhm"], "0123456789X"
        wrong = chars[(chars.index(number[17]) + rng.randint(1, 10)) % 11]
        row["cf_xdr_zjhm"] = number[:17] + wrong
    elif kind == "validity_before_decision":
        decided = date.fromisoformat(row["cf_jdrq"])
        row["cf_yxq"] = (decided - timedelta(days=rng.randint(1, 365))).isoformat()
    elif kind == "required_missing":
        row[rng.choice(BLANKABLE)] = ""
    elif kind == "fine_without_amount":
        row["cf_nr_fk"] = ""
    elif kind == "unknown_category":
        row["cf_cflb"] = rng.choice(UNKNOWN_CATEGORIES)
    elif kind == "bad_date":
        row["cf_jdrq"] = rng.choice(BAD_DATES).format(y=row["cf_jdrq"][:4])
    elif kind == "amount_not_number":
        row["cf_nr_fk"] = rng.choice(BAD_AMOUNTS)
    elif kind == "org_without_uscc":
        row["cf_xdr_shxym"] = ""
    else:
        raise ValueError(f"unknown bad kind {kind}")


def _mess_up(row: dict[str, str], messy: str, subject: PenaltySubject, rng: random.Random) -> None:
    """Write one value the way a real file might, still valid (falls back to padding)."""
    decided = date.fromisoformat(row["cf_jdrq"])
    uscc = subject.uscc
    if messy == "date_slash":
        row["cf_jdrq"] = f"{decided.year}/{decided.month}/{decided.day}"
    elif messy == "date_chinese":
        row["cf_jdrq"] = f"{decided.year}年{decided.month}月{decided.day}日"
    elif messy == "date_compact":
        row["cf_jdrq"] = f"{decided:%Y%m%d}"
    elif messy == "uscc_fullwidth" and uscc:
        row["cf_xdr_shxym"] = uscc.translate(FULLWIDTH)
    elif messy == "uscc_spaced" and uscc:
        row["cf_xdr_shxym"] = f"{uscc[:2]} {uscc[2:8]} {uscc[8:]}"
    elif messy == "category_code":
        row["cf_xdr_lb"] = rng.choice(CATEGORY_FORMS[subject.kind])
    elif messy == "category_separator" and "、" in row["cf_cflb"]:
        row["cf_cflb"] = row["cf_cflb"].replace("、", rng.choice(("；", ";", "，", "/")))
    elif messy == "amount_thousands" and "," in row.get("cf_nr_fk", ""):
        pass  # written grouped by _content ("1,250.00")
    else:
        row["cf_xdr_mc"] = f" {row['cf_xdr_mc']} "
        row["cf_wsh"] = f"{row['cf_wsh']}\u3000"


def _fine_yuan(rng: random.Random) -> int:
    """Fines in whole hundreds of yuan: most a few thousand, a long tail up to a million."""
    return min(1_000_000, int(round(200 * 10 ** (rng.random() * 3.7), -2)))


def _wan(yuan: int, *, grouped: bool = False) -> str:
    """Whole-hundred yuan as 万元 with two decimals, exactly (no float)."""
    whole = f"{yuan // 10_000:,}" if grouped else str(yuan // 10_000)
    return f"{whole}.{yuan % 10_000 // 100:02d}"


def main(out: Path, rows: int, subjects: int, seed: int, today: date) -> PenaltyFile:
    """Generate the counterparts and the file; print the time each took."""
    started = time.perf_counter()
    people = penalty_subjects(subjects, seed)
    drawn = time.perf_counter()
    facts = write_penalty_csv(out, rows, subjects=people, seed=seed, today=today)
    done = time.perf_counter()
    print(f"{subjects:,} counterparts in {drawn - started:.1f} s")
    print(f"{facts.rows:,} rows ({facts.bad_rows:,} bad) in {done - drawn:.1f} s → {out}")
    for kind, n in sorted(facts.bad_by_kind.items()):
        print(f"  {kind:<26}{n:>8,}")
    return facts


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--subjects", type=int, help="default: 30%% of rows")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 11, 20))
    args = parser.parse_args()
    main(args.out, args.rows, args.subjects or max(1, args.rows * 3 // 10), args.seed, args.today)
