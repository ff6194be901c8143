"""The case kinds of the loaded policy, checked at first use against what policy cannot see:
the permissions table (policy does not import auth) and the case classes the code maps."""

from __future__ import annotations

from xinyong.errors import NotFound, PolicyError
from xinyong.policy.case_kinds import CaseKind, CaseKinds
from xinyong.policy.loader import load_case_kinds, on_forget

_checked: set[int] = set()


def kind(code: str) -> CaseKind:
    """The case kind `code`; NotFound when the policy has none."""
    found = all_kinds().get(code)
    if found is None:
        raise NotFound(f"案件类型不存在：{code}", "cases.unknown_kind")
    return found


def all_kinds() -> dict[str, CaseKind]:
    loaded = load_case_kinds()
    if id(loaded) not in _checked:
        check(loaded)
        _checked.add(id(loaded))
    return loaded.kinds


def check(loaded: CaseKinds) -> None:
    """Raise PolicyError (file: kind: reason) for an action the permissions table lacks, a
    kind no case class maps, or a state or step its class needs that the policy lacks."""
    import xinyong.models  # noqa: F401  (every case class mapped before the map is read)
    from xinyong.auth.permissions import RULES
    from xinyong.cases.models import Case

    classes = Case.__mapper__.polymorphic_map
    for code, case_kind in loaded.kinds.items():
        where = f"{loaded.sources.get(code, code)}: case kind {code}"
        if unknown := sorted(case_kind.actions - set(RULES)):
            raise PolicyError(f"{where}: unknown permission action '{unknown[0]}'")
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
