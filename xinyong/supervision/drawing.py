"""The 双随机 draw as a pure function anyone can re-run from what is published: each candidate's
key is SHA-256 of `"{seed}:{subject_id}"` (hex), and each class gives its lowest keys, as many
as round(ratio × candidates) (halves up). Each drawn subject's inspectors come from the pool
less those linked to it (回避), in id order: the n-th (from 0) is the one at SHA-256 of
`"{seed}:{subject_id}:{n}"`, read as a number, modulo how many are left (method /2, decision
0016); method /1, kept to verify its draws, took the lowest SHA-256 of
`"{seed}:{subject_id}:{inspector_id}"`. No database here: `draws` reads the inputs and stores
the result."""

from __future__ import annotations

import hashlib
import importlib
import math
import secrets
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import Any, NamedTuple

METHOD = "sha256-lowest-keys/2"  # named in every draw's inputs, so a verifier knows the rules
BY_INSPECTOR_KEYS = "sha256-lowest-keys/1"  # one hash per subject and inspector: grew with the pool


def _cheapest_sha256() -> Callable[[bytes], Any]:
    """CPython's own SHA-256 (`_sha2` from 3.12, `_sha256` before): the same digests as
    OpenSSL's, but each new hash starts in a third of the time, and a draw over a million
    candidates makes millions of short ones."""
    for name in ("_sha2", "_sha256"):
        try:
            return importlib.import_module(name).sha256  # type: ignore[no-any-return]
        except (ImportError, AttributeError):
            continue
    return hashlib.sha256


_sha256 = _cheapest_sha256()


def new_seed() -> str:
    return secrets.token_hex(16)


def sample_size(ratio: Decimal, candidates: int) -> int:
    """round(ratio × candidates), halves up (0.5 → 1), as published with every draw."""
    return int((ratio * candidates).to_integral_value(rounding=ROUND_HALF_UP))


def lowest_keys(seed: str, subject_ids: Collection[int], count: int) -> list[tuple[str, int]]:
    """The `count` subjects of lowest key, lowest first, with their keys (hex)."""
    if count <= 0:
        return []
    # Each key as its 32 digest bytes followed by the id's 8: bytes compare as the hex keys do,
    # and a list of bytes sorts several times faster than one of (key, id) tuples. Keys are
    # uniform, so the count-th lowest lies near count/len of their range: only those under a
    # bound well above that are kept and sorted. Should fewer than `count` pass (about once
    # in a billion draws), every key is.
    sha256, prefix = _sha256, f"{seed}:".encode()
    bound = _bound(count, len(subject_ids))
    keyed = [
        digest + i.to_bytes(8)
        for i in subject_ids
        if (digest := sha256(prefix + b"%d" % i).digest()) < bound
    ]
    if len(keyed) < count:
        keyed = [sha256(prefix + b"%d" % i).digest() + i.to_bytes(8) for i in subject_ids]
    return [(k[:32].hex(), int.from_bytes(k[32:])) for k in sorted(keyed)[:count]]


def _bound(count: int, candidates: int) -> bytes:
    """32 bytes above which the `count` lowest of `candidates` uniform keys all but surely are
    not: `count` plus six standard deviations and some, as a fraction of the key range."""
    share = (count + 6 * math.isqrt(count) + 16) << 256
    limit = share // max(candidates, 1)
    return limit.to_bytes(32) if limit < 1 << 256 else b"\xff" * 33  # 33: above every key


def candidates_digest(lines: Iterable[tuple[int, str]]) -> str:
    """SHA-256 of the candidates, one `subject_id:class` line each, `lines` in id order: two
    readings of the inputs agree exactly when their digests do."""
    return hashlib.sha256("\n".join(map("%d:%s".__mod__, lines)).encode()).hexdigest()


class Drawn(NamedTuple):  # a NamedTuple: a draw makes hundreds of thousands
    subject_id: int
    class_code: str
    key: str
    inspector_ids: tuple[int, ...]


class TooFewInspectors(Exception):
    def __init__(self, subject_id: int, eligible: int) -> None:
        super().__init__(subject_id, eligible)
        self.subject_id, self.eligible = subject_id, eligible


def _by_position(base: bytes, eligible: list[int], positions: list[bytes]) -> tuple[int, ...]:
    """Method /2: one hash per inspector wanted, whatever the size of the pool; each pick
    leaves the pool (`pop`), so the next is taken modulo one fewer."""
    left, sha256 = eligible.copy(), _sha256
    return tuple(
        [left.pop(int.from_bytes(sha256(base + n).digest()) % len(left)) for n in positions]
    )


def _by_inspector_keys(base: bytes, eligible: list[int], positions: list[bytes]) -> tuple[int, ...]:
    """Method /1: the lowest keys; the 32 digest bytes, then the id's text, sort by digest."""
    keyed = sorted([_sha256(base + b"%d" % i).digest() + b"%d" % i for i in eligible])
    return tuple([int(k[32:]) for k in keyed[: len(positions)]])


def draw(
    seed: str,
    classes: Mapping[str, Collection[int]],
    ratios: Mapping[str, Decimal],
    pool: Sequence[int],
    avoided: Mapping[int, Collection[int]],
    per_subject: int,
    method: str = METHOD,
) -> list[Drawn]:
    """The draw of `classes` (class → candidate ids) at `ratios` and of `per_subject`
    inspectors from `pool` for each subject, skipping `avoided[subject]`; ordered by class,
    then key. Raises TooFewInspectors when a subject has fewer eligible inspectors."""
    pick = {METHOD: _by_position, BY_INSPECTOR_KEYS: _by_inspector_keys}[method]
    prefix, everyone = seed.encode(), sorted(pool)
    positions = [b"%d" % n for n in range(per_subject)]  # "0", "1", … as hashed
    drawn = []
    for code in sorted(classes):
        ids = classes[code]
        for key, subject_id in lowest_keys(seed, ids, sample_size(ratios[code], len(ids))):
            skip = avoided.get(subject_id)
            eligible = [i for i in everyone if i not in skip] if skip else everyone
            if len(eligible) < per_subject:
                raise TooFewInspectors(subject_id, len(eligible))
            chosen = pick(prefix + b":%d:" % subject_id, eligible, positions)
            drawn.append(Drawn(subject_id, code, key, chosen))
    return drawn
