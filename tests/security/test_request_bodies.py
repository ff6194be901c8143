"""Request bodies are capped as they stream in, with or without Content-Length (issue 11 item
12): a real uvicorn server in its own process, so its memory can be read from /proc."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.conftest import TEST_SECRET
from xinyong.auth import service as auth
from xinyong.collection.readers import JSON_ARRAY_LIMIT
from xinyong.db import committing
from xinyong.http.limits import JSON_BODY_LIMIT

ROOT = Path(__file__).resolve().parents[2]
UPLOAD_MB = 8  # the server's upload limit in these tests: small, so going past it is cheap
CHUNK = 1 << 20


def _free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture
def server(sessions, settings) -> Iterator[tuple[str, int]]:  # type: ignore[no-untyped-def]
    """(base URL, pid) of `uvicorn --factory xinyong.app:create_app` on a free port."""
    port = _free_port()
    env = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "XINYONG_DATA_DIR": str(settings.data_dir),
        "XINYONG_DATABASE_URL": settings.effective_database_url,
        "XINYONG_SECRET_KEY": TEST_SECRET,
        "XINYONG_JOBS_INTERVAL_MINUTES": "0",
        "XINYONG_MAX_UPLOAD_MB": str(UPLOAD_MB),
    }
    command = [sys.executable, "-m", "uvicorn", "--factory", "xinyong.app:create_app"]
    process = subprocess.Popen(
        [*command, "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning"],
        env=env,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base, process.pid
    finally:
        process.terminate()
        process.wait(timeout=10)


def _wait_until_up(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        assert process.poll() is None, "the server did not start"
        try:
            if httpx.get(f"{base}/api/v1/health").status_code == 200:
                return
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("the server did not answer within 30 s")


@pytest.fixture
def key(session) -> str:  # type: ignore[no-untyped-def]
    with committing(session):
        department = auth.create_department(session, "gz-scjg", "广州市市场监督管理局", "440100")
        return auth.create_api_key(session, department, "执法系统")


def _kib(pid: int, field: str) -> int:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    raise AssertionError(f"no {field} for {pid}")


def _chunked(head: bytes, total: int, filler: bytes = b" ") -> Iterator[bytes]:
    """A body of `total` bytes sent in chunks, with no Content-Length."""
    yield head
    sent = len(head)
    while sent < total:
        block = filler * min(CHUNK, total - sent)
        sent += len(block)
        yield block


def test_a_chunked_json_batch_past_its_cap_is_refused_with_bounded_memory(server, key):
    """issue 11 item 12: a chunked JSON body four times the JSON batch limit is refused with 413
    and a Chinese message; the server's peak memory grows by well under the body's size."""
    base, pid = server
    body_size = 4 * JSON_ARRAY_LIMIT
    before = _kib(pid, "VmRSS")
    response = httpx.post(
        f"{base}/api/v1/batches",
        headers={"X-API-Key": key, "Content-Type": "application/json"},
        content=_chunked(b'{"item": "xzcf", "records": [', body_size),
        timeout=120,
    )
    assert response.status_code == 413
    assert response.json()["code"] == "request.too_large"
    assert "JSON Lines" in response.json()["message"]
    grown = (_kib(pid, "VmHWM") - before) << 10
    assert grown < body_size // 2, f"server grew by {grown >> 20} MB"


def test_a_chunked_upload_past_the_upload_limit_is_refused(server, key):
    """issue 11 item 12: a multipart upload without Content-Length is counted as it arrives."""
    base, _pid = server
    boundary = "xinyongboundary"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="item"\r\n\r\nxzcf\r\n'
        f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.csv"\r\n'
        "Content-Type: text/csv\r\n\r\n"
    ).encode()
    response = httpx.post(
        f"{base}/api/v1/batches",
        headers={"X-API-Key": key, "Content-Type": f"multipart/form-data; boundary={boundary}"},
        content=_chunked(head, 2 * (UPLOAD_MB << 20), b"a"),
        timeout=120,
    )
    assert response.status_code == 413
    assert f"{UPLOAD_MB} MB" in response.json()["message"]


def test_other_json_bodies_have_a_much_smaller_cap(client):
    """issue 11 item 12: a check is not a batch: past JSON_BODY_LIMIT it is refused, declared
    (Content-Length) or not."""
    chunked = client.post(
        "/api/v1/checks",
        headers={"Content-Type": "application/json"},
        content=_chunked(b'{"matter": "', JSON_BODY_LIMIT + CHUNK, b"x"),
    )
    assert chunked.status_code == 413
    assert chunked.json()["code"] == "request.too_large"
    declared = client.post(
        "/api/v1/checks",
        headers={"Content-Type": "application/json", "Content-Length": str(JSON_BODY_LIMIT + 1)},
        content=b"{}",
    )
    assert declared.status_code == 413


def test_a_page_past_its_cap_is_refused_with_a_chinese_page(client):
    """issue 11 item 12: the console and the portal get the refusal as a page, not JSON."""
    response = client.post(
        "/admin/login",
        headers={"Content-Type": "application/x-www-form-urlencoded"},
        content=_chunked(b"username=", JSON_BODY_LIMIT + CHUNK, b"a"),
    )
    assert response.status_code == 413
    assert response.headers["content-type"].startswith("text/html")
    assert "请求体超过" in response.text
