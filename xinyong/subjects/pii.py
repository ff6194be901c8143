"""Personal data at rest: AES-GCM encrypted; ID numbers found by a keyed hash, shown masked."""

from __future__ import annotations

import hashlib
import hmac
import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from xinyong.config import get_settings

NONCE_SIZE = 12


@cache
def _cipher(master: bytes) -> AESGCM:
    return AESGCM(get_settings().derived_key("pii-encryption"))


@cache
def _hash_key(master: bytes) -> bytes:
    return get_settings().derived_key("pii-lookup")


def seal(text: str) -> bytes:
    """AES-GCM with a fresh nonce: personal data at rest (ID numbers, rejected rows)."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce + _cipher(get_settings().master_secret).encrypt(nonce, text.encode(), None)


def unseal(blob: bytes) -> str:
    nonce, ciphertext = blob[:NONCE_SIZE], blob[NONCE_SIZE:]
    return _cipher(get_settings().master_secret).decrypt(nonce, ciphertext, None).decode()


def id_number_hash(id_number: str) -> str:
    """Keyed, so the hash of a known ID number cannot be computed without the platform's secret."""
    key = _hash_key(get_settings().master_secret)
    return hmac.new(key, id_number.encode(), hashlib.sha256).hexdigest()
