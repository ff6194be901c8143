"""The engine's test case kind (`policy/cases/sample.yaml`), mapped by SampleCase, and the
principals the tests act as."""

from datetime import UTC, datetime
from pathlib import Path

from xinyong.auth.principal import Principal
from xinyong.cases.models import Case, Detail
from xinyong.policy.enums import Role

POLICY = Path(__file__).parent / "policy"
THURSDAY = datetime(2026, 2, 12, 2, 0, tzinfo=UTC)  # 10:00 in Beijing, before Spring Festival


class SampleCase(Case):
    topic: Detail[str] = Detail()
    __mapper_args__ = {"polymorphic_identity": "sample"}  # noqa: RUF012


def clerk(department, user: int = 1) -> Principal:
    return Principal(Role.DATA_PROVIDER, department.id, department.region_code, f"user:{user}")


CREDIT_OFFICE_GZ = Principal(Role.CREDIT_OFFICE, None, "440100", "user:90")


def take_step(session, principal, case, asked):  # type: ignore[no-untyped-def]
    """The sample kind's handler (`cases.handlers`): the engine's step with the form's values."""
    from xinyong.cases import service

    service.step(session, case, asked.transition, principal, asked.note, asked.data)
    return case
