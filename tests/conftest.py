"""Shared fixtures: a migrated database per test (SQLite by default, PostgreSQL when
TRADESHIELD_TEST_DATABASE_URL is set), API clients signed in with fresh keys."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.orm import Session

from tests.factories import Api, make_marketplace
from tradeshield import migrate
from tradeshield.db import make_engine, session_factory
from tradeshield.settings import get_settings
from tradeshield.tables import Base

POSTGRES_URL = os.environ.get("TRADESHIELD_TEST_DATABASE_URL")


@pytest.fixture(autouse=True)
def _isolated_settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    monkeypatch.setenv("TRADESHIELD_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("TRADESHIELD_IDENTIFIER_SECRET", "test-secret-not-for-production")
    monkeypatch.delenv("TRADESHIELD_BROKER_URL", raising=False)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


@pytest.fixture(scope="session")
def _sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    template = tmp_path_factory.mktemp("template") / "template.db"
    engine = make_engine(f"sqlite:///{template}")
    migrate.upgrade(engine)
    engine.dispose()
    return template


@pytest.fixture(scope="session")
def _postgres_engine() -> Iterator[Engine | None]:
    if not POSTGRES_URL:
        yield None
        return
    engine = make_engine(POSTGRES_URL)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    migrate.upgrade(engine)
    yield engine
    engine.dispose()


def _truncate_postgres(engine: Engine) -> None:
    tables = ", ".join(t.name for t in Base.metadata.sorted_tables)
    with engine.begin() as connection:
        connection.execute(text(f"TRUNCATE {tables} RESTART IDENTITY CASCADE"))


@pytest.fixture
def engine(
    tmp_path: Path, _sqlite_template: Path, _postgres_engine: Engine | None
) -> Iterator[Engine]:
    if _postgres_engine is not None:
        _truncate_postgres(_postgres_engine)
        yield _postgres_engine
        return
    database = tmp_path / "tradeshield.db"
    shutil.copyfile(_sqlite_template, database)
    engine = make_engine(f"sqlite:///{database}")
    yield engine
    engine.dispose()


@pytest.fixture
def session(engine: Engine) -> Iterator[Session]:
    with session_factory(engine)() as session:
        yield session


@pytest.fixture
def app_client(engine: Engine) -> Iterator[TestClient]:
    from tradeshield.app import create_app

    with TestClient(create_app(engine), raise_server_exceptions=False) as client:
        yield client


@pytest.fixture
def api(session: Session, app_client: TestClient) -> Api:
    market = make_marketplace(session)
    session.commit()
    return Api(client=app_client, market=market)
