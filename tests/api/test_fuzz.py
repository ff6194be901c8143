"""Schemathesis against the OpenAPI schema, in-process: no input, anonymous or with a
department's API key, makes the server answer 5xx (issue 11 item 14)."""

from __future__ import annotations

from datetime import date

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from tests.factories import COMPANY_USCC, demo_row, store
from xinyong.auth import service as auth
from xinyong.db import committing
from xinyong.policy.enums import SubjectType
from xinyong.subjects.service import SubjectIn, register

# Seeded and bounded: every route, valid and invalid inputs, two callers, under a minute on SQLite.
EXAMPLES_PER_ROUTE = 30
CHECKS = [not_a_server_error, response_schema_conformance]
MIN_OPERATIONS = 17  # the API's operations today: a schema that loses them must not pass quietly


@pytest.fixture
def department_key(session):  # type: ignore[no-untyped-def]
    """A department with a key and a listed subject, so lookups have something to find."""
    with committing(session):
        company = register(
            session, SubjectIn(SubjectType.ENTERPRISE, "广州市某某科技有限公司", uscc=COMPANY_USCC)
        )
        department = auth.create_department(session, "gz-czj", "广州市财政局", "440100")
        key = auth.create_api_key(session, department, "政府采购系统")
    store(session, company.id, demo_row("sxbzxr", company, date(2026, 5, 1)), "sxbzxr")
    return key


def test_fuzzing_every_route_finds_no_server_error(app, department_key):  # type: ignore[no-untyped-def]
    """issue 11 item 14: generated ids (≥ 2^63, Unicode digits), NUL bytes, long strings and
    malformed bodies are answered 4xx, never 5xx, for the public and for a department, and
    every answer has the shape the schema declares."""
    schema = schemathesis.openapi.from_asgi("/api/v1/openapi.json", app)
    failures = []
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= MIN_OPERATIONS, "the schema lost its routes"
    for operation in operations:
        cases = st.one_of(
            operation.as_strategy(GenerationMode.POSITIVE),
            operation.as_strategy(GenerationMode.NEGATIVE),
        )

        @given(case=cases)
        @settings(
            max_examples=EXAMPLES_PER_ROUTE,
            derandomize=True,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):  # type: ignore[no-untyped-def]
            case.call_and_validate(checks=CHECKS)
            case.call_and_validate(headers={"X-API-Key": department_key}, checks=CHECKS)

        try:
            fuzz()
        except Exception as error:  # one report per route, then the next route
            failures.append(f"{operation.label}: {error}")
    assert not failures, "\n\n".join(failures)
