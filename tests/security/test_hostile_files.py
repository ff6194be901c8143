"""issue 11 items 2 and 13 (and the collection-message bullet): every hostile file goes through
all three channels — `xinyong ingest`, `POST /api/v1/batches` and the console upload — and ends
as a refused batch recorded with a Chinese reason, a 4xx (never a 5xx), and a live process."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from tests.factories import AUTHORITY_USCC, penalty_row, write_csv
from tests.security import hostile
from xinyong.auth import service as auth
from xinyong.auth.models import Role
from xinyong.cli import app as cli_app
from xinyong.collection.models import Batch, BatchStatus
from xinyong.collection.service import rejection_reasons
from xinyong.db import committing
from xinyong.errors import DomainError

pytestmark = pytest.mark.usefixtures("received")

PASSWORD = "hostile-files-clerk"
CHINESE = re.compile(r"[\u4e00-\u9fff]")

# (builder, file name, a piece of the reason the clerk must read)
REFUSED_FILES: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "sparse_xfd1048576": (hostile.sparse_xlsx, "稀疏.xlsx", "个单元格的上限"),
    "sparse_without_dimension": (
        lambda p: hostile.sparse_xlsx(p, dimension=None),
        "无维度.xlsx",
        "数据所在区域为 1,048,576 行 × 16,384 列",
    ),
    "dimension_that_lies": (hostile.lying_dimension_xlsx, "谎报.xlsx", "数据所在区域"),
    "namespace_prefix": (hostile.prefixed_xlsx, "前缀.xlsx", "数据所在区域"),
    "zip_ratio_bomb": (hostile.zip_bomb_xlsx, "炸弹.xlsx", "疑似“压缩炸弹”"),
    "truncated_zip": (hostile.truncated_xlsx, "截断.xlsx", "无法作为 Excel 工作簿打开"),
    "csv_named_xlsx": (hostile.csv_named_xlsx, "其实是CSV.xlsx", "无法作为 Excel 工作簿打开"),
    "broken_xls": (hostile.broken_xls, "旧格式.xls", "无法作为 Excel 工作簿打开"),
    "huge_single_line": (hostile.huge_line_csv, "超长行.csv", "个字符的上限"),
    "header_only": (hostile.header_only_csv, "只有表头.csv", "只有表头，没有数据行"),
    "deeply_nested_json": (hostile.deeply_nested_json, "嵌套.json", "嵌套层数过多"),
}


@pytest.fixture
def market(session):  # type: ignore[no-untyped-def]
    with committing(session):
        department = auth.create_department(
            session, "scjg", "广州市市场监督管理局", "440100", AUTHORITY_USCC
        )
        auth.create_user(session, "liu", PASSWORD, Role.DATA_PROVIDER, "440100", "刘敏", department)
        return auth.create_api_key(session, department, "执法系统")


def _last_batch(sessions) -> Batch:  # type: ignore[no-untyped-def]
    with sessions() as session:
        return session.scalars(select(Batch).order_by(Batch.id.desc()).limit(1)).one()


def _via_cli(path: Path, name: str, client, key) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli_app, ["ingest", str(path), "--item", "xzcf", "--department", "scjg"]
    )
    assert isinstance(result.exception, DomainError), result.output
    return 422, result.exception.message


def _post_batch(path: Path, name: str, client, key):  # type: ignore[no-untyped-def]
    with path.open("rb") as data:
        return client.post(
            "/api/v1/batches",
            headers={"X-API-Key": key},
            data={"item": "xzcf"},
            files={"file": (name, data, "application/octet-stream")},
        )


def _via_api(path: Path, name: str, client, key) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    response = _post_batch(path, name, client, key)
    return response.status_code, response.json()["message"]


def _csrf(html: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', html)
    assert found is not None
    return found.group(1)


def _via_console(path: Path, name: str, client, key) -> tuple[int, str]:  # type: ignore[no-untyped-def]
    login = client.get("/admin/login").text
    client.post(
        "/admin/login", data={"username": "liu", "password": PASSWORD, "csrf": _csrf(login)}
    )
    token = _csrf(client.get("/admin/collection").text)
    with path.open("rb") as data:
        response = client.post(
            "/admin/collection",
            data={"item": "xzcf", "csrf": token},
            files={"file": (name, data, "application/octet-stream")},
        )
    return response.status_code, response.text


CHANNELS = {"cli": _via_cli, "api": _via_api, "console": _via_console}


@pytest.mark.parametrize("channel", CHANNELS)
@pytest.mark.parametrize("hostile_file", REFUSED_FILES)
def test_hostile_file_is_a_refused_batch_with_a_chinese_reason_on_every_channel(
    hostile_file, channel, client, sessions, market, tmp_path
):
    """issue 11 items 2 and 13: refused, recorded with its reason, 4xx, the server alive."""
    build, name, reason = REFUSED_FILES[hostile_file]
    path = build(tmp_path / ("upload" + Path(name).suffix))
    status, said = CHANNELS[channel](path, name, client, market)
    assert 400 <= status < 500
    assert reason in said
    batch = _last_batch(sessions)
    assert batch.status == BatchStatus.REFUSED.value
    assert batch.refusal is not None and reason in batch.refusal
    assert CHINESE.search(batch.refusal)
    assert client.get("/api/v1/health").status_code == 200


# (builder, file name, a piece of the rejected row's reason)
REJECTED_ROWS: dict[str, tuple[Callable[[Path], Path], str, str]] = {
    "amount_of_23_digits": (hostile.huge_amount_csv, "巨额.csv", "罚款金额（万元）：数额过大"),
    "nul_byte": (hostile.nul_bytes_csv, "空字符.csv", "违法事实：含有不可见的控制字符"),
    "nested_json_value": (hostile.nested_value_jsonl, "嵌套值.jsonl", "嵌套了对象或数组"),
    "longer_than_its_column": (hostile.long_text_csv, "长文号.csv", "长度超过 128 个字符"),
}


def _rejected_via_cli(path: Path, name: str, client, key) -> int:  # type: ignore[no-untyped-def]
    result = CliRunner().invoke(
        cli_app, ["ingest", str(path), "--item", "xzcf", "--department", "scjg"]
    )
    assert result.exception is None, result.output
    return 201


def _rejected_via_api(path: Path, name: str, client, key) -> int:  # type: ignore[no-untyped-def]
    return _post_batch(path, name, client, key).status_code


def _rejected_via_console(path: Path, name: str, client, key) -> int:  # type: ignore[no-untyped-def]
    status, _ = _via_console(path, name, client, key)
    return status


REJECTING = {"cli": _rejected_via_cli, "api": _rejected_via_api, "console": _rejected_via_console}


@pytest.mark.parametrize("channel", REJECTING)
@pytest.mark.parametrize("bad_value", REJECTED_ROWS)
def test_a_value_storage_cannot_hold_is_a_rejected_row_not_a_failed_batch(
    bad_value, channel, client, sessions, market, tmp_path
):
    """issue 11 item 13: checked against what storage accepts before storing; the row is
    rejected with a reason a clerk understands and the batch is recorded."""
    build, name, reason = REJECTED_ROWS[bad_value]
    path = build(tmp_path / ("upload" + Path(name).suffix))
    status = REJECTING[channel](path, name, client, market)
    assert status in (201, 200)  # the console follows its redirect to the receipt
    batch = _last_batch(sessions)
    assert (batch.status, batch.total, batch.rejected) == (BatchStatus.DONE.value, 1, 1)
    with sessions() as session:
        (reasons,) = [r for _, r in rejection_reasons(session, batch.id)]
    assert reason in reasons
    assert client.get("/api/v1/health").status_code == 200


@pytest.mark.parametrize("channel", ["api", "console"])
def test_an_over_long_file_name_is_kept_shortened(channel, client, sessions, market, tmp_path):
    """issue 11 item 13: a 300-character file name (PostgreSQL: varchar(255)) is stored cut,
    with its suffix, instead of failing the batch."""
    path = write_csv(tmp_path / "p.csv", [penalty_row()])
    name = "处" * 300 + "\x00.csv"
    status = REJECTING[channel](path, name, client, market)
    assert status in (200, 201)
    batch = _last_batch(sessions)
    assert batch.status == BatchStatus.DONE.value and batch.new == 1
    assert len(batch.filename) == 255 and batch.filename.endswith("….csv")


@pytest.fixture
def small_reader(settings):  # type: ignore[no-untyped-def]
    from xinyong.config import use_settings

    yield use_settings(settings.model_copy(update={"reader_memory_mb": 256}))
    use_settings(settings)


def test_a_reader_worker_past_its_memory_limit_is_a_refused_file_and_the_server_lives(
    client, sessions, market, small_reader, tmp_path
):
    """issue 11 item 2: within the cell limit (20M cells) but past the worker's 256 MB, the
    Excel reader aborts natively in its worker; the file is refused, the server answers."""
    path = hostile.sparse_xlsx(tmp_path / "upload.xlsx", dimension=None, far="T1000000")
    status, said = _via_api(path, "大区域.xlsx", client, market)
    assert status == 422 and "超出了内存（256 MB）或时间上限" in said
    batch = _last_batch(sessions)
    assert batch.status == BatchStatus.REFUSED.value and "内存" in (batch.refusal or "")
    assert client.get("/api/v1/health").status_code == 200


def test_a_checking_worker_that_dies_is_a_refused_file(sessions, market, settings, tmp_path):
    """issue 11 item 2: the big-file path's second process runs under the same memory limit;
    when it dies (here: 64 MB is too little even to start it) the file is refused, recorded."""
    from xinyong.collection import service
    from xinyong.collection.checking import PARALLEL_MIN_BYTES
    from xinyong.config import use_settings

    rows = [penalty_row(**{"行政处罚决定书文号": f"文{n}"}) for n in range(12_000)]
    path = write_csv(tmp_path / "big.csv", rows)
    assert path.stat().st_size >= PARALLEL_MIN_BYTES
    use_settings(settings.model_copy(update={"reader_memory_mb": 64}))
    try:
        with pytest.raises(DomainError) as refused:
            service.ingest(sessions, path, "xzcf", "scjg")
    finally:
        use_settings(settings)
    assert refused.value.code == "file.worker_died"
    batch = _last_batch(sessions)
    assert batch.status == BatchStatus.REFUSED.value and "内存上限" in (batch.refusal or "")


def test_json_body_nested_past_the_parser_is_a_400_in_chinese(client, market):
    """issue 11 item 13: a deeply nested JSON body raised RecursionError: a 500."""
    body = '{"item": "xzcf", "records": [' + "[" * 100_000 + "]" * 100_000 + "]}"
    response = client.post(
        "/api/v1/batches",
        headers={"X-API-Key": market, "Content-Type": "application/json"},
        content=body,
    )
    assert response.status_code == 400
    assert "嵌套层数过多" in response.json()["message"]
