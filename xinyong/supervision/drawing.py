"""The 双随机 draw as a pure function anyone can re-run from what is published: each candidate's
key is SHA-256 of `"{seed}:{subject_id}"` (hex), and each class gives its lowest keys, as many
as round(ratio × candidates) (halves up); each drawn subject's inspectors are those with the
lowest SHA-256 of `"{seed}:{subject_id}:{inspector_id}"` among the pool, leaving out the
inspectors linked to it (回避). No database here: `draws` reads the inputs and stores the result."""

from __future__ import annotations

import hashlib
import heapq
import secrets
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

METHOD = "sha256-lowest-keys/1"  # named in every draw's inputs, so a verifier knows the rules


def new_seed() -> str:
    return secrets.token_hex(16)


def subject_key(seed: str, subject_id: int) -> str:
    return hashlib.sha256(f"{seed}:{subject_id}".encode()).hexdigest()


def inspector_key(seed: str, subject_id: int, inspector_id: int) -> str:
    return hashlib.sha256(f"{seed}:{subject_id}:{inspector_id}".encode()).hexdigest()


def sample_size(ratio: Decimal, candidates: int) -> int:
    """round(ratio × candidates), halves up (0.5 → 1), as published with every draw."""
    return int((ratio * candidates).to_integral_value(rounding=ROUND_HALF_UP))


def lowest_keys(seed: str, subject_ids: Collection[int], count: int) -> list[tuple[str, int]]:
    """The `count` subjects of lowest key, lowest first, with their keys (hex)."""
    # Each key as its 32 digest bytes followed by the id's 8: bytes compare as the hex keys do,
    # and a list of bytes sorts several times faster than one of (key, id) tuples.
    sha256, prefix = hashlib.sha256, f"{seed}:".encode()
    keyed = [sha256(prefix + b"%d" % i).digest() + i.to_bytes(8) for i in subject_ids]
    lowest = heapq.nsmallest(count, keyed) if count * 20 < len(keyed) else sorted(keyed)[:count]
    return [(k[:32].hex(), int.from_bytes(k[32:])) for k in lowest]


def candidates_digest(classes: Mapping[str, Collection[int]]) -> str:
    """SHA-256 of the candidates, one `subject_id:class` line each in id order: two readings of
    the inputs agree exactly when their digests do."""
    lines = sorted((i, code) for code, ids in classes.items() for i in ids)
    return hashlib.sha256("\n".join([f"{i}:{c}" for i, c in lines]).encode()).hexdigest()


@dataclass(frozen=True)
class Drawn:
    subject_id: int
    class_code: str
    key: str
    inspector_ids: tuple[int, ...]


class TooFewInspectors(Exception):
    def __init__(self, subject_id: int, eligible: int) -> None:
        super().__init__(subject_id, eligible)
        self.subject_id, self.eligible = subject_id, eligible


def draw(
    seed: str,
    classes: Mapping[str, Collection[int]],
    ratios: Mapping[str, Decimal],
    pool: Sequence[int],
    avoided: Mapping[int, Collection[int]],
    per_subject: int,
) -> list[Drawn]:
    """The draw of `classes` (class → candidate ids) at `ratios` and of `per_subject`
    inspectors from `pool` for each subject, skipping `avoided[subject]`; ordered by class,
    then key. Raises TooFewInspectors when a subject has fewer eligible inspectors."""
    sha256, prefix = hashlib.sha256, seed.encode()
    texts = [(b"%d" % i, i) for i in pool]  # each inspector's id as hashed, once
    drawn = []
    for code in sorted(classes):
        ids = classes[code]
        for key, subject_id in lowest_keys(seed, ids, sample_size(ratios[code], len(ids))):
            skip = avoided.get(subject_id)
            eligible = [t for t in texts if t[1] not in skip] if skip else texts
            if len(eligible) < per_subject:
                raise TooFewInspectors(subject_id, len(eligible))
            base = prefix + b":%d:" % subject_id
            keys = [sha256(base + text).digest() for text, _i in eligible]
            lowest = sorted(range(len(keys)), key=keys.__getitem__)[:per_subject]
            drawn.append(Drawn(subject_id, code, key, tuple(eligible[n][1] for n in lowest)))
    return drawn
