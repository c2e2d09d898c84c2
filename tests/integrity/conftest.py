"""A small demo marketplace in the test database, for the integrity tests that need rows."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from sqlalchemy import Engine

from tradeshield.demo.service import generate
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope

DEMO_ORDERS = 4_000
DEMO_SEED = 3


@dataclass(frozen=True, slots=True)
class Demo:
    engine: Engine
    scope: Scope
    operator_key: str

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.operator_key}"}


@pytest.fixture
def demo(engine: Engine) -> Demo:
    summary = generate(engine, DEMO_ORDERS, DEMO_SEED)
    scope = Scope(tenant_id=summary.tenant_id, role=Role.OPERATOR, actor="test")
    return Demo(engine=engine, scope=scope, operator_key=summary.operator_key)
