"""API fixtures: a tenant with an operator key and a client that sends it."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session
from tests.factories import Marketplace, make_marketplace


@dataclass
class Api:
    client: TestClient
    market: Marketplace

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.market.keys.operator_key}"}


@pytest.fixture
def api(session: Session, app_client: TestClient) -> Api:
    market = make_marketplace(session)
    session.commit()
    return Api(client=app_client, market=market)
