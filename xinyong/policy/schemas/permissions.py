"""`permissions.yaml`: what each role may do, and how far — the one table services consult."""

from __future__ import annotations

from pydantic import Field

from xinyong.policy.enums import Role, Scope
from xinyong.policy.schemas.common import CODE_PATTERN, PolicyModel, Sourced

ACTION_PATTERN = r"^[a-z][a-z_]*\.[a-z][a-z_]*$"  # part.verb: lists.propose


class PermissionRule(PolicyModel):
    """Who may do a group of actions: each listed role with its scope; a role not listed may
    not. The refusals are what a refused principal reads (after "<role>账号" for the role)."""

    name: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    actions: list[str] = Field(min_length=1)
    roles: dict[Role, Scope]
    # An applicant account (a subject acting for itself) may do these actions on its own
    # subject's objects — its cases, records, files and notices — and on no other.
    applicant: bool = False
    # A partner platform's key (信用中国, the provincial platform, a credit agency) may do these
    # actions on the objects of every department inside its own department's region; a partner
    # may do nothing a rule does not give it this way.
    partner: bool = False
    # Anyone — the anonymous public, an applicant, a partner, every staff role — may do these
    # actions on any object (the public credit report of an organisation); `roles` may be empty.
    public: bool = False
    refusal: str = Field(min_length=1)  # 窗口人员账号 + 不能办理列入
    scope_refusal: str  # {where} is 本部门 or 本地区; "" where the scope is always own
    code: str = Field(pattern=ACTION_PATTERN)  # the refusal's machine code: lists.forbidden


class PermissionsFile(Sourced):
    rules: list[PermissionRule] = Field(min_length=1)
