"""Import fixtures: a tenant with one shop and two products, committed, and file writers."""

from __future__ import annotations

import csv
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session
from tests.factories import make_tenant
from tests.imports.sample_shop import (
    MERCHANT_REF,
    TENANT_SLUG,
    OrderRefs,
    Shop,
    WriteCsv,
    WriteJsonl,
)

from tradeshield.catalog import service as catalog
from tradeshield.catalog.industries import Industry
from tradeshield.catalog.schemas import MerchantIn, ProductIn
from tradeshield.orders import service as orders
from tradeshield.pagination import PageRequest
from tradeshield.tenancy.kinds import Role
from tradeshield.tenancy.scope import Scope


@pytest.fixture
def shop(session: Session) -> Shop:
    keys = make_tenant(session, slug=TENANT_SLUG)
    merchant_in = MerchantIn(
        name="Orchard", industry=Industry.FRESH_FOOD, external_ref=MERCHANT_REF
    )
    merchant = catalog.create_merchant(session, keys.scope, merchant_in)
    for sku, price in (("ORANGE-5", 5990), ("APPLE-3", 3990)):
        product_in = ProductIn(
            merchant_id=merchant.id, sku=sku, category="fruit", price_minor=price, currency="CNY"
        )
        catalog.create_product(session, keys.scope, product_in)
    session.commit()
    scope = Scope(tenant_id=keys.scope.tenant_id, role=Role.OPERATOR, actor="import:test")
    return Shop(scope=scope, merchant_id=merchant.id)


@pytest.fixture
def order_refs(shop: Shop) -> OrderRefs:
    """The external refs of every order of the tenant, sorted, read through the orders service."""

    def refs(session: Session) -> list[str]:
        page = orders.list_orders(session, shop.scope, PageRequest(limit=500))
        return sorted(order.external_ref for order in page.items if order.external_ref)

    return refs


@pytest.fixture
def write_jsonl(tmp_path: Path) -> WriteJsonl:
    """Write one JSON object (or a raw string, for broken lines) per line."""

    def write(name: str, rows: Sequence[dict[str, Any] | str]) -> Path:
        path = tmp_path / name
        lines = [row if isinstance(row, str) else json.dumps(row) for row in rows]
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return path

    return write


@pytest.fixture
def write_csv(tmp_path: Path) -> WriteCsv:
    def write(name: str, header: Sequence[str], rows: Sequence[Sequence[Any]]) -> Path:
        path = tmp_path / name
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle, lineterminator="\n")
            writer.writerow(header)
            writer.writerows(rows)
        return path

    return write
