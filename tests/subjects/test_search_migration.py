"""Migration 0020 rebuilds the name index with the filters' facets, on a database of its own:
subjects registered before it are found by a fragment inside a district after it, and its
downgrade gives back the index of names alone."""

from alembic import command
from sqlalchemy import text

from tests.cases.test_migration import fresh_engine  # noqa: F401  (the fixture)
from xinyong import codes
from xinyong.db import alembic_config, migrate, session_factory, transaction
from xinyong.policy.enums import SubjectType
from xinyong.subjects.search import SearchFilter, search
from xinyong.subjects.service import SubjectIn, register

SHOPS = {"广州市某某五金有限公司": "91440106", "广州市番禺五金有限公司": "91440113"}


def test_subjects_from_before_0020_are_found_inside_a_district(fresh_engine):  # noqa: F811
    migrate(fresh_engine, "0019_report_authorisations")
    factory = session_factory(fresh_engine)
    with transaction(factory) as session:
        for number, (name, prefix) in enumerate(SHOPS.items()):
            uscc = codes.make_uscc(prefix + codes.make_org_code(f"MG{number:06d}"))
            register(session, SubjectIn(SubjectType.ENTERPRISE, name, uscc=uscc))
    migrate(fresh_engine)
    with factory() as session:
        panyu = search(session, "五金", filters=SearchFilter(region_code="440113"))
        assert [h.name for h in panyu.hits] == ["广州市番禺五金有限公司"]
    command.downgrade(alembic_config(fresh_engine), "0019_report_authorisations")
    with fresh_engine.connect() as conn:
        if fresh_engine.dialect.name == "postgresql":
            found = conn.execute(
                text("SELECT count(*) FROM subjects WHERE xinyong_name_grams(name_key) @> '{五金}'")
            )
        else:
            found = conn.execute(
                text("SELECT count(*) FROM subject_search WHERE pieces MATCH '\"五金\"'")
            )
        assert found.scalar() == 2
