"""Personal data at rest, sealed with AES-GCM under a key derived from the platform's secret:
rejected rows as a department sent them, and (through `xinyong.subjects.pii`, the only module
that opens them) the registry's ID numbers."""

from __future__ import annotations

import os
from functools import cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM

from xinyong.config import get_settings

NONCE_SIZE = 12
# One key for everything sealed so far; rows sealed before this module existed still open.
PURPOSE = "pii-encryption"


@cache
def _cipher(master: bytes) -> AESGCM:
    return AESGCM(get_settings().derived_key(PURPOSE))


def seal(text: str) -> bytes:
    """AES-GCM with a fresh nonce."""
    nonce = os.urandom(NONCE_SIZE)
    return nonce + _cipher(get_settings().master_secret).encrypt(nonce, text.encode(), None)


def unseal(blob: bytes) -> str:
    nonce, ciphertext = blob[:NONCE_SIZE], blob[NONCE_SIZE:]
    return _cipher(get_settings().master_secret).decrypt(nonce, ciphertext, None).decode()
