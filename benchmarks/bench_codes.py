"""USCC validations per second: xinyong.codes vs python-stdnum, same codes, same run.

python benchmarks/bench_codes.py [--n 200000]
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from collections.abc import Callable

from stdnum.cn import uscc as stdnum_uscc

from xinyong.codes import all_regions, is_valid_uscc, make_org_code, make_uscc
from xinyong.codes.uscc import ALPHABET

# Digit-led heads only: stdnum.cn.uscc rejects codes whose first 8 characters are not digits.
HEADS = ("91", "91", "91", "91", "92", "92", "93", "11", "12", "51", "52", "53")
INVALID_SHARE = 10  # one code in ten is broken


def sample(n: int, seed: int = 1) -> list[str]:
    """N codes as they arrive in a batch: mostly valid, one in ten broken in a common way."""
    rng = random.Random(seed)
    counties = [r.code for r in all_regions() if r.level == "county"]
    codes = []
    for i in range(n):
        org = make_org_code("".join(rng.choices(ALPHABET, k=8)))
        code = make_uscc(rng.choice(HEADS) + rng.choice(counties) + org)
        if i % INVALID_SHARE == 0:
            code = _break(code, rng)
        codes.append(code)
    return codes


def _break(code: str, rng: random.Random) -> str:
    kind = rng.randrange(3)
    if kind == 0:  # a typo in the check character
        return code[:17] + ALPHABET[(ALPHABET.index(code[17]) + 1) % 31]
    if kind == 1:  # a character dropped
        return code[:17]
    return code[:12] + "O" + code[13:]  # a letter the alphabet leaves out


def rate(check: Callable[[str], bool], codes: list[str], rounds: int = 3) -> float:
    """Validations per second, best of `rounds`."""
    best = float("inf")
    for _ in range(rounds):
        start = time.perf_counter()
        for code in codes:
            check(code)
        best = min(best, time.perf_counter() - start)
    return len(codes) / best


def main(n: int = 200_000) -> dict[str, float]:
    """Run the benchmark, print a table and return its figures."""
    codes = sample(n)
    head = codes[:10_000]
    assert [is_valid_uscc(c) for c in head] == [stdnum_uscc.is_valid(c) for c in head]
    ours = rate(is_valid_uscc, codes)
    theirs = rate(stdnum_uscc.is_valid, codes)
    print(f"USCC validation: {n:,} codes, {n // INVALID_SHARE:,} invalid, best of 3")
    print(f"Python {platform.python_version()}")
    print(f"  {'validator':<32}{'per second':>14}")
    print(f"  {'xinyong.codes.is_valid_uscc':<32}{ours:>14,.0f}")
    print(f"  {'stdnum.cn.uscc.is_valid':<32}{theirs:>14,.0f}")
    print(f"  {'ratio ours / stdnum':<32}{ours / theirs:>13.2f}×")
    return {"n": n, "ours_per_second": ours, "stdnum_per_second": theirs, "ratio": ours / theirs}


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=200_000, help="number of codes")
    main(parser.parse_args().n)
