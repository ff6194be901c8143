"""A commitment case: one signed commitment tracked until it is kept or broken, a case of the
`commitment` kind (`policy/cases/commitment.yaml`). `record_id` is the 信用承诺 record the
signing made; a breach adds the 违背信用承诺 record `breach_record_id`."""

from __future__ import annotations

from datetime import date
from enum import StrEnum
from typing import ClassVar

from xinyong.cases import kinds
from xinyong.cases.models import Case, Detail

KIND = "commitment"


class CommitmentState(StrEnum):
    SIGNED = "signed"
    FULFILLED = "fulfilled"
    BREACHED = "breached"

    @property
    def label(self) -> str:
        return kinds.kind(KIND).state(self.value).label


class CommitmentCase(Case):
    """What was signed is kept as it was read (the text with the subject's name filled in), so
    the record, the case and a later dispute show the same words."""

    template: Detail[str] = Detail()  # commitments.yaml template code
    commitment_type: Detail[str] = Detail()  # 容缺受理型 ...
    matter: Detail[str] = Detail()
    number: Detail[str] = Detail()  # 承诺书编号, the records' document number
    text: Detail[str] = Detail()
    signed_on: Detail[date] = Detail(date.fromisoformat)
    # The term the template gave, kept after the running deadline (`due`) ends.
    fulfil_by: Detail[date] = Detail(date.fromisoformat)
    channel: Detail[str] = Detail()  # online / window / system
    # At a window: who signed for the subject, with the identity document masked.
    signer_name: Detail[str | None] = Detail()
    signer_document: Detail[str | None] = Detail()  # 居民身份证
    signer_number_masked: Detail[str | None] = Detail()
    breach_reasons: Detail[str | None] = Detail()
    breach_record_id: Detail[int | None] = Detail()
    closed_by: Detail[str | None] = Detail()  # department / due (the job)

    required_states: ClassVar[frozenset[str]] = frozenset(s.value for s in CommitmentState)
    required_transitions: ClassVar[frozenset[str]] = frozenset({"sign", "fulfil", "breach"})
    __mapper_args__ = {"polymorphic_identity": KIND}  # noqa: RUF012  (read by SQLAlchemy)

    @property
    def state_label(self) -> str:
        return CommitmentState(self.state).label
