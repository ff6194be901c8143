"""The draw as a pure function (issue 16, 双随机): anyone re-runs it from the seed with SHA-256
alone, each class gives exactly round(ratio × candidates), every subject is equally likely to
be drawn, and an inspector linked to a subject (回避) is never drawn for it."""

from __future__ import annotations

import hashlib
from collections import Counter
from decimal import Decimal

import pytest

from xinyong.supervision import drawing

B = {"B": Decimal("0.20")}


def test_the_same_seed_gives_the_same_draw_and_another_seed_another():
    classes = {"A": range(1, 301), "B": range(301, 501)}
    ratios = {"A": Decimal("0.05"), "B": Decimal("0.20")}
    first = drawing.draw("seed-1", classes, ratios, [1, 2, 3, 4, 5], {}, 2)
    assert drawing.draw("seed-1", classes, ratios, [1, 2, 3, 4, 5], {}, 2) == first
    assert drawing.draw("seed-2", classes, ratios, [1, 2, 3, 4, 5], {}, 2) != first


def sha(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def test_a_third_party_reruns_the_draw_with_sha256_alone():
    """The published method (/2): lowest hex SHA-256 of "seed:subject" per class; then, from the
    inspectors not linked to the subject in id order, the n-th pick is at SHA-256 of
    "seed:subject:n" as a number, modulo how many are left."""
    seed, ids, pool = "0f1e2d3c4b5a69788796a5b4c3d2e1f0", list(range(1, 51)), [9, 7, 8]
    expected = sorted(ids, key=lambda i: sha(f"{seed}:{i}"))[:10]
    got = drawing.draw(seed, {"B": ids}, B, pool, {expected[0]: {7}}, 2)
    assert [d.subject_id for d in got] == expected
    assert all(d.key == sha(f"{seed}:{d.subject_id}") for d in got)
    for d in got:
        left = [i for i in sorted(pool) if not (d.subject_id == expected[0] and i == 7)]
        first = left.pop(int(sha(f"{seed}:{d.subject_id}:0"), 16) % len(left))
        second = left.pop(int(sha(f"{seed}:{d.subject_id}:1"), 16) % len(left))
        assert d.inspector_ids == (first, second)


def test_draws_made_by_method_1_are_rerun_by_it():
    """Method /1 (lowest SHA-256 of "seed:subject:inspector") stays, to verify its draws."""
    seed, ids, pool = "s1", list(range(1, 31)), [7, 8, 9]
    got = drawing.draw(seed, {"B": ids}, B, pool, {}, 1, drawing.BY_INSPECTOR_KEYS)
    for d in got:
        assert d.inspector_ids == (min(pool, key=lambda i: sha(f"{seed}:{d.subject_id}:{i}")),)


def test_the_lowest_keys_are_exact_whatever_the_share_drawn():
    """Only keys under a bound are sorted; the result is the plain sort's, small to whole."""
    ids = list(range(1, 3001))
    every = sorted((sha(f"k:{i}"), i) for i in ids)
    for count in (0, 1, 2, 17, 150, 1499, 2999, 3000):
        assert drawing.lowest_keys("k", ids, count) == every[:count]


def test_too_few_keys_under_the_bound_fall_back_to_every_key(monkeypatch):
    ids = list(range(1, 501))
    monkeypatch.setattr(drawing, "_bound", lambda count, candidates: b"\\x08" + bytes(31))
    assert drawing.lowest_keys("k", ids, 100) == sorted((sha(f"k:{i}"), i) for i in ids)[:100]


SIZES = [
    ("0.05", 200, 10),
    ("0.2", 7, 1),
    ("0.05", 10, 1),
    ("0.6", 5, 3),
    ("1.0", 9, 9),
    ("0", 5, 0),
]


@pytest.mark.parametrize(("ratio", "count", "size"), SIZES)
def test_sample_size_is_the_ratio_rounded_half_up(ratio, count, size):
    assert drawing.sample_size(Decimal(ratio), count) == size


def test_class_b_at_a_fifth_draws_exactly_forty_of_two_hundred_each_subject_about_a_fifth():
    """林甸县 example: B 20%. Over 200 seeds every draw takes exactly 40, and each subject's
    frequency is near 0.2: binomial(200, 0.2) has sd ≈ 0.028, the bound is 5 sd."""
    ids = list(range(1000, 1200))
    counts: Counter[int] = Counter()
    for n in range(200):
        drawn = drawing.draw(f"seed{n}", {"B": ids}, B, [1, 2], {}, 1)
        assert len(drawn) == 40
        counts.update(d.subject_id for d in drawn)
    frequencies = [counts[i] / 200 for i in ids]
    assert all(0.06 <= f <= 0.34 for f in frequencies), (min(frequencies), max(frequencies))
    assert abs(sum(frequencies) / len(ids) - 0.2) < 1e-9


def test_a_linked_inspector_is_never_drawn_for_that_subject():
    """回避: over many seeds, inspector 1 (linked to every even subject) never goes there."""
    ids = list(range(1, 41))
    avoided = {i: {1} for i in ids if i % 2 == 0}
    seen_elsewhere = False
    for n in range(50):
        for d in drawing.draw(f"s{n}", {"D": ids}, {"D": Decimal(1)}, [1, 2, 3], avoided, 2):
            assert not (d.subject_id % 2 == 0 and 1 in d.inspector_ids)
            seen_elsewhere |= 1 in d.inspector_ids
    assert seen_elsewhere  # the linked inspector still goes to the others


def test_too_few_inspectors_after_avoidance_is_refused():
    with pytest.raises(drawing.TooFewInspectors) as refused:
        drawing.draw("s", {"D": [5]}, {"D": Decimal(1)}, [1, 2], {5: {1}}, 2)
    assert (refused.value.subject_id, refused.value.eligible) == (5, 1)


def test_the_candidates_digest_is_of_id_ordered_lines():
    digest = drawing.candidates_digest([(1, "B"), (2, "B"), (3, "A")])
    assert digest == hashlib.sha256(b"1:B\n2:B\n3:A").hexdigest()
