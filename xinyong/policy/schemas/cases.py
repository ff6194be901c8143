"""Typed policy for case kinds (`policy/cases/<kind>.yaml`): the states a case of the kind
passes through, the transitions between them, who may take each (a permission action) and the
deadline each starts. The case engine (`xinyong.cases`) runs any kind declared here; a kind's
own service adds only what the rule says happens on a step (e.g. a listing stores an entry).

Each transition names the permission action (`permissions.yaml`) that authorises it; the
cross-check (`policy.checks.cases`) refuses an action that file does not rule."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from pydantic import Field, model_validator

from xinyong.policy.schemas.common import CODE_PATTERN, MaySource, PolicyModel, Sourced
from xinyong.policy.schemas.permissions import ACTION_PATTERN


class CaseState(PolicyModel):
    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)  # 拟列入, 已告知 ...
    terminal: bool = False  # the case is closed on entering it


class Deadline(MaySource):
    """What a transition gives the next actor: `days` working or natural days counted from the
    day of the step (the day itself not counted). Where the number varies per case and lives
    in another policy file, `days_from` says where and the kind's service passes it."""

    count: Literal["working", "natural"]
    days: int | None = Field(default=None, ge=1)
    days_from: str | None = None
    # days (same count) before the due day a reminder falls on; 0: the due day itself
    remind_before: list[int] = Field(default_factory=list)
    # How a reminder names the period (陈述申辩期); without it, "<the step's label>期限".
    label: str | None = Field(default=None, min_length=1)
    # Whether the subject is reminded too (its own period, e.g. to state its case), besides
    # the deciding department's reminder list.
    tell_subject: bool = False

    @model_validator(mode="after")
    def _one_origin(self) -> Deadline:
        if (self.days is None) == (self.days_from is None):
            raise ValueError("a deadline has either `days` or `days_from`")
        if self.days is not None and self.source is None:
            raise ValueError("a deadline's `days` needs its `source` and `verified`")
        return self


class Choice(PolicyModel):
    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)


class StepField(PolicyModel):
    """A value a step asks for (the reasons of a refusal, an objection's outcome): the console
    and the applicant's pages draw its form from here, and the kind's handler reads it from the
    step's `data` under `name`."""

    name: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)
    type: Literal["text", "textarea", "choice", "date"] = "text"
    required: bool = True
    choices: list[Choice] = Field(default_factory=list)  # for `choice`
    max_length: int = Field(default=2000, ge=1, le=20000)
    hint: str | None = None

    @model_validator(mode="after")
    def _choices_for_choice(self) -> StepField:
        if (self.type == "choice") != bool(self.choices):
            raise ValueError("a `choice` field has `choices`, and only it")
        return self


class Transition(PolicyModel):
    name: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)  # 告知, 列入 ... (the button and the log)
    from_: list[str] = Field(alias="from")  # empty: the transition that opens a case
    to: str
    action: str = Field(pattern=ACTION_PATTERN)  # the permission that authorises it
    deadline: Deadline | None = None
    # Without a deadline of its own a step ends the running one, unless it keeps it (a step
    # that records something without moving the case on).
    keeps_deadline: bool = False
    fields: list[StepField] = Field(default_factory=list)  # what the step's form asks for
    # Who takes it, for the pages: staff (the default) or the applicant itself (e.g. handing in
    # missing materials); the permission action still decides.
    by_applicant: bool = False

    @property
    def opens(self) -> bool:
        return not self.from_


class Suspension(Sourced):
    """Whether a running deadline may be stopped and resumed (时间不计入: 检验、检测、鉴定 ...),
    and who may do it."""

    action: str = Field(pattern=ACTION_PATTERN)


FileType = Literal["pdf", "png", "jpeg"]
ALL_FILE_TYPES: list[FileType] = ["pdf", "png", "jpeg"]


class Material(Sourced):
    """A file an applicant hands in with a case of the kind (proof that the obligations are
    performed, a signed 承诺书, evidence): which types are accepted, how large, and whether the
    case is incomplete without it."""

    code: str = Field(pattern=CODE_PATTERN)
    label: str = Field(min_length=1)  # 履行义务的证明材料
    required: bool = True
    types: list[FileType] = Field(default_factory=lambda: list(ALL_FILE_TYPES), min_length=1)
    max_bytes: int = Field(default=10 * 1024 * 1024, ge=1024, le=50 * 1024 * 1024)
    max_files: int = Field(default=5, ge=1, le=20)
    hint: str | None = None  # what it should show, for the applicant


class CaseKind(Sourced):
    code: str = Field(pattern=CODE_PATTERN)
    name: str = Field(min_length=1)  # 列入严重失信主体名单
    noun: str = Field(min_length=1)  # how a message names one case: 列入案件
    view_action: str = Field(pattern=ACTION_PATTERN)  # who sees its cases and queues
    states: list[CaseState] = Field(min_length=2)
    transitions: list[Transition] = Field(min_length=1)
    suspension: Suspension | None = None
    # The applicant's answer is due within this, counted from the opening (e.g. 10 working
    # days for a repair, whatever steps it takes inside the platform and the department).
    answer_within: Deadline | None = None
    materials: list[Material] = Field(default_factory=list)

    def state(self, code: str) -> CaseState:
        return next(s for s in self.states if s.code == code)

    def material(self, code: str) -> Material | None:
        return next((m for m in self.materials if m.code == code), None)

    def transition(self, name: str) -> Transition | None:
        return next((t for t in self.transitions if t.name == name), None)

    @property
    def opening(self) -> Transition:
        return next(t for t in self.transitions if t.opens)

    def next_steps(self, state: str) -> list[Transition]:
        """The transitions allowed from `state`, in the policy's order."""
        return [t for t in self.transitions if state in t.from_]

    @property
    def actions(self) -> set[str]:
        found = {self.view_action, *(t.action for t in self.transitions)}
        return found | ({self.suspension.action} if self.suspension else set())

    def problems(self) -> Iterator[tuple[tuple[str | int, ...], str]]:
        """(path in the file, reason) for states and transitions that do not fit together."""
        codes = [s.code for s in self.states]
        for i, code in enumerate(codes):
            if code in codes[:i]:
                yield ("states", i, "code"), f"duplicate state '{code}'"
        names = [t.name for t in self.transitions]
        terminal = {s.code for s in self.states if s.terminal}
        for i, t in enumerate(self.transitions):
            if t.name in names[:i]:
                yield ("transitions", i, "name"), f"duplicate transition '{t.name}'"
            for j, state in enumerate(t.from_):
                if state not in codes:
                    yield ("transitions", i, "from", j), f"unknown state '{state}'"
                elif state in terminal:
                    yield ("transitions", i, "from", j), f"'{state}' is terminal"
            if t.to not in codes:
                yield ("transitions", i, "to"), f"unknown state '{t.to}'"
            elif t.deadline is not None and t.to in terminal:
                yield ("transitions", i, "deadline"), "a deadline into a terminal state"
        materials = [m.code for m in self.materials]
        for i, code in enumerate(materials):
            if code in materials[:i]:
                yield ("materials", i, "code"), f"duplicate material '{code}'"
        if sum(t.opens for t in self.transitions) != 1:
            yield ("transitions",), "exactly one transition opens a case (`from: []`)"
