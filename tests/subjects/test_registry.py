"""The registry's one lookup: set-based, keyed as stored, shared by collection, checks and
search; and the one audited way a list entry gets a person's ID number."""

from sqlalchemy import event, select

from xinyong import codes
from xinyong.auth.models import AuditEntry
from xinyong.codes.schemes import Scheme
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects import registry, service
from xinyong.subjects.service import SubjectIn

ID_NUMBER = codes.make_id_number("44010619900307123")


def _companies(session, n):
    usccs = [codes.make_uscc("91440106" + codes.make_org_code(f"MA{i:06d}")) for i in range(n)]
    with committing(session):
        ids = service.register_many(
            session,
            [SubjectIn(SubjectType.ENTERPRISE, f"公司{i}", uscc=u) for i, u in enumerate(usccs)],
        )
    return usccs, ids


def _statements(session):
    seen = []
    engine = session.get_bind()

    def count(conn, cursor, statement, *args):
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append(statement)

    event.listen(engine, "before_cursor_execute", count)
    return seen, lambda: event.remove(engine, "before_cursor_execute", count)


def test_lookup_many_is_one_query_per_scheme_and_chunk(session, monkeypatch):
    usccs, ids = _companies(session, 7)
    monkeypatch.setattr(registry, "CHUNK", 3)
    keys = [registry.key_of(Scheme.USCC, u.lower()) for u in usccs]  # normalised on the way
    seen, stop = _statements(session)
    try:
        found = registry.lookup_many(session, [*keys, ("org_code", "000000000")])
    finally:
        stop()
    assert [found[k].subject_id for k in keys] == ids
    assert found[keys[0]].subject_type is SubjectType.ENTERPRISE
    assert len(seen) == 3 + 1  # 7 USCCs in chunks of 3, one organisation code


def test_a_person_is_found_by_the_keyed_hash_never_by_the_number(session):
    with committing(session):
        person = service.register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "张三", id_number=ID_NUMBER)
        )
    key = registry.key_of(Scheme.ID_NUMBER, ID_NUMBER.lower())
    assert key is not None and ID_NUMBER not in key[1]
    assert registry.lookup_many(session, [key])[key].subject_id == person.id
    assert registry.key_of(Scheme.ID_NUMBER, ID_NUMBER[:-1] + "0") is None  # not a valid number


def test_an_organisation_code_is_told_by_its_length():
    uscc = codes.make_uscc("91440106" + codes.make_org_code("MA5CXQ2B"))
    assert registry.organisation_key(uscc[8:16] + "-" + uscc[16]) == ("org_code", uscc[8:17])
    assert registry.organisation_key(uscc) == ("uscc", uscc)
    assert registry.organisation_key("12345") is None


def test_a_list_entry_gets_a_persons_number_only_through_the_audited_reveal(session):
    with committing(session):
        person = service.register(
            session, SubjectIn(SubjectType.NATURAL_PERSON, "张三", id_number=ID_NUMBER)
        )
        named = service.identifier_for_entry(session, person, "user:3", "列入名单")
    assert named == (Scheme.ID_NUMBER, ID_NUMBER)
    (entry,) = session.scalars(
        select(AuditEntry).where(AuditEntry.action == "subject.reveal_id_number")
    )
    assert (entry.actor, entry.target_id, entry.note) == ("user:3", str(person.id), "列入名单")


def test_an_organisation_entry_is_named_by_its_uscc_without_any_reveal(session):
    (uscc,), (subject_id,) = _companies(session, 1)
    with committing(session):
        named = service.identifier_for_entry(session, service.get(session, subject_id), "u", "r")
    assert named == (Scheme.USCC, uscc)
    assert session.scalars(select(AuditEntry.id)).all() == []
