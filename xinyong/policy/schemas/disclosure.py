"""`disclosure.yaml`: the audience side of publication — what the public and each staff role
see."""

from __future__ import annotations

from pydantic import Field

from xinyong.policy.enums import DisclosureLevel, Role
from xinyong.policy.schemas.common import PolicyModel, Sourced


class RoleView(Sourced):
    """What staff of a role see beyond the public view, for records of their own region."""

    levels: list[DisclosureLevel] = Field(min_length=1)
    history: bool = False  # records past their window or no longer valid, labelled as such
    own_department: bool = False  # every record their own department provided, any level


class DisclosurePolicy(PolicyModel):
    """The audience side of publication (`disclosure.yaml`); the record side is each catalog
    item's `disclosure` level and `publication` rule."""

    public_levels: list[DisclosureLevel] = Field(min_length=1)
    public_source: str
    public_verified: bool
    objection_marked: bool  # a record under objection stays up, marked 异议中 (else hidden)
    objection_source: str
    objection_verified: bool
    persons_by_full_name_only: bool  # the public finds natural persons by full name or code
    persons_source: str
    persons_verified: bool
    # Records of a subject no registration record has described yet (待核实) reach the public
    # only when the city says so; staff see them in the 待核实 queue either way.
    unverified_public: bool = False
    unverified_source: str = "本市规定：主体未经登记信息核实前，其信用记录不在信用网站公示"
    unverified_verified: bool = False
    roles: dict[Role, RoleView]
