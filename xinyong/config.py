"""Settings from the environment (prefix XINYONG_); the embedded default lives in ./data."""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from functools import cached_property
from pathlib import Path

from pydantic_settings import BaseSettings, SettingsConfigDict

SECRET_FILE = "secret.key"
SPOOL_FOLDER = "spool"


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="XINYONG_")

    data_dir: Path = Path("data")
    database_url: str | None = None
    # One master secret; session, encryption and lookup keys are derived from it.
    secret_key: str | None = None
    policy_dir: Path | None = None
    city_code: str = "440100"  # the city this instance serves (广州市 in the demo)
    max_upload_mb: int = 512  # a bigger file is refused before it is read
    # Address space of the process that reads an untrusted workbook or checks a big file's rows:
    # a 1M-row, 30-column workbook needs about 2 GB in the Excel reader; past the limit the
    # worker dies and the file is refused, the server lives on.
    reader_memory_mb: int = 4096
    # How long a batch waits for another batch's transaction before it is refused as busy
    # (batches are stored one at a time; a web request should not hang for minutes).
    batch_wait_seconds: float = 30
    jobs_interval_minutes: float = 60  # the server's own job runs (0: leave them to cron)
    # Failed logins are counted per account and per address over a sliding window; past a
    # threshold that account or address waits until its oldest counted failure leaves the
    # window. A person mistyping stays well under 5; an office behind one NAT address under 20.
    login_window_minutes: float = 15
    login_failures_per_account: int = 5
    login_failures_per_address: int = 20
    # Where the audit chain's head is exported (append-only, outside the database).
    audit_anchor_file: Path | None = None
    # The city's SMS and mail gateways, as `package.module:factory` (called with the settings,
    # returning a `notifications.channels.Channel`); unset: those messages wait in the outbox.
    sms_adapter: str | None = None
    mail_adapter: str | None = None
    # Tries per message before the outbox stops sending it (an operator looks at last_error).
    notify_max_attempts: int = 5
    # Mark the session cookie Secure: required behind HTTPS; off for the embedded http demo.
    cookie_secure: bool = False
    # The site's own address as the public reaches it: printed in credit reports' QR codes and
    # verification text (`{site_url}/verify/{number}`), so it must be the address people use.
    site_url: str = "http://localhost:8000"

    @property
    def spool_root(self) -> Path:
        """Every process's spool folders (inside the data folder: same disk, same care)."""
        return self.data_dir / SPOOL_FOLDER

    @property
    def spool_dir(self) -> Path:
        """Where this process's uploads wait while they are read: one folder per process id, so
        a restarted server removes what a killed one left (`collection.files.remove_stale_spool`)
        without touching the uploads other live processes are reading."""
        path = self.spool_root / str(os.getpid())
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        return path

    @property
    def audit_anchor_path(self) -> Path:
        return self.audit_anchor_file or self.data_dir / "audit-anchors.log"

    @property
    def effective_database_url(self) -> str:
        return self.database_url or f"sqlite:///{self.data_dir.resolve() / 'xinyong.db'}"

    @property
    def is_embedded(self) -> bool:
        return self.effective_database_url.startswith("sqlite")

    @cached_property
    def master_secret(self) -> bytes:
        if self.secret_key:
            return self.secret_key.encode()
        path = self.data_dir / SECRET_FILE
        if not path.exists():
            raise RuntimeError(
                f"no secret key: set XINYONG_SECRET_KEY or run `xinyong init` (expected {path})"
            )
        return path.read_text().strip().encode()

    def derived_key(self, purpose: str) -> bytes:
        """A 32-byte key for one purpose, so one leaked key does not expose the others."""
        return hmac.new(self.master_secret, purpose.encode(), hashlib.sha256).digest()

    def ensure_secret_file(self) -> None:
        """Create the data folder's secret on first init (embedded deployments)."""
        if self.secret_key:
            return
        path = self.data_dir / SECRET_FILE
        if not path.exists():
            path.write_text(base64.urlsafe_b64encode(secrets.token_bytes(32)).decode())
            path.chmod(0o600)


_settings: Settings | None = None


def get_settings() -> Settings:
    global _settings
    if _settings is None:
        _settings = Settings()
    return _settings


def use_settings(settings: Settings) -> Settings:
    """Install `settings` as the process-wide settings (CLI options, tests)."""
    global _settings
    _settings = settings
    return settings
