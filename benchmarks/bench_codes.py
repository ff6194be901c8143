"""USCC validations per second: xinyong.codes vs python-stdnum, on the same codes, same run.

python benchmarks/bench_codes.py --n 200000
"""

from __future__ import annotations

import argparse
import random
import time

from stdnum.cn import uscc as stdnum_uscc

from xinyong.codes import is_valid_uscc, make_org_code, make_uscc

ORG_CHARS = "0123456789ABCDEFGHJKLMNPQRTUWXY"


def sample(n: int, seed: int = 1) -> list[str]:
    """Digit-led codes (so stdnum accepts them too), one in ten with a wrong check character."""
    rng = random.Random(seed)
    codes = []
    for i in range(n):
        body = "91440106" + make_org_code("".join(rng.choices(ORG_CHARS[:10], k=8)))
        code = make_uscc(body)
        if i % 10 == 0:
            code = code[:17] + ("0" if code[17] != "0" else "1")
        codes.append(code)
    return codes


def best_rate(check, codes: list[str], rounds: int = 3) -> float:
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for code in codes:
            check(code)
        best = min(best, time.perf_counter() - start)
    return len(codes) / best


def main(n: int = 200_000) -> dict[str, float]:
    codes = sample(n)
    assert [is_valid_uscc(c) for c in codes[:1000]] == [
        stdnum_uscc.is_valid(c) for c in codes[:1000]
    ]
    ours = best_rate(is_valid_uscc, codes)
    theirs = best_rate(stdnum_uscc.is_valid, codes)
    print(f"USCC validation, {n:,} codes (best of 3)")
    print(f"  xinyong.codes.is_valid_uscc   {ours:12,.0f} /s")
    print(f"  stdnum.cn.uscc.is_valid       {theirs:12,.0f} /s (baseline)")
    print(f"  ratio                         {ours / theirs:12.2f} ×")
    return {"ours_per_second": ours, "stdnum_per_second": theirs, "ratio": ours / theirs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000)
    main(parser.parse_args().n)
