"""Collection quality per department and month (seed 001: 上报率、合规率、及时率): 报送量 is the
rows sent, 合规率 accepted ÷ sent, 及时率 on time ÷ accepted rows that have a timeliness rule."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from xinyong.auth import permissions
from xinyong.auth.models import Department
from xinyong.auth.permissions import Principal
from xinyong.collection.models import Batch, BatchStatus


@dataclass(frozen=True)
class MonthlyQuality:
    department_code: str
    department_name: str
    period: str  # YYYY-MM
    batches: int
    refused_batches: int
    sent: int
    accepted: int
    rejected: int
    on_time: int
    late: int

    @property
    def compliance_rate(self) -> float | None:
        return self.accepted / self.sent if self.sent else None

    @property
    def timeliness_rate(self) -> float | None:
        timed = self.on_time + self.late
        return self.on_time / timed if timed else None

    def json(self) -> dict[str, Any]:
        return {
            "department": {"code": self.department_code, "name": self.department_name},
            "period": self.period,
            "batches": self.batches,
            "refused_batches": self.refused_batches,
            "sent": self.sent,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "on_time": self.on_time,
            "late": self.late,
            "compliance_rate": _rounded(self.compliance_rate),
            "timeliness_rate": _rounded(self.timeliness_rate),
        }


def _rounded(rate: float | None) -> float | None:
    return None if rate is None else round(rate, 4)


def monthly_quality(
    session: Session,
    principal: Principal,
    *,
    department_id: int | None = None,
    period: str | None = None,
) -> list[MonthlyQuality]:
    """One line per department and month, newest month first (a sum over batches), for the
    departments whose batches the principal may read (one of them: `department_id`)."""
    wanted = session.get(Department, department_id) if department_id is not None else None
    permissions.require(session, principal, "batches.read", wanted)
    refused = case((Batch.status == BatchStatus.REFUSED.value, 1), else_=0)
    query = (
        select(
            Department.code,
            Department.name,
            Batch.period,
            func.count(Batch.id),
            func.sum(refused),
            func.sum(Batch.total),
            func.sum(Batch.new + Batch.corrected + Batch.unchanged),
            func.sum(Batch.rejected),
            func.sum(Batch.on_time),
            func.sum(Batch.late),
        )
        .join(Department, Department.id == Batch.department_id)
        .where(permissions.departments_where(principal, "batches.read", Batch.department_id))
        .group_by(Department.code, Department.name, Batch.period)
        .order_by(Batch.period.desc(), Department.code)
    )
    if department_id is not None:
        query = query.where(Batch.department_id == department_id)
    if period is not None:
        query = query.where(Batch.period == period)
    return [
        MonthlyQuality(code, name, month, *(int(n or 0) for n in numbers))
        for code, name, month, *numbers in session.execute(query)
    ]
