def test_health_answers(client, engine):
    response = client.get("/api/v1/health")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok" and body["database"] == engine.dialect.name


def test_openapi_docs_answer(client):
    assert client.get("/api/v1/openapi.json").json()["info"]["title"].startswith("xinyong")
    assert client.get("/api/docs").status_code == 200


def test_stats_counts_every_subject_type_and_catalog_item(client):
    body = client.get("/api/v1/stats").json()
    assert set(body["subjects"]) == {
        "enterprise",
        "individual_business",
        "public_institution",
        "social_organization",
        "government_agency",
        "natural_person",
    }
    assert {"xzxk", "xzcf"} <= set(body["records"])


def test_unknown_path_is_a_json_404(client):
    assert client.get("/api/v1/nope").status_code == 404
