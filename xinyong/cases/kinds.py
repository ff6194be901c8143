"""The case kinds of the loaded policy, checked at first use against what policy cannot see:
the case classes the code maps (the states and steps each class relies on)."""

from __future__ import annotations

from xinyong.errors import NotFound, PolicyError
from xinyong.policy import load_policy
from xinyong.policy.loader import on_forget
from xinyong.policy.schemas import CaseKind, Policy

_checked: set[int] = set()


def kind(code: str) -> CaseKind:
    """The case kind `code`; NotFound when the policy has none."""
    found = all_kinds().get(code)
    if found is None:
        raise NotFound(f"案件类型不存在：{code}", "cases.unknown_kind")
    return found


def all_kinds() -> dict[str, CaseKind]:
    loaded = load_policy()
    if id(loaded) not in _checked:
        check(loaded)
        _checked.add(id(loaded))
    return loaded.case_kinds


def check(loaded: Policy) -> None:
    """Raise PolicyError (file: kind: reason) for a kind no case class maps, or a state or
    step its class needs that the policy lacks."""
    import xinyong.models  # noqa: F401  (every case class mapped before the map is read)
    from xinyong.cases.models import Case

    classes = Case.__mapper__.polymorphic_map
    for code, case_kind in loaded.case_kinds.items():
        where = f"{loaded.case_sources.get(code, code)}: case kind {code}"
        mapper = classes.get(code)
        if mapper is None:
            raise PolicyError(f"{where}: no case class maps this kind")
        cls, name = mapper.class_, mapper.class_.__name__
        states = {s.code for s in case_kind.states}
        if missing := sorted(cls.required_states - states):
            raise PolicyError(f"{where}: missing states {', '.join(missing)} that {name} uses")
        if extra := sorted(states - cls.required_states) if cls.required_states else []:
            raise PolicyError(f"{where}: states {', '.join(extra)} unknown to {name}")
        names = {t.name for t in case_kind.transitions}
        if missing := sorted(cls.required_transitions - names):
            raise PolicyError(f"{where}: missing transitions {', '.join(missing)} that {name} uses")


@on_forget
def forget_checked() -> None:
    _checked.clear()
