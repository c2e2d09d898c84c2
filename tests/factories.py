"""Builders for test data, going through the same service functions as the API."""

from __future__ import annotations

import datetime as dt
import itertools
from dataclasses import dataclass

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tradeshield.buyers import service as buyers
from tradeshield.buyers.kinds import IdentifierKind
from tradeshield.buyers.schemas import BuyerIn, IdentifierIn
from tradeshield.cases import service as cases
from tradeshield.cases.kinds import CaseKind, ReasonCode
from tradeshield.cases.models import Case
from tradeshield.cases.schemas import CaseIn
from tradeshield.catalog import service as catalog
from tradeshield.catalog.industries import Industry
from tradeshield.catalog.models import Merchant, Product
from tradeshield.catalog.schemas import MerchantIn, ProductIn
from tradeshield.orders import service as orders
from tradeshield.orders.schemas import OrderIn, OrderLineIn
from tradeshield.orders.service import OrderView
from tradeshield.tenancy import service as tenancy
from tradeshield.tenancy.kinds import Role, TenantKind
from tradeshield.tenancy.scope import Scope

_serial = itertools.count(1)
PLACED_AT = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)


@dataclass(frozen=True)
class TenantKeys:
    scope: Scope
    operator_key: str


def make_tenant(session: Session, slug: str | None = None) -> TenantKeys:
    tenant = tenancy.create_tenant(
        session, slug or f"tenant-{next(_serial)}", "Test market", TenantKind.MARKETPLACE
    )
    key, secret = tenancy.issue_api_key(session, tenant.id, Role.OPERATOR)
    scope = Scope(tenant_id=tenant.id, role=Role.OPERATOR, actor=f"key:{key.prefix}")
    return TenantKeys(scope=scope, operator_key=secret)


def make_merchant(
    session: Session, scope: Scope, industry: Industry = Industry.FRESH_FOOD
) -> Merchant:
    return catalog.create_merchant(
        session, scope, MerchantIn(name=f"Shop {next(_serial)}", industry=industry)
    )


def make_product(
    session: Session, scope: Scope, merchant: Merchant, price_minor: int = 5990
) -> Product:
    product_in = ProductIn(
        merchant_id=merchant.id,
        sku=f"SKU-{next(_serial)}",
        title_zh="赣南脐橙 5斤装",
        title_en="Gannan navel oranges, 2.5 kg",
        category="fruit",
        price_minor=price_minor,
        currency="CNY",
    )
    return catalog.create_product(session, scope, product_in)


def make_buyer(session: Session, scope: Scope, phone: str | None = None) -> buyers.BuyerView:
    identifiers = [IdentifierIn(kind=IdentifierKind.PHONE, value=phone)] if phone else []
    buyer_in = BuyerIn(external_ref=f"buyer-{next(_serial)}", identifiers=identifiers)
    return buyers.create_buyer(session, scope, buyer_in)


def make_order(
    session: Session, scope: Scope, merchant: Merchant, product: Product, quantity: int = 2
) -> OrderView:
    buyer = make_buyer(session, scope)
    line = OrderLineIn(
        product_id=product.id, quantity=quantity, unit_price_minor=product.price_minor
    )
    order_in = OrderIn(
        merchant_id=merchant.id,
        buyer_id=buyer.id,
        placed_at=PLACED_AT,
        currency="CNY",
        lines=[line],
    )
    return orders.create_order(session, scope, order_in)


@dataclass(frozen=True)
class Marketplace:
    keys: TenantKeys
    merchant: Merchant
    product: Product
    order: OrderView


def make_marketplace(session: Session) -> Marketplace:
    keys = make_tenant(session)
    merchant = make_merchant(session, keys.scope)
    product = make_product(session, keys.scope, merchant)
    order = make_order(session, keys.scope, merchant, product)
    return Marketplace(keys=keys, merchant=merchant, product=product, order=order)


def open_case(
    session: Session,
    market: Marketplace,
    kind: CaseKind = CaseKind.REFUND_ONLY,
    reason: ReasonCode = ReasonCode.SPOILED_OR_EXPIRED,
    amount: int = 5990,
    opened_at: dt.datetime | None = None,
) -> Case:
    case_in = CaseIn(
        order_id=market.order.id,
        kind=kind,
        reason_code=reason,
        claimed_amount_minor=amount,
        currency="CNY",
        opened_at=opened_at or PLACED_AT + dt.timedelta(days=3),
    )
    return cases.open_case(session, market.keys.scope, case_in)


@dataclass
class Api:
    """A test client and a marketplace whose operator key it sends."""

    client: TestClient
    market: Marketplace

    @property
    def headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.market.keys.operator_key}"}
