"""POST /api/v1/batches (file or JSON) with a department's API key, receipts, rejected rows,
and GET /api/v1/collection/stats — scoped to the caller's department."""

from __future__ import annotations

import csv
import io
from urllib.parse import unquote

import pytest

from tests.factories import AUTHORITY_USCC, penalty_row, write_csv
from xinyong.auth import service as auth
from xinyong.db import committing

pytestmark = pytest.mark.usefixtures("received")


@pytest.fixture
def keys(session):  # type: ignore[no-untyped-def]
    with committing(session):
        market = auth.create_department(
            session, "scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        )
        other = auth.create_department(session, "sthj", "广州市生态环境局", "440100")
        return auth.create_api_key(session, market, "执法系统"), auth.create_api_key(
            session, other, "x"
        )


def _post_file(client, key, path, item="行政处罚"):  # type: ignore[no-untyped-def]
    with path.open("rb") as data:
        return client.post(
            "/api/v1/batches",
            headers={"X-API-Key": key},
            data={"item": item},
            files={"file": (path.name, data, "text/csv")},
        )


def test_a_department_system_posts_a_file_and_gets_a_receipt(client, keys, tmp_path):
    rows = [penalty_row(), penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文2"})]
    response = _post_file(client, keys[0], write_csv(tmp_path / "处罚.csv", rows))
    assert response.status_code == 201
    receipt = response.json()
    assert (receipt["total"], receipt["new"], receipt["rejected"]) == (2, 1, 1)
    assert receipt["department"] == "广州市市场监督管理局"
    again = client.get(f"/api/v1/batches/{receipt['batch_id']}", headers={"X-API-Key": keys[0]})
    assert again.json() == receipt


def test_rejected_rows_download_in_the_format_sent(client, keys, tmp_path):
    rows = [penalty_row(), penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文2"})]
    batch = _post_file(client, keys[0], write_csv(tmp_path / "处罚.csv", rows, "gbk")).json()
    response = client.get(
        f"/api/v1/batches/{batch['batch_id']}/rejections", headers={"X-API-Key": keys[0]}
    )
    assert response.status_code == 200
    assert "_错误数据.csv" in unquote(response.headers["content-disposition"])
    (row,) = csv.DictReader(io.StringIO(response.content.decode("gbk")))
    assert row["行政处罚决定书文号"] == "文2"
    assert row["错误原因"] == "处罚类别：“吃”不是有效的处罚类别"


def test_json_records_go_through_the_same_service(client, keys):
    body = {"item": "xzcf", "records": [penalty_row(), {"行政相对人名称": "缺很多字段"}]}
    response = client.post("/api/v1/batches", headers={"X-API-Key": keys[0]}, json=body)
    assert response.status_code == 201
    receipt = response.json()
    assert (receipt["total"], receipt["accepted"], receipt["rejected"]) == (2, 1, 1)


def test_a_department_sends_only_for_itself(client, keys):
    headers = {"X-API-Key": keys[1]}
    body = {"item": "xzcf", "department": "scjg", "records": [penalty_row()]}
    forbidden = client.post("/api/v1/batches", headers=headers, json=body)
    assert (forbidden.status_code, forbidden.json()["code"]) == (403, "batch.forbidden")
    body["department"] = 5
    malformed = client.post("/api/v1/batches", headers=headers, json=body)
    assert (malformed.status_code, malformed.json()["code"]) == (400, "batch.json")


def test_another_department_cannot_read_the_batch(client, keys, tmp_path):
    batch = _post_file(client, keys[0], write_csv(tmp_path / "p.csv", [penalty_row()])).json()
    for path in ("", "/rejections"):
        response = client.get(
            f"/api/v1/batches/{batch['batch_id']}{path}", headers={"X-API-Key": keys[1]}
        )
        assert response.status_code == 403
        assert response.json()["message"] == "只能报送和查看本部门的数据"


def test_a_refused_file_is_422_with_the_reason(client, keys, tmp_path):
    path = tmp_path / "bad.csv"
    path.write_bytes("行政相对人名称,处罚类别\n某公司,罚款\n".encode())
    response = _post_file(client, keys[0], path)
    assert response.status_code == 422
    assert response.json()["code"] == "file.missing_columns"
    assert response.json()["message"].startswith("缺少必填列：")


def test_a_file_over_the_size_limit_is_refused_before_reading(app, client, keys, tmp_path):
    app.state.settings = app.state.settings.model_copy(update={"max_upload_mb": 0})
    response = _post_file(client, keys[0], write_csv(tmp_path / "p.csv", [penalty_row()]))
    assert response.status_code == 422
    assert response.json()["code"] == "file.too_large"


def test_missing_key_is_401_and_unknown_item_is_404(client, keys, tmp_path):
    path = write_csv(tmp_path / "p.csv", [penalty_row()])
    with path.open("rb") as data:
        assert (
            client.post("/api/v1/batches", files={"file": data}, data={"item": "xzcf"}).status_code
            == 401
        )
    assert _post_file(client, keys[0], path, item="不存在的目录").status_code == 404


def test_stats_are_per_department_and_month(client, keys, tmp_path):
    rows = [penalty_row(), penalty_row(**{"处罚类别": "吃", "行政处罚决定书文号": "文2"})]
    _post_file(client, keys[0], write_csv(tmp_path / "p.csv", rows))
    mine = client.get("/api/v1/collection/stats", headers={"X-API-Key": keys[0]}).json()
    assert len(mine) == 1
    assert mine[0]["period"] == "2024-03" and mine[0]["sent"] == 2
    assert mine[0]["compliance_rate"] == 0.5 and mine[0]["timeliness_rate"] == 1.0
    theirs = client.get("/api/v1/collection/stats", headers={"X-API-Key": keys[1]}).json()
    assert theirs == []
    denied = client.get("/api/v1/collection/stats?department=scjg", headers={"X-API-Key": keys[1]})
    assert denied.status_code == 403
