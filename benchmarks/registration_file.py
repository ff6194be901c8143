"""A 市场主体登记信息 (scztdj) CSV for the registry benchmark: one row per market subject, each a
new enterprise or 个体工商户 with a unique, checksum-valid USCC, as 市场监管 sends its register.

    python benchmarks/registration_file.py out.csv --rows 1000000
"""

from __future__ import annotations

import argparse
import csv
import random
from datetime import date, timedelta
from pathlib import Path

from xinyong import codes
from xinyong.catalog import get_item
from xinyong.demo import texts
from xinyong.demo.identities import IdentityFactory
from xinyong.policy.enums import SubjectType

CITY = "440100"  # 广州市
KINDS = (
    (SubjectType.ENTERPRISE, "有限责任公司（自然人投资或控股）"),
    (SubjectType.INDIVIDUAL_BUSINESS, "个体工商户"),
)
STATUSES = (("存续", 80), ("在业", 14), ("注销", 4), ("吊销", 2))


def write_registration_csv(path: Path, rows: int, *, seed: int, today: date) -> Path:
    """Write `rows` registrations (header: the item's Chinese labels) to `path`."""
    rng = random.Random(f"scztdj-file-{seed}")
    city = codes.region(CITY)
    assert city is not None
    identities = IdentityFactory(rng, city, codes.children(CITY))
    fields = get_item("scztdj").fields
    labels, weights = zip(*STATUSES, strict=True)
    with path.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out)
        writer.writerow([f.label for f in fields])
        for _ in range(rows):
            kind, legal_form = KINDS[rng.random() < 0.25]
            district = identities.district()
            place = city.name + district.name
            name, sector = identities.organisation_name(kind, district)
            founded = today - timedelta(days=rng.randrange(200, 365 * 25))
            approved = founded + timedelta(days=int((today - founded).days * rng.random()))
            row = {
                "dj_mc": name,
                "dj_shxym": identities.uscc(kind, district),
                "dj_lx": legal_form,
                "dj_fddbr": identities.person_name(),
                "dj_clrq": founded.isoformat(),
                "dj_djjg": f"{place}市场监督管理局",
                "dj_djzt": rng.choices(labels, weights)[0],
                "dj_zs": f"{place}{rng.choice(texts.ROADS)}{rng.randrange(1, 999)}号",
                "dj_zczb": ""
                if kind is SubjectType.INDIVIDUAL_BUSINESS
                else str(rng.choice((10, 50, 100, 500))),
                "dj_bz": "人民币",
                "dj_jyfw": sector.scope,
                "dj_hzrq": approved.isoformat(),
                "dj_yyqx_q": founded.isoformat(),
                "dj_sjly": f"{city.name}市场监督管理局",
            }
            writer.writerow([row.get(f.code, "") for f in fields])
    return path


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out", type=Path)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    write_registration_csv(args.out, args.rows, seed=args.seed, today=date.today())
