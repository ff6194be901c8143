"""One console account per role for the demo, so every journey can be tried (README lists them).

The credit office sits in the demo's 发展和改革委员会; the 政务服务中心, whose window staff check
applicants and which sends no records, gets its code from a generator of its own: the demo's
records stay the same for a given seed whether or not these accounts exist."""

from __future__ import annotations

import random

from sqlalchemy import select
from sqlalchemy.orm import Session

from xinyong import codes
from xinyong.auth import service as auth
from xinyong.auth.models import Department, Role
from xinyong.demo.identities import USCC_PREFIX
from xinyong.policy.enums import SubjectType

DEMO_PASSWORD = "xinyong-demo"

# (username, role, display name, department: a code suffix, or None for no department)
ACCOUNTS = (
    ("admin", Role.PLATFORM_ADMIN, "演示管理员", "fgw"),
    ("credit", Role.CREDIT_OFFICE, "信用办演示账号", "fgw"),
    ("provider", Role.DATA_PROVIDER, "市场监管局报送员", "scjgj"),
    ("regulator", Role.REGULATOR, "住建局监管员", "zjj"),
    ("window", Role.SERVICE_WINDOW, "政务服务窗口", "zwfw"),
    ("bank", Role.FINANCIAL_INSTITUTION, "演示银行信贷员", None),
)
OFFICES = (("zwfw", "政务服务中心"),)  # departments that send nothing, made for the accounts


def create_accounts(session: Session, city: codes.Region) -> list[str]:
    """The accounts, as README lines: 用户名（角色）."""
    rng = random.Random(city.code)
    for office, name in OFFICES:
        body = "".join(rng.choices("0123456789", k=8))
        prefix = USCC_PREFIX[SubjectType.GOVERNMENT_AGENCY] + city.code
        uscc = codes.make_uscc(prefix + codes.make_org_code(body))
        auth.create_department(session, f"{city.code}-{office}", city.name + name, city.code, uscc)
    made = []
    for username, role, display_name, suffix in ACCOUNTS:
        department = None
        if suffix is not None:
            code = f"{city.code}-{suffix}"
            department = session.scalars(select(Department).where(Department.code == code)).one()
        auth.create_user(
            session, username, DEMO_PASSWORD, role, city.code, display_name, department
        )
        made.append(f"{username}（{role.label}）")
    return made
