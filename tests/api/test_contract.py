"""Every /api/v1 route declares what it answers and how it refuses (issue 12 item 7)."""

from __future__ import annotations

import pytest
from fastapi.routing import APIRoute

from xinyong.app import API_ROUTERS

ROUTES = [route for router in API_ROUTERS for route in router.routes if isinstance(route, APIRoute)]
# Downloads: their 200 is a file.
FILE_ROUTES = {
    "/batches/{batch_id}/rejections",
    "/checks/{check_id}/receipt.pdf",
    "/records/{record_id}/repair-notice",
    "/reports/authorised",
    "/reports/{report_id}.pdf",
}
FILE_TYPES = {"application/octet-stream", "application/pdf"}
OPEN_ROUTES = {"/health", "/stats"}  # nothing to refuse but a malformed request


@pytest.mark.parametrize("route", ROUTES, ids=lambda r: f"{sorted(r.methods)[0]} {r.path}")
def test_route_declares_its_response_and_refusals(route):
    if route.path in FILE_ROUTES:
        assert FILE_TYPES & set(route.responses[200]["content"])
    else:
        assert route.response_model is not None
    if route.path not in OPEN_ROUTES:
        refused = [s for s in route.responses if isinstance(s, int) and 400 <= s < 600]
        assert refused, "declares no refusal"


def test_every_declared_refusal_is_documented_in_the_schema(client):
    schema = client.get("/api/v1/openapi.json").json()
    check = schema["paths"]["/api/v1/checks"]["post"]["responses"]
    assert {"201", "401", "403", "404", "422"} <= set(check)
    assert check["403"]["description"] == "无权访问"


def test_one_name_for_one_thing():
    """The check's subject and the registry's identifier are different types with different
    names (they used to share `SubjectIn`)."""
    from xinyong.measures import schemas
    from xinyong.subjects import service

    assert not hasattr(schemas, "SubjectIn") and hasattr(service, "SubjectIn")


def test_the_registry_identifier_and_the_catalog_rule_have_their_own_names():
    from xinyong.policy import schemas
    from xinyong.subjects import models

    assert not hasattr(schemas, "SubjectIdentifier") and hasattr(schemas, "RequiredIdentifier")
    assert hasattr(models, "SubjectIdentifier")
