"""Who is acting: one value for every way in (a staff member's session, a department's API key,
a partner platform's key, a subject's applicant account, the anonymous public), with the one
name the audit log and the batches use for it."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import TYPE_CHECKING

from xinyong.auth.models import Department, User
from xinyong.policy import load_policy
from xinyong.policy.enums import Role

if TYPE_CHECKING:
    from xinyong.applicants.models import Applicant


class Kind(StrEnum):
    """The prefix of an actor string: `user:7`, `department:gz-scjg`, `partner:icbc`,
    `applicant:3`, `public`."""

    USER = "user"
    DEPARTMENT = "department"
    PARTNER = "partner"
    APPLICANT = "applicant"
    PUBLIC = "public"
    OPERATOR = "cli"  # the command line, run by whoever operates the server


@dataclass(frozen=True)
class Principal:
    """The role decides what it may do (`xinyong.auth.permissions`), the department and region
    on which objects; `actor` is how every audit entry, batch and check names it."""

    role: Role | None = None  # None: the anonymous public
    department_id: int | None = None
    region_code: str | None = None
    actor: str = Kind.PUBLIC.value
    name: str | None = None  # for people to read: the username, the department's name
    # An applicant's own subject. It has no staff role, so no staff permission lets it act,
    # and it sees what the public sees (this step does not widen its view of its subject).
    subject_id: int | None = None

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

    @classmethod
    def of_partner(cls, department: Department) -> Principal:
        """A partner platform's key: no staff role, so only rules with `partner: true` let it
        act (the change feed), over its department's region; it sees what the public sees."""
        actor = f"{Kind.PARTNER}:{department.code}"
        return cls(None, department.id, department.region_code, actor, department.name)

    @classmethod
    def of_applicant(cls, applicant: Applicant) -> Principal:
        actor = f"{Kind.APPLICANT}:{applicant.id}"
        return cls(None, None, None, actor, applicant.username, applicant.subject_id)

    @property
    def kind(self) -> Kind:
        return Kind(self.actor.split(":", 1)[0])

    @property
    def is_public(self) -> bool:
        """No staff role: the anonymous public, or an applicant (who has only its own pages)."""
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
