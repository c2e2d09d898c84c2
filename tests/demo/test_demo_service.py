"""``generate`` as a service: refusals, a second marketplace beside the first, portability.

These use the shared ``engine`` fixture, so they run on PostgreSQL too when
TRADESHIELD_TEST_DATABASE_URL is set.
"""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import Engine, func, select

from tradeshield.buyers.models import BuyerAccount
from tradeshield.cases.models import Case
from tradeshield.catalog.models import Merchant
from tradeshield.db import session_factory
from tradeshield.demo.models import DemoLabel
from tradeshield.demo.service import demo_exists, generate
from tradeshield.errors import Conflict, Invalid
from tradeshield.orders.models import Order
from tradeshield.shipments.models import Shipment
from tradeshield.tenancy.models import Tenant
from tradeshield.tenancy.service import authenticate


def test_an_existing_tenant_is_refused_and_left_as_it_was(engine: Engine) -> None:
    generate(engine, 200, seed=1, tenant_slug="acme")
    with pytest.raises(Conflict):
        generate(engine, 200, seed=2, tenant_slug="acme")
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Tenant)) == 1
        assert session.scalar(select(func.count()).select_from(Order)) == 200


@pytest.mark.parametrize(("orders", "seed"), [(0, 7), (-5, 7), (10, -1)])
def test_bad_order_count_or_seed_is_invalid_and_writes_nothing(
    engine: Engine, orders: int, seed: int
) -> None:
    with pytest.raises(Invalid):
        generate(engine, orders, seed)
    assert not demo_exists(engine, "demo")
    with session_factory(engine)() as session:
        assert session.scalar(select(func.count()).select_from(Tenant)) == 0


def test_a_second_marketplace_continues_the_ids_of_the_first(engine: Engine) -> None:
    first = generate(engine, 400, seed=3, tenant_slug="one")
    second = generate(engine, 400, seed=3, tenant_slug="two")
    assert first.rows == second.rows
    assert demo_exists(engine, "one")
    assert demo_exists(engine, "two")
    assert not demo_exists(engine, "three")
    with session_factory(engine)() as session:
        counted = session.execute(select(Order.tenant_id, func.count()).group_by(Order.tenant_id))
        per_tenant = {tenant: count for tenant, count in counted}
        assert per_tenant == {first.tenant_id: 400, second.tenant_id: 400}
        shipment_tenants = set(
            session.execute(
                select(Shipment.tenant_id)
                .join(Order, Order.id == Shipment.order_id)
                .where(Shipment.tenant_id != Order.tenant_id)
            ).scalars()
        )
        assert not shipment_tenants
        labels = session.scalars(
            select(DemoLabel).where(DemoLabel.tenant_id == second.tenant_id)
        ).all()
        case_ids = {label.entity_id for label in labels if label.entity_type == "case"}
        owners = set(session.scalars(select(Case.tenant_id).where(Case.id.in_(case_ids))))
        assert owners <= {second.tenant_id}


def test_rows_added_later_get_fresh_ids_and_the_operator_key_works(engine: Engine) -> None:
    summary = generate(engine, 300, seed=5)
    with session_factory(engine)() as session, session.begin():
        merchant = session.scalars(select(Merchant).limit(1)).one()
        buyer = session.scalars(select(BuyerAccount).limit(1)).one()
        highest = session.scalar(select(func.max(Order.id)))
        now = dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
        order = Order(
            tenant_id=summary.tenant_id,
            merchant_id=merchant.id,
            buyer_id=buyer.id,
            placed_at=now,
            total_minor=100,
            currency="CNY",
        )
        session.add(order)
        session.flush()
        assert highest is not None
        assert order.id > highest
        scope = authenticate(session, summary.operator_key)
        assert scope.tenant_id == summary.tenant_id
