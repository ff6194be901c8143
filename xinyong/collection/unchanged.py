"""Rows sent again as they were, recognised before they are checked.

Departments re-send whole files (a month's penalties with one row added), so most rows of most
batches are ones the platform already holds. Checking, linking and hashing such a row only to
find its content unchanged costs nearly as much as storing a new one. Instead each stored
version keeps `source_hash`, a keyed digest of the cells it was read from; a row whose digest
is that of a current version of the same item is unchanged without being checked again.

The digest covers what checking depends on: the item's definition and the code lists (so a
policy change checks every row again), the units the headers state, and each cell with its
field and type. Rows whose digest differs (new, corrected, or the same content typed
differently) take the full path, which still recognises unchanged content by its content hash.
The key is derived from the master secret: cells may hold a person's ID number, and a plain
digest of a row could be matched against guesses (as natural keys are, see records.service).
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from hashlib import blake2b
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong.config import get_settings
from xinyong.db import one_of
from xinyong.policy import load_policy
from xinyong.policy.schemas import CatalogItem
from xinyong.records.models import Record

DIGEST_CHARS = 32  # records.source_hash: 128 bits of keyed BLAKE2b
LOOKUP_CHUNK = 1_000


class Held(NamedTuple):
    """The current version a re-sent row is: its natural key and whether it came in time."""

    natural_key: str
    on_time: bool | None


class SourceDigests:
    """Digests of one batch's rows (its item, column mapping and header units fixed)."""

    def __init__(
        self, item: CatalogItem, columns: Sequence[tuple[int, str]], units: dict[str, str]
    ):
        policy = load_policy()
        definition = [
            item.model_dump(mode="json"),
            {name: codelist.model_dump(mode="json") for name, codelist in policy.codelists.items()},
            sorted(units.items()),
            [code for _, code in columns],  # which field each picked cell is
        ]
        self.item_code = item.code
        self.columns = list(columns)
        self._key = hashlib.sha256(
            get_settings().derived_key("collection-source") + _canonical(definition).encode()
        ).digest()
        picked = itemgetter(*(i for i, _ in self.columns))
        self._mapped = picked if len(self.columns) > 1 else lambda cells: (picked(cells),)

    def of(self, cells: Sequence[Any]) -> str:
        # The repr of the mapped cells: it tells types apart ('1', 1, Decimal('1')) and no
        # cell can pass for another's boundary; BLAKE2b is keyed by itself (no HMAC pass).
        body = repr(self._mapped(cells)).encode()
        return blake2b(body, key=self._key, digest_size=DIGEST_CHARS // 2).hexdigest()

    def held(self, session: Session, digests: Sequence[str]) -> dict[str, Held]:
        """digest → the current version of this item read from the same cells."""
        found: dict[str, Held] = {}
        wanted = list(dict.fromkeys(digests))
        for start in range(0, len(wanted), LOOKUP_CHUNK):
            rows = session.execute(
                select(Record.source_hash, Record.natural_key, Record.on_time).where(
                    Record.item_code == self.item_code,
                    Record.is_current,
                    one_of(session, Record.source_hash, wanted[start : start + LOOKUP_CHUNK]),
                )
            )
            found.update({digest: Held(key, on_time) for digest, key, on_time in rows if digest})
        return found


def _canonical(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
