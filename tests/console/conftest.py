"""Console fixtures: the shared tenant data and clients signed in to the console."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.console.console_data import (
    ConsoleData,
    build_console_data,
    commit_and_settle,
    sign_in,
)


@pytest.fixture
def console_data(session: Session) -> ConsoleData:
    data = build_console_data(session)
    commit_and_settle(session)
    return data


@pytest.fixture
def operator_client(app_client: TestClient, console_data: ConsoleData) -> TestClient:
    sign_in(app_client, console_data.operator_key)
    return app_client


@pytest.fixture
def merchant_client(app_client: TestClient, console_data: ConsoleData) -> TestClient:
    sign_in(app_client, console_data.merchant_key)
    return app_client
