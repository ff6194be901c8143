"""Who is acting: one value for every way in (a staff member's session, a department's API key,
the anonymous public), with the one name the audit log and the batches use for it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from xinyong.auth.models import Department, User
from xinyong.policy import load_policy
from xinyong.policy.enums import Role


class Kind(StrEnum):
    """The prefix of an actor string: `user:7`, `department:gz-scjg`, `partner:icbc`, `public`."""

    USER = "user"
    DEPARTMENT = "department"
    PARTNER = "partner"
    PUBLIC = "public"


@dataclass(frozen=True)
class Principal:
    """The role decides what it may do (`xinyong.auth.permissions`), the department and region
    on which objects; `actor` is how every audit entry, batch and check names it."""

    role: Role | None = None  # None: the anonymous public
    department_id: int | None = None
    region_code: str | None = None
    actor: str = Kind.PUBLIC.value
    name: str | None = None  # for people to read: the username, the department's name

    @classmethod
    def of_user(cls, user: User) -> Principal:
        return cls(
            Role(user.role), user.department_id, user.region_code, actor_of(user), user.username
        )

    @classmethod
    def of_department(cls, department: Department) -> Principal:
        """A department's system acts by its key with its data provider's rights."""
        actor = f"{Kind.DEPARTMENT}:{department.code}"
        return cls(
            Role.DATA_PROVIDER, department.id, department.region_code, actor, department.name
        )

    @property
    def kind(self) -> Kind:
        return Kind(self.actor.split(":", 1)[0])

    @property
    def is_public(self) -> bool:
        return self.role is None

    @property
    def sees_as_public(self) -> bool:
        """The public, or a role `disclosure.yaml` gives no view beyond it (e.g. banks)."""
        return self.role is None or self.role not in load_policy().disclosure.roles

    def may(self, action: str, on: object = None) -> bool:
        """May it do `action` (on `on`, a `permissions.Target`; None: by its role alone)?"""
        from xinyong.auth import permissions  # permissions builds on this module

        return permissions.may(self, action, on)  # type: ignore[arg-type]


PUBLIC = Principal()


def actor_of(user: User) -> str:
    return f"{Kind.USER}:{user.id}"
