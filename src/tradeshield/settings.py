"""Runtime settings, read once from the environment (prefix ``TRADESHIELD_``)."""

from __future__ import annotations

import secrets
from functools import lru_cache
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="TRADESHIELD_", extra="ignore")

    data_dir: Path = Path(".tradeshield")
    database_url: str | None = Field(
        default=None, description="SQLAlchemy URL; defaults to a SQLite file in data_dir"
    )
    broker_url: str | None = Field(
        default=None,
        description="Celery broker (e.g. redis://127.0.0.1:6379/0); unset = in-process",
    )
    celery_queue: str = "tradeshield"
    blob_dir: Path | None = None
    identifier_secret: str | None = Field(
        default=None, description="HMAC key for people's identifiers; generated once per data_dir"
    )
    consortium_key: str | None = Field(
        default=None, description="HMAC key shared by consortium members for risk-account hashes"
    )
    max_upload_bytes: int = 25 * 1024 * 1024
    sweep_interval_seconds: float = 60.0
    default_page_size: int = 50
    max_page_size: int = 500
    api_key_cache_seconds: float = Field(
        default=5.0, ge=0, description="how long a process trusts a key it checked; 0 = always ask"
    )

    def resolved_database_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.data_dir / 'tradeshield.db').resolve()}"

    def resolved_blob_dir(self) -> Path:
        return self.blob_dir or self.data_dir / "blobs"

    def resolved_identifier_secret(self) -> bytes:
        """The installation's HMAC key: from the environment, else a file made on first use."""
        if self.identifier_secret:
            return self.identifier_secret.encode()
        key_file = self.data_dir / "identifier.key"
        if not key_file.exists():
            self.data_dir.mkdir(parents=True, exist_ok=True)
            try:
                with key_file.open("x") as handle:
                    handle.write(secrets.token_hex(32))
                key_file.chmod(0o600)
            except FileExistsError:  # another process made it first; use theirs
                pass
        return key_file.read_text().strip().encode()


@lru_cache(maxsize=1)
def get_settings() -> Settings:
    return Settings()
