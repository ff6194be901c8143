"""Personal data of the registry: ID numbers sealed at rest (`xinyong.sealing`), found by a
keyed hash, shown masked. Only `xinyong.subjects` imports this module (tests/subjects/
test_boundary.py); others reveal a number through `service.reveal_id_number`, audited."""

from __future__ import annotations

import hashlib
import hmac
from functools import cache

from xinyong.config import get_settings
from xinyong.sealing import seal, unseal

__all__ = ["id_number_hash", "seal", "unseal"]


@cache
def _hash_key(master: bytes) -> bytes:
    return get_settings().derived_key("pii-lookup")


def id_number_hash(id_number: str) -> str:
    """Keyed, so the hash of a known ID number cannot be computed without the platform's secret."""
    key = _hash_key(get_settings().master_secret)
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()
