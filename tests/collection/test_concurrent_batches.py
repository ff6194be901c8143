"""issue 11 item 16: concurrent uploads, with real threads against the real database (SQLite
and PostgreSQL): a second batch waits for the first, or is told in Chinese to retry — never a
500 or a unique-key collision."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pytest

from tests.factories import penalty_row, write_csv
from xinyong.auth import service as auth
from xinyong.collection import service
from xinyong.config import Settings, use_settings
from xinyong.db import committing
from xinyong.errors import DomainError

pytestmark = pytest.mark.usefixtures("received")

HOLD_SECONDS = 20  # the first batch never holds longer, whatever the second one does


class FirstBatch:
    """A batch whose transaction stays open (inside its progress callback) until released."""

    def __init__(self, sessions, path, department) -> None:  # type: ignore[no-untyped-def]
        self.storing, self.release = threading.Event(), threading.Event()
        self.receipt: service.Receipt | None = None
        self.thread = threading.Thread(target=self._run, args=(sessions, path, department))

    def _run(self, sessions, path, department) -> None:  # type: ignore[no-untyped-def]
        self.receipt = service.ingest(
            sessions, path, "xzcf", department, progress=lambda _rows: self._hold()
        )

    def _hold(self) -> None:
        self.storing.set()
        self.release.wait(HOLD_SECONDS)

    def __enter__(self) -> FirstBatch:
        self.thread.start()
        assert self.storing.wait(HOLD_SECONDS)
        return self

    def __exit__(self, *_: object) -> None:
        self.release.set()
        self.thread.join(HOLD_SECONDS * 2)


@pytest.fixture
def patient(settings: Settings) -> Iterator[Settings]:
    yield use_settings(settings.model_copy(update={"batch_wait_seconds": 1}))
    use_settings(settings)


def _rows() -> list[dict[str, str]]:
    return [penalty_row(**{"行政处罚决定书文号": f"穗市监罚〔2024〕{n}号"}) for n in range(50)]


def test_a_second_batch_of_the_same_keys_waits_for_the_first_and_finds_them_stored(
    sessions, department, tmp_path
):
    """issue 11 item 16: PostgreSQL raised UniqueViolation on concurrent first loads."""
    first = write_csv(tmp_path / "first.csv", _rows())
    second = write_csv(tmp_path / "second.csv", _rows())
    outcome: dict[str, object] = {}

    def send_second() -> None:
        try:
            outcome["receipt"] = service.ingest(sessions, second, "xzcf", department)
        except Exception as error:  # the test reports whatever it was
            outcome["error"] = error

    with FirstBatch(sessions, first, department) as batch:
        racer = threading.Thread(target=send_second)
        racer.start()
        racer.join(0.5)  # the second batch is now waiting
    racer.join(HOLD_SECONDS)
    assert "error" not in outcome, outcome.get("error")
    assert batch.receipt is not None and batch.receipt.new == 50
    receipt = outcome["receipt"]
    assert isinstance(receipt, service.Receipt)
    assert (receipt.new, receipt.unchanged) == (0, 50)


def _post(client, key: str, path) -> object:  # type: ignore[no-untyped-def]
    with path.open("rb") as data:
        return client.post(
            "/api/v1/batches",
            headers={"X-API-Key": key},
            data={"item": "xzcf"},
            files={"file": (path.name, data, "text/csv")},
        )


def test_a_batch_that_would_wait_too_long_gets_503_another_batch_is_processing(
    client, sessions, department, patient, tmp_path
):
    """issue 11 item 16: on SQLite the second writer waited 10 s and failed with a 500."""
    key = _api_key(sessions)
    client.get("/api/v1/batches", headers={"X-API-Key": key})  # the key's use is noted now
    with FirstBatch(sessions, write_csv(tmp_path / "first.csv", _rows()), department):
        response = _post(client, key, write_csv(tmp_path / "second.csv", _rows()))
    assert response.status_code == 503
    assert response.json()["code"] == "batch.busy"
    assert "另一批次正在处理" in response.json()["message"]
    assert int(response.headers["Retry-After"]) > 0


def test_any_write_held_up_by_a_long_batch_is_a_503_not_a_500(
    client, sessions, department, patient, tmp_path
):
    """issue 11 item 16: on SQLite a fresh key's first use is a write that waits for the one
    writer; past the wait it is a 503 to retry (PostgreSQL: the batch wait says so itself)."""
    key = _api_key(sessions)
    with FirstBatch(sessions, write_csv(tmp_path / "first.csv", _rows()), department):
        response = _post(client, key, write_csv(tmp_path / "second.csv", _rows()))
    assert response.status_code == 503
    assert response.json()["code"] in ("batch.busy", "db.busy")
    assert int(response.headers["Retry-After"]) > 0


def test_a_busy_refusal_is_a_domain_error_the_cli_prints(sessions, department, patient, tmp_path):
    """issue 11 item 16: the service raises Busy (a DomainError: one Chinese line in the CLI)."""
    second = write_csv(tmp_path / "b.csv", _rows())
    first = write_csv(tmp_path / "first.csv", _rows())
    with FirstBatch(sessions, first, department), pytest.raises(DomainError) as busy:
        service.ingest(sessions, second, "xzcf", department)
    assert (busy.value.status_code, busy.value.code) == (503, "batch.busy")
    assert "另一批次正在处理" in busy.value.message


def _api_key(sessions) -> str:  # type: ignore[no-untyped-def]
    with sessions() as session, committing(session):
        return auth.create_api_key(session, auth.get_department(session, "scjg"), "执法系统")


def test_the_console_upload_says_another_batch_is_processing_with_503(
    client, session, sessions, department, patient, tmp_path
):
    """issue 11 item 16: the clerk's page, not a 500, while another batch is stored."""
    import re

    from xinyong.auth.models import Role

    with committing(session):
        market = auth.get_department(session, "scjg")
        auth.create_user(
            session, "liu", "concurrent-clerk", Role.DATA_PROVIDER, "440100", "刘敏", market
        )
    csrf = re.compile(r'name="csrf" value="([^"]+)"')
    login = csrf.search(client.get("/admin/login").text)
    client.post(
        "/admin/login",
        data={"username": "liu", "password": "concurrent-clerk", "csrf": login.group(1)},
    )
    token = csrf.search(client.get("/admin/collection").text).group(1)
    first = write_csv(tmp_path / "first.csv", _rows())
    second = write_csv(tmp_path / "second.csv", _rows())
    with FirstBatch(sessions, first, department), second.open("rb") as data:
        response = client.post(
            "/admin/collection",
            data={"item": "xzcf", "csrf": token},
            files={"file": ("second.csv", data, "text/csv")},
        )
    assert response.status_code == 503
    assert "另一批次正在处理" in response.text
    assert int(response.headers["Retry-After"]) > 0
